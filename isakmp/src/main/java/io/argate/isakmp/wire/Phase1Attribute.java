package io.argate.isakmp.wire;

/**
 * Phase 1 (ISAKMP SA) data attribute classes and their values (RFC 2409 appendix A, RFC 3526
 * groups, RFC 4868 hashes). Class names are what DEBUG=PKT prints beside each value.
 */
public final class Phase1Attribute {
    public static final int ENCRYPTION = 1;
    public static final int HASH = 2;
    public static final int AUTH_METHOD = 3;
    public static final int GROUP_DESCRIPTION = 4;
    public static final int GROUP_TYPE = 5;
    public static final int LIFE_TYPE = 11;
    public static final int LIFE_DURATION = 12;
    public static final int KEY_LENGTH = 14;

    public static final int ENC_DES = 1;
    public static final int ENC_3DES = 5;
    public static final int ENC_AES = 7;
    public static final int HASH_MD5 = 1;
    public static final int HASH_SHA = 2;
    public static final int HASH_SHA2_256 = 4;
    public static final int HASH_SHA2_384 = 5;
    public static final int HASH_SHA2_512 = 6;
    public static final int AUTH_PRESHARED = 1;
    /** Pre-shared keys with XAUTH of the initiator, and of the responder (draft-beaulieu-ike-xauth-02 section 5; strongSwan's XAuthInitPSK/XAuthRespPSK). */
    public static final int AUTH_XAUTH_INIT_PRESHARED = 65001;
    public static final int AUTH_XAUTH_RESP_PRESHARED = 65002;
    public static final int GROUP_TYPE_MODP = 1;
    public static final int LIFE_SECONDS = 1;
    public static final int LIFE_KILOBYTES = 2;

    public static final Registry CLASS = Registry.of("phase 1 attribute",
            ENCRYPTION, "Encryption Algorithm", HASH, "Authentication Algorithm", AUTH_METHOD, "Authentication Method",
            GROUP_DESCRIPTION, "Group Description", GROUP_TYPE, "Group Type", 6, "Group Prime/Irreducible Polynomial",
            7, "Group Generator One", 8, "Group Generator Two", 9, "Group Curve A", 10, "Group Curve B",
            LIFE_TYPE, "Life Type", LIFE_DURATION, "Life Duration", 13, "PRF", KEY_LENGTH, "Key Length",
            15, "Field Size", 16, "Group Order");
    public static final Registry ENC = Registry.of("encryption algorithm", ENC_DES, "DES", 2, "IDEA", 3, "BLOWFISH",
            4, "RC5", ENC_3DES, "3DES", 6, "CAST", ENC_AES, "AES");
    public static final Registry HASH_ALG = Registry.of("hash algorithm", HASH_MD5, "MD5", HASH_SHA, "SHA", 3, "TIGER",
            HASH_SHA2_256, "SHA2-256", HASH_SHA2_384, "SHA2-384", HASH_SHA2_512, "SHA2-512");
    public static final Registry AUTH = Registry.of("authentication method", AUTH_PRESHARED, "PRESHARED", 2, "DSS",
            3, "RSASIG", 4, "RSAENC", 5, "RSAREVENC", AUTH_XAUTH_INIT_PRESHARED, "XAUTHInitPreShared", AUTH_XAUTH_RESP_PRESHARED, "XAUTHRespPreShared");
    public static final Registry GROUP = Registry.of("group", 1, "768", 2, "1024", 5, "1536", 14, "2048", 15, "3072",
            16, "4096");
    public static final Registry GROUP_KIND = Registry.of("group type", GROUP_TYPE_MODP, "MODP", 2, "ECP", 3, "EC2N");
    public static final Registry LIFE = Registry.of("life type", LIFE_SECONDS, "Seconds", LIFE_KILOBYTES, "Kilobytes");

    /** The value registry of an attribute class, for printing; null for numeric classes. */
    public static Registry values(int attributeClass) {
        return switch (attributeClass) {
            case ENCRYPTION -> ENC;
            case HASH -> HASH_ALG;
            case AUTH_METHOD -> AUTH;
            case GROUP_DESCRIPTION -> GROUP;
            case GROUP_TYPE -> GROUP_KIND;
            case LIFE_TYPE -> LIFE;
            default -> null;
        };
    }

    private Phase1Attribute() {
    }
}
