package io.argate.ip.packet;

import io.netty.buffer.ByteBuf;

/**
 * The IPv4 header (RFC 791 section 3.1), read and written in place in a ByteBuf:
 *
 * <pre>
 *  0      version(4) IHL(4)     1  type of service    2-3  total length
 *  4-5    identification        6-7  flags(3) fragment offset(13)
 *  8      time to live          9  protocol           10-11 header checksum
 *  12-15  source address        16-19 destination address   [options]
 * </pre>
 */
public final class Ipv4 {
    public static final int MIN_HEADER = 20;
    /** The largest header: IHL is 4 bits of 32-bit words. */
    public static final int MAX_HEADER = 60;
    /** The largest datagram, header included: the total length field is 16 bits (RFC 791 section 3.1). */
    public static final int MAX_LENGTH = 65535;
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_ESP = 50;
    public static final int PROTO_AH = 51;
    public static final int PROTO_IPIP = 4;
    public static final int PROTO_IPCOMP = 108;
    public static final int FLAG_DF = 0x4000;
    public static final int FLAG_MF = 0x2000;

    private Ipv4() {
    }

    public static int version(ByteBuf b, int at) {
        return b.getUnsignedByte(at) >>> 4;
    }

    public static int headerLength(ByteBuf b, int at) {
        return (b.getUnsignedByte(at) & 0x0f) * 4;
    }

    public static int tos(ByteBuf b, int at) {
        return b.getUnsignedByte(at + 1);
    }

    public static int totalLength(ByteBuf b, int at) {
        return b.getUnsignedShort(at + 2);
    }

    public static int identification(ByteBuf b, int at) {
        return b.getUnsignedShort(at + 4);
    }

    /** Flags and fragment offset as one 16-bit field. */
    public static int flagsAndOffset(ByteBuf b, int at) {
        return b.getUnsignedShort(at + 6);
    }

    public static int ttl(ByteBuf b, int at) {
        return b.getUnsignedByte(at + 8);
    }

    public static int protocol(ByteBuf b, int at) {
        return b.getUnsignedByte(at + 9);
    }

    public static int source(ByteBuf b, int at) {
        return b.getInt(at + 12);
    }

    public static int destination(ByteBuf b, int at) {
        return b.getInt(at + 16);
    }

    /** Writes a 20-byte header without options and fills in its checksum. */
    public static void write(ByteBuf b, int at, int tos, int totalLength, int id, int flagsAndOffset, int ttl, int protocol,
                             int source, int destination) {
        b.setByte(at, 0x45);
        b.setByte(at + 1, tos);
        b.setShort(at + 2, totalLength);
        b.setShort(at + 4, id);
        b.setShort(at + 6, flagsAndOffset);
        b.setByte(at + 8, ttl);
        b.setByte(at + 9, protocol);
        b.setShort(at + 10, 0);
        b.setInt(at + 12, source);
        b.setInt(at + 16, destination);
        b.setShort(at + 10, checksum(b, at, MIN_HEADER));
    }

    public static void setTotalLength(ByteBuf b, int at, int length) {
        b.setShort(at + 2, length);
    }

    public static void setProtocol(ByteBuf b, int at, int protocol) {
        b.setByte(at + 9, protocol);
    }

    /** Recomputes the header checksum after fields changed. */
    public static void updateChecksum(ByteBuf b, int at) {
        int ihl = headerLength(b, at);
        b.setShort(at + 10, 0);
        b.setShort(at + 10, checksum(b, at, ihl));
    }

    /** True when the header's checksum verifies (the one's-complement sum is all ones). */
    public static boolean checksumOk(ByteBuf b, int at) {
        return checksum(b, at, headerLength(b, at)) == 0;
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes. */
    public static int checksum(ByteBuf b, int at, int length) {
        return ~Checksum.sum(b, at, length) & 0xffff;
    }
}
