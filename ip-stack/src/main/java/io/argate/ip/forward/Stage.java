package io.argate.ip.forward;

/**
 * The named places of the packet path (DESIGN.md section 4), in the order every packet meets
 * them. A module fills a stage; it does not insert itself by registration order, so the order
 * below is the contract (ForwarderStageOrderTest asserts it).
 *
 * <pre>
 * port RX -> INPUT -> IPSEC_INGRESS -> FIREWALL_INGRESS -> LOCAL (to the router)
 *                                                       -> ROUTE -> FIREWALL_EGRESS -> SPD
 *                                                          -> FRAGMENT -> TRANSMIT
 * </pre>
 *
 * A packet IPsec decapsulates in LOCAL comes back to INPUT with {@link PacketContext#decapsulatedBy()}
 * set, meets the firewall's ENCAP=IPSEC rules and the egress interface's SPD like any other
 * packet; a packet SPD protects leaves with its new egress and goes on to FRAGMENT.
 */
public enum Stage {
    /** Header checks (RFC 791/1812), directed broadcasts, spoofed own source. */
    INPUT,
    /** The ingress interface's SPD: plaintext that should have arrived protected is dropped (IPsec). */
    IPSEC_INGRESS,
    /** The firewall's ingress rules and the reverse translation of NAT (firewall-nat). */
    FIREWALL_INGRESS,
    /** Addressed to the router: reassembly, ICMP, the router's UDP ports, ESP/AH/IPComp. */
    LOCAL,
    /** TTL and the longest-prefix route lookup: the egress interface is known from here on. */
    ROUTE,
    /** The firewall's egress rules and NAT, before the SPD sees the packet (firewall-nat). */
    FIREWALL_EGRESS,
    /** The egress interface's SPD: PERMIT, DENY or IPSEC (IPsec). */
    SPD,
    /** Fragmentation to the egress MTU, or ICMP fragmentation needed when DF is set. */
    FRAGMENT,
    /** The egress port. */
    TRANSMIT
}
