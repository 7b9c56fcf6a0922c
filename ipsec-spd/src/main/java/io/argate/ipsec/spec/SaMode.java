package io.argate.ipsec.spec;

/** MODE of an SA specification; TUNNEL is the default (seed 003). */
public enum SaMode {
    TUNNEL, TRANSPORT
}
