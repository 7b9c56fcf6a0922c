package io.argate.firewall.engine;

import io.argate.firewall.FirewallLimits;
import io.argate.firewall.session.Flow;
import io.argate.firewall.session.SessionState;
import io.argate.firewall.session.SessionTable;
import io.argate.firewall.wire.TcpHeader;

/**
 * Follows one TCP connection through a session (RFC 793 section 3.2 as a middlebox sees it,
 * RFC 5382 for the timeouts): the handshake, FINs from both sides, RST; and a cheap window
 * sanity check so a segment far outside what the connection has sent (a blind injection, a stale
 * tuple) does not pass.
 */
final class TcpTracker {
    static final int FIN_ORIG = 1;
    static final int FIN_REPLY = 2;
    /** The reply direction's sequence space is known (set when its SYN-ACK passed). */
    static final int REPLY_KNOWN = 4;

    private TcpTracker() {
    }

    /** Flags no real segment carries: SYN with FIN or RST, or none of SYN/ACK/RST. */
    static boolean impossible(int flags) {
        int syn = flags & TcpHeader.SYN;
        return syn != 0 && (flags & (TcpHeader.FIN | TcpHeader.RST)) != 0
                || (flags & (TcpHeader.SYN | TcpHeader.ACK | TcpHeader.RST)) == 0;
    }

    /** True for the segment that may start a connection: SYN alone (ECN bits allowed). */
    static boolean opens(int flags) {
        return (flags & (TcpHeader.SYN | TcpHeader.ACK | TcpHeader.RST | TcpHeader.FIN)) == TcpHeader.SYN;
    }

    /**
     * Moves the session along for a segment of {@code dir}; returns null when it passes or the
     * counter naming why it does not.
     */
    static FirewallCounter track(SessionTable t, int id, int dir, Flow f) {
        int flags = f.tcpFlags;
        if (impossible(flags)) {
            return FirewallCounter.TCP_BAD_FLAGS;
        }
        SessionState state = t.state(id);
        if (dir == 0 && opens(flags) && (state == SessionState.TIME_WAIT || state == SessionState.CLOSED)) {
            t.restart(id, f.seq + f.segmentLength);
            return null;
        }
        boolean replyKnown = (t.fins(id) & REPLY_KNOWN) != 0;
        boolean mineKnown = dir == 0 || replyKnown;
        if (mineKnown && (flags & TcpHeader.SYN) == 0) {
            int d = f.seq - t.end(id, dir);
            if (d > FirewallLimits.TCP_MAX_WINDOW || d < -FirewallLimits.TCP_MAX_WINDOW) {
                return FirewallCounter.TCP_OUT_OF_WINDOW;
            }
        }
        boolean otherKnown = dir == 1 || replyKnown;
        if ((flags & TcpHeader.ACK) != 0 && otherKnown && f.ack - t.end(id, 1 - dir) > 0) {
            return FirewallCounter.TCP_OUT_OF_WINDOW; // acknowledges data never sent
        }
        if ((flags & TcpHeader.RST) != 0) {
            t.transition(id, state, SessionState.CLOSED, 0);
            return null;
        }
        switch (state) {
            case SYN_SENT -> {
                if (dir == 1 && (flags & (TcpHeader.SYN | TcpHeader.ACK)) == (TcpHeader.SYN | TcpHeader.ACK)) {
                    t.transition(id, state, SessionState.SYN_RECV, REPLY_KNOWN);
                } else if (dir == 1) {
                    return FirewallCounter.TCP_OUT_OF_WINDOW; // no handshake reply, nothing else fits
                }
            }
            case SYN_RECV -> {
                if (dir == 0 && (flags & TcpHeader.ACK) != 0 && (flags & TcpHeader.SYN) == 0) {
                    t.transition(id, state, (flags & TcpHeader.FIN) != 0 ? SessionState.FIN_WAIT : SessionState.ESTABLISHED,
                            (flags & TcpHeader.FIN) != 0 ? FIN_ORIG : 0);
                }
            }
            case ESTABLISHED -> {
                if ((flags & TcpHeader.FIN) != 0) {
                    t.transition(id, state, SessionState.FIN_WAIT, dir == 0 ? FIN_ORIG : FIN_REPLY);
                }
            }
            case FIN_WAIT -> {
                int fins = t.fins(id);
                if ((flags & TcpHeader.FIN) != 0) {
                    t.transition(id, state, SessionState.FIN_WAIT, dir == 0 ? FIN_ORIG : FIN_REPLY);
                } else if ((fins & (FIN_ORIG | FIN_REPLY)) == (FIN_ORIG | FIN_REPLY) && (flags & TcpHeader.ACK) != 0) {
                    // the last ACK: it acknowledges the second FIN
                    t.transition(id, state, SessionState.TIME_WAIT, 0);
                }
            }
            default -> {
            }
        }
        if (dir == 1 && (flags & TcpHeader.SYN) != 0) {
            // the SYN-ACK fixes where the reply's sequence space starts
            t.advanceEndFrom(id, 1, f.seq + f.segmentLength);
        } else {
            t.advanceEnd(id, dir, f.seq + f.segmentLength);
        }
        return null;
    }

    /** Seconds a session in {@code state} lives without traffic. */
    static int timeout(SessionState state, int established) {
        return switch (state) {
            case ESTABLISHED -> established;
            case CLOSED -> FirewallLimits.TCP_RESET_SECONDS;
            case FIN_WAIT, TIME_WAIT -> FirewallLimits.TCP_CLOSING_SECONDS;
            default -> FirewallLimits.TCP_HANDSHAKE_SECONDS;
        };
    }
}
