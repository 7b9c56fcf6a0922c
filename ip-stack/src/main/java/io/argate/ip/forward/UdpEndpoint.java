package io.argate.ip.forward;

import io.argate.ip.packet.Ipv4;
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
        forwarder.onUdpPort(port, (in, p) -> {
            int at = p.readerIndex();
            int ihl = Ipv4.headerLength(p, at);
            int len = p.getUnsignedShort(at + ihl + 4);
            if (len < 8 || at + ihl + len > p.writerIndex()) {
                forwarder.counters().drop(DropReason.TRUNCATED);
                p.release();
                return;
            }
            int src = Ipv4.source(p, at);
            int dst = Ipv4.destination(p, at);
            int sport = p.getUnsignedShort(at + ihl);
            p.readerIndex(at + ihl + 8);
            p.writerIndex(at + ihl + len);
            handler.datagram(src, sport, dst, port, p);
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
        b.setShort(20, port);
        b.setShort(22, destinationPort);
        b.setShort(24, 8 + payload.length);
        b.setShort(26, 0);
        b.setBytes(28, payload);
        // the checksum needs the final source address, which originate() picks when it is 0
        return forwarder.originate(b, UdpEndpoint::checksum);
    }

    /** RFC 768 checksum over the pseudo-header and the datagram; 0 is sent as 0xffff. */
    static void checksum(ByteBuf b) {
        int at = b.readerIndex();
        int ihl = Ipv4.headerLength(b, at);
        int udpLen = Ipv4.totalLength(b, at) - ihl;
        long sum = (Ipv4.source(b, at) >>> 16) + (Ipv4.source(b, at) & 0xffff) + (Ipv4.destination(b, at) >>> 16)
                + (Ipv4.destination(b, at) & 0xffff) + Ipv4.PROTO_UDP + udpLen;
        b.setShort(at + ihl + 6, 0);
        int c = Ipv4.checksum(b, at + ihl, udpLen);
        sum += ~c & 0xffff;
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        int v = (int) (~sum & 0xffff);
        b.setShort(at + ihl + 6, v == 0 ? 0xffff : v);
    }
}
