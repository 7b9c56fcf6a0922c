package io.argate.firewall.config;

/** What a rule does with a matching packet ([C:S39]); NAT and NONAT both imply that it passes. */
public enum RuleAction {
    ALLOW, DENY, NAT, NONAT;

    public boolean passes() {
        return this != DENY;
    }
}
