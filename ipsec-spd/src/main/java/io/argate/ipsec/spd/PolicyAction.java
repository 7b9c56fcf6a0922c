package io.argate.ipsec.spd;

/** ACTION of an IPsec policy (fact sheet 2.2). */
public enum PolicyAction {
    /** Pass in clear. */
    PERMIT,
    /** Drop. */
    DENY,
    /** Apply the policy's bundle (outbound) / require it (inbound). */
    IPSEC
}
