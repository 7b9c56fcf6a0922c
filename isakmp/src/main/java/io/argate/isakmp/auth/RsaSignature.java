package io.argate.isakmp.auth;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * The IKEv1 RSA signature: the PKCS#1 v1.5 block type 1 padding of HASH_I or HASH_R itself, with
 * no DigestInfo around it (RFC 2409 section 5.1 signs the hash as it is; the implementations all
 * read it this way, and RFC 7427 section 1 recalls it for IKEv2's predecessor). The JDK's
 * NONEwithRSA is exactly that operation.
 */
public final class RsaSignature {
    private static final String ALGORITHM = "NONEwithRSA";

    private RsaSignature() {
    }

    public static byte[] sign(PrivateKey key, byte[] hash) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(hash);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA signing failed: " + e.getMessage(), e);
        }
    }

    /** True when {@code signature} is the key's signature of {@code hash}; false for any malformed input. */
    public static boolean verify(PublicKey key, byte[] hash, byte[] signature) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(hash);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
