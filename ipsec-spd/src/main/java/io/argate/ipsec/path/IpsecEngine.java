package io.argate.ipsec.path;

import io.argate.enco.Enco;
import io.argate.enco.spi.DriverFailure;
import io.argate.ip.forward.Forwarder;
import io.argate.ip.forward.Hooks;
import io.argate.ip.packet.Ipv4;
import io.argate.ipsec.IpsecCounter;
import io.argate.ipsec.cli.PolicyCounters;
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
import io.argate.ipsec.wire.AhLayout;
import io.argate.ipsec.wire.EspLayout;
import io.argate.ipsec.wire.IpcompLayout;
import io.argate.ipsec.wire.UdpEncapsulation;
import io.argate.store.EventLog;
import io.argate.store.Severity;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.time.Clock;
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
    private final Map<Sa<SaDetails>, String> policyOf = new ConcurrentHashMap<>();
    private final Map<String, io.argate.ipsec.spec.SaMode> modeOf = new ConcurrentHashMap<>();
    private final io.argate.ipsec.cli.PolicyDebug debug;
    private int ipId;

    public IpsecEngine(IpsecConfig config, Sad<SaDetails> sad, Enco enco, EncoKeys keys, Forwarder forwarder, ByteBufAllocator alloc,
                       IpsecCounter.Set counters, PolicyCounters policyCounters, io.argate.ipsec.cli.PolicyDebug debug, EventLog log, Clock clock) {
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
        forwarder.addPostRouting(this::outbound);
        forwarder.addIngress(this::ingress);
        forwarder.onProtocol(Ipv4.PROTO_ESP, this::inbound);
        forwarder.onProtocol(Ipv4.PROTO_AH, this::inbound);
        forwarder.onProtocol(Ipv4.PROTO_IPCOMP, this::inbound);
        config.onChange(this::rebuildManual);
        bindUdpPort();
    }

    private int boundUdpPort = -1;
    private final Map<String, java.time.Instant> lastHeartbeat = new ConcurrentHashMap<>();
    /** The seed: "sent every 30 seconds to the peer router" to keep NAT mappings alive. */
    public static final java.time.Duration HEARTBEAT = java.time.Duration.ofSeconds(30);

    private void bindUdpPort() {
        int port = config.udpPort();
        if (port != boundUdpPort) {
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
            Ipv4.write(hb, 0, 0, 29, nextId(), 0, 64, Ipv4.PROTO_UDP, forwarder.sourceFor(p.peer().address()), p.peer().address());
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
        for (SaBundle<SaDetails> b : sad.bundles()) {
            IpsecPolicy p = config.policy(b.policy()).orElse(null);
            if (p == null || p.keyManagement() == KeyManagement.MANUAL) {
                sad.remove(b);
                b.outbound().forEach(policyOf::remove);
                b.inbound().forEach(policyOf::remove);
            }
        }
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
                modeOf.put(p.name().toLowerCase(java.util.Locale.ROOT), ManualSas.mode(bs, config.specs()));
                SaBundle<SaDetails> b = ManualSas.build(p, bs, config.specs(), keys, enco, sad, clock.instant());
                sad.install(b);
                b.outbound().forEach(sa -> policyOf.put(sa, p.name()));
                b.inbound().forEach(sa -> policyOf.put(sa, p.name()));
                log.log(Severity.INFO, "IPSEC", "SA", "CREATE", "SA bundle created: Policy - " + p.name());
            } catch (DriverFailure | RuntimeException e) {
                log.log(Severity.IMPORTANT, "IPSEC", "SA", "ERROR", "SA bundle for policy " + p.name() + " not created: " + e.getMessage());
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
        io.argate.shell.session.Output filter = debug.target(policy.name(), io.argate.ipsec.cli.PolicyDebug.Option.FILTER);
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
                    if (policy.keyManagement() == KeyManagement.ISAKMP) {
                        counters.inc(IpsecCounter.OUT_ACQUIRE);
                        sad.raise(new SadEvent.Acquire(policy.name(), Ipv4.source(p, at), Ipv4.destination(p, at), Ipv4.protocol(p, at)));
                    }
                    return Hooks.Verdict.DROP;
                }
                if (modeOf.get(policy.name().toLowerCase(java.util.Locale.ROOT)) == io.argate.ipsec.spec.SaMode.TRANSPORT) {
                    transport(b, policy, p);
                } else {
                    encapsulate(b, policy, p);
                }
                pc.outProcessed.increment();
                return Hooks.Verdict.CONSUMED;
            }
        }
    }

    private synchronized int nextId() {
        ipId = (ipId + 1) & 0xffff;
        return ipId;
    }

    static String dotted(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 255) + "." + (a >>> 8 & 255) + "." + (a & 255);
    }

    /** The reference's debug form: the first bytes of a packet in hex, 16 to a line. */
    private static void hex(io.argate.shell.session.Output o, String title, ByteBuf b, int from, int to) {
        o.println(title + " (" + (to - from) + " bytes)");
        int shown = Math.min(to, from + 128);
        for (int i = from; i < shown; i += 16) {
            o.println("  " + io.netty.buffer.ByteBufUtil.hexDump(b, i, Math.min(16, shown - i)));
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
        io.argate.shell.session.Output packetDebug = debug.target(policy.name(), io.argate.ipsec.cli.PolicyDebug.Option.PACKET);
        if (packetDebug != null) {
            hex(packetDebug, "IPSEC: policy " + policy.name() + " before processing", p, at, p.writerIndex());
        }
        int tos = Ipv4.tos(p, at);
        boolean innerDf = (Ipv4.flagsAndOffset(p, at) & Ipv4.FLAG_DF) != 0;
        int peer = b.peer();
        int src = forwarder.sourceFor(peer);
        int df = policy.dfBit() == DfBit.SET || (policy.dfBit() == DfBit.COPY && innerDf) ? Ipv4.FLAG_DF : 0;
        protect(b, policy, p, at, Ipv4.PROTO_IPIP, Ipv4.MIN_HEADER, policy.udpTunnel(),
                (buf, h, proto, len) -> Ipv4.write(buf, h, tos, len, nextId(), df, 64, proto, src, peer), packetDebug);
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
        protect(b, policy, p, at + ihl, Ipv4.protocol(p, at), ihl, false, (buf, h, proto, len) -> {
            buf.setBytes(h, header);
            Ipv4.setProtocol(buf, h, proto);
            Ipv4.setTotalLength(buf, h, len);
            Ipv4.updateChecksum(buf, h);
        }, debug.target(policy.name(), io.argate.ipsec.cli.PolicyDebug.Option.PACKET));
    }

    /**
     * Applies the bundle's SAs (IPComp, ESP, AH, in that order) to the bytes of {@code p} from
     * {@code from}, puts the IP header (of {@code headerLength} bytes) in front and sends it.
     * AH needs that header before it can compute its ICV, so it is written there.
     */
    private void protect(SaBundle<SaDetails> b, IpsecPolicy policy, ByteBuf p, int from, int next, int headerLength, boolean udpTunnel,
                         HeaderWriter header, io.argate.shell.session.Output packetDebug) {
        io.argate.shell.session.Output trace = debug.target(policy.name(), io.argate.ipsec.cli.PolicyDebug.Option.TRACE);
        int length = p.writerIndex() - from;
        int head = 160;
        ByteBuf buf = alloc.buffer(head + length + 128);
        buf.writerIndex(head).writeBytes(p, from, length);
        p.release();
        int start = head;
        int end = head + length;
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
            if (ip < 0 && udpTunnel && next == Ipv4.PROTO_ESP) {
                // ESP over UDP (seed 003 "UDP tunnelling"; the framing of RFC 3948): a UDP header
                // from the local tunnel port to the policy's UDPPORT, checksum 0 (RFC 3948 2.1)
                int udp = start - 8;
                buf.setShort(udp, config.udpPort());
                buf.setShort(udp + 2, policy.udpPort());
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
        if (packetDebug != null) {
            hex(packetDebug, "IPSEC: policy " + policy.name() + " after processing, to " + dotted(Ipv4.destination(buf, ip)), buf, ip, end);
        }
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

    /** ESP arriving on the UDP tunnel port: heartbeats and keepalives are counted and dropped. */
    void udpTunnel(String in, ByteBuf ip) {
        int at = ip.readerIndex();
        int udp = at + Ipv4.headerLength(ip, at);
        int len = ip.writerIndex() - udp - 8;
        counters.inc(IpsecCounter.IN_PACKETS);
        if (!config.enabled() || len < 0) {
            ip.release();
            return;
        }
        switch (UdpEncapsulation.classify(ip, udp + 8, len)) {
            case ESP -> peel(in, ip, at, udp + 8, ip.writerIndex(), Ipv4.PROTO_ESP);
            case KEEPALIVE, RUNT -> drop(ip, IpsecCounter.IN_UDP_HEARTBEAT);
            default -> drop(ip, IpsecCounter.IN_NAT_KEEPALIVE);
        }
    }

    private void peel(String in, ByteBuf p, int at, int hdr, int end, int proto) {
        String policyName = null;
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
                    long seq = sa.inboundSequence(AhLayout.sequence(cur, hdr));
                    if (!replayOk(sa, seq) || !a.verify(cur, at, hdr, end, seq, sa.esn())) {
                        drop(cur, sa.replay() != null && sa.replay().check(seq) != ReplayWindow.Verdict.OK ? replayCounter(sa, seq) : IpsecCounter.IN_BAD_ICV);
                        return;
                    }
                    accept(sa, seq, end - hdr);
                    policyName = policyOf.get(sa);
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
                    policyName = policyOf.get(sa);
                    proto = e.nextHeader();
                    hdr = start;
                    end = cur.writerIndex();
                } else {
                    Sa<SaDetails> sa = sad.inbound(IpsecProtocol.COMP, end - hdr >= IpcompLayout.HEADER ? IpcompLayout.cpi(cur, hdr) : -1);
                    if (!(sa != null && sa.transform() instanceof IpcompTransform c)) {
                        drop(cur, IpsecCounter.IN_UNKNOWN_SPI);
                        return;
                    }
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
            boolean transport = policyName != null && proto != Ipv4.PROTO_IPIP
                    && modeOf.get(policyName.toLowerCase(java.util.Locale.ROOT)) == io.argate.ipsec.spec.SaMode.TRANSPORT;
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
            } else if (proto != Ipv4.PROTO_IPIP || policyName == null || end - hdr < Ipv4.MIN_HEADER) {
                drop(cur, IpsecCounter.IN_BAD_INNER);
                return;
            }
            cur.readerIndex(hdr).writerIndex(end);
            IpsecPolicy policy = config.policy(policyName).orElse(null);
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
            io.argate.shell.session.Output packetDebug = debug.target(policy.name(), io.argate.ipsec.cli.PolicyDebug.Option.PACKET);
            if (packetDebug != null) {
                hex(packetDebug, "IPSEC: policy " + policy.name() + " inbound after processing", cur, hdr, end);
            }
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

    private static boolean replayOk(Sa<SaDetails> sa, long seq) {
        return sa.replay() == null || sa.replay().check(seq) == ReplayWindow.Verdict.OK;
    }

    private static IpsecCounter replayCounter(Sa<SaDetails> sa, long seq) {
        return sa.replay().check(seq) == ReplayWindow.Verdict.DUPLICATE ? IpsecCounter.IN_REPLAY_DUPLICATE : IpsecCounter.IN_REPLAY_OLD;
    }

    private void accept(Sa<SaDetails> sa, long seq, int bytes) {
        sa.received(seq);
        sa.count(bytes);
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
