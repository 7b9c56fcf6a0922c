package io.argate.ip.packet;

/** The well-known UDP ports of the router's own services, in one place with where they come from. */
public final class Ports {
    private Ports() {
    }

    /** ISAKMP (RFC 2408 section 2.5.2, IANA "isakmp"). */
    public static final int ISAKMP = 500;
    /** IKE and ESP behind NAT (RFC 3947 section 4, RFC 3948 section 2). */
    public static final int NAT_T = 4500;
    /** ESP over UDP of the AR routers' UDPTUNNEL (seed 003, "UDP tunnelling"; SET IPSEC UDPPORT changes it). */
    public static final int UDP_TUNNEL = 2746;
}
