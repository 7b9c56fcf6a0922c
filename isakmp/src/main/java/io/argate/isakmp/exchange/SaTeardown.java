package io.argate.isakmp.exchange;

import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spec.IpsecProtocol;
import io.argate.ipsec.spec.KeyManagement;
import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.sa.InstalledBundle;
import io.argate.isakmp.wire.DeletePayload;
import io.argate.isakmp.wire.Doi;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Ends everything ISAKMP keyed with one peer when the operator takes it away (PURGE ISAKMP,
 * DISABLE ISAKMP, DESTROY ISAKMP POLICY): the IPsec SA bundles negotiated with that peer leave
 * the SAD, and with SENDDELETES the peer hears of it first, in one protected Informational
 * exchange with a delete payload per protocol naming our inbound SPIs (RFC 2408 section 3.15:
 * the SPIs the peer sends to; IPComp's CPI in two bytes, RFC 2407 section 4.4.1), so it stops
 * sending into SAs that no longer exist instead of waiting for their lifetime or for DPD.
 *
 * <p>An ISAKMP SA's own expiry or a rekey does not come here: IKEv1 IPsec SAs outlive the
 * phase 1 that made them (RFC 2409 section 5.5), so those paths delete the ISAKMP SA alone.
 */
final class SaTeardown {
    private final IsakmpDaemon d;

    SaTeardown(IsakmpDaemon d) {
        this.d = d;
    }

    /**
     * The IPsec bundles keyed with {@code peer} go, announced over {@code sa} when it is up and
     * its policy has SENDDELETES; returns how many bundles went.
     */
    int endIpsec(IkeSa sa, int peer, String why) {
        List<InstalledBundle> bundles = bundlesTo(peer);
        if (bundles.isEmpty()) {
            return 0;
        }
        if (sa != null && sa.up() && sa.policy != null && sa.policy.sendDeletes() && d.owns(sa)) {
            d.counters().inc(IsakmpCounter.DELETES_SENT);
            d.sendInformational(sa, deletes(bundles));
        }
        int n = 0;
        for (InstalledBundle b : bundles) {
            if (d.installer().remove(b.id())) {
                n++;
                d.counters().inc(IsakmpCounter.SA_DELETED);
                d.log().log("XCHG", "IPsec SA bundle " + b.id() + " of policy " + b.policy() + " with " + IsakmpDaemon.dotted(peer)
                        + " deleted: " + why);
            }
        }
        return n;
    }

    /**
     * Ends the ISAKMP SAs {@code which} selects and, peer by peer, the IPsec bundles keyed with
     * those peers: the IPsec deletes go first, over an ISAKMP SA with the peer that is up, then
     * each ISAKMP SA's own delete ({@link IsakmpDaemon#deleteSa}).
     */
    void end(java.util.function.Predicate<IkeSa> which, String why) {
        List<IkeSa> ending = d.ikeSas().stream().filter(which).toList();
        for (int peer : ending.stream().mapToInt(s -> s.peer).distinct().toArray()) {
            IkeSa up = ending.stream().filter(s -> s.peer == peer && s.up()).findFirst().orElse(null);
            endIpsec(up, peer, why);
        }
        for (IkeSa sa : ending) {
            d.deleteSa(sa, why);
        }
    }

    /**
     * PURGE ISAKMP: bundles that ISAKMP keyed but no ISAKMP SA covers any more (their phase 1
     * expired) go as well, without a delete: there is no SA left to protect one with.
     */
    void endOrphans(String why) {
        for (IpsecPolicy p : d.ipsec().policies()) {
            if (p.keyManagement() != KeyManagement.ISAKMP) {
                continue;
            }
            OptionalInt bound = d.installer().boundPeer(p.name());
            if (bound.isPresent()) {
                endIpsec(null, bound.getAsInt(), why);
            }
        }
    }

    /**
     * PURGE IPSEC is removing a bundle: when ISAKMP keyed it and an ISAKMP SA with its peer is up
     * with SENDDELETES, the peer hears of it while its SPIs can still be named. The SAD removes
     * the bundle itself.
     */
    void purging(io.argate.ipsec.sad.SadEvent.Purging e, IkeSa sa) {
        boolean isakmpKeyed = d.ipsec().policy(e.policy()).map(p -> p.keyManagement() == KeyManagement.ISAKMP).orElse(false);
        if (!isakmpKeyed || sa == null || !sa.policy.sendDeletes()) {
            return;
        }
        for (InstalledBundle b : d.installer().bundles(e.policy())) {
            if (b.id() == e.bundleId()) {
                d.counters().inc(IsakmpCounter.DELETES_SENT);
                d.sendInformational(sa, deletes(List.of(b)));
                d.counters().inc(IsakmpCounter.SA_DELETED);
                d.log().log("XCHG", "IPsec SA bundle " + b.id() + " of policy " + b.policy() + " with " + IsakmpDaemon.dotted(e.peer())
                        + " deleted: IPsec was purged");
            }
        }
    }

    /** The bundles of every KEYMAN=ISAKMP policy that are keyed with {@code peer}. */
    List<InstalledBundle> bundlesTo(int peer) {
        List<InstalledBundle> out = new ArrayList<>();
        for (IpsecPolicy p : d.ipsec().policies()) {
            if (p.keyManagement() != KeyManagement.ISAKMP) {
                continue;
            }
            OptionalInt bound = d.installer().boundPeer(p.name());
            if (bound.isPresent() && bound.getAsInt() == peer) {
                out.addAll(d.installer().bundles(p.name()));
            }
        }
        return out;
    }

    /**
     * One delete payload per protocol carrying the inbound SPI of each bundle (RFC 2408 section
     * 3.15 allows several SPIs of one protocol in one payload), ESP and AH in four bytes and
     * IPComp's CPI in two.
     */
    static List<DeletePayload> deletes(List<InstalledBundle> bundles) {
        Map<IpsecProtocol, List<byte[]>> spis = new EnumMap<>(IpsecProtocol.class);
        for (InstalledBundle b : bundles) {
            for (Map.Entry<IpsecProtocol, Integer> e : b.inboundSpis().entrySet()) {
                spis.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(Phase2Proposals.spiField(e.getKey(), e.getValue()));
            }
        }
        List<DeletePayload> out = new ArrayList<>();
        // the SAs that carry traffic first; the IPComp SA only ever lives inside an ESP or AH bundle
        for (IpsecProtocol p : new IpsecProtocol[]{IpsecProtocol.ESP, IpsecProtocol.AH, IpsecProtocol.COMP}) {
            List<byte[]> these = spis.get(p);
            if (these != null) {
                out.add(new DeletePayload(Doi.IPSEC, Phase2Proposals.protocolId(p), p == IpsecProtocol.COMP ? 2 : 4, these));
            }
        }
        return out;
    }
}
