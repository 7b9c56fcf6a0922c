package io.argate.ipsec.path;

import io.argate.ipsec.esp.Sealing;
import io.argate.ipsec.esp.Transform;

import io.argate.enco.spi.DriverFailure;
import io.argate.ip.forward.Forwarder;
import io.argate.ip.forward.PacketContext;
import io.argate.ip.forward.SpdStage;
import io.argate.ip.route.Route;
import io.argate.ipsec.config.IpsecSnapshot;
import io.argate.ip.frag.Fragmenter;
import io.argate.ip.packet.Ipv4;
import io.argate.ip.packet.Offloads;
import io.argate.ip.port.Port;
import io.argate.ip.packet.Udp;
import io.argate.ipsec.IpsecCounter;
import io.argate.ipsec.diag.PolicyCounters;
import io.argate.ipsec.diag.PolicyDebug;
import io.argate.ipsec.sad.Sa;
import io.argate.ipsec.sad.SaBundle;
import io.argate.ipsec.sad.SadEvent;
import io.argate.ipsec.sad.UdpEncap;
import io.argate.ipsec.spd.AddressSpec;
import io.argate.ipsec.spd.CompiledSpd;
import io.argate.ipsec.spd.DfBit;
import io.argate.ipsec.spd.Direction;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spec.IpsecProtocol;
import io.argate.ipsec.spec.KeyManagement;
import io.argate.ipsec.spec.SaMode;
import io.argate.shell.tap.Tap;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * The outbound half of the data path, the forwarder's SPD stage: the egress interface's SPD
 * decides PERMIT, DENY (and the implicit DENY) or IPSEC; IPSEC finds the route to the peer
 * first (no route: dropped before any crypto), applies the policy's bundle (IPComp, ESP, AH) in
 * the bundle's mode, and hands the protected packet back to the path with its new egress. A
 * policy keyed by ISAKMP that has no SA yet holds the packet and raises an ACQUIRE.
 *
 * <p>Several ports' receive threads may send through one SA at once; an SA's transform keeps
 * per-packet scratch (IV, nonce, the JDK cipher), so each thread seals with its own copy
 * ({@link Sa#local}) and none waits for another (one pipeline per core). Sequence numbers come
 * from the SA's atomic counter, which never hands out a number twice and stops at the last one
 * (RFC 4303 section 3.3.3). Only an SA whose ENCO channels cannot be duplicated is sealed
 * under its lock.
 */
final class OutboundPath {
    private final PathContext ctx;
    private final AcquireHold held;

    /** What protecting one packet needs, kept per thread and reset per packet, so the path makes no object (issue 15). */
    private static final class Scratch {
        final Sealing sealing = new Sealing();
        final OuterHeader header;
        /** The segments of the super-packet being protected. */
        final List<ByteBuf> segments = new ArrayList<>();

        Scratch(Forwarder forwarder) {
            header = new OuterHeader(forwarder);
        }
    }

    private final ThreadLocal<Scratch> scratch;

    OutboundPath(PathContext ctx, AcquireHold held) {
        this.ctx = ctx;
        this.held = held;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(ctx.forwarder));
    }

    /** The SPD stage. On DROP the packet has been counted and released here. */
    SpdStage.Verdict outbound(PacketContext c, ByteBuf p) {
        IpsecSnapshot snap = ctx.snapshot();
        if (!snap.enabled()) {
            return SpdStage.Verdict.PASS;
        }
        int at = p.readerIndex();
        String out = c.outInterface();
        CompiledSpd.Match<IpsecPolicy> m = ctx.lookup(snap, out, Direction.OUTBOUND, p, at);
        if (m.noPolicies()) {
            return SpdStage.Verdict.PASS;
        }
        ctx.counters.inc(IpsecCounter.OUT_PACKETS);
        if (m.implicitDeny()) {
            ctx.drop(p, IpsecCounter.OUT_IMPLICIT_DENY);
            return SpdStage.Verdict.DROP;
        }
        IpsecPolicy policy = m.policy();
        PolicyCounters.Counters pc = ctx.policyCounters.of(policy.name());
        pc.outMatched.increment();
        Tap filter = ctx.debug.target(policy.name(), PolicyDebug.Option.FILTER);
        if (filter != null) {
            filter.offer("IPSEC: outbound on " + out + " " + AddressSpec.dotted(Ipv4.source(p, at)) + " > "
                    + AddressSpec.dotted(Ipv4.destination(p, at)) + " proto " + Ipv4.protocol(p, at) + " matched policy "
                    + policy.name() + ": " + policy.action());
        }
        switch (policy.action()) {
            case PERMIT -> {
                ctx.counters.inc(IpsecCounter.OUT_PERMITTED);
                return SpdStage.Verdict.PASS;
            }
            case DENY -> {
                pc.outDenied.increment();
                ctx.drop(p, IpsecCounter.OUT_DENIED);
                return SpdStage.Verdict.DROP;
            }
            default -> {
                return c.offload().pending() ? protectOffloaded(c, policy, pc, p) : protect(c, policy, pc, p, at);
            }
        }
    }

    /** IPSEC: through the policy's bundle, or held for ISAKMP (ACQUIRE) when it has none yet. */
    private SpdStage.Verdict protect(PacketContext c, IpsecPolicy policy, PolicyCounters.Counters pc, ByteBuf p, int at) {
        SaBundle<Transform> b = ctx.sad.outbound(policy.name());
        if (b == null) {
            pc.outNoSa.increment();
            if (policy.keyManagement() == KeyManagement.ISAKMP) {
                ctx.counters.inc(IpsecCounter.OUT_NO_SA);
                return acquire(policy, p, at);
            }
            ctx.drop(p, IpsecCounter.OUT_NO_SA);
            return SpdStage.Verdict.DROP;
        }
        return apply(c, b, policy, pc, p) ? SpdStage.Verdict.PROTECTED : SpdStage.Verdict.DROP;
    }

    /**
     * IPSEC for a packet its TUN port's kernel left half-finished: the super-packet is cut into
     * the segments TCP would have sent (or its partial checksum completed) just before
     * protection, so ESP carries ordinary packets, under the one SPD decision already made for
     * the whole of it.
     */
    private SpdStage.Verdict protectOffloaded(PacketContext c, IpsecPolicy policy, PolicyCounters.Counters pc, ByteBuf p) {
        List<ByteBuf> packets = scratch.get().segments;
        try {
            boolean finished = Offloads.finish(p, c.offload(), ctx.alloc, Port.HEADROOM, packets);
            c.offload().clear();
            if (!finished) {
                return SpdStage.Verdict.DROP;
            }
            // each segment as its own packet; the super-packet's verdict is the best any segment had
            SpdStage.Verdict verdict = SpdStage.Verdict.DROP;
            for (int i = 0; i < packets.size(); i++) {
                ByteBuf q = packets.get(i);
                SpdStage.Verdict v = protect(c, policy, pc, q, q.readerIndex());
                if (v == SpdStage.Verdict.PROTECTED || v == SpdStage.Verdict.TAKEN && verdict == SpdStage.Verdict.DROP) {
                    verdict = v;
                }
            }
            return verdict;
        } finally {
            packets.clear();
        }
    }

    /**
     * No SA yet for an ISAKMP policy: the packet is held and ISAKMP asked for an SA (once, then
     * again every few seconds while packets keep coming). The held packets go when the bundle
     * is installed; beyond the hold bound they are dropped and counted.
     */
    private SpdStage.Verdict acquire(IpsecPolicy policy, ByteBuf p, int at) {
        int source = Ipv4.source(p, at);
        int destination = Ipv4.destination(p, at);
        int protocol = Ipv4.protocol(p, at);
        AcquireHold.Outcome o = held.hold(policy.name(), p);
        ctx.counters.inc(o == AcquireHold.Outcome.HELD || o == AcquireHold.Outcome.HELD_ACQUIRE
                ? IpsecCounter.OUT_HELD : IpsecCounter.OUT_HOLD_OVERFLOW);
        if (o.acquire()) {
            ctx.counters.inc(IpsecCounter.OUT_ACQUIRE);
            ctx.sad.raise(new SadEvent.Acquire(policy.name(), source, destination, protocol));
        }
        // a bundle may have been installed between the lookup and the hold: do not strand the packet
        if (ctx.sad.outbound(policy.name()) != null) {
            sendHeld(policy.name());
        }
        return SpdStage.Verdict.TAKEN;
    }

    /**
     * An SA bundle arrived for a policy: the packets held while ISAKMP negotiated it go out
     * through it, in the order they came.
     */
    void sendHeld(String policyName) {
        List<ByteBuf> packets = held.release(policyName);
        if (packets.isEmpty()) {
            return;
        }
        IpsecPolicy policy = ctx.snapshot().policy(policyName).orElse(null);
        PolicyCounters.Counters pc = policy == null ? null : ctx.policyCounters.of(policy.name());
        SaBundle<Transform> b = ctx.sad.outbound(policyName);
        PacketContext c = new PacketContext();
        for (ByteBuf p : packets) {
            if (policy == null || b == null) {
                ctx.drop(p, IpsecCounter.OUT_HOLD_DROPPED);
                continue;
            }
            ctx.counters.inc(IpsecCounter.OUT_HOLD_SENT);
            c.reset("lo", true);
            if (apply(c, b, policy, pc, p)) {
                for (int i = 0; i < c.emittedCount(); i++) {
                    ctx.forwarder.sendProtected(c.route(), c.takeEmitted(i));
                }
            }
        }
    }

    /**
     * Protects one packet with a policy's bundle, in the bundle's mode, and sends it. A packet
     * that will not fit the path once protected is dealt with first (RFC 4301 section 8.2): with
     * DF set its source is told the MTU that is left after the IPsec headers, instead of the
     * packet vanishing; in tunnel mode with DFBIT=SET (the outer header must not be fragmented)
     * the inner packet is fragmented and each fragment is protected on its own.
     *
     * <p>The route to the peer comes first: with none, nothing is encrypted and the packet is
     * counted once, as {@code outNoRoute}. The protected packets are {@link PacketContext#emit}ted
     * with that route. Returns false when the packet was dropped (counted and released).
     */
    private boolean apply(PacketContext c, SaBundle<Transform> b, IpsecPolicy policy, PolicyCounters.Counters pc, ByteBuf p) {
        boolean tunnel = b.mode() == SaMode.TUNNEL;
        int at = p.readerIndex();
        if (b.assignedAddress() != 0) {
            IpsecCounter refused = ctx.assigned.outbound(b.assignedAddress(), p, at);
            if (refused != null) {
                ctx.drop(p, refused);
                return false;
            }
            ctx.counters.inc(IpsecCounter.OUT_MODECFG_TRANSLATED);
        }
        // one route lookup gives the egress, the path's MTU and, in tunnel mode, the outer source
        int to = tunnel ? b.peer() : Ipv4.destination(p, at);
        Route route = ctx.forwarder.routes().lookup(to);
        if (route == null) {
            ctx.drop(p, IpsecCounter.OUT_NO_ROUTE);
            return false;
        }
        ctx.dump(policy.name(), b, "OUT", "pre", p, p.readerIndex(), p.writerIndex());
        int overhead = BundleGeometry.of(b).overhead();
        int mtu = ctx.forwarder.mtuOf(route);
        if (mtu > 0 && Ipv4.totalLength(p, at) + overhead > mtu) {
            if ((Ipv4.flagsAndOffset(p, at) & Ipv4.FLAG_DF) != 0) {
                ctx.counters.inc(IpsecCounter.OUT_TOO_BIG);
                ctx.forwarder.fragmentationNeeded(p, mtu - overhead);
                p.release();
                return false;
            }
            if (tunnel && policy.dfBit() == DfBit.SET) {
                List<ByteBuf> fragments = new ArrayList<>();
                if (Fragmenter.fragment(p, mtu - overhead, ctx.alloc, fragments) == Fragmenter.Outcome.FRAGMENTED) {
                    p.release();
                    ctx.counters.inc(IpsecCounter.OUT_FRAGMENTED_BEFORE);
                    int src = tunnelSource(policy, ctx.forwarder.sourceFor(route, to));
                    for (int i = 0; i < fragments.size(); i++) {
                        encapsulate(c, route, b, policy, fragments.get(i), src);
                    }
                    pc.outProcessed.increment();
                    return c.emittedCount() > 0;
                }
            }
        }
        if (tunnel) {
            encapsulate(c, route, b, policy, p, tunnelSource(policy, ctx.forwarder.sourceFor(route, to)));
        } else {
            transport(c, route, b, policy, p);
        }
        if (c.emittedCount() == 0) {
            return false;
        }
        pc.outProcessed.increment();
        return true;
    }

    /** Tunnel mode: IPComp, ESP, AH around the whole inner packet, then an outer header from {@code src} to the peer. */
    private void encapsulate(PacketContext c, Route route, SaBundle<Transform> b, IpsecPolicy policy, ByteBuf p, int src) {
        int at = p.readerIndex();
        int tos = Ipv4.tos(p, at);
        boolean innerDf = (Ipv4.flagsAndOffset(p, at) & Ipv4.FLAG_DF) != 0;
        int peer = b.peer();
        int df = policy.dfBit() == DfBit.SET || (policy.dfBit() == DfBit.COPY && innerDf) ? Ipv4.FLAG_DF : 0;
        protect(c, route, b, policy, p, at, Ipv4.PROTO_IPIP, Ipv4.MIN_HEADER, scratch.get().header.tunnel(tos, df, src, peer));
    }

    /**
     * The outer source address: the SRCINTERFACE's address when the policy names one that has an
     * address, else {@code egressSource}, the egress interface's by the unnumbered rule (seed 003).
     */
    int tunnelSource(IpsecPolicy policy, int egressSource) {
        int src = policy.srcInterface() == null ? 0 : ctx.forwarder.addressOf(policy.srcInterface());
        return src != 0 ? src : egressSource;
    }

    /**
     * Transport mode (RFC 4303 section 3.1.1): the packet keeps its own IP header; IPComp, ESP
     * and AH go between that header and the payload, and the header's protocol and length change.
     */
    private void transport(PacketContext c, Route route, SaBundle<Transform> b, IpsecPolicy policy, ByteBuf p) {
        int at = p.readerIndex();
        int ihl = Ipv4.headerLength(p, at);
        protect(c, route, b, policy, p, at + ihl, Ipv4.protocol(p, at), ihl, scratch.get().header.transport(p, at, ihl));
    }

    /**
     * Applies the bundle's SAs (IPComp, ESP, AH, in that order) to the bytes of {@code p} from
     * {@code from}, puts the IP header (of {@code headerLength} bytes) in front and emits it on
     * {@code route}. AH needs that header before it can compute its ICV, so it is written there.
     */
    private void protect(PacketContext c, Route route, SaBundle<Transform> b, IpsecPolicy policy, ByteBuf p, int from, int next,
                         int headerLength, Sealing.HeaderWriter header) {
        Tap trace = ctx.debug.target(policy.name(), PolicyDebug.Option.TRACE);
        BundleGeometry g = BundleGeometry.of(b);
        int length = p.writerIndex() - from;
        int head = g.headroom() + headerLength;
        ByteBuf buf;
        int start;
        if (from - head >= 0 && p.capacity() - p.writerIndex() >= g.tailroom() && p.refCnt() == 1 && p.unwrap() == null && !p.isReadOnly()) {
            // the port left room around the packet (Port.HEADROOM): the headers go in front in place
            buf = p;
            start = from;
        } else {
            buf = ctx.alloc.buffer(head + length + g.tailroom());
            buf.writerIndex(head).writeBytes(p, from, length);
            p.release();
            start = head;
        }
        Sealing s = scratch.get().sealing.reset(buf, start, start + length, next, headerLength, header);
        boolean checksumLeft = false;
        try {
            List<Sa<Transform>> sas = b.outbound();
            for (int i = 0; i < sas.size(); i++) {
                Sa<Transform> sa = sas.get(i);
                boolean comp = sa.protocol() == IpsecProtocol.COMP;
                long seq = comp ? 0 : sa.nextSequence();
                if (seq == Sa.EXHAUSTED && !comp) {
                    ctx.counters.inc(IpsecCounter.OUT_SEQUENCE_EXHAUSTED);
                    buf.release();
                    return;
                }
                Transform own = sa.local(Transform::fork);
                if (own != null) {
                    own.seal(s.by(sa.spi(), seq, sa.esn()));
                } else {
                    synchronized (sa) {
                        sa.transform().seal(s.by(sa.spi(), seq, sa.esn()));
                    }
                }
                if (comp) {
                    ctx.counters.inc(s.compressed ? IpsecCounter.OUT_COMPRESSED : IpsecCounter.OUT_NOT_COMPRESSED);
                }
                ctx.sad.countBytes(b, sa, length);
                if (trace != null) {
                    trace.offer("IPSEC: policy " + policy.name() + " applied " + sa.protocol().display() + " SPI " + sa.spiUnsigned()
                            + (comp ? "" : " sequence " + Long.toUnsignedString(seq)));
                }
            }
            UdpEncap encap = b.udpEncap();
            if (s.ip < 0 && encap != null && s.next == Ipv4.PROTO_ESP) {
                // ESP in UDP (seed 003 "UDP tunnelling" on 2746, NAT-T on 4500; the framing of
                // RFC 3948): a UDP header between the IP header and ESP, checksum 0 (RFC 3948 2.1)
                int udp = s.start - Udp.HEADER;
                Udp.write(buf, udp, encap.localPort(), encap.remotePort(), s.end - udp);
                s.start = udp;
                s.next = Ipv4.PROTO_UDP;
                // where the egress port takes UDP super-packets the checksum is left to its host
                // instead (RFC 3948 2.1 lets a sender fill it in), so the datagrams of one TSO run
                // can leave as one
                checksumLeft = ctx.forwarder.segmentsUdp(route);
            }
            if (s.ip < 0) {
                s.ip = s.start - headerLength;
                header.write(buf, s.ip, s.next, s.end - s.ip);
            }
        } catch (DriverFailure e) {
            ctx.counters.inc(IpsecCounter.OUT_CRYPTO_FAILED);
            buf.release();
            return;
        } finally {
            s.clear();
        }
        int ip = s.ip;
        int end = s.end;
        buf.readerIndex(ip).writerIndex(end);
        ctx.dump(policy.name(), b, "OUT", "post", buf, ip, end);
        ctx.counters.inc(IpsecCounter.OUT_PROTECTED);
        c.emit(buf, route, checksumLeft);
    }
}
