package io.argate.ip.forward;

/** Every reason the IP layer throws a packet away; SHOW IP COUNTERS prints each count. */
public enum DropReason {
    TRUNCATED, BAD_VERSION, BAD_HEADER_LENGTH, BAD_TOTAL_LENGTH, BAD_CHECKSUM, TTL_EXCEEDED, NO_ROUTE,
    FRAGMENTATION_NEEDED, UNKNOWN_PROTOCOL, NO_LISTENER, FRAGMENT_REJECTED, PORT_DOWN, FILTERED, ICMP_RATE_LIMITED,
    /** The egress interface's SPD said DENY (or the implicit deny), or IPsec could not protect the packet. */
    POLICY,
    /** A packet came back to INPUT more than {@link Forwarder#MAX_PASSES} times (tunnels nested too deep). */
    TOO_MANY_PASSES,
    /** A source the router must not accept from a port (RFC 1812 5.3.7): 0.0.0.0, 127/8, class D or E. */
    MARTIAN_SOURCE,
    /** The router's own address as the source of a packet arriving from outside: spoofed. */
    SPOOFED_OWN_SOURCE,
    /** IP options that do not parse (RFC 791 section 3.1: a length past the header, or below 2). */
    BAD_OPTIONS,
    /** Loose or strict source routing, not honoured by default (RFC 7126 section 4.3, 4.4). */
    SOURCE_ROUTED,
    /** A directed broadcast to a connected subnet, not forwarded by default (RFC 2644). */
    DIRECTED_BROADCAST,
    /** A TUN port's virtio-net header that does not fit its packet (a checksum or segment the kernel described wrongly). */
    BAD_OFFLOAD,
    /** A stage threw (a bug): the packet is lost, the receive thread carries on. */
    INTERNAL_ERROR
}
