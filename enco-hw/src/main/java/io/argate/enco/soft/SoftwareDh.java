package io.argate.enco.soft;

import io.argate.enco.spi.Algorithm;
import io.argate.enco.spi.DhGroup;
import io.argate.enco.spi.DriverFailure;
import org.bouncycastle.crypto.agreement.DHStandardGroups;
import org.bouncycastle.crypto.params.DHParameters;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * MODP Diffie-Hellman (RFC 2409 groups 1 and 2, RFC 3526 groups 5, 14, 15, 16) with a short
 * private exponent: a random exponent of twice the group's symmetric strength is as strong as a
 * full one (RFC 3526 section 8) and several times faster (ANCHORS.md: ~2,400 vs ~300 modPow/s
 * at 2048 bits). The prime constants come from Bouncy Castle's table of the RFC groups.
 */
final class SoftwareDh implements DhGroup {
    private final Algorithm algorithm;
    private final BigInteger p;
    private final BigInteger g;
    private final BigInteger pMinusOne;
    private final int length;
    private final SecureRandom random;

    SoftwareDh(Algorithm a, SecureRandom random) {
        DHParameters params = switch (a) {
            case MODP_768 -> DHStandardGroups.rfc2409_768;
            case MODP_1024 -> DHStandardGroups.rfc2409_1024;
            case MODP_1536 -> DHStandardGroups.rfc3526_1536;
            case MODP_2048 -> DHStandardGroups.rfc3526_2048;
            case MODP_3072 -> DHStandardGroups.rfc3526_3072;
            case MODP_4096 -> DHStandardGroups.rfc3526_4096;
            default -> throw new UnsupportedOperationException("software has no DH group " + a);
        };
        this.algorithm = a;
        this.p = params.getP();
        this.g = params.getG();
        this.pMinusOne = p.subtract(BigInteger.ONE);
        this.length = a.outputLength();
        this.random = random;
    }

    @Override
    public Algorithm algorithm() {
        return algorithm;
    }

    /** The group's prime (for tests and for checks against independent implementations). */
    BigInteger prime() {
        return p;
    }

    @Override
    public KeyPair generate(int exponentBits) throws DriverFailure {
        if (exponentBits < 160 || exponentBits > p.bitLength() - 1) {
            throw new DriverFailure("DH exponent of " + exponentBits + " bits is outside 160.." + (p.bitLength() - 1));
        }
        BigInteger x;
        do {
            x = new BigInteger(exponentBits, random);
        } while (x.bitLength() < exponentBits - 8);
        return new KeyPair(x, pad(g.modPow(x, p)));
    }

    @Override
    public byte[] agree(KeyPair mine, byte[] peerPublic) throws DriverFailure {
        if (peerPublic.length != length) {
            throw new DriverFailure("DH public value is " + peerPublic.length + " bytes; group " + algorithm.dhGroup() + " needs " + length);
        }
        BigInteger y = new BigInteger(1, peerPublic);
        // 1 < y < p-1: rejects the values that force a known shared secret (0, 1, p-1)
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(pMinusOne) >= 0) {
            throw new DriverFailure("DH public value is outside 1 < y < p-1");
        }
        return pad(y.modPow(mine.privateExponent(), p));
    }

    private byte[] pad(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }
}
