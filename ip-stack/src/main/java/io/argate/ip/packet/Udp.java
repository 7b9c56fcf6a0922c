package io.argate.ip.packet;

import io.netty.buffer.ByteBuf;

/**
 * The UDP header (RFC 768) at an offset in a packet: read, written and checked in one place.
 *
 * <pre>
 *  0      7 8     15 16    23 24    31
 * +--------+--------+--------+--------+
 * |   source port   |  dest. port     |
 * +--------+--------+--------+--------+
 * |     length      |    checksum     |
 * +--------+--------+--------+--------+
 * </pre>
 */
public final class Udp {
    public static final int HEADER = 8;

    private Udp() {
    }

    public static int sourcePort(ByteBuf b, int udp) {
        return b.getUnsignedShort(udp);
    }

    public static int destinationPort(ByteBuf b, int udp) {
        return b.getUnsignedShort(udp + 2);
    }

    public static int length(ByteBuf b, int udp) {
        return b.getUnsignedShort(udp + 4);
    }

    /**
     * The UDP length when the datagram at {@code udp} is sound within {@code end}: at least a
     * header, and no longer than what the IP packet carries; -1 otherwise.
     */
    public static int checkedLength(ByteBuf b, int udp, int end) {
        if (end - udp < HEADER) {
            return -1;
        }
        int len = length(b, udp);
        return len < HEADER || udp + len > end ? -1 : len;
    }

    /** Writes a header with checksum 0 ("none", allowed over IPv4: RFC 768; RFC 3948 section 2.1 for ESP in UDP). */
    public static void write(ByteBuf b, int udp, int sourcePort, int destinationPort, int length) {
        b.setShort(udp, sourcePort);
        b.setShort(udp + 2, destinationPort);
        b.setShort(udp + 4, length);
        b.setShort(udp + 6, 0);
    }

    /**
     * Fills in the RFC 768 checksum of the datagram in the IPv4 packet at {@code ip}, over the
     * pseudo-header; a computed 0 is sent as 0xffff.
     */
    public static void checksum(ByteBuf b, int ip) {
        int ihl = Ipv4.headerLength(b, ip);
        int udp = ip + ihl;
        int udpLen = Ipv4.totalLength(b, ip) - ihl;
        int src = Ipv4.source(b, ip);
        int dst = Ipv4.destination(b, ip);
        long sum = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + Ipv4.PROTO_UDP + udpLen;
        b.setShort(udp + 6, 0);
        sum += ~Ipv4.checksum(b, udp, udpLen) & 0xffff;
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        int v = (int) (~sum & 0xffff);
        b.setShort(udp + 6, v == 0 ? 0xffff : v);
    }
}
