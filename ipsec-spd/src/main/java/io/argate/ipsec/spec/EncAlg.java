package io.argate.ipsec.spec;

/**
 * ESP encryption algorithms of SASPECIFICATION ENCALG (fact sheet 2.3), with what each needs
 * from its ENCO key and what ESP carries per packet. AES-GCM is an argate extension (RFC 4106);
 * its ENCO key is GENERAL with the 4-byte salt after the AES key, as RFC 4106 section 8.1 keys it.
 */
public enum EncAlg {
    NULL(null, 0, 1, 0, 11),
    DES("DES", 8, 8, 8, 2),
    /** Three-key 3DES-EDE in outer CBC, the ESP 3DES of RFC 2451. */
    TDESOUTER("3DESOUTER", 24, 8, 8, 3),
    /** Two-key 3DES-EDE (K1, K2, K1) in outer CBC: the same wire format as 3DESOUTER. */
    TDES2KEY("3DES2KEY", 16, 8, 8, 3),
    AES128("AES128", 16, 16, 16, 12),
    AES192("AES192", 24, 16, 16, 12),
    AES256("AES256", 32, 16, 16, 12),
    AESGCM128("GENERAL", 20, 1, 8, 20),
    /** RFC 4106 with a 192-bit key; the ENCALG keywords offer only AESGCM128 and AESGCM256 so far. */
    AESGCM192("GENERAL", 28, 1, 8, 20),
    AESGCM256("GENERAL", 36, 1, 8, 20);

    private final String keyType;
    private final int keyLength;
    private final int blockSize;
    private final int ivLength;
    private final int transformId;

    EncAlg(String keyType, int keyLength, int blockSize, int ivLength, int transformId) {
        this.keyType = keyType;
        this.keyLength = keyLength;
        this.blockSize = blockSize;
        this.ivLength = ivLength;
        this.transformId = transformId;
    }

    /** The CLI keyword. */
    public String keyword() {
        return switch (this) {
            case TDESOUTER -> "3DESOUTER";
            case TDES2KEY -> "3DES2KEY";
            default -> name();
        };
    }

    public static EncAlg fromKeyword(String k) {
        for (EncAlg a : values()) {
            if (a.keyword().equals(k)) {
                return a;
            }
        }
        throw new IllegalArgumentException(k);
    }

    /** ENCO key TYPE an ENCKEY must have (null for NULL). */
    public String keyType() {
        return keyType;
    }

    /** ENCO key length in bytes. */
    public int keyLength() {
        return keyLength;
    }

    public int blockSize() {
        return blockSize;
    }

    public int ivLength() {
        return ivLength;
    }

    public boolean aead() {
        return this == AESGCM128 || this == AESGCM192 || this == AESGCM256;
    }

    /** IKEv1/IPsec DOI ESP transform id (RFC 2407 4.4.4, RFC 4106 for GCM with a 16-byte ICV). */
    public int transformId() {
        return transformId;
    }
}
