package io.argate.isakmp.wire;

/**
 * ISAKMP payload types (RFC 2408 section 3.1, RFC 3947 section 3 for NAT-D/NAT-OA, the
 * pre-RFC draft numbers 130/131 that the draft-02..08 NAT-T implementations send, and
 * mode-config's ATTR from draft-ietf-ipsec-isakmp-mode-cfg).
 */
public final class PayloadType {
    public static final int NONE = 0;
    public static final int SA = 1;
    public static final int PROPOSAL = 2;
    public static final int TRANSFORM = 3;
    public static final int KE = 4;
    public static final int ID = 5;
    public static final int CERT = 6;
    public static final int CR = 7;
    public static final int HASH = 8;
    public static final int SIG = 9;
    public static final int NONCE = 10;
    public static final int NOTIFY = 11;
    public static final int DELETE = 12;
    public static final int VID = 13;
    public static final int ATTR = 14;
    public static final int NAT_D = 20;
    public static final int NAT_OA = 21;
    public static final int NAT_D_DRAFT = 130;
    public static final int NAT_OA_DRAFT = 131;

    public static final Registry REGISTRY = Registry.of("payload type",
            NONE, "NONE", SA, "SA", PROPOSAL, "PROPOSAL", TRANSFORM, "TRANSFORM", KE, "KE", ID, "ID", CERT, "CERT",
            CR, "CR", HASH, "HASH", SIG, "SIG", NONCE, "NONCE", NOTIFY, "NOTIFY", DELETE, "DELETE", VID, "VID",
            ATTR, "ATTR", NAT_D, "NAT-D", NAT_OA, "NAT-OA", NAT_D_DRAFT, "NAT-D-DRAFT", NAT_OA_DRAFT, "NAT-OA-DRAFT");

    /** Long names for DEBUG=PKT, as the reference prints them ("Security Association (SA)"). */
    public static String longName(int type) {
        return switch (type) {
            case SA -> "Security Association (SA)";
            case KE -> "Key Exchange (KE)";
            case ID -> "Identification (ID)";
            case CERT -> "Certificate (CERT)";
            case CR -> "Certificate Request (CR)";
            case HASH -> "Hash (HASH)";
            case SIG -> "Signature (SIG)";
            case NONCE -> "Nonce (NONCE)";
            case NOTIFY -> "Notification (N)";
            case DELETE -> "Delete (D)";
            case VID -> "Vendor ID (VID)";
            case ATTR -> "Attributes (ATTR)";
            case NAT_D, NAT_D_DRAFT -> "NAT Discovery (NAT-D)";
            case NAT_OA, NAT_OA_DRAFT -> "NAT Original Address (NAT-OA)";
            default -> REGISTRY.display(type);
        };
    }

    private PayloadType() {
    }
}
