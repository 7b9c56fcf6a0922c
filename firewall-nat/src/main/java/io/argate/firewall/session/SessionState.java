package io.argate.firewall.session;

/**
 * The state of one session, as SHOW FIREWALL SESSION prints it. TCP follows the connection
 * (RFC 793 section 3.2, collapsed to what a middlebox can see, as RFC 5382 does); UDP, ICMP and
 * other protocols only know whether the far side answered and, for UDP, whether the
 * five-packet rule of the fact sheet section 4.2 has been met.
 */
public enum SessionState {
    /** A free slot of the table, never shown. */
    FREE,
    /** TCP: the first SYN went out, nothing came back yet. */
    SYN_SENT,
    /** TCP: the SYN-ACK came back, the handshake's last ACK has not. */
    SYN_RECV,
    /** TCP: the handshake completed. */
    ESTABLISHED,
    /** TCP: one side or both sent a FIN. */
    FIN_WAIT,
    /** TCP: both FINs were acknowledged; the session waits 2 MSL for stray segments. */
    TIME_WAIT,
    /** TCP: a RST ended the connection. */
    CLOSED,
    /** UDP, ICMP, others: packets went one way only so far. */
    UNREPLIED,
    /** UDP, ICMP, others: the far side answered. */
    REPLIED,
    /** UDP: five packets in one direction plus one more, so UDPTIMEOUT applies. */
    ASSURED;

    private static final SessionState[] BY_CODE = values();

    public int code() {
        return ordinal();
    }

    public static SessionState of(int code) {
        return BY_CODE[code];
    }
}
