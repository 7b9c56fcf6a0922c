package io.argate.firewall.wire;

import io.netty.buffer.ByteBuf;

/**
 * The fields of the TCP header (RFC 793 section 3.1) the firewall reads and NAT rewrites, in
 * place at {@code at} (the first byte after the IP header):
 *
 * <pre>
 *  0-1 source port      2-3 destination port
 *  4-7 sequence number  8-11 acknowledgment number
 *  12  data offset(4)   13 flags (CWR ECE URG ACK PSH RST SYN FIN)   14-15 window
 *  16-17 checksum       18-19 urgent pointer
 * </pre>
 */
public final class TcpHeader {
    public static final int MIN_LENGTH = 20;
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int CHECKSUM = 16;

    private TcpHeader() {
    }

    public static int sourcePort(ByteBuf b, int at) {
        return b.getUnsignedShort(at);
    }

    public static int destinationPort(ByteBuf b, int at) {
        return b.getUnsignedShort(at + 2);
    }

    public static int sequence(ByteBuf b, int at) {
        return b.getInt(at + 4);
    }

    public static int acknowledgment(ByteBuf b, int at) {
        return b.getInt(at + 8);
    }

    public static int dataOffset(ByteBuf b, int at) {
        return (b.getUnsignedByte(at + 12) >>> 4) * 4;
    }

    public static int flags(ByteBuf b, int at) {
        return b.getUnsignedByte(at + 13);
    }

    public static int window(ByteBuf b, int at) {
        return b.getUnsignedShort(at + 14);
    }

    public static int checksum(ByteBuf b, int at) {
        return b.getUnsignedShort(at + CHECKSUM);
    }

    /** Writes a 20-byte header without options; the checksum is left 0 for the caller. */
    public static void write(ByteBuf b, int at, int sport, int dport, int seq, int ack, int flags, int window) {
        b.setShort(at, sport);
        b.setShort(at + 2, dport);
        b.setInt(at + 4, seq);
        b.setInt(at + 8, ack);
        b.setByte(at + 12, 5 << 4);
        b.setByte(at + 13, flags);
        b.setShort(at + 14, window);
        b.setShort(at + CHECKSUM, 0);
        b.setShort(at + 18, 0);
    }
}
