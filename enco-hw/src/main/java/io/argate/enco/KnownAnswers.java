package io.argate.enco;

import io.argate.enco.spi.AeadChannel;
import io.argate.enco.spi.Algorithm;
import io.argate.enco.spi.CipherChannel;
import io.argate.enco.spi.DhGroup;
import io.argate.enco.spi.DriverFailure;
import io.argate.enco.spi.EncoDriver;
import io.argate.enco.spi.HashEngine;
import io.argate.enco.spi.MacChannel;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The start-up self-test: one standard vector per algorithm, run on a driver before any of its
 * algorithms is admitted (strongSwan's crypto tester idea). Vectors: RFC 3602 case 1 and NIST
 * SP 800-38A F.2 (AES-CBC), FIPS 81 (DES-CBC), the McGrew-Viega GCM spec test cases 4, 10 and 16 (AES-GCM),
 * RFC 2202 and RFC 4231 case 2 (HMAC), FIPS 180 "abc" (hashes), and for DH an agreement computed
 * both ways on the driver and checked against an independent BigInteger computation.
 */
public final class KnownAnswers {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] JEFE = "Jefe".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WANT = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);

    private KnownAnswers() {
    }

    static byte[] h(String hex) {
        return HEX.parseHex(hex);
    }

    /** Null when the driver computes the known answer for {@code a}; otherwise why not. */
    public static String check(EncoDriver d, Algorithm a) {
        try {
            return switch (a.kind()) {
                case CIPHER -> cipher(d, a);
                case AEAD -> gcm(d, a);
                case MAC -> mac(d, a);
                case HASH -> hash(d, a);
                case DH -> dh(d, a);
                case RANDOM -> random(d);
                case COMPRESS -> compression(d, a);
            };
        } catch (DriverFailure | RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static String cipher(EncoDriver d, Algorithm a) throws DriverFailure {
        String key;
        String iv;
        String pt;
        String ct;
        switch (a) {
            case NULL_CIPHER -> {
                key = "";
                iv = "";
                pt = "0001020304050607";
                ct = pt;
            }
            case DES_CBC -> {
                key = "0123456789abcdef";
                iv = "1234567890abcdef";
                pt = "4e6f77206973207468652074696d6520666f7220616c6c20";
                ct = "e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6";
            }
            case TDES_CBC -> {
                key = "0123456789abcdef23456789abcdef01456789abcdef0123";
                iv = "1234567890abcdef";
                pt = "4e6f77206973207468652074696d6520666f7220616c6c20";
                ct = "f3c0ff026c023089656fbb169def7edb30ba36075d6f0176";
            }
            case AES_CBC_128 -> {
                key = "06a9214036b8a15b512e03d534120006";
                iv = "3dafba429d9eb430b422da802c9fac41";
                pt = "53696e676c6520626c6f636b206d7367";
                ct = "e353779c1079aeb82708942dbe77181a";
            }
            case AES_CBC_192 -> {
                key = "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b";
                iv = "000102030405060708090a0b0c0d0e0f";
                pt = "6bc1bee22e409f96e93d7e117393172a";
                ct = "4f021db243bc633d7178183a9fa071e8";
            }
            case AES_CBC_256 -> {
                key = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4";
                iv = "000102030405060708090a0b0c0d0e0f";
                pt = "6bc1bee22e409f96e93d7e117393172a";
                ct = "f58c4c04d6e5f1ba779eabfb5f7bfbd6";
            }
            default -> {
                return "no vector for " + a;
            }
        }
        try (CipherChannel c = d.cipher(a, h(key))) {
            byte[] data = h(pt);
            c.encrypt(h(iv), ByteBuffer.wrap(data));
            if (!Arrays.equals(data, h(ct))) {
                return "encryption gave " + HEX.formatHex(data) + ", expected " + ct;
            }
            c.decrypt(h(iv), ByteBuffer.wrap(data));
            return Arrays.equals(data, h(pt)) ? null : "decryption did not give the plaintext back";
        }
    }

    /** GCM spec test cases 4 (AES-128), 10 (AES-192) and 16 (AES-256): 60-byte plaintext, 20-byte AAD. */
    private static String gcm(EncoDriver d, Algorithm a) throws DriverFailure {
        String key = switch (a) {
            case AES_GCM_128 -> "feffe9928665731c6d6a8f9467308308";
            case AES_GCM_192 -> "feffe9928665731c6d6a8f9467308308feffe9928665731c";
            default -> "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
        };
        byte[] iv = h("cafebabefacedbaddecaf888");
        byte[] aad = h("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        String pt = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
        String expected = switch (a) {
            case AES_GCM_128 -> "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
                    + "5bc94fbc3221a5db94fae95ae7121a47";
            case AES_GCM_192 -> "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710"
                    + "2519498e80f1478f37ba55bd6d27618c";
            default -> "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
                    + "76fc6ece0f4e1768cddf8853bb2d551b";
        };
        try (AeadChannel c = d.aead(a, h(key), 16)) {
            byte[] buf = new byte[60 + 16];
            System.arraycopy(h(pt), 0, buf, 0, 60);
            c.seal(iv, aad, ByteBuffer.wrap(buf), 60);
            if (!HEX.formatHex(buf).equals(expected)) {
                return "sealing gave " + HEX.formatHex(buf) + ", expected " + expected;
            }
            if (!c.open(iv, aad, ByteBuffer.wrap(buf), 60) || !HEX.formatHex(buf, 0, 60).equals(pt)) {
                return "opening did not give the plaintext back";
            }
            buf[3] ^= 1;
            return c.open(iv, aad, ByteBuffer.wrap(buf), 60) ? "a tampered ciphertext was accepted" : null;
        }
    }

    private static String mac(EncoDriver d, Algorithm a) throws DriverFailure {
        String full = switch (a) {
            case HMAC_MD5_96, HMAC_MD5 -> "750c783e6ab0b503eaa86e310a5db738";
            case HMAC_SHA1_96, HMAC_SHA1 -> "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79";
            case HMAC_SHA256_128, HMAC_SHA256 -> "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
            case HMAC_SHA384_192, HMAC_SHA384 -> "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649";
            case HMAC_SHA512_256, HMAC_SHA512 -> "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737";
            default -> null;
        };
        if (full == null) {
            return "no vector for " + a;
        }
        // the truncated ICVs need a key of the algorithm's own length: extend "Jefe" with zeros, as
        // HMAC itself would (RFC 2104: a short key is zero-padded), so the vector still holds
        byte[] key = a.keyLength() == 0 ? JEFE : Arrays.copyOf(JEFE, a.keyLength());
        try (MacChannel m = d.mac(a, key)) {
            byte[] out = new byte[m.length()];
            m.compute(out, 0, ByteBuffer.wrap(WANT, 0, 10), ByteBuffer.wrap(WANT, 10, WANT.length - 10));
            String want = full.substring(0, m.length() * 2);
            if (!HEX.formatHex(out).equals(want)) {
                return "MAC gave " + HEX.formatHex(out) + ", expected " + want;
            }
            return m.verify(out, 0, ByteBuffer.wrap(WANT)) ? null : "verify refused the right ICV";
        }
    }

    private static String hash(EncoDriver d, Algorithm a) throws DriverFailure {
        String want = switch (a) {
            case MD5 -> "900150983cd24fb0d6963f7d28e17f72";
            case SHA1 -> "a9993e364706816aba3e25717850c26c9cd0d89d";
            case SHA256 -> "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
            case SHA384 -> "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7";
            case SHA512 -> "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";
            default -> null;
        };
        HashEngine e = d.hash(a);
        String got = HEX.formatHex(e.digest("a".getBytes(StandardCharsets.US_ASCII), "bc".getBytes(StandardCharsets.US_ASCII)));
        return got.equals(want) ? null : "digest gave " + got + ", expected " + want;
    }

    private static String dh(EncoDriver d, Algorithm a) throws DriverFailure {
        DhGroup g = d.dh(a);
        DhGroup.KeyPair x = g.generate(256);
        DhGroup.KeyPair y = g.generate(256);
        byte[] s1 = g.agree(x, y.publicValue());
        byte[] s2 = g.agree(y, x.publicValue());
        if (!Arrays.equals(s1, s2) || s1.length != a.outputLength()) {
            return "the two sides did not agree";
        }
        // independent check: (g^y)^x computed here must equal what the driver said
        BigInteger check = new BigInteger(1, y.publicValue()).modPow(x.privateExponent(), DhPrimes.prime(a));
        if (!check.equals(new BigInteger(1, s1))) {
            return "the shared secret is not (g^y)^x mod p";
        }
        try {
            g.agree(x, new byte[a.outputLength()]);
            return "a zero public value was accepted";
        } catch (DriverFailure expected) {
            return null;
        }
    }

    /** LZS: "ABABABAB" hand-derived from X3.241; DEFLATE: python zlib's raw deflate of the same. */
    private static String compression(EncoDriver d, Algorithm a) throws DriverFailure {
        byte[] in = "hello hello hello hello hello".getBytes(StandardCharsets.US_ASCII);
        String want = "cb48cdc9c957c8c04e0200";
        if (a == Algorithm.LZS) {
            in = "ABABABAB".getBytes(StandardCharsets.US_ASCII);
            want = "2090b05b80";
        }
        try (io.argate.enco.spi.CompressionChannel c = d.compression(a)) {
            byte[] out = new byte[64];
            int n = c.compress(in, 0, in.length, out, 0, 64);
            if (n < 0 || !HEX.formatHex(out, 0, n).equals(want)) {
                return "compression gave " + (n < 0 ? "nothing" : HEX.formatHex(out, 0, n)) + ", expected " + want;
            }
            byte[] back = new byte[64];
            int m = c.decompress(out, 0, n, back, 0, 64);
            return m == in.length && Arrays.equals(in, 0, m, back, 0, m) ? null : "decompression did not give the data back";
        }
    }

    private static String random(EncoDriver d) throws DriverFailure {
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        d.random(a);
        d.random(b);
        return Arrays.equals(a, b) || Arrays.equals(a, new byte[32]) ? "the random source repeated itself" : null;
    }
}
