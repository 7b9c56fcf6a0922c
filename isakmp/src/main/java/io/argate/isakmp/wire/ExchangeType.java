package io.argate.isakmp.wire;

/** ISAKMP exchange types (RFC 2408 section 3.1, RFC 2409 section 5, IANA "ISAKMP Exchange Types"). */
public final class ExchangeType {
    public static final int NONE = 0;
    public static final int BASE = 1;
    /** Identity protection: IKE Main Mode. */
    public static final int IDPROT = 2;
    public static final int AUTH_ONLY = 3;
    /** IKE Aggressive Mode. */
    public static final int AGGRESSIVE = 4;
    public static final int INFO = 5;
    /** Mode-config and XAUTH (draft-ietf-ipsec-isakmp-mode-cfg). */
    public static final int TRANSACTION = 6;
    public static final int QUICK = 32;
    public static final int NEW_GROUP = 33;

    public static final Registry REGISTRY = Registry.of("exchange type",
            NONE, "NONE", BASE, "BASE", IDPROT, "IDPROT", AUTH_ONLY, "AUTH_ONLY", AGGRESSIVE, "AGGRESSIVE",
            INFO, "INFO", TRANSACTION, "TRANSACTION", QUICK, "QUICK", NEW_GROUP, "NEW_GROUP");

    private ExchangeType() {
    }
}
