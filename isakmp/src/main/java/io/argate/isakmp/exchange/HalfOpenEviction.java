package io.argate.isakmp.exchange;

import java.util.Collection;

/**
 * Which half-open exchange a responder gives up when HALF_OPEN_TOTAL is reached and a new
 * first message arrives. Refusing every newcomer would let a flood of first messages from
 * spoofed addresses (which never answer) lock every real client out for as long as the flood
 * lasts and its exchanges take to time out. Instead the oldest exchange whose peer never
 * answered our first reply goes: its address is unproven (RFC 2522 section 2.3's reasoning, as
 * IKEv2's cookies, RFC 7296 section 2.6, act on it), while a real client answers within a round
 * trip and so keeps its slot. An exchange whose peer did answer is never given up.
 */
final class HalfOpenEviction {
    private HalfOpenEviction() {
    }

    /** The oldest responder exchange still waiting for the peer's second message (Main Mode SARECV, Aggressive SAKEAUTHSENT), or null. */
    static IkeSa oldestUnanswered(Collection<IkeSa> sas) {
        IkeSa oldest = null;
        for (IkeSa s : sas) {
            if (s.initiator || s.state != ExchangeState.MAIN_SARECV && s.state != ExchangeState.AGGR_SAKEAUTHSENT) {
                continue;
            }
            if (oldest == null || s.started.isBefore(oldest.started) || s.started.equals(oldest.started) && s.exchangeId < oldest.exchangeId) {
                oldest = s;
            }
        }
        return oldest;
    }
}
