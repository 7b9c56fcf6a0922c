package io.argate.isakmp.crypto;

import io.argate.isakmp.wire.Phase1Attribute;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The negotiated hash of phase 1 (RFC 2409 appendix A "Hash Algorithm"): IKEv1 uses its HMAC as
 * the PRF when no PRF attribute is negotiated (section 4), and the bare hash for the phase 1 and
 * phase 2 IVs (appendix B) and NAT-D (RFC 3947 section 3.2).
 */
public enum PrfAlgorithm {
    MD5(Phase1Attribute.HASH_MD5, "MD5", "HmacMD5", 16, "MD5"),
    SHA1(Phase1Attribute.HASH_SHA, "SHA-1", "HmacSHA1", 20, "SHA"),
    SHA256(Phase1Attribute.HASH_SHA2_256, "SHA-256", "HmacSHA256", 32, "SHA2-256"),
    SHA384(Phase1Attribute.HASH_SHA2_384, "SHA-384", "HmacSHA384", 48, "SHA2-384"),
    SHA512(Phase1Attribute.HASH_SHA2_512, "SHA-512", "HmacSHA512", 64, "SHA2-512");

    private final int attribute;
    private final String digest;
    private final String mac;
    private final int length;
    private final String keyword;

    PrfAlgorithm(int attribute, String digest, String mac, int length, String keyword) {
        this.attribute = attribute;
        this.digest = digest;
        this.mac = mac;
        this.length = length;
        this.keyword = keyword;
    }

    public int attribute() {
        return attribute;
    }

    /** Output bytes of the hash and of its HMAC. */
    public int length() {
        return length;
    }

    /** The HASHALG keyword (SHA, MD5, SHA2-256 ...). */
    public String keyword() {
        return keyword;
    }

    public static Optional<PrfAlgorithm> ofAttribute(int a) {
        for (PrfAlgorithm p : values()) {
            if (p.attribute == a) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** prf(key, part1 | part2 | ...). */
    public byte[] prf(byte[] key, byte[]... parts) {
        try {
            Mac m = Mac.getInstance(mac);
            // an empty HMAC key is legal (RFC 2104) but SecretKeySpec refuses it; one zero byte is the same key after padding
            m.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, mac));
            for (byte[] p : parts) {
                m.update(p);
            }
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(mac + " is missing from the JDK", e);
        }
    }

    /** hash(part1 | part2 | ...). */
    public byte[] hash(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance(digest);
            for (byte[] p : parts) {
                d.update(p);
            }
            return d.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(digest + " is missing from the JDK", e);
        }
    }
}
