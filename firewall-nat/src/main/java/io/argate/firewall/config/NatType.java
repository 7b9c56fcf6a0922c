package io.argate.firewall.config;

/**
 * Interface NAT types ([C:S38]): STANDARD translates addresses only (static with IP and GBLIP,
 * dynamic with a GBLIP range), ENHANCED translates address and port (NAPT).
 */
public enum NatType {
    ENHANCED, STANDARD
}
