package io.argate.ip.port;

import java.util.concurrent.atomic.LongAdder;

/** SHOW PORT counters per direction; LongAdders, so the receive and send threads never contend. */
public final class PortCounters {
    public final LongAdder rxPackets = new LongAdder();
    public final LongAdder rxBytes = new LongAdder();
    public final LongAdder rxErrors = new LongAdder();
    public final LongAdder rxDrops = new LongAdder();
    public final LongAdder txPackets = new LongAdder();
    public final LongAdder txBytes = new LongAdder();
    public final LongAdder txErrors = new LongAdder();
    public final LongAdder txDrops = new LongAdder();

    public void received(int bytes) {
        rxPackets.increment();
        rxBytes.add(bytes);
    }

    public void sent(int bytes) {
        txPackets.increment();
        txBytes.add(bytes);
    }
}
