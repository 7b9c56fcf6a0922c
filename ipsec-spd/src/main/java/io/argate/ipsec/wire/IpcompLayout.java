package io.argate.ipsec.wire;

import io.netty.buffer.ByteBuf;

/**
 * The IPComp header of RFC 3173 section 2.2:
 *
 * <pre>
 * | Next Header   |     Flags     | Compression Parameter Index (CPI) |
 * </pre>
 *
 * Flags are reserved (zero on send, ignored on receipt). Well-known CPIs name the algorithm
 * (RFC 3173 section 3.3 / IANA): 2 = DEFLATE, 3 = LZS.
 */
public final class IpcompLayout {
    public static final int HEADER = 4;
    public static final int CPI_DEFLATE = 2;
    public static final int CPI_LZS = 3;

    private IpcompLayout() {
    }

    public static void write(ByteBuf b, int at, int nextHeader, int cpi) {
        b.setByte(at, nextHeader);
        b.setByte(at + 1, 0);
        b.setShort(at + 2, cpi);
    }

    public static int nextHeader(ByteBuf b, int at) {
        return b.getUnsignedByte(at);
    }

    public static int cpi(ByteBuf b, int at) {
        return b.getUnsignedShort(at + 2);
    }
}
