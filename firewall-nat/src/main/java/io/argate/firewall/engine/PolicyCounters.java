package io.argate.firewall.engine;

import java.util.concurrent.atomic.LongAdder;

/** One policy's counters, contention-free for the receive threads (DESIGN.md section 5). */
public final class PolicyCounters {
    private final LongAdder[] counts = new LongAdder[FirewallCounter.values().length];

    public PolicyCounters() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    public void add(FirewallCounter c) {
        counts[c.ordinal()].increment();
    }

    public long get(FirewallCounter c) {
        return counts[c.ordinal()].sum();
    }

    public long drops() {
        long n = 0;
        for (FirewallCounter c : FirewallCounter.values()) {
            if (c.isDrop()) {
                n += get(c);
            }
        }
        return n;
    }

    public void reset() {
        for (LongAdder a : counts) {
            a.reset();
        }
    }
}
