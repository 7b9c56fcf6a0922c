package io.argate.ipsec.path;

import io.netty.buffer.ByteBuf;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Packets waiting for an SA (DESIGN.md section 4: "no SA yet -> ACQUIRE to ISAKMP, hold a few
 * packets per policy, drop beyond"). The first packet of a flow is usually the one that starts
 * the negotiation (a ping, a TCP SYN); dropping it would cost the user a retransmission timeout,
 * so a few are kept and sent as soon as ISAKMP installs the bundle.
 *
 * <p>Bounded three ways so a policy nobody answers cannot eat memory: {@link #PER_POLICY}
 * packets per policy, {@link #TOTAL} across all policies, and {@link #HOLD_TIME} after which
 * held packets are dropped. One ACQUIRE is raised per policy and then again only every
 * {@link #ACQUIRE_INTERVAL} while packets keep arriving, so ISAKMP is not asked once per packet.
 *
 * <p>The data path calls {@link #hold} on the no-SA path only; the lock is per policy.
 */
final class AcquireHold {
    /** Packets kept per policy, as the KAME and Linux stacks keep a handful per larval SA. */
    static final int PER_POLICY = 4;
    /** Packets kept across all policies, whatever their number. */
    static final int TOTAL = 256;
    /** Longer than a Phase 1 plus Quick Mode with retransmissions; after this the peer is not answering. */
    static final Duration HOLD_TIME = Duration.ofSeconds(30);
    /** How often a policy that still has no SA asks ISAKMP again. */
    static final Duration ACQUIRE_INTERVAL = Duration.ofSeconds(10);

    /** What {@link #hold} did with a packet. */
    enum Outcome {
        /** Held, and ISAKMP must be asked (first packet, or the interval passed). */
        HELD_ACQUIRE,
        /** Held; an acquire is already pending. */
        HELD,
        /** Not held: this policy's or the total bound is reached (the packet is released). */
        OVERFLOW,
        /** Not held, but ISAKMP must be asked again. */
        OVERFLOW_ACQUIRE;

        boolean acquire() {
            return this == HELD_ACQUIRE || this == OVERFLOW_ACQUIRE;
        }
    }

    /** One policy's queue and when it last asked for an SA. */
    private static final class Queue {
        final ArrayDeque<ByteBuf> packets = new ArrayDeque<>(PER_POLICY);
        final ArrayDeque<Instant> arrived = new ArrayDeque<>(PER_POLICY);
        Instant lastAcquire;
        /** Removed from the map: a packet arriving now must go to a fresh queue. */
        boolean dead;
    }

    private final Clock clock;
    private final Map<String, Queue> queues = new ConcurrentHashMap<>();
    private int total;

    AcquireHold(Clock clock) {
        this.clock = clock;
    }

    private static String key(String policy) {
        return policy.toLowerCase(Locale.ROOT);
    }

    /** Keeps {@code p} (ownership passes here unless the outcome is OVERFLOW, when it is released). */
    Outcome hold(String policy, ByteBuf p) {
        Instant now = clock.instant();
        while (true) {
            Queue q = queues.computeIfAbsent(key(policy), k -> new Queue());
            synchronized (q) {
                if (!q.dead) {
                    return hold(q, p, now);
                }
            }
        }
    }

    /** Called with {@code q} locked. An overflowing packet still asks again when the interval passed. */
    private Outcome hold(Queue q, ByteBuf p, Instant now) {
        boolean ask = q.lastAcquire == null || Duration.between(q.lastAcquire, now).compareTo(ACQUIRE_INTERVAL) >= 0;
        if (ask) {
            q.lastAcquire = now;
        }
        if (q.packets.size() >= PER_POLICY || !reserve()) {
            p.release();
            return ask ? Outcome.OVERFLOW_ACQUIRE : Outcome.OVERFLOW;
        }
        q.packets.add(p);
        q.arrived.add(now);
        return ask ? Outcome.HELD_ACQUIRE : Outcome.HELD;
    }

    /** True when a packet may be added under the total bound (and counts it). */
    private synchronized boolean reserve() {
        if (total >= TOTAL) {
            return false;
        }
        total++;
        return true;
    }

    private synchronized void unreserve(int n) {
        total -= n;
    }

    /** Takes every packet held for a policy (an SA arrived, or the policy went away). */
    List<ByteBuf> release(String policy) {
        Queue q = queues.remove(key(policy));
        if (q == null) {
            return List.of();
        }
        synchronized (q) {
            q.dead = true;
            List<ByteBuf> out = new ArrayList<>(q.packets);
            q.packets.clear();
            q.arrived.clear();
            unreserve(out.size());
            return out;
        }
    }

    /** Releases packets held longer than {@link #HOLD_TIME}; returns how many. */
    int expire() {
        Instant limit = clock.instant().minus(HOLD_TIME);
        int n = 0;
        for (Iterator<Queue> it = queues.values().iterator(); it.hasNext(); ) {
            Queue q = it.next();
            synchronized (q) {
                while (!q.arrived.isEmpty() && q.arrived.peek().isBefore(limit)) {
                    q.arrived.poll();
                    q.packets.poll().release();
                    n++;
                }
                if (q.packets.isEmpty() && (q.lastAcquire == null || q.lastAcquire.isBefore(limit))) {
                    q.dead = true;
                    it.remove();
                }
            }
        }
        unreserve(n);
        return n;
    }

    /** Policies with a queue now (their names in lower case). */
    List<String> policies() {
        return List.copyOf(queues.keySet());
    }

    /** Packets held now for one policy (SHOW IPSEC POLICY). */
    int held(String policy) {
        Queue q = queues.get(key(policy));
        if (q == null) {
            return 0;
        }
        synchronized (q) {
            return q.packets.size();
        }
    }

    /** Packets held now across all policies. */
    synchronized int total() {
        return total;
    }
}
