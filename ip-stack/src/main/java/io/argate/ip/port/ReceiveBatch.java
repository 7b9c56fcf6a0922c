package io.argate.ip.port;

/**
 * Whether the calling thread is inside a receive batch whose end will flush every port
 * ({@link PacketSink#batchEnd} reaching a sink that calls {@link Port#flush()} on all ports).
 * Only then may a port hold back what the thread sends, to send it together: a packet sent by
 * any other thread (the control loop: ISAKMP, PING) or outside a batch goes at once, since no
 * flush would ever come for it.
 */
public final class ReceiveBatch {
    private static final ThreadLocal<boolean[]> OPEN = ThreadLocal.withInitial(() -> new boolean[1]);

    private ReceiveBatch() {
    }

    /** A receive batch opened on this thread ({@link PacketSink#batchStart}); the sink promises to flush every port at its end. */
    public static void begin() {
        OPEN.get()[0] = true;
    }

    /** The batch ended and every port was flushed. */
    public static void end() {
        OPEN.get()[0] = false;
    }

    /** True while the calling thread is in a batch whose end flushes the ports. */
    public static boolean open() {
        return OPEN.get()[0];
    }
}
