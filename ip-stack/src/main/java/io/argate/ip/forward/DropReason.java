package io.argate.ip.forward;

/** Every reason the IP layer throws a packet away; SHOW IP COUNTERS prints each count. */
public enum DropReason {
    TRUNCATED, BAD_VERSION, BAD_HEADER_LENGTH, BAD_TOTAL_LENGTH, BAD_CHECKSUM, TTL_EXCEEDED, NO_ROUTE,
    FRAGMENTATION_NEEDED, UNKNOWN_PROTOCOL, NO_LISTENER, FRAGMENT_REJECTED, PORT_DOWN, FILTERED, ICMP_RATE_LIMITED,
    /** The egress interface's SPD said DENY (or the implicit deny), or IPsec could not protect the packet. */
    POLICY,
    /** A packet came back to INPUT more than {@link Forwarder#MAX_PASSES} times (tunnels nested too deep). */
    TOO_MANY_PASSES,
    /** A stage threw (a bug): the packet is lost, the receive thread carries on. */
    INTERNAL_ERROR
}
