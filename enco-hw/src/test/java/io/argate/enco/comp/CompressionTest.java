package io.argate.enco.comp;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompressionTest {
    static final HexFormat HEX = HexFormat.of();

    /**
     * "ABABABAB", derived by hand from the X3.241 token rules: literal A (0 01000001), literal B
     * (0 01000010), string offset 2 length 6 (1 1 0000010 1101), end marker (1 1 0000000):
     * 40 bits, no padding needed.
     */
    @Test
    void lzsKnownVector() throws Exception {
        byte[] out = new byte[16];
        int n = new Lzs().compress("ABABABAB".getBytes(StandardCharsets.US_ASCII), 0, 8, out, 0, 16);
        assertEquals("2090b05b80", HEX.formatHex(out, 0, n));
        byte[] back = new byte[16];
        assertEquals(8, Lzs.decompress(out, 0, n, back, 0, 16));
        assertEquals("ABABABAB", new String(back, 0, 8, StandardCharsets.US_ASCII));
    }

    /** A long run: literal a, then offset 1 with length 99 = 1111 + six 1111 nibbles + 0001. */
    @Test
    void lzsLongLengthEncoding() throws Exception {
        byte[] in = new byte[100];
        Arrays.fill(in, (byte) 'a');
        byte[] out = new byte[64];
        int n = new Lzs().compress(in, 0, 100, out, 0, 64);
        // 0 01100001 | 1 1 0000001 | 1111 (1111 x6) 0001 | 110000000 -> 9+9+32+9 = 59 bits, 8 bytes
        assertEquals(8, n);
        byte[] back = new byte[100];
        assertEquals(100, Lzs.decompress(out, 0, n, back, 0, 100));
        assertArrayEquals(in, back);
    }

    @Test
    void deflateMatchesAnIndependentImplementation() throws Exception {
        // produced by python3 zlib (compressobj level 6, wbits=-15) on this machine
        byte[] hello = "hello hello hello hello hello".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[64];
        Deflate d = new Deflate();
        int n = d.compress(hello, 0, hello.length, out, 0, 64);
        assertEquals("cb48cdc9c957c8c04e0200", HEX.formatHex(out, 0, n));
        byte[] back = new byte[100];
        assertEquals(100, d.decompress(HEX.parseHex("6360a03d0000"), 0, 6, back, 0, 100));
        assertArrayEquals(new byte[100], Arrays.copyOf(back, 100));
    }

    @Test
    void roundTripsOnRandomZeroTextAndRealData() throws Exception {
        Random r = new Random(1);
        Lzs lzs = new Lzs();
        Deflate deflate = new Deflate();
        byte[] real = realData();
        for (int size : new int[]{0, 1, 2, 3, 90, 1400, 2047, 2048, 2049, 9000, 65535}) {
            for (int kind = 0; kind < 4; kind++) {
                byte[] in = new byte[size];
                switch (kind) {
                    case 0 -> r.nextBytes(in);
                    case 1 -> { }
                    case 2 -> {
                        byte[] t = "The quick brown fox jumps over the lazy dog. ".getBytes(StandardCharsets.US_ASCII);
                        for (int i = 0; i < size; i++) {
                            in[i] = t[i % t.length];
                        }
                    }
                    default -> System.arraycopy(real, 0, in, 0, Math.min(size, real.length));
                }
                roundTrip(lzs, deflate, in, size + "/" + kind);
            }
        }
    }

    private static void roundTrip(Lzs lzs, Deflate deflate, byte[] in, String what) throws Exception {
        byte[] c = new byte[in.length * 2 + 64];
        byte[] back = new byte[in.length];
        int n = lzs.compress(in, 0, in.length, c, 0, c.length);
        assertTrue(n >= 0, what);
        assertEquals(in.length, Lzs.decompress(c, 0, n, back, 0, in.length), what);
        assertArrayEquals(in, back, "LZS " + what);
        int m = deflate.compress(in, 0, in.length, c, 0, c.length);
        assertEquals(in.length, deflate.decompress(c, 0, m, back, 0, in.length), what);
        assertArrayEquals(in, back, "DEFLATE " + what);
    }

    private static byte[] realData() throws IOException {
        try (InputStream s = String.class.getResourceAsStream("String.class")) {
            return s.readAllBytes();
        }
    }

    @Test
    void incompressibleDataIsSentAsItIs() {
        byte[] in = new byte[1400];
        new Random(2).nextBytes(in);
        byte[] out = new byte[1400];
        int n = new Lzs().compress(in, 0, in.length, out, 0, in.length - 1);
        assertEquals(-1, n, "random data does not fit in fewer bytes");
        assertTrue(!Ipcomp.worthSending(n, in.length));
        byte[] zeros = new byte[1400];
        int z = new Lzs().compress(zeros, 0, 1400, out, 0, 1399);
        assertTrue(Ipcomp.worthSending(z, 1400));
    }

    @Test
    void malformedStreamsAreRefusedNotThrownAround() {
        byte[] out = new byte[100];
        assertThrows(Lzs.Malformed.class, () -> Lzs.decompress(HEX.parseHex("2090"), 0, 2, out, 0, 100), "truncated");
        // string offset 5 as the first token: before the start of the data
        assertThrows(Lzs.Malformed.class, () -> Lzs.decompress(HEX.parseHex("c2c0"), 0, 2, out, 0, 100), "offset before start");
        byte[] many = new byte[200];
        int n = new Lzs().compress(many, 0, 200, new byte[64], 0, 64);
        byte[] c = new byte[64];
        n = new Lzs().compress(many, 0, 200, c, 0, 64);
        int len = n;
        assertThrows(Lzs.Malformed.class, () -> Lzs.decompress(c, 0, len, out, 0, 100), "more output than allowed");
        assertThrows(Lzs.Malformed.class, () -> new Deflate().decompress(HEX.parseHex("ffffffff"), 0, 4, out, 0, 100));
        assertThrows(Lzs.Malformed.class, () -> new Deflate().decompress(HEX.parseHex("cb48cdc9"), 0, 4, out, 0, 100), "truncated");
        Random r = new Random(3);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[1 + r.nextInt(40)];
            r.nextBytes(junk);
            try {
                Lzs.decompress(junk, 0, junk.length, out, 0, 100);
            } catch (Lzs.Malformed expected) {
                // a typed refusal is the only acceptable failure
            }
        }
    }
}
