package io.argate.ipsec.spec;

/**
 * HASHALG of an SA specification: the HMAC used for the ESP/AH ICV, with its key length (ENCO
 * GENERAL key) and truncated ICV length. SHA2-256 (RFC 4868, HMAC-SHA-256-128) is an argate
 * extension.
 */
public enum HashAlg {
    NULL(0, 0, 0),
    MD5(16, 12, 1),
    SHA(20, 12, 2),
    SHA2256(32, 16, 5);

    private final int keyLength;
    private final int icvLength;
    private final int authAttribute;

    HashAlg(int keyLength, int icvLength, int authAttribute) {
        this.keyLength = keyLength;
        this.icvLength = icvLength;
        this.authAttribute = authAttribute;
    }

    public String keyword() {
        return this == SHA2256 ? "SHA2-256" : name();
    }

    public static HashAlg fromKeyword(String k) {
        for (HashAlg a : values()) {
            if (a.keyword().equals(k)) {
                return a;
            }
        }
        throw new IllegalArgumentException(k);
    }

    public int keyLength() {
        return keyLength;
    }

    public int icvLength() {
        return icvLength;
    }

    /** IPsec DOI authentication algorithm attribute value (RFC 2407 4.5, RFC 4868). */
    public int authAttribute() {
        return authAttribute;
    }
}
