package io.argate.isakmp.crypto;

import java.util.Arrays;

/**
 * The keys of an ISAKMP SA (RFC 2409 section 5):
 *
 * <pre>
 * SKEYID   = prf(pre-shared-key, Ni_b | Nr_b)     with a pre-shared key
 * SKEYID   = prf(Ni_b | Nr_b, g^xy)                with signatures
 * SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0)
 * SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1)
 * SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2)
 * </pre>
 *
 * The cipher key is the first bytes of SKEYID_e, or when SKEYID_e is too short, of
 * K1 | K2 | K3 ... with K1 = prf(SKEYID_e, 0) and Kn = prf(SKEYID_e, Kn-1) (appendix B, where
 * "0" is a single zero byte). The first IV is hash(g^xi | g^xr) cut to the block size.
 */
public record Phase1Keys(byte[] skeyid, byte[] skeyidD, byte[] skeyidA, byte[] skeyidE, byte[] encryptionKey, byte[] firstIv) {

    public static Phase1Keys preShared(PrfAlgorithm prf, Phase1Cipher cipher, byte[] psk, byte[] ni, byte[] nr, byte[] gxy,
                                       long ckyI, long ckyR, byte[] gxi, byte[] gxr) {
        return derive(prf, cipher, prf.prf(psk, ni, nr), gxy, ckyI, ckyR, gxi, gxr);
    }

    /** With RSA signatures (RFC 2409 section 5.1) the nonces key the PRF over g^xy. */
    public static Phase1Keys signatures(PrfAlgorithm prf, Phase1Cipher cipher, byte[] ni, byte[] nr, byte[] gxy,
                                        long ckyI, long ckyR, byte[] gxi, byte[] gxr) {
        byte[] nonces = new byte[ni.length + nr.length];
        System.arraycopy(ni, 0, nonces, 0, ni.length);
        System.arraycopy(nr, 0, nonces, ni.length, nr.length);
        return derive(prf, cipher, prf.prf(nonces, gxy), gxy, ckyI, ckyR, gxi, gxr);
    }

    private static Phase1Keys derive(PrfAlgorithm prf, Phase1Cipher cipher, byte[] skeyid, byte[] gxy,
                                     long ckyI, long ckyR, byte[] gxi, byte[] gxr) {
        byte[] ci = cookie(ckyI);
        byte[] cr = cookie(ckyR);
        byte[] d = prf.prf(skeyid, gxy, ci, cr, new byte[]{0});
        byte[] a = prf.prf(skeyid, d, gxy, ci, cr, new byte[]{1});
        byte[] e = prf.prf(skeyid, a, gxy, ci, cr, new byte[]{2});
        byte[] key = cipherKey(prf, e, cipher.keyLength());
        byte[] iv = Arrays.copyOf(prf.hash(gxi, gxr), cipher.blockSize());
        return new Phase1Keys(skeyid, d, a, e, key, iv);
    }

    /** RFC 2409 appendix B: SKEYID_e itself when long enough, else the K1 | K2 ... expansion. */
    static byte[] cipherKey(PrfAlgorithm prf, byte[] skeyidE, int length) {
        if (skeyidE.length >= length) {
            return Arrays.copyOf(skeyidE, length);
        }
        byte[] out = new byte[length];
        byte[] k = prf.prf(skeyidE, new byte[]{0});
        int at = 0;
        while (true) {
            int n = Math.min(k.length, length - at);
            System.arraycopy(k, 0, out, at, n);
            at += n;
            if (at == length) {
                return out;
            }
            k = prf.prf(skeyidE, k);
        }
    }

    public static byte[] cookie(long c) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (c >>> (56 - 8 * i));
        }
        return b;
    }

    /**
     * HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b) (RFC 2409 section 5);
     * HASH_R swaps the DH values and the cookies and uses IDir_b. SAi_b is always the
     * initiator's SA payload body.
     */
    public byte[] authHash(PrfAlgorithm prf, boolean ofInitiator, byte[] gxi, byte[] gxr, long ckyI, long ckyR, byte[] saiBody, byte[] idBody) {
        if (ofInitiator) {
            return prf.prf(skeyid, gxi, gxr, cookie(ckyI), cookie(ckyR), saiBody, idBody);
        }
        return prf.prf(skeyid, gxr, gxi, cookie(ckyR), cookie(ckyI), saiBody, idBody);
    }

    /** The phase 2 IV of a new exchange: hash(last phase 1 CBC block | M-ID), cut to the block size (appendix B). */
    public static byte[] phase2Iv(PrfAlgorithm prf, byte[] lastPhase1Block, int messageId, int blockSize) {
        return Arrays.copyOf(prf.hash(lastPhase1Block, int32(messageId)), blockSize);
    }

    public static byte[] int32(int v) {
        return new byte[]{(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
