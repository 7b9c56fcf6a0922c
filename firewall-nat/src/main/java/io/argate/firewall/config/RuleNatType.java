package io.argate.firewall.config;

/** NATTYPE of a rule ([C:S39]); see {@link RuleNat} for what each translates. */
public enum RuleNatType {
    DOUBLE, ENHANCED, REVERSE, STANDARD
}
