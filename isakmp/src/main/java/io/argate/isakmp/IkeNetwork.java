package io.argate.isakmp;

/**
 * How the daemon reaches the network: the router sends through its own UDP endpoint (IP
 * stack's local delivery, source port 500 or 4500), tests through a fake wire. The daemon puts
 * the non-ESP marker in front of messages it sends on 4500 itself (RFC 3948 section 2.2), so
 * {@code payload} is the UDP payload exactly.
 */
public interface IkeNetwork {
    /** Sends one UDP datagram from {@code localAddress:localPort} to {@code remoteAddress:remotePort}. */
    void send(int localAddress, int localPort, int remoteAddress, int remotePort, byte[] payload);

    /** The address our packets to {@code remoteAddress} leave from (the egress interface's, DESIGN.md section 4). */
    int sourceFor(int remoteAddress);

    /**
     * The address of a named interface (an ISAKMP policy's SRCINTERFACE), or 0 when it does
     * not exist or has no address, so the caller falls back to {@link #sourceFor}. A network
     * without named interfaces knows none.
     */
    default int addressOf(String iface) {
        return 0;
    }
}
