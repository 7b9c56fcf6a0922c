package io.argate.isakmp.crypto;

import java.math.BigInteger;

/**
 * Where the modular exponentiations of MODP Diffie-Hellman run: g^x mod p for a key pair and
 * y^x mod p for a shared secret (RFC 2409 section 5, the only expensive step of a PSK
 * negotiation). Two engines: OpenSSL's libcrypto through JNA, constant-time in the private
 * exponent and about 1.4 times as fast as Java's BigInteger here, and BigInteger itself, used
 * when libcrypto cannot be loaded or fails its known-answer check ({@link DhEngines}).
 * Implementations are thread-safe: the control loop and the key pair thread call them at once.
 */
public interface DhEngine {
    /** Short name for logs and benchmark output: libcrypto, java. */
    String name();

    /**
     * base^exponent mod the group's prime, left-padded to the group's length. The exponent is a
     * private value; the base is public (g or the peer's value) and 1 &lt; base &lt; p-1.
     */
    byte[] power(ModpGroup group, BigInteger base, BigInteger exponent);

    /** The engine this process uses: libcrypto when it loads and answers correctly, else Java. */
    static DhEngine preferred() {
        return DhEngines.preferred().engine();
    }
}
