package io.argate.firewall.config;

/**
 * ENCAPSULATION of a rule: NONE matches packets as they arrived, IPSEC matches the packets
 * IPsec took out of a tunnel (seed 003, "IPsecとファイアウォールの併用": the rule applies after the
 * original packet is extracted from the IPsec packet).
 */
public enum Encapsulation {
    NONE, IPSEC
}
