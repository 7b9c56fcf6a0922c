package io.argate.isakmp.crypto;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Diffie-Hellman key pairs made ahead, off the control loop. Making g^x mod p is half the DH work
 * of a negotiation (the other half, the shared secret, needs the peer's value); a daemon thread
 * keeps a few fresh pairs per group and exponent length ready, so the loop only takes one. Each
 * pair is used once and never kept after it is taken. When the pool is empty the caller makes its
 * own, so a burst is never slower than without it. Used only with a secure random source: tests
 * that replay exchanges from a seeded source make their pairs on the loop, in order.
 */
public final class KeyPairPool implements AutoCloseable {
    /** Pairs kept ready per group and exponent length. */
    static final int DEPTH = 8;

    private record Kind(ModpGroup group, int bits) {
    }

    private final RandomSource random;
    private final Map<Kind, ArrayBlockingQueue<ModpGroup.KeyPair>> ready = new ConcurrentHashMap<>();
    private final Thread filler;
    private volatile boolean closed;
    private volatile boolean started;

    public KeyPairPool(RandomSource random) {
        this.random = random;
        this.filler = new Thread(this::fill, "ike-dh-pool");
        filler.setDaemon(true);
        filler.setPriority(Thread.NORM_PRIORITY - 1);
    }

    /** A fresh pair: one made ahead, or made now when none is ready. */
    public ModpGroup.KeyPair take(ModpGroup group, int exponentBits) {
        ArrayBlockingQueue<ModpGroup.KeyPair> q = ready.computeIfAbsent(new Kind(group, exponentBits), k -> new ArrayBlockingQueue<>(DEPTH));
        ModpGroup.KeyPair p = q.poll();
        if (!started) {
            // the thread starts with the first negotiation, so a router that never keys one has none
            synchronized (this) {
                if (!started && !closed) {
                    filler.start();
                    started = true;
                }
            }
        }
        LockSupport.unpark(filler);
        return p != null ? p : group.generate(random, exponentBits);
    }

    private void fill() {
        while (!closed) {
            boolean made = false;
            for (Map.Entry<Kind, ArrayBlockingQueue<ModpGroup.KeyPair>> e : ready.entrySet()) {
                if (e.getValue().remainingCapacity() > 0) {
                    e.getValue().offer(e.getKey().group().generate(random, e.getKey().bits()));
                    made = true;
                }
            }
            if (!made) {
                LockSupport.park(this);
            }
        }
    }

    /** CPU time the pool's thread has used, so a measurement of the loop's cost per negotiation can add it. */
    public long cpuNanos() {
        return started ? Math.max(0, java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(filler.getId())) : 0;
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(filler);
    }
}
