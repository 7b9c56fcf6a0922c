package io.argate.ipsec.wire;

import io.netty.buffer.ByteBuf;

/**
 * The ESP packet layout of RFC 4303 section 2:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               Security Parameters Index (SPI)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Sequence Number                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    IV (per algorithm)  ...                    |
 * |                    Payload Data (variable)                    |
 * |               |     Padding (0-255 bytes)                     |
 * |                               |  Pad Length   | Next Header   |
 * |         Integrity Check Value (variable)                      |
 * </pre>
 *
 * Padding makes the encrypted part (payload, padding, pad length, next header) a multiple of
 * the cipher's block size and, whatever the block size, ends it on a 4-byte boundary
 * (section 2.4). The default padding bytes are 1, 2, 3, ... and the receiver checks them
 * (section 2.4: "the receiver SHOULD inspect the Padding field").
 */
public final class EspLayout {
    public static final int HEADER = 8;
    public static final int TRAILER = 2;

    private EspLayout() {
    }

    public static int spi(ByteBuf b, int espOffset) {
        return b.getInt(espOffset);
    }

    /** Low 32 bits of the sequence number as sent on the wire. */
    public static long sequence(ByteBuf b, int espOffset) {
        return b.getUnsignedInt(espOffset + 4);
    }

    public static void writeHeader(ByteBuf b, int espOffset, int spi, long sequence) {
        b.setInt(espOffset, spi);
        b.setInt(espOffset + 4, (int) sequence);
    }

    /**
     * Padding bytes needed for {@code payloadLength} so that payload, padding and the two
     * trailer bytes fill whole blocks of {@code blockSize} (at least 4).
     */
    public static int padLength(int payloadLength, int blockSize) {
        int align = Math.max(4, blockSize);
        int rem = (payloadLength + TRAILER) % align;
        return rem == 0 ? 0 : align - rem;
    }

    /** Writes padding 1..n, the pad length and next header at {@code at}; returns bytes written. */
    public static int writeTrailer(ByteBuf b, int at, int padLength, int nextHeader) {
        for (int i = 0; i < padLength; i++) {
            b.setByte(at + i, i + 1);
        }
        b.setByte(at + padLength, padLength);
        b.setByte(at + padLength + 1, nextHeader);
        return padLength + TRAILER;
    }

    /**
     * Checks the decrypted trailer ending at {@code end} (exclusive) of a plaintext that starts
     * at {@code start}; returns the pad length, or -1 when it is longer than the plaintext or the
     * padding bytes are not 1, 2, 3, ...
     */
    public static int checkTrailer(ByteBuf b, int start, int end) {
        if (end - start < TRAILER) {
            return -1;
        }
        int pad = b.getUnsignedByte(end - 2);
        if (pad > end - start - TRAILER) {
            return -1;
        }
        int padStart = end - TRAILER - pad;
        for (int i = 0; i < pad; i++) {
            if (b.getUnsignedByte(padStart + i) != i + 1) {
                return -1;
            }
        }
        return pad;
    }

    public static int nextHeader(ByteBuf b, int end) {
        return b.getUnsignedByte(end - 1);
    }
}
