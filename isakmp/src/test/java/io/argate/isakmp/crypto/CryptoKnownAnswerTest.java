package io.argate.isakmp.crypto;

import org.bouncycastle.crypto.agreement.DHBasicAgreement;
import org.bouncycastle.crypto.params.DHParameters;
import org.bouncycastle.crypto.params.DHPrivateKeyParameters;
import org.bouncycastle.crypto.params.DHPublicKeyParameters;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Known answers for the IKEv1 key schedule: published vectors where they exist (RFC 2202 and
 * RFC 4231 HMACs, FIPS 81 DES-CBC, RFC 3602 AES-CBC, the MODP primes from their RFC
 * definition), and for the derivations of RFC 2409 values computed here step by step with
 * plain {@link Mac}, independently of the code under test.
 */
class CryptoKnownAnswerTest {
    static final HexFormat HEX = HexFormat.of();
    static final byte[] JEFE = "Jefe".getBytes(StandardCharsets.US_ASCII);
    static final byte[] WANT = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);

    @Test
    void prfsMatchRfc2202AndRfc4231() {
        assertEquals("750c783e6ab0b503eaa86e310a5db738", HEX.formatHex(PrfAlgorithm.MD5.prf(JEFE, WANT)));
        assertEquals("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79", HEX.formatHex(PrfAlgorithm.SHA1.prf(JEFE, WANT)));
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", HEX.formatHex(PrfAlgorithm.SHA256.prf(JEFE, WANT)));
        assertEquals(48, PrfAlgorithm.SHA384.prf(JEFE, WANT).length);
        assertEquals(64, PrfAlgorithm.SHA512.prf(JEFE, WANT).length);
        // the PRF over parts is the PRF over their concatenation
        assertArrayEquals(PrfAlgorithm.SHA1.prf(JEFE, WANT), PrfAlgorithm.SHA1.prf(JEFE, Arrays.copyOf(WANT, 5), Arrays.copyOfRange(WANT, 5, WANT.length)));
    }

    @Test
    void ciphersMatchPublishedVectors() {
        // FIPS 81 appendix C, CBC mode: "Now is the time for all "
        byte[] key = HEX.parseHex("0123456789abcdef");
        byte[] iv = HEX.parseHex("1234567890abcdef");
        byte[] pt = "Now is the time for all ".getBytes(StandardCharsets.US_ASCII);
        assertEquals("e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6", HEX.formatHex(Phase1Cipher.DES.encrypt(key, iv, pt)));
        // 3DES with K1 = K2 = K3 is single DES (EDE collapses)
        byte[] k3 = new byte[24];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(key, 0, k3, 8 * i, 8);
        }
        assertEquals("e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6", HEX.formatHex(Phase1Cipher.TDES.encrypt(k3, iv, pt)));
        // RFC 3602 case 2
        byte[] aesPt = new byte[32];
        for (int i = 0; i < 32; i++) {
            aesPt[i] = (byte) i;
        }
        byte[] ct = Phase1Cipher.AES128.encrypt(HEX.parseHex("c286696d887c9aa0611bbb3e2025a45a"), HEX.parseHex("562e17996d093d28ddb3ba695a2e6f58"), aesPt);
        assertEquals("d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1", HEX.formatHex(ct));
        assertArrayEquals(aesPt, Phase1Cipher.AES128.decrypt(HEX.parseHex("c286696d887c9aa0611bbb3e2025a45a"), HEX.parseHex("562e17996d093d28ddb3ba695a2e6f58"), ct));
    }

    @Test
    void modpPrimesAreTheOnesTheRfcsDefine() {
        // p = 2^n - 2^(n-64) - 1 + 2^64 * (floor(2^(n-130) * pi) + k), RFC 2409 section 6 and RFC 3526
        long[][] nk = {{1, 768, 149686}, {2, 1024, 129093}, {5, 1536, 741804}, {14, 2048, 124476}, {15, 3072, 1690314}, {16, 4096, 240904}};
        BigDecimal pi = pi(1300);
        for (long[] g : nk) {
            int n = (int) g[1];
            BigInteger floor = new BigDecimal(BigInteger.TWO.pow(n - 130)).multiply(pi).setScale(0, RoundingMode.FLOOR).toBigInteger();
            BigInteger p = BigInteger.TWO.pow(n).subtract(BigInteger.TWO.pow(n - 64)).subtract(BigInteger.ONE)
                    .add(BigInteger.TWO.pow(64).multiply(floor.add(BigInteger.valueOf(g[2]))));
            ModpGroup group = ModpGroup.of((int) g[0]).orElseThrow();
            assertEquals(p, group.prime(), "group " + g[0]);
            assertEquals(n / 8, group.length());
        }
    }

    @Test
    void diffieHellmanAgreesWithAnIndependentImplementationAndRefusesBadValues() {
        RandomSource r = RandomSource.seeded(7);
        for (ModpGroup g : new ModpGroup[]{ModpGroup.GROUP1, ModpGroup.GROUP2, ModpGroup.GROUP14}) {
            ModpGroup.KeyPair a = g.generate(r, 160);
            ModpGroup.KeyPair b = g.generate(r, 160);
            byte[] mine = g.agree(a, b.publicValue());
            assertArrayEquals(mine, g.agree(b, a.publicValue()));
            DHParameters params = new DHParameters(g.prime(), BigInteger.TWO);
            DHBasicAgreement bc = new DHBasicAgreement();
            bc.init(new DHPrivateKeyParameters(a.x(), params));
            BigInteger z = bc.calculateAgreement(new DHPublicKeyParameters(new BigInteger(1, b.publicValue()), params));
            assertEquals(z, new BigInteger(1, mine));
            assertEquals(g.length(), mine.length);
            byte[] one = new byte[g.length()];
            one[one.length - 1] = 1;
            assertFalse(g.validPublic(one));
            assertFalse(g.validPublic(Arrays.copyOf(b.publicValue(), g.length() - 1)));
        }
    }

    @Test
    void phase1KeysFollowRfc2409StepByStep() throws Exception {
        byte[] psk = "pobaetrpnjkakdf".getBytes(StandardCharsets.US_ASCII);
        byte[] ni = HEX.parseHex("00112233445566778899aabbccddeeff");
        byte[] nr = HEX.parseHex("ffeeddccbbaa99887766554433221100");
        byte[] gxy = new byte[96];
        byte[] gxi = new byte[96];
        byte[] gxr = new byte[96];
        for (int i = 0; i < 96; i++) {
            gxy[i] = (byte) i;
            gxi[i] = (byte) (i * 3);
            gxr[i] = (byte) (i * 5);
        }
        long ci = 0x5052045c2e566b81L;
        long cr = 0x0102030405060708L;
        byte[] cki = HEX.parseHex("5052045c2e566b81");
        byte[] ckr = HEX.parseHex("0102030405060708");

        Phase1Keys k = Phase1Keys.preShared(PrfAlgorithm.SHA1, Phase1Cipher.AES256, psk, ni, nr, gxy, ci, cr, gxi, gxr);
        byte[] skeyid = mac("HmacSHA1", psk, ni, nr);
        byte[] d = mac("HmacSHA1", skeyid, gxy, cki, ckr, new byte[]{0});
        byte[] a = mac("HmacSHA1", skeyid, d, gxy, cki, ckr, new byte[]{1});
        byte[] e = mac("HmacSHA1", skeyid, a, gxy, cki, ckr, new byte[]{2});
        assertArrayEquals(skeyid, k.skeyid());
        assertArrayEquals(d, k.skeyidD());
        assertArrayEquals(a, k.skeyidA());
        assertArrayEquals(e, k.skeyidE());
        // AES-256 needs 32 bytes, SHA1 gives 20: K1 = prf(SKEYID_e, 0), K2 = prf(SKEYID_e, K1)
        byte[] k1 = mac("HmacSHA1", e, new byte[]{0});
        byte[] k2 = mac("HmacSHA1", e, k1);
        byte[] expectKey = new byte[32];
        System.arraycopy(k1, 0, expectKey, 0, 20);
        System.arraycopy(k2, 0, expectKey, 20, 12);
        assertArrayEquals(expectKey, k.encryptionKey());
        byte[] iv = MessageDigest.getInstance("SHA-1").digest(concat(gxi, gxr));
        assertArrayEquals(Arrays.copyOf(iv, 16), k.firstIv());

        // 3DES with MD5 also needs the expansion (24 > 16); DES with SHA1 does not
        Phase1Keys md5 = Phase1Keys.preShared(PrfAlgorithm.MD5, Phase1Cipher.TDES, psk, ni, nr, gxy, ci, cr, gxi, gxr);
        byte[] e5 = md5.skeyidE();
        byte[] m1 = mac("HmacMD5", e5, new byte[]{0});
        byte[] m2 = mac("HmacMD5", e5, m1);
        assertArrayEquals(concat(m1, Arrays.copyOf(m2, 8)), md5.encryptionKey());
        Phase1Keys des = Phase1Keys.preShared(PrfAlgorithm.SHA1, Phase1Cipher.DES, psk, ni, nr, gxy, ci, cr, gxi, gxr);
        assertArrayEquals(Arrays.copyOf(des.skeyidE(), 8), des.encryptionKey());

        byte[] sai = HEX.parseHex("0000000100000001");
        byte[] idi = HEX.parseHex("01000000c0000201");
        assertArrayEquals(mac("HmacSHA1", skeyid, gxi, gxr, cki, ckr, sai, idi), k.authHash(PrfAlgorithm.SHA1, true, gxi, gxr, ci, cr, sai, idi));
        assertArrayEquals(mac("HmacSHA1", skeyid, gxr, gxi, ckr, cki, sai, idi), k.authHash(PrfAlgorithm.SHA1, false, gxi, gxr, ci, cr, sai, idi));

        byte[] last = HEX.parseHex("0f0e0d0c0b0a09080706050403020100");
        byte[] p2iv = MessageDigest.getInstance("SHA-1").digest(concat(last, HEX.parseHex("deadbeef")));
        assertArrayEquals(Arrays.copyOf(p2iv, 16), Phase1Keys.phase2Iv(PrfAlgorithm.SHA1, last, 0xdeadbeef, 16));
    }

    @Test
    void signatureKeysAndTheSignatureFormatFollowRfc2409Section51() throws Exception {
        byte[] ni = HEX.parseHex("00112233445566778899aabbccddeeff");
        byte[] nr = HEX.parseHex("ffeeddccbbaa99887766554433221100");
        byte[] gxy = new byte[128];
        for (int i = 0; i < gxy.length; i++) {
            gxy[i] = (byte) (i * 7);
        }
        long ci = 0x1112131415161718L;
        long cr = 0x2122232425262728L;
        Phase1Keys k = Phase1Keys.signatures(PrfAlgorithm.SHA1, Phase1Cipher.AES128, ni, nr, gxy, ci, cr, gxy, gxy);
        // SKEYID = prf(Ni_b | Nr_b, g^xy): the nonces are the HMAC key
        byte[] skeyid = mac("HmacSHA1", concat(ni, nr), gxy);
        assertArrayEquals(skeyid, k.skeyid());
        assertArrayEquals(mac("HmacSHA1", skeyid, gxy, HEX.parseHex("1112131415161718"), HEX.parseHex("2122232425262728"), new byte[]{0}),
                k.skeyidD());

        // SIG = the RSA private-key operation on the PKCS#1 v1.5 type 1 block of the bare hash (no DigestInfo)
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        java.security.KeyPair kp = g.generateKeyPair();
        byte[] hash = HEX.parseHex("0102030405060708090a0b0c0d0e0f1011121314");
        byte[] sig = io.argate.isakmp.auth.RsaSignature.sign(kp.getPrivate(), hash);
        java.security.interfaces.RSAPublicKey pub = (java.security.interfaces.RSAPublicKey) kp.getPublic();
        byte[] block = new java.math.BigInteger(1, sig).modPow(pub.getPublicExponent(), pub.getModulus()).toByteArray();
        byte[] em = new byte[128];
        System.arraycopy(block, Math.max(0, block.length - 128), em, 128 - Math.min(128, block.length), Math.min(128, block.length));
        assertEquals(0x00, em[0]);
        assertEquals(0x01, em[1]);
        for (int i = 2; i < 128 - 21; i++) {
            assertEquals((byte) 0xff, em[i], "padding byte " + i);
        }
        assertEquals(0x00, em[128 - 21]);
        assertArrayEquals(hash, Arrays.copyOfRange(em, 128 - 20, 128));
        assertTrue(io.argate.isakmp.auth.RsaSignature.verify(pub, hash, sig));
        byte[] bad = sig.clone();
        bad[5] ^= 1;
        assertFalse(io.argate.isakmp.auth.RsaSignature.verify(pub, hash, bad));
        assertFalse(io.argate.isakmp.auth.RsaSignature.verify(pub, hash, new byte[3]), "a short signature is refused, not thrown");
    }

    @Test
    void quickModeHashesAndKeymatFollowRfc2409StepByStep() throws Exception {
        byte[] skeyidA = HEX.parseHex("a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4");
        byte[] skeyidD = HEX.parseHex("d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4");
        byte[] mid = HEX.parseHex("01020304");
        byte[] tail = HEX.parseHex("0a0000100000000100000001");
        byte[] niB = HEX.parseHex("11111111111111111111111111111111");
        byte[] nrB = HEX.parseHex("22222222222222222222222222222222");
        assertArrayEquals(mac("HmacSHA1", skeyidA, mid, tail), Phase2Keys.hash1(PrfAlgorithm.SHA1, skeyidA, 0x01020304, tail));
        assertArrayEquals(mac("HmacSHA1", skeyidA, mid, niB, tail), Phase2Keys.hash2(PrfAlgorithm.SHA1, skeyidA, 0x01020304, niB, tail));
        assertArrayEquals(mac("HmacSHA1", skeyidA, new byte[]{0}, mid, niB, nrB), Phase2Keys.hash3(PrfAlgorithm.SHA1, skeyidA, 0x01020304, niB, nrB));

        byte[] spi = HEX.parseHex("c0ffee01");
        // without PFS, AES-128 + HMAC-SHA1 = 36 bytes: two SHA1 blocks
        byte[] seed = concat(new byte[]{3}, spi, niB, nrB);
        byte[] k1 = mac("HmacSHA1", skeyidD, seed);
        byte[] k2 = mac("HmacSHA1", skeyidD, k1, seed);
        assertArrayEquals(concat(k1, Arrays.copyOf(k2, 16)), Phase2Keys.keymat(PrfAlgorithm.SHA1, skeyidD, null, 3, spi, niB, nrB, 36));
        // with PFS the new g^xy comes first
        byte[] gxy = HEX.parseHex("99999999999999999999");
        byte[] pfsSeed = concat(gxy, new byte[]{3}, spi, niB, nrB);
        byte[] p1 = mac("HmacSHA1", skeyidD, pfsSeed);
        assertArrayEquals(Arrays.copyOf(p1, 16), Phase2Keys.keymat(PrfAlgorithm.SHA1, skeyidD, gxy, 3, spi, niB, nrB, 16));
    }

    static byte[] mac(String alg, byte[] key, byte[]... parts) throws Exception {
        Mac m = Mac.getInstance(alg);
        m.init(new SecretKeySpec(key, alg));
        for (byte[] p : parts) {
            m.update(p);
        }
        return m.doFinal();
    }

    static byte[] concat(byte[]... parts) {
        return Phase2Keys.concat(parts);
    }

    static BigDecimal pi(int digits) {
        MathContext mc = new MathContext(digits + 10);
        return atan(5, mc).multiply(BigDecimal.valueOf(16)).subtract(atan(239, mc).multiply(BigDecimal.valueOf(4)), mc);
    }

    static BigDecimal atan(int x, MathContext mc) {
        BigDecimal xs = BigDecimal.valueOf((long) x * x);
        BigDecimal term = BigDecimal.ONE.divide(BigDecimal.valueOf(x), mc);
        BigDecimal sum = term;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(mc.getPrecision());
        for (int i = 1; term.abs().compareTo(eps) > 0; i++) {
            term = term.divide(xs, mc).negate();
            sum = sum.add(term.divide(BigDecimal.valueOf(2L * i + 1), mc), mc);
        }
        return sum;
    }
}
