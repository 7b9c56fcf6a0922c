package io.argate.firewall.wire;

import io.netty.buffer.ByteBuf;

/**
 * The UDP header (RFC 768), in place at {@code at}: source port, destination port, length,
 * checksum. A zero checksum means "none" and stays zero through NAT (RFC 768; RFC 3022 section 4.1).
 */
public final class UdpHeader {
    public static final int LENGTH = 8;
    public static final int CHECKSUM = 6;

    private UdpHeader() {
    }

    public static int sourcePort(ByteBuf b, int at) {
        return b.getUnsignedShort(at);
    }

    public static int destinationPort(ByteBuf b, int at) {
        return b.getUnsignedShort(at + 2);
    }

    public static int length(ByteBuf b, int at) {
        return b.getUnsignedShort(at + 4);
    }

    public static int checksum(ByteBuf b, int at) {
        return b.getUnsignedShort(at + CHECKSUM);
    }

    /** Writes the header; the checksum is left 0 ("none") for the caller to fill in. */
    public static void write(ByteBuf b, int at, int sport, int dport, int length) {
        b.setShort(at, sport);
        b.setShort(at + 2, dport);
        b.setShort(at + 4, length);
        b.setShort(at + CHECKSUM, 0);
    }
}
