package io.argate.ipsec.spd;

/**
 * The packet-matching part of one policy, in the policy's own terms: local and remote
 * addresses, local and remote ports, and the transport protocol ({@link PortSelector#ANY}
 * for any). The classifier matches a packet's local/remote view against it; which header
 * field is "local" depends on the direction (seed 003: local and remote swap meaning between
 * outbound and inbound).
 */
public record Rule(AddressSelector local, AddressSelector remote, int localPort, int remotePort, int protocol) {

    public static final Rule ALL = new Rule(AddressSelector.ANY, AddressSelector.ANY, PortSelector.ANY, PortSelector.ANY, PortSelector.ANY);

    /** The obvious first-match test, used as the reference for the compiled classifier. */
    public boolean matches(int localAddr, int remoteAddr, int proto, int lport, int rport) {
        return local.contains(localAddr) && remote.contains(remoteAddr)
                && (protocol == PortSelector.ANY || protocol == proto)
                && (localPort == PortSelector.ANY || localPort == lport)
                && (remotePort == PortSelector.ANY || remotePort == rport);
    }
}
