package io.argate.isakmp.exchange;

import io.argate.shell.loop.ControlLoop;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static io.argate.isakmp.exchange.ExchangeState.*;

/**
 * One Transaction exchange (ISAKMP exchange type 6, draft-dukes-ike-mode-cfg-02 section 3) on an
 * ISAKMP SA: a REQUEST and its REPLY, or a SET and its ACK, under one message ID with its own IV
 * chain started from hash(last phase 1 block | M-ID) as RFC 2409 appendix B gives phase 2
 * exchanges. XAUTH and Mode Config each run as one or two of these.
 */
final class TransactionExchange {
    /** What the exchange is for: the log and the counters say which. */
    enum Purpose {
        XAUTH, MODECFG
    }

    /**
     * The moves of the fact sheet's Transaction states: the side that asks goes REQSENT then
     * REPRECV (or SETSENT then ACKRECV), the side that answers REQRECV then REPSENT (SETRECV then
     * ACKSENT); both end UP.
     */
    private static final Map<ExchangeState, Set<ExchangeState>> MOVES = Map.of(
            TRANS_IDLE, Set.of(TRANS_REQSENT, TRANS_SETSENT, TRANS_REQRECV, TRANS_SETRECV),
            TRANS_REQSENT, Set.of(TRANS_REPRECV),
            TRANS_REPRECV, Set.of(TRANS_UP),
            TRANS_SETSENT, Set.of(TRANS_ACKRECV),
            TRANS_ACKRECV, Set.of(TRANS_UP),
            TRANS_REQRECV, Set.of(TRANS_REPSENT),
            TRANS_REPSENT, Set.of(TRANS_UP),
            TRANS_SETRECV, Set.of(TRANS_ACKSENT),
            TRANS_ACKSENT, Set.of(TRANS_UP));

    final int exchangeId;
    final int messageId;
    /** True when we sent the first message (REQUEST or SET). */
    final boolean initiator;
    final Purpose purpose;
    final Instant started;
    ExchangeState state = TRANS_IDLE;
    /** The Attribute payload identifier the answer must repeat (section 3.2). */
    int identifier;
    byte[] iv;
    final Retransmitter retransmit = new Retransmitter();
    ControlLoop.Timer linger;
    /** Why it failed, for SHOW ISAKMP EXCHANGE=n. */
    String failure;

    TransactionExchange(int exchangeId, int messageId, boolean initiator, Purpose purpose, Instant started) {
        this.exchangeId = exchangeId;
        this.messageId = messageId;
        this.initiator = initiator;
        this.purpose = purpose;
        this.started = started;
    }

    boolean done() {
        return state == TRANS_UP;
    }

    /** The one place the state changes; a move the table does not have is a bug. */
    void transition(ExchangeState to, IkeSa.StateLog log) {
        if (!MOVES.getOrDefault(state, Set.of()).contains(to)) {
            throw new IllegalStateException("Exchange " + exchangeId + ": no transition " + state.display() + " -> " + to.display());
        }
        log.state(exchangeId, state, to);
        state = to;
    }

    /** True when the table has this move (for the table's test). */
    static boolean allowed(ExchangeState from, ExchangeState to) {
        return MOVES.getOrDefault(from, Set.of()).contains(to);
    }
}
