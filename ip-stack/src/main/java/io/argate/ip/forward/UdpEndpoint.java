package io.argate.ip.forward;

import io.argate.ip.packet.Ipv4;
import io.argate.ip.packet.Udp;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One of the router's own UDP ports (ISAKMP 500, NAT-T 4500, ESP-over-UDP 2746): receives the
 * datagrams addressed to the router on that port and sends with the source address chosen by
 * the egress interface (the unnumbered rule) unless one is given. UDP checksums per RFC 768
 * over the pseudo-header.
 */
public final class UdpEndpoint {
    /** A received datagram: addresses, ports and the payload (owned by the handler). */
    @FunctionalInterface
    public interface Handler {
        void datagram(int source, int sourcePort, int destination, int destinationPort, ByteBuf payload);
    }

    private final Forwarder forwarder;
    private final ByteBufAllocator alloc;
    private final int port;

    private UdpEndpoint(Forwarder forwarder, ByteBufAllocator alloc, int port) {
        this.forwarder = forwarder;
        this.alloc = alloc;
        this.port = port;
    }

    /** Binds {@code port} on all the router's addresses. */
    public static UdpEndpoint bind(Forwarder forwarder, ByteBufAllocator alloc, int port, Handler handler) {
        forwarder.onUdpPort(port, (c, p) -> {
            int at = p.readerIndex();
            int udp = at + Ipv4.headerLength(p, at);
            int len = Udp.checkedLength(p, udp, p.writerIndex());
            if (len < 0) {
                forwarder.counters().drop(DropReason.TRUNCATED);
                p.release();
                return null;
            }
            int src = Ipv4.source(p, at);
            int dst = Ipv4.destination(p, at);
            int sport = Udp.sourcePort(p, udp);
            p.readerIndex(udp + Udp.HEADER);
            p.writerIndex(udp + len);
            handler.datagram(src, sport, dst, port, p);
            return null;
        });
        return new UdpEndpoint(forwarder, alloc, port);
    }

    public int port() {
        return port;
    }

    /** Sends {@code payload} (not released) to {@code destination:destinationPort}; source 0 = chosen by route. */
    public boolean send(int source, int destination, int destinationPort, byte[] payload) {
        int len = 28 + payload.length;
        ByteBuf b = alloc.buffer(len).writerIndex(len);
        Ipv4.write(b, 0, 0, len, 0, 0, 64, Ipv4.PROTO_UDP, source, destination);
        Udp.write(b, 20, port, destinationPort, 8 + payload.length);
        b.setBytes(28, payload);
        // the checksum needs the final source address, which originate() picks when it is 0
        return forwarder.originate(b, x -> Udp.checksum(x, x.readerIndex()));
    }
}
