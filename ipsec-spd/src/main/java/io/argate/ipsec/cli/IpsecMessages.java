package io.argate.ipsec.cli;

import io.argate.shell.msg.Kind;
import io.argate.shell.msg.Message;
import io.argate.shell.msg.MessageDef;

/** Every message of the IPSEC module (module number 81, as the seed's {@code Info (181057)}). */
public enum IpsecMessages implements MessageDef {
    SPEC_EXISTS(Kind.ERROR, 1, "SA specification %d already exists"),
    SPEC_MISSING(Kind.ERROR, 2, "SA specification %d does not exist"),
    SPEC_RULE(Kind.ERROR, 3, "%s"),
    SPEC_IN_USE(Kind.ERROR, 4, "SA specification %d is used by bundle specification %d; destroy or change the bundle first"),
    BUNDLE_EXISTS(Kind.ERROR, 5, "Bundle specification %d already exists"),
    BUNDLE_MISSING(Kind.ERROR, 6, "Bundle specification %d does not exist"),
    BUNDLE_STRING(Kind.ERROR, 7, "Bundle specification %d STRING \"%s\": %s"),
    BUNDLE_IN_USE(Kind.ERROR, 8, "Bundle specification %d is used by IPsec policy %s; destroy or change the policy first"),
    POLICY_EXISTS(Kind.ERROR, 9, "IPsec policy %s already exists"),
    POLICY_MISSING(Kind.ERROR, 10, "IPsec policy %s does not exist"),
    NO_INTERFACE(Kind.ERROR, 11, "Interface %s does not exist; add it with ADD IP INTERFACE first"),
    POLICY_RULE(Kind.ERROR, 12, "IPsec policy %s: %s"),
    MASK_WITHOUT_ADDRESS(Kind.ERROR, 14, "IPsec policy %s: %s needs %s with a single address, not ANY or a range"),
    POSITION_RANGE(Kind.ERROR, 15, "IPsec policy %s: POSITION %d is past the end of interface %s's list (%d policies)"),
    UDP_PORT_CHANGED(Kind.INFO, 16, "IPsec UDP tunnel port is now %d"),
    ALREADY_ENABLED(Kind.WARNING, 17, "IPsec is already enabled"),
    ALREADY_DISABLED(Kind.WARNING, 18, "IPsec is already disabled"),
    ENABLED(Kind.INFO, 19, "IPsec module has been enabled"),
    DISABLED(Kind.INFO, 20, "IPsec module has been disabled"),
    PURGED(Kind.INFO, 21, "IPsec configuration has been purged"),
    COUNTERS_RESET(Kind.INFO, 22, "IPsec counters have been reset"),
    SA_MISSING(Kind.ERROR, 23, "SA %d does not exist"),
    PFS_GROUP(Kind.ERROR, 24, "GROUP=%d is not a group argate offers for PFS; use 0 (none), 1, 2, 5, 14, 15 or 16"),
    DEBUG_ENABLED(Kind.INFO, 57, "IPSEC Policy Debugging has been enabled"),
    DEBUG_DISABLED(Kind.INFO, 58, "IPSEC Policy Debugging has been disabled");

    public static final int MODULE = 81;

    private final Message message;

    IpsecMessages(Kind kind, int number, String text) {
        this.message = new Message(kind, MODULE, number, text);
    }

    @Override
    public Message message() {
        return message;
    }
}
