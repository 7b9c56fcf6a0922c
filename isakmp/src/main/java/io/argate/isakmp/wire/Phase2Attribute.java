package io.argate.isakmp.wire;

/**
 * IPsec DOI SA attributes for phase 2 (RFC 2407 section 4.5; RFC 3947 section 5 for the
 * UDP-encapsulated modes and the draft values 61443/61444 that pre-RFC NAT-T peers send;
 * RFC 4868 for HMAC-SHA2).
 */
public final class Phase2Attribute {
    public static final int LIFE_TYPE = 1;
    public static final int LIFE_DURATION = 2;
    public static final int GROUP_DESCRIPTION = 3;
    public static final int ENCAPSULATION_MODE = 4;
    public static final int AUTH_ALGORITHM = 5;
    public static final int KEY_LENGTH = 6;
    public static final int KEY_ROUNDS = 7;
    public static final int COMPRESS_DICTIONARY_SIZE = 8;
    public static final int COMPRESS_PRIVATE_ALGORITHM = 9;
    public static final int ECN_TUNNEL = 10;
    public static final int EXTENDED_SEQUENCE_NUMBER = 11;

    public static final int LIFE_SECONDS = 1;
    public static final int LIFE_KILOBYTES = 2;
    public static final int MODE_TUNNEL = 1;
    public static final int MODE_TRANSPORT = 2;
    public static final int MODE_UDP_TUNNEL = 3;
    public static final int MODE_UDP_TRANSPORT = 4;
    public static final int MODE_UDP_TUNNEL_DRAFT = 61443;
    public static final int MODE_UDP_TRANSPORT_DRAFT = 61444;
    public static final int AUTH_HMAC_MD5 = 1;
    public static final int AUTH_HMAC_SHA = 2;
    public static final int AUTH_HMAC_SHA2_256 = 5;

    public static final Registry CLASS = Registry.of("phase 2 attribute",
            LIFE_TYPE, "SA Life Type", LIFE_DURATION, "SA Life Duration", GROUP_DESCRIPTION, "Group Description",
            ENCAPSULATION_MODE, "Encapsulation Mode", AUTH_ALGORITHM, "Authentication Algorithm", KEY_LENGTH, "Key Length",
            KEY_ROUNDS, "Key Rounds", COMPRESS_DICTIONARY_SIZE, "Compress Dictionary Size",
            COMPRESS_PRIVATE_ALGORITHM, "Compress Private Algorithm", ECN_TUNNEL, "ECN Tunnel",
            EXTENDED_SEQUENCE_NUMBER, "Extended Sequence Number");
    public static final Registry LIFE = Registry.of("life type", LIFE_SECONDS, "Seconds", LIFE_KILOBYTES, "Kilobytes");
    public static final Registry MODE = Registry.of("encapsulation mode", MODE_TUNNEL, "Tunnel", MODE_TRANSPORT, "Transport",
            MODE_UDP_TUNNEL, "UDP-Encapsulated-Tunnel", MODE_UDP_TRANSPORT, "UDP-Encapsulated-Transport",
            MODE_UDP_TUNNEL_DRAFT, "UDP-Encapsulated-Tunnel(draft)", MODE_UDP_TRANSPORT_DRAFT, "UDP-Encapsulated-Transport(draft)");
    public static final Registry AUTH = Registry.of("authentication algorithm", AUTH_HMAC_MD5, "HMAC-MD5",
            AUTH_HMAC_SHA, "HMAC-SHA", 3, "DES-MAC", 4, "KPDK", AUTH_HMAC_SHA2_256, "HMAC-SHA2-256", 6, "HMAC-SHA2-384",
            7, "HMAC-SHA2-512");

    public static Registry values(int attributeClass) {
        return switch (attributeClass) {
            case LIFE_TYPE -> LIFE;
            case ENCAPSULATION_MODE -> MODE;
            case AUTH_ALGORITHM -> AUTH;
            case GROUP_DESCRIPTION -> Phase1Attribute.GROUP;
            default -> null;
        };
    }

    private Phase2Attribute() {
    }
}
