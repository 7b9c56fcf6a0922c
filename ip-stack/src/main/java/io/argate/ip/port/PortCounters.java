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
    /** TCP super-packets the host handed this port (TSO), each counted once in rxPackets too. */
    public final LongAdder rxSuperPackets = new LongAdder();
    /** Super-packets this port handed the host whole, for it to segment. */
    public final LongAdder txSuperPackets = new LongAdder();
    /** Super-packets argate built from consecutive segments of a flow to leave on this port (egress GRO). */
    public final LongAdder txCoalesced = new LongAdder();
    /** Segments (or datagrams) that went into those super-packets. */
    public final LongAdder txCoalescedSegments = new LongAdder();
    /** Super-packets cut into segments in software to leave on this port (it cannot take them, or IPsec protects them). */
    public final LongAdder txSegmented = new LongAdder();
    /** Packets whose partial checksum argate completed in software to leave on this port. */
    public final LongAdder txChecksummed = new LongAdder();
    /** Wake-ups of the receive thread that found packets, so rxPackets / rxWakeups is the batch a poll brings. */
    public final LongAdder rxWakeups = new LongAdder();

    /** Write system calls that carried this port's packets (one per packet, or one per batch through io_uring). */
    public final LongAdder txCalls = new LongAdder();

    public void received(int bytes) {
        rxPackets.increment();
        rxBytes.add(bytes);
    }

    public void sent(int bytes) {
        txPackets.increment();
        txBytes.add(bytes);
    }

    /** A packet counted as sent that the host then refused: counted as a send error instead. */
    public void unsent(int bytes) {
        txPackets.decrement();
        txBytes.add(-bytes);
        txErrors.increment();
    }
}
