package io.argate.ipsec.spd;

/**
 * LPORT/RPORT and TRANSPORTPROTOCOL selectors: ANY or one value. Ports only match packets that
 * carry them (TCP and UDP first fragments).
 */
public final class PortSelector {
    /** Matches every packet, with or without ports. */
    public static final int ANY = -1;

    /** What a packet without ports (ICMP, later fragments) passes as its port. */
    public static final int NONE = -2;

    private PortSelector() {
    }
}
