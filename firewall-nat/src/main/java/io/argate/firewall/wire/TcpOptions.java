package io.argate.firewall.wire;

import io.netty.buffer.ByteBuf;

/**
 * The options of a TCP header (RFC 793 section 3.1: kind 0 ends the list, kind 1 is one byte of
 * padding, every other kind has a length byte that counts kind and length) and the one NAT has to
 * look into: SACK (RFC 2018 section 3, kind 5), whose blocks are sequence numbers of the other
 * direction's stream.
 */
public final class TcpOptions {
    public static final int END = 0;
    public static final int NOP = 1;
    public static final int SACK = 5;
    /** A SACK option: kind, length, then 1 to 4 blocks of two 32-bit edges (RFC 2018 section 3). */
    public static final int SACK_BLOCK = 8;

    private TcpOptions() {
    }

    /**
     * Where the SACK option of the header at {@code at} starts, or -1 when it has none or its
     * option list is malformed (a length that is under 2 or runs past the header, a SACK length
     * that is not 2 plus whole blocks): nothing in a malformed list is touched.
     */
    public static int sack(ByteBuf b, int at) {
        int end = at + TcpHeader.dataOffset(b, at);
        int i = at + TcpHeader.MIN_LENGTH;
        while (i < end) {
            int kind = b.getUnsignedByte(i);
            if (kind == END) {
                return -1;
            }
            if (kind == NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return -1;
            }
            int length = b.getUnsignedByte(i + 1);
            if (length < 2 || i + length > end) {
                return -1;
            }
            if (kind == SACK) {
                return length > 2 && (length - 2) % SACK_BLOCK == 0 ? i : -1;
            }
            i += length;
        }
        return -1;
    }

    /** The number of edges (two per block) of the SACK option at {@code option}. */
    public static int sackEdges(ByteBuf b, int option) {
        return (b.getUnsignedByte(option + 1) - 2) / 4;
    }
}
