package io.argate.isakmp.exchange;

import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.IsakmpLimits;
import io.argate.isakmp.wire.Doi;
import io.argate.isakmp.wire.IdPayload;
import io.argate.isakmp.wire.KePayload;
import io.argate.isakmp.wire.NoncePayload;
import io.argate.isakmp.wire.NotifyPayload;
import io.argate.isakmp.wire.NotifyType;
import io.argate.isakmp.wire.Payload;
import io.argate.isakmp.wire.PayloadType;
import io.argate.isakmp.wire.ProposalPayload;
import io.argate.isakmp.wire.SaPayload;

import java.util.ArrayList;
import java.util.List;

/**
 * Main Mode (RFC 2409 section 5, identity protection) with pre-shared keys or RSA signatures, both roles; one
 * handler per row of {@link Transitions}, each reading its message and building its answer
 * from the task objects (proposals, key exchange, NAT-D, vendor IDs, identity, hash).
 */
final class MainMode {
    private MainMode() {
    }

    /** Initiator, message 1: HDR, SA [, VID ...]. */
    static void mainOutI1(IsakmpDaemon d, IkeSa sa) {
        SaPayload offer = Phase1Proposals.offer(sa.policy);
        sa.saiBody = offer.body();
        List<Payload> out = new ArrayList<>();
        out.add(offer);
        out.addAll(VendorIds.ours(sa.policy.natTraversal(), NatTraversal.NONE, true, sa.policy.liveness().dpd().announces()));
        out.addAll(XauthVendorId.ours(sa.policy));
        d.sendPhase1(sa, out, false, true);
        sa.transition(ExchangeState.MAIN_SASENT, d);
    }

    /** Responder, message 1 in, message 2 out: HDR, SA [, VID]. */
    static void mainInI1OutR1(IsakmpDaemon d, Inbound in) throws ExchangeFailure {
        IkeSa sa = in.sa();
        SaPayload offer = in.message().first(SaPayload.class);
        StringBuilder why = new StringBuilder();
        List<io.argate.isakmp.config.IsakmpPolicy> candidates = d.responderCandidates(sa.peer, null);
        Phase1Proposals.Agreed a = Phase1Proposals.choose(offer, candidates, why);
        if (a == null) {
            // the policy whose SENDNOTIFY decides whether the peer hears why
            sa.policy = candidates.isEmpty() ? null : candidates.get(0);
            throw ExchangeFailure.fail(IsakmpCounter.MAIN_NO_PROPOSAL, NotifyType.NO_PROPOSAL_CHOSEN, why.toString());
        }
        Phase1Steps.adopt(sa, a);
        sa.saiBody = Phase1Steps.rawBody(in.message(), PayloadType.SA);
        sa.nat = sa.policy.natTraversal() ? VendorIds.natT(in.message()) : NatTraversal.NONE;
        sa.dpd = VendorIds.dpd(in.message());
        sa.access.peerXauthVid = XauthVendorId.announced(in.message());
        int number = offer.proposals().get(0).number();
        for (ProposalPayload p : offer.proposals()) {
            if (p.transforms().contains(a.transform())) {
                number = p.number();
            }
        }
        List<Payload> out = new ArrayList<>();
        out.add(new SaPayload(Doi.IPSEC, Doi.SIT_IDENTITY_ONLY, List.of(new ProposalPayload(number, Doi.PROTO_ISAKMP, new byte[0],
                List.of(a.transform())))));
        out.addAll(VendorIds.ours(sa.policy.natTraversal(), sa.nat, false, sa.policy.liveness().dpd().announces()));
        out.addAll(XauthVendorId.ours(sa.policy));
        // the responder retransmits too, and gives up after MSGRETRYLIMIT, so a half-open exchange never hangs
        d.sendPhase1(sa, out, false, true);
        sa.transition(ExchangeState.MAIN_SARECV, d);
    }

    /** Initiator, message 2 in, message 3 out: HDR, KE, Ni [, NAT-D, NAT-D]. */
    static void mainInR1OutI2(IsakmpDaemon d, Inbound in) throws ExchangeFailure {
        IkeSa sa = in.sa();
        Phase1Steps.checkResponderChoice(sa, in.message().first(SaPayload.class));
        sa.rcookie = in.message().header().responderCookie();
        sa.nat = sa.policy.natTraversal() ? VendorIds.natT(in.message()) : NatTraversal.NONE;
        sa.dpd = VendorIds.dpd(in.message());
        sa.access.peerXauthVid = XauthVendorId.announced(in.message());
        Phase1Steps.makeOurKeyExchange(d, sa);
        List<Payload> out = new ArrayList<>(List.of(new KePayload(sa.gxi), new NoncePayload(sa.ni)));
        out.addAll(Phase1Auth.request(sa));
        if (sa.nat != NatTraversal.NONE) {
            out.addAll(NatDetection.build(sa));
        }
        d.sendPhase1(sa, out, false, true);
        sa.transition(ExchangeState.MAIN_KESENT, d);
    }

    /** Responder, message 3 in, message 4 out: HDR, KE, Nr [, NAT-D, NAT-D]. */
    static void mainInI2OutR2(IsakmpDaemon d, Inbound in) throws ExchangeFailure {
        IkeSa sa = in.sa();
        Phase1Steps.takePeerKeyExchange(sa, in.message());
        Phase1Steps.makeOurKeyExchange(d, sa);
        if (!Phase1Auth.signatures(sa)) {
            // a policy without its key fails here, before message 4, as when the keys were derived first
            d.preSharedKey(sa.policy);
        }
        boolean natD = sa.nat != NatTraversal.NONE && NatDetection.process(sa, in.message());
        List<Payload> out = new ArrayList<>(List.of(new KePayload(sa.gxr), new NoncePayload(sa.nr)));
        out.addAll(Phase1Auth.request(sa));
        if (natD) {
            out.addAll(NatDetection.build(sa));
        } else {
            sa.nat = NatTraversal.NONE;
        }
        d.sendPhase1(sa, out, false, true);
        // message 4 is in the clear and needs no key (RFC 2409 section 5): sent first, the initiator computes its g^xy while
        // this side computes the same; message 5, which needs the keys, is handled on this loop only after this step ends
        Phase1Steps.deriveKeys(d, sa);
        sa.transition(ExchangeState.MAIN_KERECV, d);
    }

    /** Initiator, message 4 in, message 5 out: HDR*, IDii, HASH_I [, N(INITIAL-CONTACT)], on 4500 behind a NAT. */
    static void mainInR2OutI3(IsakmpDaemon d, Inbound in) throws ExchangeFailure {
        IkeSa sa = in.sa();
        Phase1Steps.takePeerKeyExchange(sa, in.message());
        Phase1Steps.deriveKeys(d, sa);
        if (sa.nat != NatTraversal.NONE && !NatDetection.process(sa, in.message())) {
            sa.nat = NatTraversal.NONE;
        }
        if (sa.nat != NatTraversal.NONE && (sa.natLocal || sa.natRemote)) {
            // RFC 3947 section 4: the initiator moves to 4500 with the message that carries the ID
            d.floatPorts(sa, IsakmpLimits.NAT_T_PORT);
        }
        IdPayload id = Phase1Auth.localId(d, sa);
        List<Payload> out = new ArrayList<>(List.of(id));
        out.addAll(Phase1Auth.ours(d, sa, id));
        if (!d.hasOtherSaWith(sa)) {
            out.add(NotifyPayload.of(Doi.PROTO_ISAKMP, initialContactSpi(sa), NotifyType.INITIAL_CONTACT, new byte[0]));
        }
        d.sendPhase1(sa, out, true, true);
        sa.transition(ExchangeState.MAIN_AUTHSENT, d);
    }

    /** RFC 2407 section 4.6.3.3: the SPI of INITIAL-CONTACT is the two cookies. */
    static byte[] initialContactSpi(IkeSa sa) {
        byte[] spi = new byte[16];
        System.arraycopy(io.argate.isakmp.crypto.Phase1Keys.cookie(sa.icookie), 0, spi, 0, 8);
        System.arraycopy(io.argate.isakmp.crypto.Phase1Keys.cookie(sa.rcookie), 0, spi, 8, 8);
        return spi;
    }

    /** Responder, message 5 in, message 6 out: HDR*, IDir, HASH_R. */
    static void mainInI3OutR3(IsakmpDaemon d, Inbound in) throws ExchangeFailure {
        IkeSa sa = in.sa();
        checkPeer(d, sa, in, "Main Mode message 5");
        Phase1Steps.checkRemoteId(sa, sa.peerId);
        IdPayload id = Phase1Auth.localId(d, sa);
        List<Payload> out = new ArrayList<>(List.of(id));
        out.addAll(Phase1Auth.ours(d, sa, id));
        d.sendPhase1(sa, out, true, false);
        sa.transition(ExchangeState.MAIN_UP, d);
        d.phase1Up(sa, in.message());
    }

    /** Initiator, message 6 in: the SA is up. */
    static void mainInR3(IsakmpDaemon d, Inbound in) throws ExchangeFailure {
        IkeSa sa = in.sa();
        checkPeer(d, sa, in, "Main Mode message 6");
        Phase1Steps.checkRemoteId(sa, sa.peerId);
        sa.retransmit.cancel();
        sa.transition(ExchangeState.MAIN_UP, d);
        d.phase1Up(sa, in.message());
    }

    private static void checkPeer(IsakmpDaemon d, IkeSa sa, Inbound in, String where) throws ExchangeFailure {
        Phase1Auth.checkPeer(d, sa, in.message(), in.message().first(IdPayload.class), Phase1Steps.rawBody(in.message(), PayloadType.ID), where);
    }
}
