package io.argate.ipsec.wire;

import io.netty.buffer.ByteBuf;

/**
 * The AH header of RFC 4302 section 2 and the IPv4 mutable-field rule of section 3.3.3.1:
 *
 * <pre>
 * | Next Header   |  Payload Len  |          RESERVED             |
 * |                 Security Parameters Index (SPI)               |
 * |                    Sequence Number Field                      |
 * |                Integrity Check Value-ICV (variable)           |
 * </pre>
 *
 * Payload Len is the AH length in 32-bit words minus 2. For IPv4 the ICV must be a multiple
 * of 32 bits (HMAC-SHA1-96 and HMAC-MD5-96 give 12 bytes, so no padding is needed).
 */
public final class AhLayout {
    public static final int FIXED = 12;

    private AhLayout() {
    }

    /** Total AH length for an ICV of {@code icvLength} bytes, padded to 4 bytes for IPv4. */
    public static int length(int icvLength) {
        return FIXED + ((icvLength + 3) & ~3);
    }

    public static void write(ByteBuf b, int at, int nextHeader, int spi, long sequence, int icvLength) {
        int len = length(icvLength);
        b.setByte(at, nextHeader);
        b.setByte(at + 1, len / 4 - 2);
        b.setShort(at + 2, 0);
        b.setInt(at + 4, spi);
        b.setInt(at + 8, (int) sequence);
        b.setZero(at + FIXED, len - FIXED);
    }

    public static int nextHeader(ByteBuf b, int at) {
        return b.getUnsignedByte(at);
    }

    /** AH length in bytes from its Payload Len field. */
    public static int lengthField(ByteBuf b, int at) {
        return (b.getUnsignedByte(at + 1) + 2) * 4;
    }

    public static int spi(ByteBuf b, int at) {
        return b.getInt(at + 4);
    }

    public static long sequence(ByteBuf b, int at) {
        return b.getUnsignedInt(at + 8);
    }

    /**
     * Zeroes the IPv4 header fields that may change in transit, as the ICV is computed over
     * them as zero (RFC 4302 section 3.3.3.1.1.1): type of service, flags and fragment offset,
     * time to live, header checksum. Options are left alone: argate sends none and a received
     * header with options is refused by the caller before this is used (options would need the
     * per-option mutability table of Appendix A).
     */
    public static void zeroMutableIpv4(ByteBuf b, int ipOffset) {
        b.setByte(ipOffset + 1, 0);
        b.setShort(ipOffset + 6, 0);
        b.setByte(ipOffset + 8, 0);
        b.setShort(ipOffset + 10, 0);
    }
}
