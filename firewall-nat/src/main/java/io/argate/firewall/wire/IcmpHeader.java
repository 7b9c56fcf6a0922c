package io.argate.firewall.wire;

import io.netty.buffer.ByteBuf;

/**
 * The ICMP header fields the firewall needs (RFC 792), in place at {@code at}:
 *
 * <pre>
 *  0 type  1 code  2-3 checksum
 *  queries (echo, timestamp, information, address mask): 4-5 identifier  6-7 sequence
 *  errors (unreachable, source quench, redirect, time exceeded, parameter problem):
 *        4-7 unused/pointer/MTU, 8- the offending packet's IP header and its first 8 bytes
 * </pre>
 */
public final class IcmpHeader {
    public static final int LENGTH = 8;
    public static final int CHECKSUM = 2;
    public static final int ECHO_REPLY = 0;
    public static final int UNREACHABLE = 3;
    public static final int SOURCE_QUENCH = 4;
    public static final int REDIRECT = 5;
    public static final int ECHO_REQUEST = 8;
    public static final int TIME_EXCEEDED = 11;
    public static final int PARAMETER_PROBLEM = 12;
    public static final int TIMESTAMP = 13;
    public static final int TIMESTAMP_REPLY = 14;
    public static final int INFO_REQUEST = 15;
    public static final int INFO_REPLY = 16;
    public static final int MASK_REQUEST = 17;
    public static final int MASK_REPLY = 18;

    private IcmpHeader() {
    }

    public static int type(ByteBuf b, int at) {
        return b.getUnsignedByte(at);
    }

    public static int code(ByteBuf b, int at) {
        return b.getUnsignedByte(at + 1);
    }

    public static int checksum(ByteBuf b, int at) {
        return b.getUnsignedShort(at + CHECKSUM);
    }

    public static int identifier(ByteBuf b, int at) {
        return b.getUnsignedShort(at + 4);
    }

    public static int sequence(ByteBuf b, int at) {
        return b.getUnsignedShort(at + 6);
    }

    /** True for the error messages that quote the packet they are about. */
    public static boolean isError(int type) {
        return type == UNREACHABLE || type == SOURCE_QUENCH || type == REDIRECT || type == TIME_EXCEEDED
                || type == PARAMETER_PROBLEM;
    }

    /** True for queries and their replies, which carry an identifier (RFC 792). */
    public static boolean isQuery(int type) {
        return type == ECHO_REQUEST || type == ECHO_REPLY || type == TIMESTAMP || type == TIMESTAMP_REPLY
                || type == INFO_REQUEST || type == INFO_REPLY || type == MASK_REQUEST || type == MASK_REPLY;
    }

    /** True for the request half of a query pair (the type that starts a session). */
    public static boolean isRequest(int type) {
        return type == ECHO_REQUEST || type == TIMESTAMP || type == INFO_REQUEST || type == MASK_REQUEST;
    }

    /** Writes a query header (echo and the like); the checksum is left 0. */
    public static void writeQuery(ByteBuf b, int at, int type, int id, int seq) {
        b.setByte(at, type);
        b.setByte(at + 1, 0);
        b.setShort(at + CHECKSUM, 0);
        b.setShort(at + 4, id);
        b.setShort(at + 6, seq);
    }

    /** Writes an error header (type, code, the 32-bit field after the checksum); checksum left 0. */
    public static void writeError(ByteBuf b, int at, int type, int code, int rest) {
        b.setByte(at, type);
        b.setByte(at + 1, code);
        b.setShort(at + CHECKSUM, 0);
        b.setInt(at + 4, rest);
    }
}
