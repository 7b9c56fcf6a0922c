package io.argate.ipsec.sad;

/**
 * A small number per data-path thread, so an SA can keep one crypto context per thread in a
 * plain array (one pipeline per core: receive threads never share a cipher's scratch state and
 * so never wait for each other on an SA). A thread gets its slot the first time it asks and
 * keeps it for life; the slot of a thread that has ended is given to the next thread that asks
 * (a finished thread can no longer be using its contexts, and its end happens-before
 * {@link Thread#isAlive()} returns false, so the next owner sees their state). When all
 * {@link #COUNT} slots are held by live threads, further threads get {@link #NONE} and share the
 * SA's own transform under its lock, as before.
 */
public final class ThreadSlot {
    /** Slots there are; far more than this appliance's cores and ports have receive threads. */
    public static final int COUNT = 64;
    /** No slot free: share under the lock. */
    public static final int NONE = -1;

    private static final Thread[] OWNERS = new Thread[COUNT];
    private static final ThreadLocal<int[]> MINE = ThreadLocal.withInitial(() -> new int[]{claim()});

    private ThreadSlot() {
    }

    /** This thread's slot, 0..COUNT-1, or {@link #NONE}. */
    public static int current() {
        return MINE.get()[0];
    }

    private static synchronized int claim() {
        Thread me = Thread.currentThread();
        for (int i = 0; i < COUNT; i++) {
            Thread t = OWNERS[i];
            if (t == null || !t.isAlive()) {
                OWNERS[i] = me;
                return i;
            }
        }
        return NONE;
    }
}
