package io.argate.firewall.cli;

import io.argate.shell.msg.Kind;
import io.argate.shell.msg.Message;
import io.argate.shell.msg.MessageDef;

/** Every message of the FIREWALL module (module number 77). */
public enum FirewallMessages implements MessageDef {
    ENABLED(Kind.INFO, 1, "Firewall has been enabled"),
    DISABLED(Kind.INFO, 2, "Firewall has been disabled"),
    ALREADY_ENABLED(Kind.WARNING, 3, "Firewall is already enabled"),
    ALREADY_DISABLED(Kind.WARNING, 4, "Firewall is already disabled"),
    POLICY_EXISTS(Kind.ERROR, 5, "Firewall policy %s already exists"),
    POLICY_MISSING(Kind.ERROR, 6, "Firewall policy %s does not exist"),
    NO_INTERFACE(Kind.ERROR, 7, "Interface %s does not exist; add it with ADD IP INTERFACE first"),
    INTERFACE_IN_POLICY(Kind.ERROR, 8, "Interface %s is already %s in firewall policy %s"),
    INTERFACE_NOT_IN_POLICY(Kind.ERROR, 9, "Interface %s is not in firewall policy %s"),
    RULE_EXISTS(Kind.ERROR, 10, "Rule %d already exists in firewall policy %s"),
    RULE_MISSING(Kind.ERROR, 11, "Rule %d does not exist in firewall policy %s"),
    NAT_EXISTS(Kind.ERROR, 12, "Firewall policy %s already has NAT from %s to %s"),
    NAT_MISSING(Kind.ERROR, 13, "Firewall policy %s has no NAT from %s to %s"),
    NAT_INVALID(Kind.ERROR, 14, "Firewall policy %s NAT from %s to %s: %s"),
    RULE_INVALID(Kind.ERROR, 15, "Firewall policy %s rule %d: %s"),
    WHAT_TO_ADD(Kind.ERROR, 16, "Give TYPE to add an interface, NAT to add interface NAT, RULE to add a rule, or UDPPORTTIMEOUT (with TIMEOUT) alone"),
    INTERFACE_IN_USE(Kind.ERROR, 17, "Interface %s is used by %s of firewall policy %s; delete that first"),
    COUNTERS_RESET(Kind.INFO, 18, "Firewall counters have been reset"),
    RULE_DUPLICATE(Kind.ERROR, 19, "Firewall policy %s rule %d would be the same as rule %d"),
    POLICY_CREATED(Kind.INFO, 20, "Firewall policy %s has been created"),
    POLICY_DESTROYED(Kind.INFO, 21, "Firewall policy %s has been destroyed"),
    POLICY_INCOMPLETE(Kind.WARNING, 22, "Firewall policy %s has no %s interface yet and filters nothing"),
    SET_WHAT(Kind.ERROR, 23, "Give RULE with rule parameters, or the policy's TCPTIMEOUT, UDPTIMEOUT, OTHERTIMEOUT, ESPTIMEOUT or FTPDATAPORT, not both"),
    NOTHING_TO_SET(Kind.ERROR, 24, "Nothing to change: give at least one option"),
    SESSIONS_CLEARED(Kind.INFO, 25, "%d firewall sessions have been removed"),
    UDP_PORT_TIMEOUT_EXISTS(Kind.ERROR, 26, "Firewall policy %s already has a timeout for UDP port %d"),
    UDP_PORT_TIMEOUT_MISSING(Kind.ERROR, 27, "Firewall policy %s has no timeout for UDP port %d"),
    RULE_TTL(Kind.INFO, 28, "Rule %d of firewall policy %s will be deleted in %s"),
    RULE_EXPIRED(Kind.INFO, 29, "Rule %d of firewall policy %s has been deleted: its TTL ran out");

    public static final int MODULE = 77;

    private final Message message;

    FirewallMessages(Kind kind, int number, String text) {
        this.message = new Message(kind, MODULE, number, text);
    }

    @Override
    public Message message() {
        return message;
    }
}
