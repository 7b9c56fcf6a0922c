package io.argate.isakmp.wire;

/**
 * The Type field of the Attribute payload (draft-dukes-ike-mode-cfg-02 section 3.2): a
 * transaction is a REQUEST answered by a REPLY, or a SET answered by an ACK.
 */
public final class CfgType {
    public static final int REQUEST = 1;
    public static final int REPLY = 2;
    public static final int SET = 3;
    public static final int ACK = 4;

    public static final Registry REGISTRY = Registry.of("configuration message type",
            REQUEST, "ISAKMP_CFG_REQUEST", REPLY, "ISAKMP_CFG_REPLY", SET, "ISAKMP_CFG_SET", ACK, "ISAKMP_CFG_ACK");

    /** The type that answers {@code type}: REPLY for REQUEST, ACK for SET, -1 for an answer. */
    public static int answer(int type) {
        return type == REQUEST ? REPLY : type == SET ? ACK : -1;
    }

    private CfgType() {
    }
}
