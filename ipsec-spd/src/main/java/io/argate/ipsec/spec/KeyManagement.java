package io.argate.ipsec.spec;

/** How an SA specification or bundle gets its keys: ISAKMP negotiation or manual ENCO keys. */
public enum KeyManagement {
    ISAKMP, MANUAL
}
