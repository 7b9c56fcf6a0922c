package io.argate.enco.spi;

/**
 * One Diffie-Hellman MODP group: makes key pairs and agrees secrets. Public values are checked
 * (1 &lt; y &lt; p-1) and every value on the wire is left-padded to the prime's length.
 */
public interface DhGroup {
    Algorithm algorithm();

    /** A fresh key pair; the private exponent has {@code exponentBits} random bits. */
    KeyPair generate(int exponentBits) throws DriverFailure;

    /** g^xy mod p, padded to the prime's length; throws DriverFailure for a bad peer value. */
    byte[] agree(KeyPair mine, byte[] peerPublic) throws DriverFailure;

    /** A private exponent and its public value g^x mod p (padded). */
    record KeyPair(java.math.BigInteger privateExponent, byte[] publicValue) {
    }
}
