package io.argate.ipsec.path;

import io.argate.ipsec.esp.Opening;
import io.argate.ipsec.esp.Transform;

import io.argate.enco.spi.DriverFailure;
import io.argate.ip.forward.LocalHandler;
import io.argate.ip.forward.PacketContext;
import io.argate.ip.forward.StageFilter;
import io.argate.ip.packet.Udp;
import io.argate.ipsec.config.IpsecSnapshot;
import io.argate.ip.packet.Ipv4;
import io.argate.ipsec.IpsecCounter;
import io.argate.ipsec.diag.PolicyCounters;
import io.argate.ipsec.sad.Sa;
import io.argate.ipsec.sad.SaBundle;
import io.argate.ipsec.sad.SadEvent;
import io.argate.ipsec.spd.CompiledSpd;
import io.argate.ipsec.spd.Direction;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spec.IpsecProtocol;
import io.argate.ipsec.spec.SaMode;
import io.argate.ipsec.wire.AhLayout;
import io.argate.ipsec.wire.EspLayout;
import io.argate.ipsec.wire.IpcompLayout;
import io.argate.ipsec.wire.UdpEncapsulation;
import io.netty.buffer.ByteBuf;

import java.util.function.Supplier;

/**
 * The inbound half of the data path:
 * <ul>
 * <li>ESP, AH and IPComp addressed to the router (and ESP in UDP on the tunnel port or NAT-T's
 * 4500): SPI lookup, anti-replay, ICV before decryption, decryption, padding, decompression;
 * then the inner packet must match the policy whose bundle carried it, and it goes back to the
 * path (which runs it from INPUT again, marked as carried by that policy);</li>
 * <li>the IPSEC_INGRESS stage: a plaintext packet that matches an ACTION=IPSEC policy is dropped.</li>
 * </ul>
 * Each step that fails ends in exactly one counter and the buffer released.
 *
 * <p>One pipeline per core: each receive thread opens packets with its own copy of the SA's
 * transform ({@link Sa#local}), so two ports' threads never wait for each other on an SA; the
 * replay window takes no lock either and lets exactly one of two copies of a packet arriving at
 * once on two ports through ({@link io.argate.ipsec.replay.ReplayWindow#accept}). Only an SA
 * whose ENCO channels cannot be duplicated is still opened under its lock.
 */
final class InboundPath {
    private final PathContext ctx;
    private final Supplier<LocalHandler> natTraversalIke;

    InboundPath(PathContext ctx, Supplier<LocalHandler> natTraversalIke) {
        this.ctx = ctx;
        this.natTraversalIke = natTraversalIke;
    }

    /** IPSEC_INGRESS. On DROP the path releases the packet. */
    StageFilter.Verdict ingress(PacketContext c, ByteBuf p) {
        IpsecSnapshot snap = ctx.snapshot();
        if (!snap.enabled() || c.decapsulatedBy() != null) {
            // a decapsulated packet was checked against the policy that carried it
            return StageFilter.Verdict.PASS;
        }
        int at = p.readerIndex();
        int proto = Ipv4.protocol(p, at);
        if (proto == Ipv4.PROTO_ESP || proto == Ipv4.PROTO_AH || proto == Ipv4.PROTO_IPCOMP) {
            // the IPsec packets themselves are judged by their SAs, not by the SPD
            return StageFilter.Verdict.PASS;
        }
        CompiledSpd.Match<IpsecPolicy> m = ctx.lookup(snap, c.inInterface(), Direction.INBOUND, p, at);
        if (m.noPolicies()) {
            return StageFilter.Verdict.PASS;
        }
        if (m.implicitDeny()) {
            ctx.counters.inc(IpsecCounter.IN_IMPLICIT_DENY);
            return StageFilter.Verdict.DROP;
        }
        PolicyCounters.Counters pc = ctx.policyCounters.of(m.policy().name());
        pc.inMatched.increment();
        switch (m.policy().action()) {
            case PERMIT -> {
                ctx.counters.inc(IpsecCounter.IN_PERMITTED);
                return StageFilter.Verdict.PASS;
            }
            case DENY -> {
                ctx.counters.inc(IpsecCounter.IN_DENIED);
                pc.inDenied.increment();
                return StageFilter.Verdict.DROP;
            }
            default -> {
                ctx.counters.inc(IpsecCounter.IN_NOT_PROTECTED);
                pc.inNotProtected.increment();
                return StageFilter.Verdict.DROP;
            }
        }
    }

    /** LOCAL: ESP (50), AH (51) or IPComp (108) addressed to the router; returns the inner packet. */
    ByteBuf inbound(PacketContext c, ByteBuf p) {
        ctx.counters.inc(IpsecCounter.IN_PACKETS);
        if (!ctx.snapshot().enabled()) {
            ctx.drop(p, IpsecCounter.IN_DISABLED);
            return null;
        }
        int at = p.readerIndex();
        return peel(c, p, at, at + Ipv4.headerLength(p, at), p.writerIndex(), Ipv4.protocol(p, at));
    }

    /**
     * LOCAL: a datagram on the UDP tunnel port (2746 or SET IPSEC UDPPORT) or on NAT-T's 4500:
     * ESP is decapsulated; heartbeats (2746) and NAT keepalives (4500, RFC 3948 section 2.3) are
     * counted and dropped; IKE behind the non-ESP marker goes to ISAKMP.
     */
    ByteBuf udpTunnel(PacketContext c, ByteBuf ip) {
        int at = ip.readerIndex();
        int udp = at + Ipv4.headerLength(ip, at);
        int udpLength = Udp.checkedLength(ip, udp, ip.writerIndex());
        if (udpLength < 0) {
            ctx.counters.inc(IpsecCounter.IN_PACKETS);
            ctx.drop(ip, IpsecCounter.IN_TRUNCATED);
            return null;
        }
        ip.writerIndex(udp + udpLength);
        boolean natT = Udp.destinationPort(ip, udp) == UdpEncapsulation.NAT_T_PORT;
        UdpEncapsulation.Kind kind = UdpEncapsulation.classify(ip, udp + Udp.HEADER, udpLength - Udp.HEADER);
        if (kind == UdpEncapsulation.Kind.IKE && natT) {
            LocalHandler ike = natTraversalIke.get();
            if (ike != null) {
                return ike.deliver(c, ip);
            }
            ctx.drop(ip, IpsecCounter.IN_NAT_T_IKE_UNHANDLED);
            return null;
        }
        ctx.counters.inc(IpsecCounter.IN_PACKETS);
        if (!ctx.snapshot().enabled()) {
            ctx.drop(ip, IpsecCounter.IN_DISABLED);
            return null;
        }
        if (kind == UdpEncapsulation.Kind.ESP) {
            return peel(c, ip, at, udp + Udp.HEADER, ip.writerIndex(), Ipv4.PROTO_ESP);
        }
        // the AR heartbeat and anything too short to be ESP are ignored, as the seed says
        ctx.drop(ip, natT ? IpsecCounter.IN_NAT_KEEPALIVE : IpsecCounter.IN_UDP_HEARTBEAT);
        return null;
    }

    /** An {@link Opening} with the bundle whose SA removed the outermost IPsec header. */
    private static final class Peel extends Opening {
        SaBundle<Transform> carrier;

        Peel start(ByteBuf received, int at, int hdr, int end, int proto, io.netty.buffer.ByteBufAllocator alloc) {
            reset(received, at, hdr, end, proto, alloc);
            carrier = null;
            return this;
        }

        @Override
        public void clear() {
            super.clear();
            carrier = null;
        }
    }

    /** One {@link Peel} per receive thread, reset for each packet: opening a packet makes no object (issue 15). */
    private final ThreadLocal<Peel> peels = ThreadLocal.withInitial(Peel::new);

    /**
     * Removes the IPsec headers from {@code p} (outer IP header at {@code at}, first IPsec header
     * at {@code hdr} of protocol {@code proto}) one by one, then checks the inner packet against
     * the carrying bundle's policy and returns it, for the path to run again from INPUT. Every
     * refusal ends in one counter and the buffer released (and null returned).
     */
    private ByteBuf peel(PacketContext c, ByteBuf p, int at, int hdr, int end, int proto) {
        Peel s = peels.get().start(p, at, hdr, end, proto, ctx.alloc);
        try {
            return peelAll(c, s);
        } finally {
            s.clear();
        }
    }

    /** {@link #peel} on the thread's {@link Peel}, which the caller clears afterwards. */
    private ByteBuf peelAll(PacketContext c, Peel s) {
        try {
            while (s.proto == Ipv4.PROTO_AH || s.proto == Ipv4.PROTO_ESP || s.proto == Ipv4.PROTO_IPCOMP) {
                if (!remove(s)) {
                    return null;
                }
            }
        } catch (DriverFailure e) {
            ctx.drop(s.cur, IpsecCounter.IN_BAD_ICV);
            return null;
        }
        if (s.carrier != null && s.proto != Ipv4.PROTO_IPIP && s.carrier.mode() == SaMode.TRANSPORT) {
            restoreTransportHeader(s);
        } else if (s.proto != Ipv4.PROTO_IPIP || s.carrier == null || s.end - s.hdr < Ipv4.MIN_HEADER) {
            ctx.drop(s.cur, IpsecCounter.IN_BAD_INNER);
            return null;
        }
        s.cur.readerIndex(s.hdr).writerIndex(s.end);
        return deliver(c, s.carrier, s.cur, s.hdr, s.end);
    }

    /**
     * One IPsec header: the SA it names, the replay window's early test, the transform's own
     * checks (ICV and decryption, or decompression) with this thread's copy of it, and the
     * window's update (RFC 4303 section 3.4.3: only after the integrity check), which refuses
     * the packet if another thread recorded its number meanwhile. The header's bytes count
     * towards the SA's lifetime and its bundle becomes the packet's carrier. A refusal is counted
     * and the buffer released.
     */
    private boolean remove(Peel s) throws DriverFailure {
        Sa<Transform> sa = s.proto == Ipv4.PROTO_IPCOMP ? ipcompSa(s) : headerSa(s);
        if (sa == null) {
            return false;
        }
        Transform own = sa.local(Transform::fork);
        int length = s.end - s.hdr;
        long wireSeq = sa.transform().wireSequence(s.cur, s.hdr);
        long seq = sa.inboundSequence(wireSeq);
        IpsecCounter refused = replayRefusal(sa, seq);
        if (refused == null) {
            if (own != null) {
                refused = own.open(s, seq, sa.esn());
            } else {
                synchronized (sa) {
                    refused = sa.transform().open(s, seq, sa.esn());
                }
            }
        }
        if (refused == null) {
            refused = switch (sa.received(seq)) {
                case OK -> null;
                case DUPLICATE -> IpsecCounter.IN_REPLAY_DUPLICATE;
                default -> IpsecCounter.IN_REPLAY_OLD;
            };
        }
        if (refused != null) {
            ctx.drop(s.cur, refused);
            return false;
        }
        ctx.sad.countBytes(sa.bundle(), sa, length);
        if (s.carrier == null) {
            s.carrier = sa.bundle();
        }
        return true;
    }

    /**
     * The IPComp SA of the header at {@code s.hdr}: the carrying bundle's own when ESP or AH came
     * first, else by the sender and CPI (an IPComp-only bundle). Null (counted, released) when
     * the header is cut short or names none.
     */
    private Sa<Transform> ipcompSa(Peel s) {
        if (s.end - s.hdr < IpcompLayout.HEADER) {
            ctx.drop(s.cur, IpsecCounter.IN_TRUNCATED);
            return null;
        }
        int cpi = IpcompLayout.cpi(s.cur, s.hdr);
        Sa<Transform> sa = s.carrier != null ? ipcompOf(s.carrier, cpi) : ctx.sad.inboundIpcomp(Ipv4.source(s.received, s.at), cpi);
        if (sa == null || sa.protocol() != IpsecProtocol.COMP) {
            ctx.drop(s.cur, IpsecCounter.IN_UNKNOWN_SPI);
            return null;
        }
        return sa;
    }

    /** Transport mode: the packet's own header goes back in front of the payload, with the payload's protocol. */
    private void restoreTransportHeader(Peel s) {
        byte[] header = s.outerHeader();
        int headerLength = s.outerHeaderLength();
        ByteBuf whole = ctx.alloc.buffer(headerLength + s.end - s.hdr);
        whole.writeBytes(header, 0, headerLength).writeBytes(s.cur, s.hdr, s.end - s.hdr);
        Ipv4.setProtocol(whole, 0, s.proto);
        Ipv4.setTotalLength(whole, 0, whole.readableBytes());
        whole.setShort(6, 0);
        Ipv4.updateChecksum(whole, 0);
        s.cur.release();
        s.cur = whole;
        s.hdr = 0;
        s.end = whole.writerIndex();
    }

    /**
     * The inner packet must match the very policy whose bundle carried it (RFC 4301 section
     * 5.2, step 4): a tunnel for one pair of networks cannot be used to inject packets for
     * another. Then it goes back to the path, marked as carried by that policy, to run from
     * INPUT again and meet the firewall and its egress interface's SPD like any other packet.
     */
    private ByteBuf deliver(PacketContext c, SaBundle<Transform> carrier, ByteBuf cur, int hdr, int end) {
        IpsecSnapshot snap = ctx.snapshot();
        if (carrier.assignedAddress() != 0) {
            // back from our Mode Config address to the host whose flow owns the port, before the policy judges it
            IpsecCounter refused = ctx.assigned.inbound(carrier.assignedAddress(), cur, hdr);
            if (refused != null) {
                ctx.drop(cur, refused);
                return null;
            }
            ctx.counters.inc(IpsecCounter.IN_MODECFG_TRANSLATED);
        }
        CompiledSpd.Match<IpsecPolicy> m = ctx.lookup(snap, c.inInterface(), Direction.INBOUND, cur, hdr);
        IpsecPolicy policy = m.policy();
        if (policy == null || !policy.name().equalsIgnoreCase(carrier.policy())) {
            snap.policy(carrier.policy()).ifPresent(owner -> ctx.policyCounters.of(owner.name()).inWrongPolicy.increment());
            ctx.drop(cur, IpsecCounter.IN_WRONG_POLICY);
            return null;
        }
        ctx.policyCounters.of(policy.name()).inProcessed.increment();
        ctx.counters.inc(IpsecCounter.IN_DECAPSULATED);
        ctx.dump(policy.name(), carrier, "IN", "post", cur, hdr, end);
        c.decapsulated(policy.name(), c.inInterface());
        return cur;
    }

    /**
     * The SA the AH or ESP header at {@code s.hdr} names, or null when the header is cut short or
     * names no SA of that protocol (counted, the buffer released). The outermost header's SA
     * starts the DEBUG=PACKET trace.
     */
    private Sa<Transform> headerSa(Peel s) {
        IpsecProtocol protocol = s.proto == Ipv4.PROTO_AH ? IpsecProtocol.AH : IpsecProtocol.ESP;
        boolean ah = protocol == IpsecProtocol.AH;
        if (s.end - s.hdr < (ah ? AhLayout.FIXED : EspLayout.HEADER)) {
            ctx.drop(s.cur, IpsecCounter.IN_TRUNCATED);
            return null;
        }
        int spi = ah ? AhLayout.spi(s.cur, s.hdr) : EspLayout.spi(s.cur, s.hdr);
        Sa<Transform> sa = ctx.sad.inbound(protocol, spi);
        if (sa == null || sa.protocol() != protocol) {
            unknownSpi(s.cur, protocol, spi, s.at);
            return null;
        }
        if (s.carrier == null) {
            ctx.dump(sa.bundle().policy(), sa.bundle(), "IN", "pre", s.cur, s.at, s.end);
        }
        return sa;
    }

    /** The IPComp SA of the bundle whose ESP or AH carried the packet, if its CPI is the one on the packet. */
    private static Sa<Transform> ipcompOf(SaBundle<Transform> carrier, int cpi) {
        for (Sa<Transform> sa : carrier.inbound()) {
            if (sa.protocol() == IpsecProtocol.COMP && sa.spi() == cpi) {
                return sa;
            }
        }
        return null;
    }

    /** Null when the window lets {@code seq} in (or the SA has none), else the counter of the refusal. */
    private static IpsecCounter replayRefusal(Sa<Transform> sa, long seq) {
        if (sa.replay() == null) {
            return null;
        }
        return switch (sa.replay().check(seq)) {
            case OK -> null;
            case DUPLICATE -> IpsecCounter.IN_REPLAY_DUPLICATE;
            default -> IpsecCounter.IN_REPLAY_OLD;
        };
    }

    private void unknownSpi(ByteBuf p, IpsecProtocol proto, int spi, int at) {
        ctx.sad.raise(new SadEvent.UnknownSpi(spi, proto.ipProtocol(), Ipv4.source(p, at), Ipv4.destination(p, at)));
        ctx.drop(p, IpsecCounter.IN_UNKNOWN_SPI);
    }
}
