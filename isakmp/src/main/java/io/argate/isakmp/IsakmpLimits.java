package io.argate.isakmp;

import java.time.Duration;

/** Every protocol number, limit and timer of the daemon in one place (STYLE.md, the WireGuard practice). */
public final class IsakmpLimits {
    /** ISAKMP's port (RFC 2408 section 2.5.2). */
    public static final int IKE_PORT = 500;
    /** NAT-T's port once a NAT is found (RFC 3947 section 4). */
    public static final int NAT_T_PORT = 4500;
    /** The four zero bytes in front of IKE on port 4500 (RFC 3948 section 2.2). */
    public static final int NON_ESP_MARKER = 4;
    /** Nonce bytes we send (RFC 2409 section 5: 8..256). */
    public static final int NONCE_LENGTH = 20;
    /** Phase 1 exchanges we answer before they authenticate, per peer address and in total. */
    public static final int HALF_OPEN_PER_PEER = 8;
    public static final int HALF_OPEN_TOTAL = 256;
    /** Phase 2 exchanges in flight on one ISAKMP SA (PHASE2XCHGLIMIT=NONE still has a ceiling). */
    public static final int PHASE2_IN_FLIGHT = 64;
    /** How long a finished exchange is kept to answer a retransmission of its last message. */
    public static final Duration LINGER = Duration.ofSeconds(40);
    /** Rekey starts at 95% of a lifetime less up to this many percent of jitter, so two peers rarely rekey at once. */
    public static final int REKEY_JITTER_PERCENT = 5;
    /** How often a replaced IPsec SA bundle checks whether its successor carries traffic yet. */
    public static final Duration REKEY_WATCH = Duration.ofSeconds(1);
    /**
     * A replaced bundle on which nothing arrived for this long (after DELETEDELAY) since its
     * successor started sending is retired even though the successor carried no traffic yet: an
     * idle tunnel. Far longer than a packet stays in flight.
     */
    public static final Duration REPLACED_QUIET = Duration.ofSeconds(10);
    /** The responder's rekey delay window when a bundle has only a volume limit (no seconds to take a part of). */
    public static final int REKEY_JITTER_SECONDS = 10;
    /** ISAKMP SA lifetime floor (fact sheet 2.5: EXPIRYSECONDS=600..31449600). */
    public static final long MIN_PHASE1_SECONDS = 600;
    /** Transaction exchanges (XAUTH, Mode Config) in flight on one ISAKMP SA; a peer that opens more is dropped and counted. */
    public static final int TRANSACTIONS_IN_FLIGHT = 4;
    /** How long an XAUTH or Mode Config step may take after phase 1 before the ISAKMP SA is deleted (a user typing a password counts). */
    public static final Duration REMOTE_ACCESS_WAIT = Duration.ofSeconds(120);
    /**
     * ISAKMP SAs an XAUTH server keeps waiting for a password, per peer address and in total: a
     * client that knows the group key but never answers (or a flood of them) holds no more than
     * this while REMOTE_ACCESS_WAIT runs; beyond it a new SA is deleted at once, counted.
     */
    public static final int XAUTH_PENDING_PER_PEER = 8;
    public static final int XAUTH_PENDING_TOTAL = 256;
    /** Longest XAUTH user name and password we take (fact sheet 2.5: XAUTHNAME and XAUTHPASSWORD are 1..64 characters). */
    public static final int XAUTH_MAX_TEXT = 64;

    /** RFC 3706 section 5.5: an unanswered R-U-THERE is repeated at this interval ... */
    public static final Duration DPD_RETRY_INTERVAL = Duration.ofSeconds(5);
    /** ... and the peer is declared dead once this many went unanswered (idle timeout + 20 s at most). */
    public static final int DPD_MAX_UNANSWERED = 4;
    /** How often HEARTBEATMODE=SEND/BOTH sends the heartbeat (carried in the message, so the receiver knows). */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
    /** Heartbeat intervals without one before HEARTBEATMODE=RECEIVE/BOTH declares the peer dead. */
    public static final int HEARTBEAT_MISSES = 3;
    /** Re-initiation to a dead peer: the first try after this, then doubling up to the ceiling. */
    public static final Duration REINITIATE_FIRST = Duration.ofSeconds(5);
    public static final Duration REINITIATE_MAX = Duration.ofSeconds(300);
    /** Cleared ISAKMP SAs kept for SHOW ISAKMP SA=n to say why they went. */
    public static final int CLEARED_KEPT = 32;
    /** Largest UDP payload an IPv4 datagram can carry. */
    public static final int MAX_MESSAGE = 65507;

    private IsakmpLimits() {
    }
}
