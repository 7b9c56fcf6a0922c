package io.argate.enco.key;

/**
 * ENCO key types (CREATE ENCO KEY TYPE=, fact sheet 3) and their lengths in bytes. GENERAL keys
 * (pre-shared keys, HMAC keys) take any length from 1 to 256.
 */
public enum KeyType {
    DES("DES", 8),
    TDES2KEY("3DES2KEY", 16),
    TDESINNER("3DESINNER", 24),
    TDESOUTER("3DESOUTER", 24),
    AES128("AES128", 16),
    AES192("AES192", 24),
    AES256("AES256", 32),
    GENERAL("GENERAL", 0),
    /** A key pair, or a peer's public part; its length is the modulus's (see {@link RsaKey}). */
    RSA("RSA", 0);

    public static final int GENERAL_MAX = 256;

    private final String keyword;
    private final int length;

    KeyType(String keyword, int length) {
        this.keyword = keyword;
        this.length = length;
    }

    public String keyword() {
        return keyword;
    }

    /** Fixed length in bytes, 0 for GENERAL and RSA. */
    public int length() {
        return length;
    }

    public boolean des() {
        return this == DES || this == TDES2KEY || this == TDESINNER || this == TDESOUTER;
    }

    public static KeyType fromKeyword(String k) {
        for (KeyType t : values()) {
            if (t.keyword.equalsIgnoreCase(k)) {
                return t;
            }
        }
        throw new IllegalArgumentException(k);
    }
}
