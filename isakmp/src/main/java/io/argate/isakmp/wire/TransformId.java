package io.argate.isakmp.wire;

/**
 * Transform identifiers per protocol: KEY_IKE for ISAKMP (RFC 2407 section 4.4.2), ESP
 * (section 4.4.4, RFC 3602 for AES-CBC), AH (section 4.4.3) and IPComp (section 4.4.5).
 */
public final class TransformId {
    public static final int KEY_IKE = 1;

    public static final int AH_MD5 = 2;
    public static final int AH_SHA = 3;
    public static final int AH_SHA2_256 = 5;

    public static final int ESP_DES = 2;
    public static final int ESP_3DES = 3;
    public static final int ESP_NULL = 11;
    public static final int ESP_AES = 12;

    public static final int IPCOMP_DEFLATE = 2;
    public static final int IPCOMP_LZS = 3;

    public static final Registry ISAKMP = Registry.of("ISAKMP transform", KEY_IKE, "IKE");
    public static final Registry AH = Registry.of("AH transform", AH_MD5, "MD5", AH_SHA, "SHA", 4, "DES",
            AH_SHA2_256, "SHA2-256", 6, "SHA2-384", 7, "SHA2-512");
    public static final Registry ESP = Registry.of("ESP transform", 1, "DES_IV64", ESP_DES, "DES", ESP_3DES, "3DES",
            4, "RC5", 5, "IDEA", 6, "CAST", 7, "BLOWFISH", 8, "3IDEA", 9, "DES_IV32", 10, "RC4", ESP_NULL, "NULL",
            ESP_AES, "AES", 18, "AES-GCM-8", 19, "AES-GCM-12", 20, "AES-GCM-16");
    public static final Registry IPCOMP = Registry.of("IPComp transform", 1, "OUI", IPCOMP_DEFLATE, "DEFLATE",
            IPCOMP_LZS, "LZS");

    /** The registry for a proposal's protocol id. */
    public static Registry forProtocol(int protocolId) {
        return switch (protocolId) {
            case Doi.PROTO_ISAKMP -> ISAKMP;
            case Doi.PROTO_AH -> AH;
            case Doi.PROTO_ESP -> ESP;
            case Doi.PROTO_IPCOMP -> IPCOMP;
            default -> Registry.of("transform");
        };
    }

    private TransformId() {
    }
}
