package io.argate.ip.packet;

import io.netty.buffer.ByteBuf;

/** The TCP header fields the data path touches (RFC 9293 section 3.1), by offset from the TCP header. */
public final class Tcp {
    public static final int MIN_HEADER = 20;
    public static final int SEQUENCE = 4;
    public static final int FLAGS = 13;
    public static final int CHECKSUM = 16;
    public static final int FIN = 0x01;
    public static final int PSH = 0x08;
    public static final int CWR = 0x80;

    private Tcp() {
    }

    /** The header's length in bytes (data offset times four). */
    public static int headerLength(ByteBuf b, int tcp) {
        return (b.getUnsignedByte(tcp + 12) >>> 4) * 4;
    }

    /**
     * Fills in the TCP checksum of the segment in the IPv4 packet at {@code ip} from scratch:
     * the pseudo-header (RFC 9293 section 3.1) and every byte of the segment.
     */
    public static void checksum(ByteBuf b, int ip) {
        transportChecksum(b, ip, CHECKSUM);
    }

    /**
     * The TCP or UDP checksum at {@code field} bytes into the transport header, computed over the
     * pseudo-header and the whole segment; a UDP checksum that comes out 0 is sent as 0xffff.
     */
    static void transportChecksum(ByteBuf b, int ip, int field) {
        int ihl = Ipv4.headerLength(b, ip);
        int l4 = ip + ihl;
        int len = Ipv4.totalLength(b, ip) - ihl;
        int protocol = Ipv4.protocol(b, ip);
        b.setShort(l4 + field, 0);
        long sum = pseudoHeaderSum(b, ip, len) + (~Ipv4.checksum(b, l4, len) & 0xffff);
        int v = fold(sum);
        v = ~v & 0xffff;
        b.setShort(l4 + field, v == 0 && protocol == Ipv4.PROTO_UDP ? 0xffff : v);
    }

    /** The one's-complement sum of the IPv4 pseudo-header (source, destination, protocol, length), not yet folded. */
    static long pseudoHeaderSum(ByteBuf b, int ip, int transportLength) {
        int src = Ipv4.source(b, ip);
        int dst = Ipv4.destination(b, ip);
        return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + Ipv4.protocol(b, ip) + transportLength;
    }

    static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }
}
