package io.argate.ip.port;

import io.argate.ip.packet.Ipv4;
import io.argate.ip.packet.SegmentRun;
import io.argate.ip.packet.VirtioNetHeader;
import io.netty.buffer.ByteBuf;

/**
 * What one thread sends on one TUN port during a receive batch, held so that consecutive
 * segments of a flow leave as one super-packet ({@link SegmentRun}): one write() and one pass
 * through the host's stack for up to 64 KB instead of one per segment, the egress side of
 * Linux GRO. Held packets leave in the order they came at {@link #flush()} (the batch's end), or
 * as soon as {@link #MAX_ENTRIES} entries or {@link #MAX_BYTES} bytes are held.
 *
 * <p>Only a packet of a flow with something held is kept back for order's sake; any other
 * packet that cannot start a run (no TCP or UDP data, SYN/FIN/RST, a fragment) goes at once.
 * A packet that came with only its checksum left to complete (what a TUN device hands over from
 * its host's own sockets, 64-byte UDP datagrams included) merges as a complete one does.
 * One per thread and port: no lock, and a flow read by one receive thread stays on it.
 */
final class TunCoalescer {
    /** Most entries (runs and single packets) held at once. */
    static final int MAX_ENTRIES = 64;
    /**
     * Most bytes held at once: four full runs of 64 KB, about 190 packet buffers, so a receive
     * thread's buffer cache (PacketBuffers.CACHED, 256) still has buffers for its reads while
     * it holds them.
     */
    static final int MAX_BYTES = 256 * 1024;

    /** Writes one packet on the port (null header: an ordinary packet); releases it; true when it went out. */
    @FunctionalInterface
    interface Writer {
        boolean write(ByteBuf packet, VirtioNetHeader header);
    }

    private final SegmentRun[] entries = new SegmentRun[MAX_ENTRIES];
    private final boolean udp;
    private final PortCounters counters;
    private final Writer writer;
    private final VirtioNetHeader header = new VirtioNetHeader();
    private int held;
    private int bytes;

    /** {@code udp}: the port takes UDP super-packets (USO4) too. */
    TunCoalescer(boolean udp, PortCounters counters, Writer writer) {
        this.udp = udp;
        this.counters = counters;
        this.writer = writer;
        for (int i = 0; i < MAX_ENTRIES; i++) {
            entries[i] = new SegmentRun();
        }
    }

    /**
     * Takes {@code p} (and {@code with}, the offload header it goes out with, or null): into its
     * flow's open run, held after what its flow has held, held as a run's start, or sent at once
     * when nothing of its flow is held and it cannot start a run. Takes ownership.
     */
    boolean offer(ByteBuf p, VirtioNetHeader with) {
        if (held == MAX_ENTRIES || bytes + p.readableBytes() > MAX_BYTES) {
            flush();
        }
        SegmentRun latest = null;
        if (p.readableBytes() >= Ipv4.MIN_HEADER) {
            int at = p.readerIndex();
            int src = Ipv4.source(p, at);
            int dst = Ipv4.destination(p, at);
            int proto = Ipv4.protocol(p, at);
            int ports = SegmentRun.portsOf(p);
            for (int i = held - 1; i >= 0; i--) {
                if (entries[i].sameFlow(src, dst, proto, ports)) {
                    latest = entries[i];
                    break;
                }
            }
        }
        // a packet whose checksum is left for the host to complete merges like a complete one
        boolean partial = with != null && SegmentRun.checksumOnly(p, with);
        if (latest != null && (with == null || partial) && !latest.closed()) {
            int before = latest.bytes();
            if (latest.append(p, udp, partial) == SegmentRun.Refusal.NONE) {
                bytes += latest.bytes() - before;
                return true;
            }
        }
        SegmentRun e = entries[held];
        if ((with != null && !partial) || !e.start(p, udp, with)) {
            if (latest == null) {
                return send(p, with);
            }
            e.single(p, with);
        }
        held++;
        bytes += e.bytes();
        return true;
    }

    /** Sends everything held, in order: a run of two or more as one super-packet. */
    void flush() {
        for (int i = 0; i < held; i++) {
            SegmentRun e = entries[i];
            int segments = e.count();
            ByteBuf p = e.build(PacketBuffers.ALLOC, header);
            if (segments > 1) {
                if (writer.write(p, header)) {
                    counters.txCoalesced.increment();
                    counters.txCoalescedSegments.add(segments);
                }
            } else {
                send(p, header.pending() ? header : null);
            }
        }
        held = 0;
        bytes = 0;
    }

    /** One packet as it came (a forwarded super-packet counted as such). */
    private boolean send(ByteBuf p, VirtioNetHeader with) {
        boolean superPacket = with != null && with.superPacket();
        boolean sent = writer.write(p, with);
        if (sent && superPacket) {
            counters.txSuperPackets.increment();
        }
        return sent;
    }

    /** Packets held now (tests). */
    int held() {
        return held;
    }
}
