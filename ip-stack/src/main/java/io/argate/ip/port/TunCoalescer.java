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
 * <p>The router's own ESP in UDP (RFC 3948) comes with its UDP checksum left for the host to
 * fill in ({@link SegmentRun#checksumLeft}) so that equal datagrams to one peer, one per TCP
 * segment of a TSO run protected, leave as one UDP super-packet (GSO_UDP_L4) where the port
 * has USO4: the host cuts it and fills in each checksum.
 *
 * <p>Only a packet of a flow with something held is kept back for order's sake; any other
 * packet that cannot start a run (no TCP or UDP data, SYN/FIN/RST, a fragment) goes at once.
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
        // a datagram whose checksum is left to the host (the router's ESP in UDP) may run with its like
        VirtioNetHeader left = with != null && udp && SegmentRun.checksumLeft(p, with) ? with : null;
        if (latest != null && (with == null || left != null) && !latest.closed()) {
            int before = latest.bytes();
            if (latest.append(p, udp, left) == SegmentRun.Refusal.NONE) {
                bytes += latest.bytes() - before;
                return true;
            }
        }
        SegmentRun e = entries[held];
        if (with != null && left == null) {
            if (latest == null) {
                return send(p, with);
            }
            e.single(p, with);
        } else if (!e.start(p, udp, left)) {
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
