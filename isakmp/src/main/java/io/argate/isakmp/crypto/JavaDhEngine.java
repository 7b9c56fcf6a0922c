package io.argate.isakmp.crypto;

import java.math.BigInteger;

/**
 * Java's BigInteger.modPow: always present, the fallback when libcrypto is not. Its running
 * time depends on the exponent's bits, which the libcrypto engine's does not.
 */
public final class JavaDhEngine implements DhEngine {
    public static final JavaDhEngine INSTANCE = new JavaDhEngine();

    private JavaDhEngine() {
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public byte[] power(ModpGroup group, BigInteger base, BigInteger exponent) {
        return pad(base.modPow(exponent, group.prime()), group.length());
    }

    /** The value as exactly {@code length} big-endian bytes (RFC 2409 section 5: KE data is the prime's length). */
    static byte[] pad(BigInteger v, int length) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }
}
