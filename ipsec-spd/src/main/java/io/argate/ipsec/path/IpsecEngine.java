package io.argate.ipsec.path;

import io.argate.enco.Enco;
import io.argate.enco.spi.DriverFailure;
import io.argate.ip.forward.Forwarder;
import io.argate.ip.forward.Hooks;
import io.argate.ip.frag.Fragmenter;
import io.argate.ip.packet.Ipv4;
import io.argate.ipsec.IpsecCounter;
import io.argate.ipsec.cli.PolicyCounters;
import io.argate.ipsec.cli.PolicyDebug;
import io.argate.ipsec.config.IpsecConfig;
import io.argate.ipsec.esp.AhTransform;
import io.argate.ipsec.esp.EspTransform;
import io.argate.ipsec.esp.IpcompTransform;
import io.argate.ipsec.replay.ReplayWindow;
import io.argate.ipsec.sad.Sa;
import io.argate.ipsec.sad.SaBundle;
import io.argate.ipsec.sad.SaDetails;
import io.argate.ipsec.sad.Sad;
import io.argate.ipsec.sad.SadEvent;
import io.argate.ipsec.sad.UdpEncap;
import io.argate.ipsec.spd.CompiledSpd;
import io.argate.ipsec.spd.DfBit;
import io.argate.ipsec.spd.Direction;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spd.PolicyAction;
import io.argate.ipsec.spd.PortSelector;
import io.argate.ipsec.spec.BundleSpecification;
import io.argate.ipsec.spec.EncoKeys;
import io.argate.ipsec.spec.IpsecProtocol;
import io.argate.ipsec.spec.KeyManagement;
import io.argate.ipsec.spec.SaMode;
import io.argate.ipsec.wire.AhLayout;
import io.argate.ipsec.wire.EspLayout;
import io.argate.ipsec.wire.IpcompLayout;
import io.argate.ipsec.wire.UdpEncapsulation;
import io.argate.shell.session.Output;
import io.argate.store.EventLog;
import io.argate.store.Severity;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The IPsec data path on the forwarder's hooks (DESIGN.md section 4), tunnel mode:
 * <ul>
 * <li>post-routing: the egress interface's SPD decides PERMIT, DENY (and the implicit DENY) or
 * IPSEC, which applies the policy's bundle (IPComp, ESP, AH) and sends the result to the peer;</li>
 * <li>ESP/AH/IPComp addressed to the router: SPI lookup, anti-replay, ICV before decryption,
 * then the inner packet must match the policy whose bundle carried it before it re-enters
 * IP input;</li>
 * <li>ingress: a plaintext packet that matches an ACTION=IPSEC policy is dropped.</li>
 * </ul>
 * Manually keyed policies get their bundles here whenever the configuration changes.
 */
public final class IpsecEngine {
    /**
     * The one buffer the engine is sending (already protected) or re-injecting (already
     * decapsulated), so that packet is not judged again. It marks that buffer only: a reply the
     * router makes while handling it (an echo reply to a ping through the tunnel) goes through
     * the SPD like any other packet.
     */
    private static final ThreadLocal<ByteBuf[]> OWN = ThreadLocal.withInitial(() -> new ByteBuf[1]);

    private final IpsecConfig config;
    private final Sad<SaDetails> sad;
    private final Enco enco;
    private final EncoKeys keys;
    private final Forwarder forwarder;
    private final ByteBufAllocator alloc;
    private final IpsecCounter.Set counters;
    private final PolicyCounters policyCounters;
    private final EventLog log;
    private final Clock clock;
    private final AcquireHold held;
    private volatile Hooks.Local natTraversalIke;
    private boolean wasEnabled;
    private final PolicyDebug debug;
    private int ipId;

    public IpsecEngine(IpsecConfig config, Sad<SaDetails> sad, Enco enco, EncoKeys keys, Forwarder forwarder, ByteBufAllocator alloc,
                       IpsecCounter.Set counters, PolicyCounters policyCounters, PolicyDebug debug, EventLog log, Clock clock) {
        this.config = config;
        this.debug = debug;
        this.sad = sad;
        this.enco = enco;
        this.keys = keys;
        this.forwarder = forwarder;
        this.alloc = alloc;
        this.counters = counters;
        this.policyCounters = policyCounters;
        this.log = log;
        this.clock = clock;
        this.held = new AcquireHold(clock);
        forwarder.addPostRouting(this::outbound);
        forwarder.addIngress(this::ingress);
        forwarder.onProtocol(Ipv4.PROTO_ESP, this::inbound);
        forwarder.onProtocol(Ipv4.PROTO_AH, this::inbound);
        forwarder.onProtocol(Ipv4.PROTO_IPCOMP, this::inbound);
        config.onChange(this::rebuildManual);
        sad.onEvent(this::sadEvent);
        forwarder.onUdpPort(UdpEncapsulation.NAT_T_PORT, this::udpTunnel);
        bindUdpPort();
    }

    /**
     * Where IKE messages arriving on UDP 4500 go (RFC 3948 section 2.2: a payload starting with
     * the four-byte non-ESP marker). The engine owns port 4500 because ESP arrives there too; ISAKMP
     * registers here instead of binding the port itself. The handler gets the whole IP packet.
     */
    public void onNatTraversalIke(Hooks.Local handler) {
        this.natTraversalIke = handler;
    }

    /** Packets held for a policy that is waiting for its SA (SHOW IPSEC POLICY). */
    public int heldPackets(String policy) {
        return held.held(policy);
    }

    private void sadEvent(SadEvent e) {
        if (e instanceof SadEvent.Installed installed) {
            sendHeld(installed.policy());
        }
    }

    /**
     * An SA bundle arrived for a policy: the packets held while ISAKMP negotiated it go out
     * through it, in the order they came.
     */
    private void sendHeld(String policyName) {
        List<ByteBuf> packets = held.release(policyName);
        if (packets.isEmpty()) {
            return;
        }
        IpsecPolicy policy = config.policy(policyName).orElse(null);
        PolicyCounters.Counters pc = policy == null ? null : policyCounters.of(policy.name());
        SaBundle<SaDetails> b = sad.outbound(policyName);
        for (ByteBuf p : packets) {
            if (policy == null || b == null) {
                drop(p, IpsecCounter.OUT_HOLD_DROPPED);
                continue;
            }
            counters.inc(IpsecCounter.OUT_HOLD_SENT);
            apply(b, policy, pc, p);
        }
    }

    private int boundUdpPort = -1;
    private final Map<String, java.time.Instant> lastHeartbeat = new ConcurrentHashMap<>();
    /** The seed: "sent every 30 seconds to the peer router" to keep NAT mappings alive. */
    public static final java.time.Duration HEARTBEAT = java.time.Duration.ofSeconds(30);

    /** SET IPSEC UDPPORT moves the ESP-over-UDP listener: the old port stops accepting ESP. */
    private void bindUdpPort() {
        int port = config.udpPort();
        if (port != boundUdpPort) {
            if (boundUdpPort > 0 && boundUdpPort != UdpEncapsulation.NAT_T_PORT) {
                forwarder.offUdpPort(boundUdpPort);
            }
            forwarder.onUdpPort(port, this::udpTunnel);
            boundUdpPort = port;
        }
    }

    /**
     * Once a second from the router's timer: SA lifetimes, and a heartbeat datagram every 30 s
     * for each UDPHEARTBEAT policy (a single 0xFF byte, which the receiver ignores).
     */
    public void tick() {
        sad.tick();
        int expired = held.expire();
        for (int i = 0; i < expired; i++) {
            counters.inc(IpsecCounter.OUT_HOLD_EXPIRED);
        }
        if (!config.enabled()) {
            return;
        }
        java.time.Instant now = clock.instant();
        for (IpsecPolicy p : config.policies()) {
            if (!p.udpHeartbeat() || p.peer().address() == 0) {
                continue;
            }
            java.time.Instant last = lastHeartbeat.get(p.name());
            if (last != null && java.time.Duration.between(last, now).compareTo(HEARTBEAT) < 0) {
                continue;
            }
            lastHeartbeat.put(p.name(), now);
            ByteBuf hb = alloc.buffer(29).writerIndex(29);
            Ipv4.write(hb, 0, 0, 29, nextId(), 0, 64, Ipv4.PROTO_UDP, tunnelSource(p, p.peer().address()), p.peer().address());
            hb.setShort(20, config.udpPort());
            hb.setShort(22, p.udpPort());
            hb.setShort(24, 9);
            hb.setShort(26, 0);
            hb.setByte(28, 0xff);
            ByteBuf[] own = OWN.get();
            ByteBuf previous = own[0];
            own[0] = hb;
            try {
                forwarder.originate(hb);
            } finally {
                own[0] = previous;
            }
        }
    }

    /** Installs the bundles of manually keyed IPSEC policies (all removed first). */
    public synchronized void rebuildManual() {
        bindUdpPort();
        if (config.enabled() != wasEnabled) {
            wasEnabled = config.enabled();
            log.log(Severity.INFO, "IPSEC", "IPSC", "MSG", "IPSEC has been " + (wasEnabled ? "enabled" : "disabled"));
        }
        for (SaBundle<SaDetails> b : sad.bundles()) {
            IpsecPolicy p = config.policy(b.policy()).orElse(null);
            if (p == null || p.keyManagement() == KeyManagement.MANUAL) {
                sad.remove(b);
            }
        }
        dropHeldOfGonePolicies();
        if (!config.enabled()) {
            return;
        }
        for (IpsecPolicy p : config.policies()) {
            if (p.action() != PolicyAction.IPSEC || p.keyManagement() != KeyManagement.MANUAL) {
                continue;
            }
            BundleSpecification bs = config.bundle(p.bundle()).orElse(null);
            if (bs == null) {
                continue;
            }
            try {
                UdpEncap encap = p.udpTunnel() ? new UdpEncap(config.udpPort(), p.udpPort()) : null;
                sad.install(ManualSas.build(p, bs, config.specs(), keys, enco, sad, clock.instant(), encap));
                log.log(Severity.INFO, "IPSEC", "IPSC", "MSG", "SA bundle created: Policy - " + p.name());
            } catch (DriverFailure | RuntimeException e) {
                log.log(Severity.IMPORTANT, "IPSEC", "IPSC", "ERROR", "SA bundle for policy " + p.name() + " not created: " + e.getMessage());
            }
        }
    }

    /**
     * Held packets of a policy that is gone, or no longer waits for ISAKMP (destroyed, changed to
     * another action or to manual keys, or IPsec disabled), are dropped and counted.
     */
    private void dropHeldOfGonePolicies() {
        for (String name : held.policies()) {
            IpsecPolicy p = config.policy(name).orElse(null);
            if (p != null && config.enabled() && p.action() == PolicyAction.IPSEC && p.keyManagement() == KeyManagement.ISAKMP) {
                continue;
            }
            for (ByteBuf b : held.release(name)) {
                drop(b, IpsecCounter.OUT_HOLD_DROPPED);
            }
        }
    }

    private static int sport(ByteBuf p, int at) {
        int proto = Ipv4.protocol(p, at);
        if ((proto != Ipv4.PROTO_TCP && proto != Ipv4.PROTO_UDP) || (Ipv4.flagsAndOffset(p, at) & 0x1fff) != 0) {
            return PortSelector.NONE;
        }
        return p.getUnsignedShort(at + Ipv4.headerLength(p, at));
    }

    private static int dport(ByteBuf p, int at) {
        int s = sport(p, at);
        return s == PortSelector.NONE ? s : p.getUnsignedShort(at + Ipv4.headerLength(p, at) + 2);
    }

    private CompiledSpd.Match<IpsecPolicy> lookup(String iface, Direction d, ByteBuf p, int at) {
        return config.spd().lookup(IpsecConfig.ifaceKey(iface), d, Ipv4.source(p, at), Ipv4.destination(p, at), Ipv4.protocol(p, at),
                sport(p, at), dport(p, at));
    }

    Hooks.Verdict outbound(String out, ByteBuf p) {
        if (!config.enabled() || OWN.get()[0] == p) {
            return Hooks.Verdict.CONTINUE;
        }
        int at = p.readerIndex();
        CompiledSpd.Match<IpsecPolicy> m = lookup(out, Direction.OUTBOUND, p, at);
        if (m.noPolicies()) {
            return Hooks.Verdict.CONTINUE;
        }
        counters.inc(IpsecCounter.OUT_PACKETS);
        if (m.implicitDeny()) {
            counters.inc(IpsecCounter.OUT_IMPLICIT_DENY);
            return Hooks.Verdict.DROP;
        }
        IpsecPolicy policy = m.policy();
        PolicyCounters.Counters pc = policyCounters.of(policy.name());
        pc.outMatched.increment();
        Output filter = debug.target(policy.name(), PolicyDebug.Option.FILTER);
        if (filter != null) {
            filter.println("IPSEC: outbound on " + out + " " + dotted(Ipv4.source(p, at)) + " > " + dotted(Ipv4.destination(p, at))
                    + " proto " + Ipv4.protocol(p, at) + " matched policy " + policy.name() + ": " + policy.action());
        }
        switch (policy.action()) {
            case PERMIT -> {
                counters.inc(IpsecCounter.OUT_PERMITTED);
                return Hooks.Verdict.CONTINUE;
            }
            case DENY -> {
                counters.inc(IpsecCounter.OUT_DENIED);
                pc.outDenied.increment();
                return Hooks.Verdict.DROP;
            }
            default -> {
                SaBundle<SaDetails> b = sad.outbound(policy.name());
                if (b == null) {
                    pc.outNoSa.increment();
                    counters.inc(IpsecCounter.OUT_NO_SA);
                    return policy.keyManagement() == KeyManagement.ISAKMP ? acquire(policy, p, at) : Hooks.Verdict.DROP;
                }
                apply(b, policy, pc, p);
                return Hooks.Verdict.CONSUMED;
            }
        }
    }

    /**
     * No SA yet for an ISAKMP policy: the packet is held and ISAKMP asked for an SA (once, then
     * again every few seconds while packets keep coming). The held packets go when the bundle
     * is installed; beyond the hold bound they are dropped and counted.
     */
    private Hooks.Verdict acquire(IpsecPolicy policy, ByteBuf p, int at) {
        int source = Ipv4.source(p, at);
        int destination = Ipv4.destination(p, at);
        int protocol = Ipv4.protocol(p, at);
        AcquireHold.Outcome o = held.hold(policy.name(), p);
        counters.inc(o == AcquireHold.Outcome.HELD || o == AcquireHold.Outcome.HELD_ACQUIRE ? IpsecCounter.OUT_HELD : IpsecCounter.OUT_HOLD_OVERFLOW);
        if (o.acquire()) {
            counters.inc(IpsecCounter.OUT_ACQUIRE);
            sad.raise(new SadEvent.Acquire(policy.name(), source, destination, protocol));
        }
        // a bundle may have been installed between the lookup and the hold: do not strand the packet
        if (sad.outbound(policy.name()) != null) {
            sendHeld(policy.name());
        }
        return Hooks.Verdict.CONSUMED;
    }

    /**
     * Protects one packet with a policy's bundle, in the bundle's mode, and sends it. A packet
     * that will not fit the path once protected is dealt with first (RFC 4301 section 8.2): with
     * DF set its source is told the MTU that is left after the IPsec headers, instead of the
     * packet vanishing; in tunnel mode with DFBIT=SET (the outer header must not be fragmented)
     * the inner packet is fragmented and each fragment is protected on its own.
     */
    private void apply(SaBundle<SaDetails> b, IpsecPolicy policy, PolicyCounters.Counters pc, ByteBuf p) {
        dump(policy.name(), b, "OUT", "pre", p, p.readerIndex(), p.writerIndex());
        boolean tunnel = b.mode() == SaMode.TUNNEL;
        int at = p.readerIndex();
        int overhead = overhead(b);
        int mtu = forwarder.mtuTo(tunnel ? b.peer() : Ipv4.destination(p, at));
        if (mtu > 0 && Ipv4.totalLength(p, at) + overhead > mtu) {
            if ((Ipv4.flagsAndOffset(p, at) & Ipv4.FLAG_DF) != 0) {
                counters.inc(IpsecCounter.OUT_TOO_BIG);
                forwarder.fragmentationNeeded(p, mtu - overhead);
                p.release();
                return;
            }
            if (tunnel && policy.dfBit() == DfBit.SET) {
                List<ByteBuf> fragments = new ArrayList<>();
                if (Fragmenter.fragment(p, mtu - overhead, alloc, fragments) == Fragmenter.Outcome.FRAGMENTED) {
                    p.release();
                    counters.inc(IpsecCounter.OUT_FRAGMENTED_BEFORE);
                    for (ByteBuf f : fragments) {
                        encapsulate(b, policy, f);
                    }
                    pc.outProcessed.increment();
                    return;
                }
            }
        }
        if (tunnel) {
            encapsulate(b, policy, p);
        } else {
            transport(b, policy, p);
        }
        pc.outProcessed.increment();
    }

    /** Bytes the bundle's headers take in front of the payload (IPComp, ESP with its IV, AH, UDP), not the IP header. */
    private static int headroom(SaBundle<SaDetails> b) {
        int n = b.udpEncap() != null ? 8 : 0;
        for (Sa<SaDetails> sa : b.outbound()) {
            if (sa.transform() instanceof EspTransform e) {
                n += e.headerLength();
            } else if (sa.transform() instanceof AhTransform a) {
                n += a.length();
            } else {
                n += IpcompLayout.HEADER;
            }
        }
        return n;
    }

    /** Bytes ESP may add after the payload: padding, trailer and ICV. */
    private static int tailroom(SaBundle<SaDetails> b) {
        int n = 0;
        for (Sa<SaDetails> sa : b.outbound()) {
            if (sa.transform() instanceof EspTransform e) {
                n += e.maxTrailer();
            }
        }
        return n;
    }

    /** The most bytes the bundle adds to a packet: ESP header, IV, padding, trailer and ICV, AH, UDP, outer header. */
    private static int overhead(SaBundle<SaDetails> b) {
        int n = b.mode() == SaMode.TUNNEL ? Ipv4.MIN_HEADER : 0;
        for (Sa<SaDetails> sa : b.outbound()) {
            if (sa.transform() instanceof EspTransform e) {
                n += e.headerLength() + e.maxTrailer();
            } else if (sa.transform() instanceof AhTransform a) {
                n += a.length();
            }
        }
        return b.udpEncap() != null ? n + 8 : n;
    }

    private synchronized int nextId() {
        ipId = (ipId + 1) & 0xffff;
        return ipId;
    }

    static String dotted(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 255) + "." + (a >>> 8 & 255) + "." + (a & 255);
    }

    /**
     * DEBUG=PACKET in the reference's form: "IPSEC vpn: 2: OUT: pre processing:" and the packet's
     * headers and data in hex ({@link PacketDump}).
     */
    private void dump(String policy, SaBundle<SaDetails> b, String direction, String stage, ByteBuf p, int from, int to) {
        Output o = debug.target(policy, PolicyDebug.Option.PACKET);
        if (o == null) {
            return;
        }
        int icv = 0;
        for (Sa<SaDetails> sa : b.outbound()) {
            if (sa.transform() instanceof EspTransform e) {
                icv = e.icvLength();
            }
        }
        for (String line : PacketDump.lines("IPSEC " + policy + ": " + b.id() + ": " + direction + ": " + stage + " processing:", p, from, to, icv,
                config.udpPort())) {
            o.println(line);
        }
    }

    /** Writes the IP header in front of the protected payload: the header starts at {@code at}. */
    @FunctionalInterface
    private interface HeaderWriter {
        void write(ByteBuf buf, int at, int protocol, int totalLength);
    }

    /** Tunnel mode: IPComp, ESP, AH around the whole inner packet, then an outer header to the peer. */
    private void encapsulate(SaBundle<SaDetails> b, IpsecPolicy policy, ByteBuf p) {
        int at = p.readerIndex();
        int tos = Ipv4.tos(p, at);
        boolean innerDf = (Ipv4.flagsAndOffset(p, at) & Ipv4.FLAG_DF) != 0;
        int peer = b.peer();
        int src = tunnelSource(policy, peer);
        int df = policy.dfBit() == DfBit.SET || (policy.dfBit() == DfBit.COPY && innerDf) ? Ipv4.FLAG_DF : 0;
        protect(b, policy, p, at, Ipv4.PROTO_IPIP, Ipv4.MIN_HEADER,
                (buf, h, proto, len) -> Ipv4.write(buf, h, tos, len, nextId(), df, 64, proto, src, peer));
    }

    /**
     * The outer source address: the SRCINTERFACE's address when the policy names one that has an
     * address, else the egress interface's by the unnumbered rule (seed 003).
     */
    private int tunnelSource(IpsecPolicy policy, int peer) {
        int src = policy.srcInterface() == null ? 0 : forwarder.addressOf(policy.srcInterface());
        return src != 0 ? src : forwarder.sourceFor(peer);
    }

    /**
     * Transport mode (RFC 4303 section 3.1.1): the packet keeps its own IP header; IPComp, ESP
     * and AH go between that header and the payload, and the header's protocol and length change.
     */
    private void transport(SaBundle<SaDetails> b, IpsecPolicy policy, ByteBuf p) {
        int at = p.readerIndex();
        int ihl = Ipv4.headerLength(p, at);
        byte[] header = new byte[ihl];
        p.getBytes(at, header);
        protect(b, policy, p, at + ihl, Ipv4.protocol(p, at), ihl, (buf, h, proto, len) -> {
            buf.setBytes(h, header);
            Ipv4.setProtocol(buf, h, proto);
            Ipv4.setTotalLength(buf, h, len);
            Ipv4.updateChecksum(buf, h);
        });
    }

    /**
     * Applies the bundle's SAs (IPComp, ESP, AH, in that order) to the bytes of {@code p} from
     * {@code from}, puts the IP header (of {@code headerLength} bytes) in front and sends it.
     * AH needs that header before it can compute its ICV, so it is written there.
     */
    private void protect(SaBundle<SaDetails> b, IpsecPolicy policy, ByteBuf p, int from, int next, int headerLength,
                         HeaderWriter header) {
        Output trace = debug.target(policy.name(), PolicyDebug.Option.TRACE);
        int length = p.writerIndex() - from;
        int head = headroom(b) + headerLength;
        int tail = tailroom(b);
        ByteBuf buf;
        int start;
        if (from - head >= 0 && p.capacity() - p.writerIndex() >= tail && p.refCnt() == 1 && p.unwrap() == null && !p.isReadOnly()) {
            // the port left room around the packet (Port.HEADROOM): the headers go in front in place
            buf = p;
            start = from;
        } else {
            buf = alloc.buffer(head + length + tail);
            buf.writerIndex(head).writeBytes(p, from, length);
            p.release();
            start = head;
        }
        int end = start + length;
        int ip = -1;
        try {
            for (Sa<SaDetails> sa : b.outbound()) {
                long seq = sa.protocol() == IpsecProtocol.COMP ? 0 : sa.nextSequence();
                if (seq == Sa.EXHAUSTED && sa.protocol() != IpsecProtocol.COMP) {
                    counters.inc(IpsecCounter.OUT_SEQUENCE_EXHAUSTED);
                    buf.release();
                    return;
                }
                if (sa.transform() instanceof IpcompTransform c) {
                    int h = c.compress(buf, start, end, next);
                    if (h >= 0) {
                        start = h;
                        end = buf.writerIndex();
                        next = Ipv4.PROTO_IPCOMP;
                        counters.inc(IpsecCounter.OUT_COMPRESSED);
                    } else {
                        counters.inc(IpsecCounter.OUT_NOT_COMPRESSED);
                    }
                } else if (sa.transform() instanceof EspTransform e) {
                    start = e.seal(buf, start, end, next, sa.spi(), seq, sa.esn());
                    end = buf.writerIndex();
                    next = Ipv4.PROTO_ESP;
                } else if (sa.transform() instanceof AhTransform a) {
                    int ah = start - a.length();
                    ip = ah - headerLength;
                    header.write(buf, ip, Ipv4.PROTO_AH, end - ip);
                    a.seal(buf, ip, ah, end, next, sa.spi(), seq, sa.esn());
                    start = ah;
                    next = Ipv4.PROTO_AH;
                }
                sad.countBytes(b, sa, length);
                if (trace != null) {
                    trace.println("IPSEC: policy " + policy.name() + " applied " + sa.protocol().display() + " SPI " + sa.spiUnsigned()
                            + (sa.protocol() == IpsecProtocol.COMP ? "" : " sequence " + seq));
                }
            }
            UdpEncap encap = b.udpEncap();
            if (ip < 0 && encap != null && next == Ipv4.PROTO_ESP) {
                // ESP in UDP (seed 003 "UDP tunnelling" on 2746, NAT-T on 4500; the framing of
                // RFC 3948): a UDP header between the IP header and ESP, checksum 0 (RFC 3948 2.1)
                int udp = start - 8;
                buf.setShort(udp, encap.localPort());
                buf.setShort(udp + 2, encap.remotePort());
                buf.setShort(udp + 4, end - udp);
                buf.setShort(udp + 6, 0);
                start = udp;
                next = Ipv4.PROTO_UDP;
            }
            if (ip < 0) {
                ip = start - headerLength;
                header.write(buf, ip, next, end - ip);
            }
        } catch (DriverFailure e) {
            counters.inc(IpsecCounter.OUT_CRYPTO_FAILED);
            buf.release();
            return;
        }
        buf.readerIndex(ip).writerIndex(end);
        dump(policy.name(), b, "OUT", "post", buf, ip, end);
        counters.inc(IpsecCounter.OUT_PROTECTED);
        ByteBuf[] own = OWN.get();
        ByteBuf previous = own[0];
        own[0] = buf;
        try {
            forwarder.originate(buf);
        } finally {
            own[0] = previous;
        }
    }

    Hooks.Verdict ingress(String in, ByteBuf p) {
        if (!config.enabled() || OWN.get()[0] == p) {
            return Hooks.Verdict.CONTINUE;
        }
        int at = p.readerIndex();
        int proto = Ipv4.protocol(p, at);
        if (proto == Ipv4.PROTO_ESP || proto == Ipv4.PROTO_AH || proto == Ipv4.PROTO_IPCOMP) {
            // the IPsec packets themselves are judged by their SAs, not by the SPD
            return Hooks.Verdict.CONTINUE;
        }
        CompiledSpd.Match<IpsecPolicy> m = lookup(in, Direction.INBOUND, p, at);
        if (m.noPolicies()) {
            return Hooks.Verdict.CONTINUE;
        }
        if (m.implicitDeny()) {
            counters.inc(IpsecCounter.IN_IMPLICIT_DENY);
            return Hooks.Verdict.DROP;
        }
        PolicyCounters.Counters pc = policyCounters.of(m.policy().name());
        pc.inMatched.increment();
        switch (m.policy().action()) {
            case PERMIT -> {
                counters.inc(IpsecCounter.IN_PERMITTED);
                return Hooks.Verdict.CONTINUE;
            }
            case DENY -> {
                counters.inc(IpsecCounter.IN_DENIED);
                pc.inDenied.increment();
                return Hooks.Verdict.DROP;
            }
            default -> {
                counters.inc(IpsecCounter.IN_NOT_PROTECTED);
                pc.inNotProtected.increment();
                return Hooks.Verdict.DROP;
            }
        }
    }

    void inbound(String in, ByteBuf p) {
        counters.inc(IpsecCounter.IN_PACKETS);
        if (!config.enabled()) {
            p.release();
            return;
        }
        int at = p.readerIndex();
        peel(in, p, at, at + Ipv4.headerLength(p, at), p.writerIndex(), Ipv4.protocol(p, at));
    }

    /**
     * A datagram on the UDP tunnel port (2746 or SET IPSEC UDPPORT) or on NAT-T's 4500: ESP is
     * decapsulated; heartbeats (2746) and NAT keepalives (4500, RFC 3948 section 2.3) are counted
     * and dropped; IKE behind the non-ESP marker goes to ISAKMP.
     */
    void udpTunnel(String in, ByteBuf ip) {
        int at = ip.readerIndex();
        int udp = at + Ipv4.headerLength(ip, at);
        int udpLength = ip.writerIndex() - udp >= 8 ? ip.getUnsignedShort(udp + 4) : 0;
        if (udpLength < 8 || udp + udpLength > ip.writerIndex()) {
            counters.inc(IpsecCounter.IN_PACKETS);
            drop(ip, IpsecCounter.IN_TRUNCATED);
            return;
        }
        ip.writerIndex(udp + udpLength);
        boolean natT = ip.getUnsignedShort(udp + 2) == UdpEncapsulation.NAT_T_PORT;
        UdpEncapsulation.Kind kind = UdpEncapsulation.classify(ip, udp + 8, udpLength - 8);
        if (kind == UdpEncapsulation.Kind.IKE && natT) {
            Hooks.Local ike = natTraversalIke;
            if (ike != null) {
                ike.deliver(in, ip);
            } else {
                drop(ip, IpsecCounter.IN_NAT_T_IKE_UNHANDLED);
            }
            return;
        }
        counters.inc(IpsecCounter.IN_PACKETS);
        if (!config.enabled()) {
            ip.release();
            return;
        }
        switch (kind) {
            case ESP -> peel(in, ip, at, udp + 8, ip.writerIndex(), Ipv4.PROTO_ESP);
            // the AR heartbeat and anything too short to be ESP are ignored, as the seed says
            default -> drop(ip, natT ? IpsecCounter.IN_NAT_KEEPALIVE : IpsecCounter.IN_UDP_HEARTBEAT);
        }
    }

    private void peel(String in, ByteBuf p, int at, int hdr, int end, int proto) {
        SaBundle<SaDetails> carrier = null;
        byte[] outerHeader = new byte[Ipv4.headerLength(p, at)];
        p.getBytes(at, outerHeader);
        ByteBuf cur = p;
        try {
            while (proto == Ipv4.PROTO_AH || proto == Ipv4.PROTO_ESP || proto == Ipv4.PROTO_IPCOMP) {
                if (proto == Ipv4.PROTO_AH) {
                    if (end - hdr < AhLayout.FIXED) {
                        drop(cur, IpsecCounter.IN_TRUNCATED);
                        return;
                    }
                    Sa<SaDetails> sa = sad.inbound(IpsecProtocol.AH, AhLayout.spi(cur, hdr));
                    if (!(sa != null && sa.transform() instanceof AhTransform a)) {
                        unknownSpi(cur, IpsecProtocol.AH, AhLayout.spi(cur, hdr), at);
                        return;
                    }
                    if (carrier == null) {
                        dump(sa.bundle().policy(), sa.bundle(), "IN", "pre", cur, at, end);
                    }
                    long seq = sa.inboundSequence(AhLayout.sequence(cur, hdr));
                    if (!replayOk(sa, seq) || !a.verify(cur, at, hdr, end, seq, sa.esn())) {
                        drop(cur, sa.replay() != null && sa.replay().check(seq) != ReplayWindow.Verdict.OK ? replayCounter(sa, seq) : IpsecCounter.IN_BAD_ICV);
                        return;
                    }
                    accept(sa, seq, end - hdr);
                    carrier = sa.bundle();
                    proto = AhLayout.nextHeader(cur, hdr);
                    hdr += a.length();
                } else if (proto == Ipv4.PROTO_ESP) {
                    if (end - hdr < EspLayout.HEADER) {
                        drop(cur, IpsecCounter.IN_TRUNCATED);
                        return;
                    }
                    Sa<SaDetails> sa = sad.inbound(IpsecProtocol.ESP, EspLayout.spi(cur, hdr));
                    if (!(sa != null && sa.transform() instanceof EspTransform e)) {
                        unknownSpi(cur, IpsecProtocol.ESP, EspLayout.spi(cur, hdr), at);
                        return;
                    }
                    if (carrier == null) {
                        dump(sa.bundle().policy(), sa.bundle(), "IN", "pre", cur, at, end);
                    }
                    long seq = sa.inboundSequence(EspLayout.sequence(cur, hdr));
                    if (!replayOk(sa, seq)) {
                        drop(cur, replayCounter(sa, seq));
                        return;
                    }
                    int start = e.open(cur, hdr, end, seq, sa.esn());
                    if (start < 0) {
                        drop(cur, switch (e.lastDrop()) {
                            case BAD_ICV -> IpsecCounter.IN_BAD_ICV;
                            case BAD_PADDING -> IpsecCounter.IN_BAD_PADDING;
                            case TRUNCATED -> IpsecCounter.IN_TRUNCATED;
                            default -> IpsecCounter.IN_BAD_LENGTH;
                        });
                        return;
                    }
                    accept(sa, seq, end - hdr);
                    carrier = sa.bundle();
                    proto = e.nextHeader();
                    hdr = start;
                    end = cur.writerIndex();
                } else {
                    if (end - hdr < IpcompLayout.HEADER) {
                        drop(cur, IpsecCounter.IN_TRUNCATED);
                        return;
                    }
                    int cpi = IpcompLayout.cpi(cur, hdr);
                    Sa<SaDetails> sa = carrier != null ? ipcompOf(carrier, cpi) : sad.inboundIpcomp(Ipv4.source(p, at), cpi);
                    if (!(sa != null && sa.transform() instanceof IpcompTransform c)) {
                        drop(cur, IpsecCounter.IN_UNKNOWN_SPI);
                        return;
                    }
                    if (carrier == null) {
                        // an IPComp-only bundle: IPComp is the outermost header
                        carrier = sa.bundle();
                    }
                    sad.countBytes(sa.bundle(), sa, end - hdr);
                    ByteBuf plain = alloc.buffer(65535);
                    try {
                        proto = c.decompress(cur, hdr, end, plain, 65535);
                    } catch (DriverFailure bad) {
                        plain.release();
                        drop(cur, IpsecCounter.IN_DECOMPRESS_FAILED);
                        return;
                    }
                    cur.release();
                    cur = plain;
                    hdr = 0;
                    end = plain.writerIndex();
                }
            }
            boolean transport = carrier != null && proto != Ipv4.PROTO_IPIP && carrier.mode() == SaMode.TRANSPORT;
            if (transport) {
                // put the packet's own header back in front of the payload, with the payload's protocol
                ByteBuf whole = alloc.buffer(outerHeader.length + end - hdr);
                whole.writeBytes(outerHeader).writeBytes(cur, hdr, end - hdr);
                Ipv4.setProtocol(whole, 0, proto);
                Ipv4.setTotalLength(whole, 0, whole.readableBytes());
                whole.setShort(6, 0);
                Ipv4.updateChecksum(whole, 0);
                cur.release();
                cur = whole;
                hdr = 0;
                end = whole.writerIndex();
            } else if (proto != Ipv4.PROTO_IPIP || carrier == null || end - hdr < Ipv4.MIN_HEADER) {
                drop(cur, IpsecCounter.IN_BAD_INNER);
                return;
            }
            cur.readerIndex(hdr).writerIndex(end);
            IpsecPolicy policy = config.policy(carrier.policy()).orElse(null);
            CompiledSpd.Match<IpsecPolicy> m = lookup(in, Direction.INBOUND, cur, hdr);
            if (policy == null || m.policy() == null || !m.policy().name().equalsIgnoreCase(policy.name())) {
                if (policy != null) {
                    policyCounters.of(policy.name()).inWrongPolicy.increment();
                }
                drop(cur, IpsecCounter.IN_WRONG_POLICY);
                return;
            }
            policyCounters.of(policy.name()).inProcessed.increment();
            counters.inc(IpsecCounter.IN_DECAPSULATED);
            dump(policy.name(), carrier, "IN", "post", cur, hdr, end);
            ByteBuf[] own = OWN.get();
            ByteBuf previous = own[0];
            own[0] = cur;
            try {
                forwarder.reinject(in, cur);
            } finally {
                own[0] = previous;
            }
        } catch (DriverFailure e) {
            drop(cur, IpsecCounter.IN_BAD_ICV);
        }
    }

    /** The IPComp SA of the bundle whose ESP or AH carried the packet, if its CPI is the one on the packet. */
    private static Sa<SaDetails> ipcompOf(SaBundle<SaDetails> carrier, int cpi) {
        for (Sa<SaDetails> sa : carrier.inbound()) {
            if (sa.protocol() == IpsecProtocol.COMP && sa.spi() == cpi) {
                return sa;
            }
        }
        return null;
    }

    private static boolean replayOk(Sa<SaDetails> sa, long seq) {
        return sa.replay() == null || sa.replay().check(seq) == ReplayWindow.Verdict.OK;
    }

    private static IpsecCounter replayCounter(Sa<SaDetails> sa, long seq) {
        return sa.replay().check(seq) == ReplayWindow.Verdict.DUPLICATE ? IpsecCounter.IN_REPLAY_DUPLICATE : IpsecCounter.IN_REPLAY_OLD;
    }

    private void accept(Sa<SaDetails> sa, long seq, int bytes) {
        sa.received(seq);
        sad.countBytes(sa.bundle(), sa, bytes);
    }

    private void unknownSpi(ByteBuf p, IpsecProtocol proto, int spi, int at) {
        sad.raise(new SadEvent.UnknownSpi(spi, proto.ipProtocol(), Ipv4.source(p, at), Ipv4.destination(p, at)));
        drop(p, IpsecCounter.IN_UNKNOWN_SPI);
    }

    private void drop(ByteBuf p, IpsecCounter why) {
        counters.inc(why);
        p.release();
    }
}
