package io.argate.ipsec.sad;

/**
 * ESP carried in UDP for one SA bundle: the AR's UDP tunnelling (seed 003, local port from SET
 * IPSEC UDPPORT, remote from the policy's UDPPORT, both 2746 by default) or NAT traversal
 * (RFC 3948; ISAKMP sets 4500 and, behind a NAT, the peer's mapped port). The framing is the
 * same in both cases, so the data path has one encapsulation and this says only which ports.
 *
 * @param localPort  UDP source port of the ESP the router sends
 * @param remotePort UDP destination port at the peer
 */
public record UdpEncap(int localPort, int remotePort) {
    public UdpEncap {
        if (localPort < 1 || localPort > 65535 || remotePort < 1 || remotePort > 65535) {
            throw new IllegalArgumentException("UDP encapsulation ports must be 1..65535, not " + localPort + "/" + remotePort);
        }
    }
}
