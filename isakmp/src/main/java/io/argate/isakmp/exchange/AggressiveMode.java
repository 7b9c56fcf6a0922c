package io.argate.isakmp.exchange;

import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.IsakmpLimits;
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.crypto.ModpGroup;
import io.argate.isakmp.wire.Doi;
import io.argate.isakmp.wire.IdPayload;
import io.argate.isakmp.wire.KePayload;
import io.argate.isakmp.wire.NoncePayload;
import io.argate.isakmp.wire.NotifyType;
import io.argate.isakmp.wire.Payload;
import io.argate.isakmp.wire.PayloadType;
import io.argate.isakmp.wire.ProposalPayload;
import io.argate.isakmp.wire.SaPayload;

import java.util.ArrayList;
import java.util.List;

/**
 * Aggressive Mode (RFC 2409 section 5.4) with pre-shared keys or RSA signatures, both roles. The responder finds
 * the policy by the peer's address or, for PEER=ANY policies, by the ID payload against
 * REMOTEID (seed 003: "several peers whose address is not fixed, each found by its ID and key").
 */
final class AggressiveMode {
    private AggressiveMode() {
    }

    /** Initiator, message 1: HDR, SA, KE, Ni, IDii [, VID ...]. */
    static void aggrOutI1(IsakmpDaemon d, IkeSa sa) {
        SaPayload offer = Phase1Proposals.offer(sa.policy);
        sa.saiBody = offer.body();
        sa.group = ModpGroup.of(sa.policy.group()).orElseThrow();
        sa.prf = sa.policy.hashAlg();
        Phase1Steps.makeOurKeyExchange(d, sa);
        List<Payload> out = new ArrayList<>(List.of(offer, new KePayload(sa.gxi), new NoncePayload(sa.ni), Phase1Auth.localId(d, sa)));
        out.addAll(Phase1Auth.request(sa));
        out.addAll(VendorIds.ours(sa.policy.natTraversal(), NatTraversal.NONE, true, sa.policy.liveness().dpd().announces()));
        out.addAll(XauthVendorId.ours(sa.policy));
        d.sendPhase1(sa, out, false, true);
        sa.transition(ExchangeState.AGGR_SAKESENT, d);
    }

    /** Responder, message 1 in, message 2 out: HDR, SA, KE, Nr, IDir, HASH_R [, NAT-D, NAT-D]. */
    static void aggrInI1OutR1(IsakmpDaemon d, Inbound in) throws ExchangeFailure {
        IkeSa sa = in.sa();
        IdPayload peerId = in.message().first(IdPayload.class);
        List<IsakmpPolicy> candidates = d.responderCandidates(sa.peer, peerId);
        if (candidates.isEmpty()) {
            throw ExchangeFailure.fail(IsakmpCounter.AGGR_AUTH_FAILED, NotifyType.INVALID_ID_INFORMATION, "the peer's ID "
                    + peerId.text() + " matches no ISAKMP policy's PEER or REMOTEID");
        }
        SaPayload offer = in.message().first(SaPayload.class);
        StringBuilder why = new StringBuilder();
        Phase1Proposals.Agreed a = Phase1Proposals.choose(offer, candidates, why);
        if (a == null) {
            sa.policy = candidates.get(0);
            throw ExchangeFailure.fail(IsakmpCounter.AGGR_NO_PROPOSAL, NotifyType.NO_PROPOSAL_CHOSEN, why.toString());
        }
        Phase1Steps.adopt(sa, a);
        Phase1Steps.checkRemoteId(sa, peerId);
        sa.peerId = peerId;
        sa.peerIdBody = Phase1Steps.rawBody(in.message(), PayloadType.ID);
        sa.saiBody = Phase1Steps.rawBody(in.message(), PayloadType.SA);
        sa.nat = sa.policy.natTraversal() ? VendorIds.natT(in.message()) : NatTraversal.NONE;
        sa.dpd = VendorIds.dpd(in.message());
        sa.access.peerXauthVid = XauthVendorId.announced(in.message());
        Phase1Steps.takePeerKeyExchange(sa, in.message());
        Phase1Steps.makeOurKeyExchange(d, sa);
        Phase1Steps.deriveKeys(d, sa);
        int number = offer.proposals().get(0).number();
        IdPayload id = Phase1Auth.localId(d, sa);
        List<Payload> out = new ArrayList<>();
        out.add(new SaPayload(Doi.IPSEC, Doi.SIT_IDENTITY_ONLY, List.of(new ProposalPayload(number, Doi.PROTO_ISAKMP, new byte[0],
                List.of(a.transform())))));
        out.add(new KePayload(sa.gxr));
        out.add(new NoncePayload(sa.nr));
        out.add(id);
        out.addAll(Phase1Auth.ours(d, sa, id));
        out.addAll(Phase1Auth.request(sa));
        out.addAll(VendorIds.ours(sa.policy.natTraversal(), sa.nat, false, sa.policy.liveness().dpd().announces()));
        out.addAll(XauthVendorId.ours(sa.policy));
        if (sa.nat != NatTraversal.NONE) {
            out.addAll(NatDetection.build(sa));
        }
        d.sendPhase1(sa, out, false, true);
        sa.transition(ExchangeState.AGGR_SAKEAUTHSENT, d);
    }

    /** Initiator, message 2 in, message 3 out: HDR*, HASH_I [, NAT-D, NAT-D]; the SA is up. */
    static void aggrInR1OutI2(IsakmpDaemon d, Inbound in) throws ExchangeFailure {
        IkeSa sa = in.sa();
        Phase1Steps.checkResponderChoice(sa, in.message().first(SaPayload.class));
        sa.rcookie = in.message().header().responderCookie();
        sa.nat = sa.policy.natTraversal() ? VendorIds.natT(in.message()) : NatTraversal.NONE;
        sa.dpd = VendorIds.dpd(in.message());
        sa.access.peerXauthVid = XauthVendorId.announced(in.message());
        Phase1Steps.takePeerKeyExchange(sa, in.message());
        Phase1Steps.deriveKeys(d, sa);
        Phase1Auth.checkPeer(d, sa, in.message(), in.message().first(IdPayload.class), Phase1Steps.rawBody(in.message(), PayloadType.ID),
                "Aggressive Mode message 2");
        Phase1Steps.checkRemoteId(sa, sa.peerId);
        boolean natD = sa.nat != NatTraversal.NONE && NatDetection.process(sa, in.message());
        List<Payload> out = new ArrayList<>();
        out.addAll(Phase1Auth.ours(d, sa, Phase1Auth.localId(d, sa)));
        if (!d.hasOtherSaWith(sa)) {
            // RFC 2407 section 4.6.3.3: our first SA with this peer, so it may drop what it kept of us
            out.add(io.argate.isakmp.wire.NotifyPayload.of(Doi.PROTO_ISAKMP, MainMode.initialContactSpi(sa), NotifyType.INITIAL_CONTACT,
                    new byte[0]));
        }
        if (natD) {
            out.addAll(NatDetection.build(sa));
            if (sa.natLocal || sa.natRemote) {
                d.floatPorts(sa, IsakmpLimits.NAT_T_PORT);
            }
        } else {
            sa.nat = NatTraversal.NONE;
        }
        d.sendPhase1(sa, out, true, false);
        sa.transition(ExchangeState.AGGR_UP, d);
        d.phase1Up(sa, in.message());
    }

    /** Responder, message 3 in: the SA is up. */
    static void aggrInI2(IsakmpDaemon d, Inbound in) throws ExchangeFailure {
        IkeSa sa = in.sa();
        IdPayload peer = sa.peerId;
        Phase1Auth.checkPeer(d, sa, in.message(), peer, sa.peerIdBody, "Aggressive Mode message 3");
        if (sa.nat != NatTraversal.NONE && !NatDetection.process(sa, in.message())) {
            sa.nat = NatTraversal.NONE;
        }
        sa.retransmit.cancel();
        sa.transition(ExchangeState.AGGR_UP, d);
        d.phase1Up(sa, in.message());
    }
}
