package io.argate.isakmp.crypto;

/**
 * Quick Mode and Informational hashes and the IPsec keying material (RFC 2409 sections 5.5,
 * 5.7):
 *
 * <pre>
 * HASH(1) = prf(SKEYID_a, M-ID | SA | Ni [ | KE ] [ | IDci | IDcr ])     (payloads after HASH, as sent)
 * HASH(2) = prf(SKEYID_a, M-ID | Ni_b | SA | Nr [ | KE ] [ | IDci | IDcr ])
 * HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b)
 * HASH    = prf(SKEYID_a, M-ID | N/D)                                  (Informational)
 * KEYMAT  = prf(SKEYID_d, [ g(qm)^xy | ] protocol | SPI | Ni_b | Nr_b)
 * </pre>
 *
 * and for keys longer than one PRF output, K1 | K2 | ... with
 * Kn = prf(SKEYID_d, Kn-1 | [ g(qm)^xy | ] protocol | SPI | Ni_b | Nr_b).
 */
public final class Phase2Keys {
    private Phase2Keys() {
    }

    public static byte[] hash1(PrfAlgorithm prf, byte[] skeyidA, int messageId, byte[] payloadsAfterHash) {
        return prf.prf(skeyidA, Phase1Keys.int32(messageId), payloadsAfterHash);
    }

    public static byte[] hash2(PrfAlgorithm prf, byte[] skeyidA, int messageId, byte[] niBody, byte[] payloadsAfterHash) {
        return prf.prf(skeyidA, Phase1Keys.int32(messageId), niBody, payloadsAfterHash);
    }

    public static byte[] hash3(PrfAlgorithm prf, byte[] skeyidA, int messageId, byte[] niBody, byte[] nrBody) {
        return prf.prf(skeyidA, new byte[]{0}, Phase1Keys.int32(messageId), niBody, nrBody);
    }

    /** The HASH of an Informational exchange, and of the commit bit's CONNECTED notify (HASH(4)). */
    public static byte[] informational(PrfAlgorithm prf, byte[] skeyidA, int messageId, byte[] payloadsAfterHash) {
        return prf.prf(skeyidA, Phase1Keys.int32(messageId), payloadsAfterHash);
    }

    /**
     * KEYMAT for one SA direction: {@code spi} is the SPI of that direction's receiver (the
     * inbound SPI we chose, or the peer's for outbound); {@code gxy} is null without PFS.
     */
    public static byte[] keymat(PrfAlgorithm prf, byte[] skeyidD, byte[] gxy, int protocol, byte[] spi, byte[] niBody, byte[] nrBody,
                                int length) {
        byte[] seed = concat(gxy == null ? new byte[0] : gxy, new byte[]{(byte) protocol}, spi, niBody, nrBody);
        byte[] out = new byte[length];
        byte[] k = prf.prf(skeyidD, seed);
        int at = 0;
        while (true) {
            int n = Math.min(k.length, length - at);
            System.arraycopy(k, 0, out, at, n);
            at += n;
            if (at == length) {
                return out;
            }
            k = prf.prf(skeyidD, k, seed);
        }
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
