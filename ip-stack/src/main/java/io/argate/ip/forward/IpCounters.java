package io.argate.ip.forward;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** SHOW IP COUNTERS: packets received, forwarded, delivered, sent, and every drop by reason. */
public final class IpCounters {
    public final LongAdder received = new LongAdder();
    public final LongAdder forwarded = new LongAdder();
    public final LongAdder delivered = new LongAdder();
    public final LongAdder originated = new LongAdder();
    public final LongAdder fragmentsCreated = new LongAdder();
    public final LongAdder reassembled = new LongAdder();
    public final LongAdder icmpSent = new LongAdder();
    /** UDP super-packets for the router itself cut into their datagrams before LOCAL's handlers. */
    public final LongAdder splitForLocal = new LongAdder();
    private final Map<DropReason, LongAdder> drops = new EnumMap<>(DropReason.class);

    public IpCounters() {
        for (DropReason r : DropReason.values()) {
            drops.put(r, new LongAdder());
        }
    }

    public void drop(DropReason r) {
        drops.get(r).increment();
    }

    public long drops(DropReason r) {
        return drops.get(r).sum();
    }
}
