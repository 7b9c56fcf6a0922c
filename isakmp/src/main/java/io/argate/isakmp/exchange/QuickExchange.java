package io.argate.isakmp.exchange;

import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spec.BundleSpecification;
import io.argate.ipsec.spec.IpsecProtocol;
import io.argate.isakmp.crypto.ModpGroup;
import io.argate.isakmp.wire.IdPayload;
import io.argate.isakmp.wire.SaPayload;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * One Quick Mode exchange (RFC 2409 section 5.5) on an ISAKMP SA: its message id, its own IV
 * chain (started from hash(last phase 1 block | M-ID), appendix B), nonces, PFS values, the
 * SPIs we reserved, and what was offered or chosen.
 */
final class QuickExchange {
    final int exchangeId;
    final int messageId;
    final boolean initiator;
    ExchangeState state = ExchangeState.QUICK_STARTING;
    final Instant started;
    IpsecPolicy policy;
    BundleSpecification bundle;
    byte[] iv;
    byte[] ni;
    byte[] nr;
    ModpGroup pfs;
    ModpGroup.KeyPair dh;
    byte[] gxy;
    IdPayload idci;
    IdPayload idcr;
    SaPayload offered;
    final Map<IpsecProtocol, Integer> ourSpis = new EnumMap<>(IpsecProtocol.class);
    Phase2Proposals.Choice chosen;
    final Retransmitter retransmit = new Retransmitter();
    Instant finishedAt;
    /** The SAD bundle this exchange installed, -1 before; {@code sending} once its outbound SAs are in use. */
    int bundleId = -1;
    boolean sending;
    /** We set the commit bit (RFC 2408 section 3.1): as responder, CONNECTED follows our install. */
    boolean commit;
    /** The peer set the commit bit in its answer: as initiator, we send only after its CONNECTED. */
    boolean peerCommit;
    /** How many times RETRYIKEATTEMPTS started this Quick Mode over (0 for the first try). */
    int ikeRetries;

    QuickExchange(int exchangeId, int messageId, boolean initiator, Instant started) {
        this.exchangeId = exchangeId;
        this.messageId = messageId;
        this.initiator = initiator;
        this.started = started;
    }

    void transition(ExchangeState to, IkeSa.StateLog log) {
        if (!Transitions.allowed(state, to, initiator)) {
            throw new IllegalStateException("Exchange " + exchangeId + ": no transition " + state.display() + " -> " + to.display());
        }
        log.state(exchangeId, state, to);
        state = to;
    }
}
