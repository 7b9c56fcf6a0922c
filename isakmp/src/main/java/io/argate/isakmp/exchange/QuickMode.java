package io.argate.isakmp.exchange;

import io.argate.ipsec.sad.Lifetime;
import io.argate.ipsec.sad.UdpEncap;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spec.BundleSpecification;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.IpsecProtocol;
import io.argate.ipsec.spec.SaSpecification;
import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.IsakmpLimits;
import io.argate.isakmp.crypto.ModpGroup;
import io.argate.isakmp.crypto.Phase2Keys;
import io.argate.isakmp.sa.NegotiatedBundle;
import io.argate.isakmp.sa.NegotiatedSa;
import io.argate.isakmp.wire.Attribute;
import io.argate.isakmp.wire.HashPayload;
import io.argate.isakmp.wire.IdPayload;
import io.argate.isakmp.wire.KePayload;
import io.argate.isakmp.wire.Message;
import io.argate.isakmp.wire.NoncePayload;
import io.argate.isakmp.wire.NotifyPayload;
import io.argate.isakmp.wire.NotifyType;
import io.argate.isakmp.wire.Payload;
import io.argate.isakmp.wire.Phase2Attribute;
import io.argate.isakmp.wire.ProposalPayload;
import io.argate.isakmp.wire.SaPayload;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Quick Mode (RFC 2409 section 5.5), both roles: proposals from the bundle specification, PFS
 * when the IPsec policy's GROUP asks for it, identities from its selectors or LNAME/RNAME,
 * RESPONDER-LIFETIME, and the SA bundle built from KEYMAT and installed in the SAD.
 */
final class QuickMode {
    private QuickMode() {
    }

    static IntFunction<SaSpecification> specs(IsakmpDaemon d) {
        return n -> d.ipsec().spec(n).orElseThrow(() -> new IllegalStateException("SA specification " + n + " is gone"));
    }

    static boolean udp(IkeSa sa) {
        return sa.nat != NatTraversal.NONE && (sa.natLocal || sa.natRemote);
    }

    /**
     * How the bundle's ESP travels: in UDP 4500 when NAT-T found a NAT (RFC 3948); else in UDP
     * from SET IPSEC UDPPORT to the policy's UDPPORT when the policy says UDPTUNNEL=TRUE (the
     * reference's ESP over UDP, 2746 by default, which it pairs with NAT-T off and which is not
     * negotiated: both routers are configured with it); else plain ESP.
     */
    static UdpEncap encapsulation(IsakmpDaemon d, IkeSa sa, IpsecPolicy p) {
        if (udp(sa)) {
            return new UdpEncap(IsakmpLimits.NAT_T_PORT, sa.peerPort);
        }
        return p.udpTunnel() ? new UdpEncap(d.ipsec().udpPort(), p.udpPort()) : null;
    }

    /** Initiator, message 1: HDR*, HASH(1), SA, Ni [, KE] , IDci, IDcr. */
    static void quickOutI1(IsakmpDaemon d, IkeSa sa, QuickExchange q) {
        IpsecPolicy p = q.policy;
        BundleSpecification b = q.bundle;
        for (var c : Phase2Proposals.negotiable(b)) {
            for (IpsecProtocol proto : c.protocols()) {
                q.ourSpis.computeIfAbsent(proto, d.installer()::reserveSpi);
            }
        }
        q.pfs = p.group() > 0 ? ModpGroup.of(p.group()).orElseThrow() : null;
        q.ni = d.random().bytes(IsakmpLimits.NONCE_LENGTH);
        q.offered = Phase2Proposals.offer(b, specs(d), q.ourSpis, p.group(), sa.nat, udp(sa));
        List<Payload> tail = new ArrayList<>(List.of(q.offered, new NoncePayload(q.ni)));
        if (q.pfs != null) {
            q.dh = d.keyPair(q.pfs, sa.policy.dhExponentLength());
            tail.add(new KePayload(q.dh.publicValue()));
        }
        q.idci = TransactionMode.localIdentity(sa, QuickIdentities.local(p));
        q.idcr = QuickIdentities.remote(p);
        if (sa.policy.sendIdAlways() || !QuickIdentities.hostToHost(q.idci, q.idcr, sa.local, sa.peer)) {
            tail.add(q.idci);
            tail.add(q.idcr);
        }
        byte[] t = io.argate.isakmp.wire.PayloadChain.encode(tail);
        byte[] hash = Phase2Keys.hash1(sa.prf, sa.keys.skeyidA(), q.messageId, t);
        d.sendQuick(sa, q, new HashPayload(hash), tail, true);
        q.transition(ExchangeState.QUICK_WAIT_HASH_SA_NONCE, d);
    }

    static void checkHash(byte[] want, Message m, String which) throws ExchangeFailure {
        if (!MessageDigest.isEqual(want, m.first(HashPayload.class).data())) {
            throw ExchangeFailure.drop(IsakmpCounter.QUICK_BAD_HASH, which + " did not verify; message dropped");
        }
    }

    /** Responder, message 1 in, message 2 out: HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr] [, N(RESPONDER-LIFETIME)]. */
    static void quickInI1OutR1(IsakmpDaemon d, Inbound in) throws ExchangeFailure {
        IkeSa sa = in.sa();
        QuickExchange q = in.quick();
        Message m = in.message();
        checkHash(Phase2Keys.hash1(sa.prf, sa.keys.skeyidA(), q.messageId, m.rawAfter(0)), m, "HASH(1)");
        List<IdPayload> ids = m.all(IdPayload.class);
        if (ids.size() == 1) {
            throw ExchangeFailure.fail(IsakmpCounter.QUICK_FAILED, NotifyType.INVALID_ID_INFORMATION, "Quick Mode carried one ID; it takes IDci and IDcr or none");
        }
        q.idci = ids.isEmpty() ? IdPayload.ipv4(sa.peer) : ids.get(0);
        q.idcr = ids.isEmpty() ? IdPayload.ipv4(sa.local) : ids.get(1);
        TransactionMode.checkPeerIdentity(sa, q.idci);
        IpsecPolicy p = d.policyForIds(sa.peer, q.idci, q.idcr);
        if (p == null) {
            throw ExchangeFailure.fail(IsakmpCounter.QUICK_FAILED, NotifyType.INVALID_ID_INFORMATION, "no KEYMAN=ISAKMP IPsec policy for peer "
                    + IsakmpDaemon.dotted(sa.peer) + " has LOCAL " + q.idcr.text() + " and REMOTE " + q.idci.text());
        }
        BundleSpecification b = d.ipsec().bundle(p.bundle()).orElseThrow(() -> ExchangeFailure.fail(IsakmpCounter.QUICK_FAILED,
                NotifyType.NO_PROPOSAL_CHOSEN, "IPsec policy " + p.name() + " names bundle " + p.bundle() + ", which does not exist"));
        q.policy = p;
        q.bundle = b;
        StringBuilder why = new StringBuilder();
        Phase2Proposals.Choice c = Phase2Proposals.choose(m.first(SaPayload.class), b, specs(d), p.group(), udp(sa), why);
        if (c == null) {
            throw ExchangeFailure.fail(IsakmpCounter.QUICK_NO_PROPOSAL, NotifyType.NO_PROPOSAL_CHOSEN, "IPsec policy " + p.name() + ": " + why);
        }
        q.chosen = c;
        q.ni = m.first(NoncePayload.class).data();
        KePayload ke = m.first(KePayload.class);
        if (c.group() > 0) {
            q.pfs = ModpGroup.of(c.group()).orElseThrow();
            if (ke == null || !q.pfs.validPublic(ke.data())) {
                throw ExchangeFailure.fail(IsakmpCounter.QUICK_FAILED, NotifyType.INVALID_KEY_INFORMATION, "IPsec policy " + p.name()
                        + " asks for PFS group " + c.group() + " but the peer's KE is " + (ke == null ? "missing" : "not a group " + c.group() + " value"));
            }
            q.dh = d.keyPair(q.pfs, sa.policy.dhExponentLength());
            q.gxy = q.pfs.agree(q.dh, ke.data());
        } else if (ke != null) {
            throw ExchangeFailure.fail(IsakmpCounter.QUICK_FAILED, NotifyType.INVALID_KEY_INFORMATION, "IPsec policy " + p.name()
                    + " has no PFS GROUP but the peer sent a KE");
        }
        q.nr = d.random().bytes(IsakmpLimits.NONCE_LENGTH);
        List<ProposalPayload> answer = new ArrayList<>();
        for (Phase2Proposals.ChosenSa s : c.sas()) {
            int spi = q.ourSpis.computeIfAbsent(s.protocol(), d.installer()::reserveSpi);
            answer.add(new ProposalPayload(c.number(), Phase2Proposals.protocolId(s.protocol()), Phase2Proposals.spiField(s.protocol(), spi),
                    List.of(s.transform())));
        }
        List<Payload> tail = new ArrayList<>(List.of(new SaPayload(io.argate.isakmp.wire.Doi.IPSEC, io.argate.isakmp.wire.Doi.SIT_IDENTITY_ONLY, answer),
                new NoncePayload(q.nr)));
        if (q.dh != null) {
            tail.add(new KePayload(q.dh.publicValue()));
        }
        if (!ids.isEmpty()) {
            tail.add(ids.get(0));
            tail.add(ids.get(1));
        }
        if (c.cut()) {
            for (Phase2Proposals.ChosenSa s : c.sas()) {
                tail.add(responderLifetime(s, q.ourSpis.get(s.protocol()), c));
            }
        }
        byte[] t = io.argate.isakmp.wire.PayloadChain.encode(tail);
        // the initiator may send on the new SAs as soon as it has message 2, so our inbound SAs
        // go in first; ours send once message 3 proves the initiator has them (RFC 2409 section 5.5)
        install(d, sa, q, false);
        q.commit = sa.policy.setCommitBit();
        d.sendQuick(sa, q, new HashPayload(Phase2Keys.hash2(sa.prf, sa.keys.skeyidA(), q.messageId, q.ni, t)), tail, true);
        q.transition(ExchangeState.QUICK_WAIT_HASH, d);
    }

    /** RFC 2407 section 4.6.3.1: the responder's shorter lifetime, as SA attributes in the notify data. */
    static NotifyPayload responderLifetime(Phase2Proposals.ChosenSa s, int ourSpi, Phase2Proposals.Choice c) {
        io.argate.isakmp.wire.WireWriter w = new io.argate.isakmp.wire.WireWriter();
        if (c.lifeSeconds() > 0) {
            Attribute.of(Phase2Attribute.LIFE_TYPE, Phase2Attribute.LIFE_SECONDS).encode(w);
            Attribute.of(Phase2Attribute.LIFE_DURATION, c.lifeSeconds()).encode(w);
        }
        if (c.lifeKbytes() > 0) {
            Attribute.of(Phase2Attribute.LIFE_TYPE, Phase2Attribute.LIFE_KILOBYTES).encode(w);
            Attribute.of(Phase2Attribute.LIFE_DURATION, c.lifeKbytes()).encode(w);
        }
        return NotifyPayload.of(Phase2Proposals.protocolId(s.protocol()), Phase2Proposals.spiField(s.protocol(), ourSpi),
                NotifyType.RESPONDER_LIFETIME, w.toBytes());
    }

    /** Initiator, message 2 in, message 3 out: HDR*, HASH(3); the bundle is installed. */
    static void quickInR1OutI2(IsakmpDaemon d, Inbound in) throws ExchangeFailure {
        IkeSa sa = in.sa();
        QuickExchange q = in.quick();
        Message m = in.message();
        q.nr = m.first(NoncePayload.class).data();
        checkHash(Phase2Keys.hash2(sa.prf, sa.keys.skeyidA(), q.messageId, q.ni, m.rawAfter(0)), m, "HASH(2)");
        StringBuilder why = new StringBuilder();
        Phase2Proposals.Choice c = Phase2Proposals.accept(m.first(SaPayload.class), q.bundle, specs(d), q.policy.group(), udp(sa), why);
        if (c == null) {
            throw ExchangeFailure.fail(IsakmpCounter.QUICK_NO_PROPOSAL, NotifyType.NO_PROPOSAL_CHOSEN, "IPsec policy " + q.policy.name() + ": " + why);
        }
        KePayload ke = m.first(KePayload.class);
        if (q.pfs != null) {
            if (ke == null || !q.pfs.validPublic(ke.data())) {
                throw ExchangeFailure.fail(IsakmpCounter.QUICK_FAILED, NotifyType.INVALID_KEY_INFORMATION, "IPsec policy " + q.policy.name()
                        + " asks for PFS group " + q.pfs.number() + " but the peer's answer has " + (ke == null ? "no KE" : "a bad KE"));
            }
            q.gxy = q.pfs.agree(q.dh, ke.data());
        }
        long seconds = c.lifeSeconds();
        long kbytes = c.lifeKbytes();
        for (NotifyPayload n : m.all(NotifyPayload.class)) {
            if (n.notifyType() == NotifyType.RESPONDER_LIFETIME) {
                long[] lt = lifetimes(n.data());
                seconds = lt[0] > 0 ? Math.min(seconds == 0 ? lt[0] : seconds, lt[0]) : seconds;
                kbytes = lt[1] > 0 ? Math.min(kbytes == 0 ? lt[1] : kbytes, lt[1]) : kbytes;
            }
        }
        q.chosen = new Phase2Proposals.Choice(c.number(), c.sas(), seconds, kbytes, false, c.group(), c.mode());
        byte[] hash3 = Phase2Keys.hash3(sa.prf, sa.keys.skeyidA(), q.messageId, q.ni, q.nr);
        if (q.peerCommit) {
            // RFC 2408 section 4.6.2: the responder set the commit bit, so nothing is sent on the
            // new SAs until its CONNECTED; message 3 is repeated until that comes
            install(d, sa, q, false);
            d.sendQuick(sa, q, new HashPayload(hash3), List.of(), true);
            q.transition(ExchangeState.QUICK_WAIT_HASH, d);
            return;
        }
        d.sendQuick(sa, q, new HashPayload(hash3), List.of(), false);
        install(d, sa, q, true);
        q.transition(ExchangeState.QUICK_DONE, d);
    }

    /** Initiator, message 4 in (commit bit): HDR*, HASH(4), N(CONNECTED); the bundle starts sending. */
    static void quickInR2(IsakmpDaemon d, Inbound in) throws ExchangeFailure {
        IkeSa sa = in.sa();
        QuickExchange q = in.quick();
        Message m = in.message();
        // HASH(4) = prf(SKEYID_a, M-ID | N), the Informational form (RFC 2409 section 5.7)
        checkHash(Phase2Keys.informational(sa.prf, sa.keys.skeyidA(), q.messageId, m.rawAfter(0)), m, "HASH(4)");
        boolean connected = false;
        for (NotifyPayload n : m.all(NotifyPayload.class)) {
            connected |= n.notifyType() == NotifyType.CONNECTED;
        }
        if (!connected) {
            throw ExchangeFailure.drop(IsakmpCounter.DROP_UNEXPECTED, "Quick Mode message 4 carries no CONNECTED notification");
        }
        q.retransmit.cancel();
        d.startSending(sa, q);
        q.transition(ExchangeState.QUICK_DONE, d);
    }

    static long[] lifetimes(byte[] data) {
        long[] out = new long[2];
        try {
            io.argate.isakmp.wire.WireReader r = io.argate.isakmp.wire.WireReader.of(data, io.argate.isakmp.wire.WireException.Reason.BAD_ATTRIBUTE);
            long type = 0;
            while (r.remaining() > 0) {
                Attribute a = Attribute.decode(r);
                if (a.type() == Phase2Attribute.LIFE_TYPE) {
                    type = a.asLong();
                } else if (a.type() == Phase2Attribute.LIFE_DURATION && (type == 1 || type == 2)) {
                    out[(int) type - 1] = a.asLong();
                }
            }
        } catch (io.argate.isakmp.wire.WireException e) {
            return new long[2];
        }
        return out;
    }

    /** Responder, message 3 in: the bundle is installed. */
    static void quickInI2(IsakmpDaemon d, Inbound in) throws ExchangeFailure {
        IkeSa sa = in.sa();
        QuickExchange q = in.quick();
        checkHash(Phase2Keys.hash3(sa.prf, sa.keys.skeyidA(), q.messageId, q.ni, q.nr), in.message(), "HASH(3)");
        q.retransmit.cancel();
        d.startSending(sa, q);
        if (q.commit) {
            // RFC 2408 section 4.6.2: the side that set the commit bit says CONNECTED once its SAs are in
            IpsecProtocol first = q.chosen.sas().get(0).protocol();
            NotifyPayload n = NotifyPayload.of(Phase2Proposals.protocolId(first), Phase2Proposals.spiField(first, q.ourSpis.get(first)),
                    NotifyType.CONNECTED, new byte[0]);
            byte[] hash4 = Phase2Keys.informational(sa.prf, sa.keys.skeyidA(), q.messageId, io.argate.isakmp.wire.PayloadChain.encode(List.of(n)));
            d.sendQuick(sa, q, new HashPayload(hash4), List.of(n), false);
        }
        q.transition(ExchangeState.QUICK_DONE, d);
    }

    /** A bundle installed receiving only for an exchange that did not finish goes again. */
    static void discardUnsent(IsakmpDaemon d, QuickExchange q) {
        if (q.bundleId >= 0 && !q.sending) {
            Phase2Proposals.ChosenSa first = q.chosen.sas().get(0);
            d.installer().delete(first.protocol(), q.ourSpis.get(first.protocol()));
            q.bundleId = -1;
        }
    }

    /** KEYMAT per protocol and direction (RFC 2409 section 5.5), then the bundle into the SAD. */
    static void install(IsakmpDaemon d, IkeSa sa, QuickExchange q, boolean sending) throws ExchangeFailure {
        List<NegotiatedSa> sas = new ArrayList<>();
        for (Phase2Proposals.ChosenSa s : q.chosen.sas()) {
            SaSpecification spec = s.spec();
            int ours = q.ourSpis.get(s.protocol());
            if (s.protocol() == IpsecProtocol.COMP) {
                // IPComp has no keys: the CPIs are all (RFC 3173 section 4)
                sas.add(new NegotiatedSa(s.protocol(), spec.number(), null, null, spec.compAlg(), ours, s.peerSpi(), new byte[0], new byte[0]));
                continue;
            }
            EncAlg enc = spec.encAlg() == EncAlg.TDES2KEY ? EncAlg.TDESOUTER : spec.encAlg();
            int len = NegotiatedSa.keyLength(s.protocol(), enc, spec.hashAlg());
            int proto = Phase2Proposals.protocolId(s.protocol());
            byte[] inKeys = Phase2Keys.keymat(sa.prf, sa.keys.skeyidD(), q.gxy, proto, Phase2Proposals.spi(ours), q.ni, q.nr, len);
            byte[] outKeys = Phase2Keys.keymat(sa.prf, sa.keys.skeyidD(), q.gxy, proto, Phase2Proposals.spi(s.peerSpi()), q.ni, q.nr, len);
            sas.add(new NegotiatedSa(s.protocol(), spec.number(), enc, spec.hashAlg(), null, ours, s.peerSpi(), inKeys, outKeys));
        }
        // outbound application order: IPComp, then ESP, then AH (RFC 3173 section 4, RFC 2401 section 4.5)
        sas.sort(java.util.Comparator.comparingInt(n -> n.protocol() == IpsecProtocol.COMP ? 0 : n.protocol() == IpsecProtocol.ESP ? 1 : 2));
        UdpEncap encap = encapsulation(d, sa, q.policy);
        NegotiatedBundle b = new NegotiatedBundle(q.policy.name(), q.bundle.number(), sa.peer, q.initiator, q.chosen.mode(), encap,
                Lifetime.of(q.chosen.lifeSeconds(), q.chosen.lifeKbytes()), sas, TransactionMode.assignedToUs(sa, q));
        d.installBundle(sa, q, b, sending);
    }
}
