package io.argate.ip.packet;

import io.netty.buffer.ByteBuf;

/**
 * ICMP messages (RFC 792) at an offset in a packet: the fields the router reads and writes, in
 * one place.
 *
 * <pre>
 * +--------+--------+--------+--------+
 * |  type  |  code  |    checksum     |
 * +--------+--------+--------+--------+
 * | identifier (echo) | sequence (echo) |   or: unused | next-hop MTU (RFC 1191)
 * +--------+--------+--------+--------+
 * | echo data / the quoted IP header and 8 bytes of its data (errors)
 * </pre>
 */
public final class Icmp {
    public static final int HEADER = 8;
    public static final int ECHO_REPLY = 0;
    public static final int UNREACHABLE = 3;
    public static final int ECHO = 8;
    public static final int TIME_EXCEEDED = 11;
    public static final int PARAMETER_PROBLEM = 12;
    public static final int CODE_NET = 0;
    public static final int CODE_PROTOCOL = 2;
    public static final int CODE_PORT = 3;
    public static final int CODE_FRAG_NEEDED = 4;

    private Icmp() {
    }

    public static int type(ByteBuf b, int icmp) {
        return b.getUnsignedByte(icmp);
    }

    public static int code(ByteBuf b, int icmp) {
        return b.getUnsignedByte(icmp + 1);
    }

    public static int identifier(ByteBuf b, int icmp) {
        return b.getUnsignedShort(icmp + 4);
    }

    public static int sequence(ByteBuf b, int icmp) {
        return b.getUnsignedShort(icmp + 6);
    }

    /** The next-hop MTU of a fragmentation-needed message (RFC 1191 section 4). */
    public static int nextHopMtu(ByteBuf b, int icmp) {
        return b.getUnsignedShort(icmp + 6);
    }

    /** True for the error messages, which quote the packet they are about. */
    public static boolean isError(int type) {
        return type == UNREACHABLE || type == TIME_EXCEEDED || type == PARAMETER_PROBLEM || type == 4 || type == 5;
    }

    /** Writes an echo request or reply header and its checksum over {@code length} bytes from {@code icmp}. */
    public static void writeEcho(ByteBuf b, int icmp, int type, int identifier, int sequence, int length) {
        b.setByte(icmp, type);
        b.setByte(icmp + 1, 0);
        b.setShort(icmp + 2, 0);
        b.setShort(icmp + 4, identifier);
        b.setShort(icmp + 6, sequence);
        b.setShort(icmp + 2, Ipv4.checksum(b, icmp, length));
    }

    /** Writes an error header (with the next-hop MTU for fragmentation needed) and its checksum. */
    public static void writeError(ByteBuf b, int icmp, int type, int code, int mtu, int length) {
        b.setByte(icmp, type);
        b.setByte(icmp + 1, code);
        b.setShort(icmp + 2, 0);
        b.setInt(icmp + 4, type == UNREACHABLE && code == CODE_FRAG_NEEDED ? mtu & 0xffff : 0);
        b.setShort(icmp + 2, Ipv4.checksum(b, icmp, length));
    }

    /** Rewrites an echo request at {@code icmp} into its reply in place (RFC 792: type 0, same data). */
    public static void echoToReply(ByteBuf b, int icmp, int length) {
        b.setByte(icmp, ECHO_REPLY);
        b.setShort(icmp + 2, 0);
        b.setShort(icmp + 2, Ipv4.checksum(b, icmp, length));
    }
}
