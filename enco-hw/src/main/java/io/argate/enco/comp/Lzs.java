package io.argate.enco.comp;

/**
 * LZS (Stac) compression per ANSI X3.241-1994 as RFC 1974 section 2 and RFC 2395 (IPComp LZS)
 * describe it: a 2048-byte history; tokens written most significant bit first:
 *
 * <pre>
 * literal        0 bbbbbbbb
 * string         1 1 ooooooo            offset 1..127, then length
 *                1 0 ooooooooooo        offset 1..2047, then length
 * end marker     1 1 0000000            then zero bits to a byte boundary
 * length  2: 00   3: 01   4: 10   5: 1100   6: 1101   7: 1110
 *         8..22: 1111 nnnn (nnnn = length - 8, 0..14)
 *         23 and up: 1111 repeated once per 15, then the remainder nibble (never 1111)
 * </pre>
 *
 * IPComp compresses each datagram on its own (RFC 2395 section 2: the history is reset per
 * datagram), which is what one call does here.
 */
public final class Lzs {
    public static final int HISTORY = 2048;
    private static final int MIN_MATCH = 2;
    private static final int MAX_CHAIN = 32;
    private static final int HASH_BITS = 12;

    private final int[] head = new int[1 << HASH_BITS];
    private final int[] prev = new int[65536];

    /** Thrown for a stream that is not valid LZS or would exceed the output limit. */
    public static final class Malformed extends Exception {
        public Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Compresses {@code len} bytes into {@code out}; returns the compressed length, or -1 when
     * it would not fit in {@code outMax} bytes (the caller then sends the datagram uncompressed).
     */
    public int compress(byte[] in, int off, int len, byte[] out, int outOff, int outMax) {
        if (len > prev.length) {
            return -1;
        }
        BitWriter w = new BitWriter(out, outOff, outMax);
        java.util.Arrays.fill(head, -1);
        int i = 0;
        while (i < len && !w.full()) {
            int bestLen = 0;
            int bestOff = 0;
            if (i + MIN_MATCH <= len) {
                int h = hash(in, off + i);
                int cand = head[h];
                int chain = 0;
                while (cand >= 0 && i - cand < HISTORY && chain++ < MAX_CHAIN) {
                    int l = 0;
                    int max = len - i;
                    while (l < max && in[off + cand + l] == in[off + i + l]) {
                        l++;
                    }
                    if (l > bestLen) {
                        bestLen = l;
                        bestOff = i - cand;
                    }
                    cand = prev[cand];
                }
            }
            if (bestLen >= MIN_MATCH) {
                w.bit(1);
                if (bestOff < 128) {
                    w.bit(1);
                    w.bits(bestOff, 7);
                } else {
                    w.bit(0);
                    w.bits(bestOff, 11);
                }
                writeLength(w, bestLen);
                for (int k = 0; k < bestLen; k++) {
                    insert(in, off, i + k, len);
                }
                i += bestLen;
            } else {
                w.bit(0);
                w.bits(in[off + i] & 0xff, 8);
                insert(in, off, i, len);
                i++;
            }
        }
        // end marker, then pad to a byte boundary
        w.bits(0b110000000, 9);
        w.align();
        return w.full() ? -1 : w.length();
    }

    private void insert(byte[] in, int off, int i, int len) {
        if (i + MIN_MATCH <= len) {
            int h = hash(in, off + i);
            prev[i] = head[h];
            head[h] = i;
        }
    }

    private static int hash(byte[] b, int p) {
        return ((b[p] & 0xff) << 4 ^ (b[p + 1] & 0xff)) & ((1 << HASH_BITS) - 1);
    }

    private static void writeLength(BitWriter w, int length) {
        switch (length) {
            case 2 -> w.bits(0b00, 2);
            case 3 -> w.bits(0b01, 2);
            case 4 -> w.bits(0b10, 2);
            case 5 -> w.bits(0b1100, 4);
            case 6 -> w.bits(0b1101, 4);
            case 7 -> w.bits(0b1110, 4);
            default -> {
                int rest = length - 8;
                w.bits(0b1111, 4);
                while (rest >= 15) {
                    w.bits(0b1111, 4);
                    rest -= 15;
                }
                w.bits(rest, 4);
            }
        }
    }

    /**
     * Decompresses {@code len} bytes; returns the output length. A truncated stream, an offset
     * before the start of the output, a missing end marker or more than {@code outMax} bytes of
     * output is {@link Malformed}.
     */
    public static int decompress(byte[] in, int off, int len, byte[] out, int outOff, int outMax) throws Malformed {
        outMax = Math.min(outMax, out.length - outOff);
        BitReader r = new BitReader(in, off, len);
        int o = 0;
        while (true) {
            if (r.bit() == 0) {
                if (o >= outMax) {
                    throw new Malformed("output longer than " + outMax + " bytes");
                }
                out[outOff + o++] = (byte) r.bits(8);
                continue;
            }
            int offset;
            if (r.bit() == 1) {
                offset = r.bits(7);
                if (offset == 0) {
                    return o;
                }
            } else {
                offset = r.bits(11);
                if (offset == 0) {
                    throw new Malformed("offset 0 in a long string token");
                }
            }
            int length = readLength(r);
            if (offset > o) {
                throw new Malformed("string offset " + offset + " reaches before the start of the data (" + o + " bytes out)");
            }
            if (o + length > outMax) {
                throw new Malformed("output longer than " + outMax + " bytes");
            }
            for (int k = 0; k < length; k++, o++) {
                out[outOff + o] = out[outOff + o - offset];
            }
        }
    }

    private static int readLength(BitReader r) throws Malformed {
        int two = r.bits(2);
        if (two < 3) {
            return two + 2;
        }
        int next = r.bits(2);
        if (next < 3) {
            return 5 + next;
        }
        int length = 8;
        while (true) {
            int nib = r.bits(4);
            length += nib;
            if (nib != 15) {
                return length;
            }
            if (length > 65535) {
                throw new Malformed("string length runs past 65535");
            }
        }
    }

    private static final class BitWriter {
        private final byte[] out;
        private final int start;
        private final int max;
        private int pos;
        private int acc;
        private int n;
        private boolean full;

        BitWriter(byte[] out, int start, int max) {
            this.out = out;
            this.start = start;
            this.max = max;
        }

        void bit(int b) {
            bits(b, 1);
        }

        void bits(int v, int count) {
            for (int i = count - 1; i >= 0; i--) {
                acc = acc << 1 | (v >>> i & 1);
                if (++n == 8) {
                    flush();
                }
            }
        }

        private void flush() {
            if (pos >= max) {
                full = true;
            } else {
                out[start + pos++] = (byte) acc;
            }
            acc = 0;
            n = 0;
        }

        void align() {
            if (n > 0) {
                acc <<= 8 - n;
                flush();
            }
        }

        boolean full() {
            return full;
        }

        int length() {
            return pos;
        }
    }

    private static final class BitReader {
        private final byte[] in;
        private final int end;
        private int pos;
        private int bit;

        BitReader(byte[] in, int off, int len) {
            this.in = in;
            this.pos = off;
            this.end = off + len;
        }

        int bit() throws Malformed {
            if (pos >= end) {
                throw new Malformed("stream ends without an end marker");
            }
            int b = in[pos] >>> (7 - bit) & 1;
            if (++bit == 8) {
                bit = 0;
                pos++;
            }
            return b;
        }

        int bits(int count) throws Malformed {
            int v = 0;
            for (int i = 0; i < count; i++) {
                v = v << 1 | bit();
            }
            return v;
        }
    }
}
