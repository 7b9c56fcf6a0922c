package io.argate.isakmp.crypto;

import org.bouncycastle.crypto.agreement.DHStandardGroups;
import org.bouncycastle.crypto.params.DHParameters;

import java.math.BigInteger;
import java.util.Optional;

/**
 * The MODP Diffie-Hellman groups IKEv1 negotiates: Oakley groups 1 and 2 (RFC 2409 section 6)
 * and 5, 14, 15, 16 (RFC 3526), generator 2. The primes are Bouncy Castle's tables of those
 * RFCs; {@code CryptoKnownAnswerTest} rebuilds them from the RFC formula to check. Private exponents
 * come from the daemon's {@link RandomSource} so tests are reproducible; the exponentiations run
 * on the process's {@link DhEngine} (libcrypto, else BigInteger), which gives the same values.
 */
public enum ModpGroup {
    GROUP1(1, DHStandardGroups.rfc2409_768, 80),
    GROUP2(2, DHStandardGroups.rfc2409_1024, 80),
    GROUP5(5, DHStandardGroups.rfc3526_1536, 90),
    GROUP14(14, DHStandardGroups.rfc3526_2048, 110),
    GROUP15(15, DHStandardGroups.rfc3526_3072, 130),
    GROUP16(16, DHStandardGroups.rfc3526_4096, 150);

    private final int number;
    private final BigInteger p;
    private final BigInteger g;
    private final BigInteger pMinusOne;
    private final int length;
    private final int strength;

    ModpGroup(int number, DHParameters params, int strength) {
        this.number = number;
        this.p = params.getP();
        this.g = params.getG();
        this.pMinusOne = p.subtract(BigInteger.ONE);
        this.length = (p.bitLength() + 7) / 8;
        this.strength = strength;
    }

    /** The group number of the Group Description attribute. */
    public int number() {
        return number;
    }

    public BigInteger prime() {
        return p;
    }

    /** The generator, 2 in every MODP group. */
    public BigInteger generator() {
        return g;
    }

    /** Bytes of a public value or shared secret on the wire: the prime's length. */
    public int length() {
        return length;
    }

    public static Optional<ModpGroup> of(int number) {
        for (ModpGroup m : values()) {
            if (m.number == number) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** A private exponent and its public value g^x mod p, left-padded to {@link #length()}. */
    public record KeyPair(BigInteger x, byte[] publicValue) {
    }

    /**
     * A key pair whose exponent has at least {@code exponentBits} bits (DHEXPONENTLENGTH) and
     * never fewer than twice the group's symmetric strength (RFC 3526 section 8).
     */
    public KeyPair generate(RandomSource random, int exponentBits) {
        int bits = Math.min(Math.max(exponentBits, 2 * strength), p.bitLength() - 1);
        byte[] raw = random.bytes((bits + 7) / 8);
        raw[0] &= (byte) (0xff >>> (raw.length * 8 - bits));
        raw[0] |= (byte) (0x80 >>> (raw.length * 8 - bits));
        BigInteger x = new BigInteger(1, raw);
        return new KeyPair(x, DhEngine.preferred().power(this, g, x));
    }

    /** True when a peer's public value is acceptable: exactly the prime's length and 1 < y < p-1. */
    public boolean validPublic(byte[] peer) {
        if (peer.length != length) {
            return false;
        }
        BigInteger y = new BigInteger(1, peer);
        return y.compareTo(BigInteger.ONE) > 0 && y.compareTo(pMinusOne) < 0;
    }

    /** g^xy mod p, left-padded; the caller checked {@link #validPublic}. */
    public byte[] agree(KeyPair mine, byte[] peer) {
        if (!validPublic(peer)) {
            throw new IllegalArgumentException("DH public value refused");
        }
        return DhEngine.preferred().power(this, new BigInteger(1, peer), mine.x());
    }
}
