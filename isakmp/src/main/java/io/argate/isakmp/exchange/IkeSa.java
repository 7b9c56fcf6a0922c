package io.argate.isakmp.exchange;

import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.crypto.ModpGroup;
import io.argate.isakmp.crypto.Phase1Cipher;
import io.argate.isakmp.crypto.Phase1Keys;
import io.argate.isakmp.crypto.PrfAlgorithm;
import io.argate.isakmp.wire.IdPayload;
import io.argate.shell.loop.ControlLoop;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ISAKMP SA from its first message on: the phase 1 exchange that builds it (Main or
 * Aggressive Mode), then the SA itself with the Quick Mode and Informational exchanges it
 * protects. Only the control loop touches it. Its state moves only through {@link #transition},
 * which refuses any move the table does not have.
 */
final class IkeSa {
    final int exchangeId;
    int saId = -1;
    final boolean initiator;
    final ExchangeKind kind;
    ExchangeState state;
    IsakmpPolicy policy;
    final int peer;
    int peerPort;
    final int local;
    int localPort;
    final long icookie;
    long rcookie;
    final Instant started;
    Instant upAt;

    byte[] ni;
    byte[] nr;
    ModpGroup group;
    ModpGroup.KeyPair dh;
    byte[] gxi;
    byte[] gxr;
    byte[] gxy;
    /** The initiator's SA payload body (SAi_b of RFC 2409 section 5). */
    byte[] saiBody;
    Phase1Cipher cipher;
    PrfAlgorithm prf;
    long lifeSeconds;
    long lifeKbytes;
    Phase1Keys keys;
    /** During phase 1 the IV chain; once UP, the last CBC block of phase 1 (the phase 2 IV base). */
    byte[] iv;
    IdPayload peerId;
    /** With RSA signatures: the subject of the certificate whose key verified the peer, for SHOW and the log. */
    String peerSubject;
    /** The body of the peer's ID payload as it arrived (Aggressive Mode's HASH_I covers it, checked a message later). */
    byte[] peerIdBody;
    NatTraversal nat = NatTraversal.NONE;
    boolean natLocal;
    boolean natRemote;
    boolean dpd;

    final Retransmitter retransmit = new Retransmitter();
    final Map<Integer, QuickExchange> quick = new HashMap<>();
    final Set<Integer> usedMessageIds = new HashSet<>();
    /** IPsec policies whose ACQUIRE waits for this SA to come up. */
    final List<String> waiting = new ArrayList<>();
    ControlLoop.Timer softTimer;
    ControlLoop.Timer hardTimer;
    ControlLoop.Timer keepalive;
    boolean rekeyed;
    /** How many times RETRYIKEATTEMPTS started this phase 1 over (0 for the first try). */
    int ikeRetries;
    String failure;

    IkeSa(int exchangeId, boolean initiator, ExchangeKind kind, IsakmpPolicy policy, int peer, int peerPort, int local, int localPort,
          long icookie, Instant started) {
        this.exchangeId = exchangeId;
        this.initiator = initiator;
        this.kind = kind;
        this.state = kind == ExchangeKind.MAIN ? ExchangeState.MAIN_IDLE : ExchangeState.AGGR_IDLE;
        this.policy = policy;
        this.peer = peer;
        this.peerPort = peerPort;
        this.local = local;
        this.localPort = localPort;
        this.icookie = icookie;
        this.started = started;
    }

    boolean up() {
        return state.up();
    }

    /** NAT-T moved the exchange to port 4500 (RFC 3947 section 4). */
    boolean floated() {
        return localPort == io.argate.isakmp.IsakmpLimits.NAT_T_PORT;
    }

    /**
     * The one place an ISAKMP SA changes state (the iked shape): a move the table does not list
     * is refused with an IllegalStateException, a bug rather than a peer's doing.
     */
    void transition(ExchangeState to, StateLog log) {
        if (!Transitions.allowed(state, to, initiator)) {
            throw new IllegalStateException("Exchange " + exchangeId + ": no transition " + state.display() + " -> " + to.display());
        }
        log.state(exchangeId, state, to);
        state = to;
    }

    /** Where DEBUG=STATE lines go. */
    interface StateLog {
        void state(int exchange, ExchangeState from, ExchangeState to);
    }
}
