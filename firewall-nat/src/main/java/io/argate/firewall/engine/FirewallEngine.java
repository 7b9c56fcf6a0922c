package io.argate.firewall.engine;

import io.argate.firewall.FirewallLimits;
import io.argate.firewall.config.AddressRange;
import io.argate.firewall.config.FirewallPolicy;
import io.argate.firewall.config.FirewallRule;
import io.argate.firewall.config.InterfaceNat;
import io.argate.firewall.config.NatType;
import io.argate.firewall.config.RuleAction;
import io.argate.firewall.config.RuleNat;
import io.argate.firewall.config.RuleNatType;
import io.argate.firewall.config.RuleTime;
import io.argate.firewall.ftp.DataExpectation;
import io.argate.firewall.ftp.FtpHelper;
import io.argate.firewall.session.FragmentMap;
import io.argate.firewall.session.Flow;
import io.argate.firewall.session.SessionState;
import io.argate.firewall.session.SessionTable;
import io.argate.ip.forward.PacketContext;
import io.argate.ip.forward.StageFilter;
import io.argate.ip.forward.StageFilter.Verdict;
import io.argate.firewall.wire.IcmpHeader;
import io.argate.ip.packet.Ipv4;
import io.netty.buffer.ByteBuf;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.ToIntFunction;

/**
 * The firewall on the packet path: two {@link StageFilter}s for the FIREWALL_INGRESS and
 * FIREWALL_EGRESS stages, the session table they share, and the compiled rule set they read.
 *
 * <p>Ingress sees every packet that arrives on an interface, decapsulated ones included. A packet
 * of a known session is tracked there; a translation that changes its destination happens there
 * too (a reply reaches the route lookup with its private destination), one that changes only its
 * source waits for egress (a packet that dies at ROUTE is quoted as its sender sent it). An unsolicited packet on a PUBLIC interface meets that interface's
 * rules (port forwards, ALLOW for the router's ISAKMP/NAT-T/ESP-over-UDP ports, ENCAP=IPSEC rules
 * for decapsulated traffic) and otherwise the base rule, which blocks it. Egress sees the packet
 * after ROUTE, with both interfaces known: a new flow from a PRIVATE interface to a PUBLIC one of
 * its policy meets the private rules in number order (first match wins; DENY drops, NONAT passes
 * untranslated, NAT translates by the rule, ALLOW passes with the interface NAT) and otherwise the
 * base rule (pass, interface NAT). Rule NAT comes before interface NAT ([C:S39][C:S44]).
 *
 * <p>A packet handled at ingress is not looked at again at egress: the ingress filter leaves a
 * mark (and any translation left to do) in its receive thread's scratch, keyed by the packet's
 * context and buffer; the forwarder runs both stages of one packet on one thread.
 */
public final class FirewallEngine {
    /** Owner value of sessions no policy opened (the router's own traffic, unlisted interfaces). */
    static final int NO_POLICY = 0;
    static final int BASE_RULE = 0;
    private static final FirewallRule[] NO_RULES = new FirewallRule[0];

    private final SessionTable table;
    private final FragmentMap fragments = new FragmentMap();
    private final FtpHelper ftp = new FtpHelper();
    private final EspPassthrough esp = new EspPassthrough();
    private final Clock clock;
    private final long epochMillis;
    private final ToIntFunction<String> interfaceAddress;
    private final Map<Integer, PolicyCounters> counters = new ConcurrentHashMap<>();
    private final PolicyCounters unowned = new PolicyCounters();
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    private volatile CompiledFirewall current = CompiledFirewall.OFF;
    private volatile Consumer<String> log = line -> { };
    private volatile IntPredicate routerSpis = spi -> false;

    private final StageFilter ingress = this::ingress;
    private final StageFilter egress = this::egress;

    /** Per receive thread: the parsed packet and the ingress mark. */
    private static final class Scratch {
        final Flow flow = new Flow();
        PacketContext handledCtx;
        ByteBuf handledBuf;
        /** A session translation ingress left to egress (it changes the source only), or -1. */
        int pendingId = -1;
        int pendingDir;
        /** The packet egress parsed this time (its first-fragment decision is recorded). */
        ByteBuf egressParsed;
        /** The packet being looked at arrived on a PUBLIC interface (the FTP helper trusts only the inside end). */
        boolean arrivedPublic;
    }

    /**
     * @param maxSessions      the session table's bound (1..{@link io.argate.firewall.FirewallLimits#MAX_SESSIONS})
     * @param clock            the injectable clock timeouts run on
     * @param interfaceAddress an interface's primary address (0 when it has none): ENAT without
     *                         GBLIP takes the GBLINTERFACE's, and ESP/AH/IPComp and PING are let
     *                         through to the arrival interface's own address
     */
    public FirewallEngine(int maxSessions, Clock clock, ToIntFunction<String> interfaceAddress) {
        this(new SessionTable(maxSessions), clock, interfaceAddress);
    }

    /** As above with NAPT ports drawn from {@code portSeed}, so tests see the same ports every run. */
    public FirewallEngine(int maxSessions, Clock clock, ToIntFunction<String> interfaceAddress, int portSeed) {
        this(new SessionTable(maxSessions, portSeed), clock, interfaceAddress);
    }

    private FirewallEngine(SessionTable table, Clock clock, ToIntFunction<String> interfaceAddress) {
        this.table = table;
        this.clock = clock;
        this.epochMillis = clock.millis();
        this.interfaceAddress = interfaceAddress;
    }

    /** FIREWALL_INGRESS. */
    public StageFilter ingress() {
        return ingress;
    }

    /** FIREWALL_EGRESS. */
    public StageFilter egress() {
        return egress;
    }

    public SessionTable sessions() {
        return table;
    }

    /** The FTP gateway's state (expected data connections), for SHOW and RESET. */
    public FtpHelper ftp() {
        return ftp;
    }

    /** LAN hosts' outbound ESP SAs through NAPT now followed (each with or without its inbound SPI learnt). */
    public int espMappings() {
        return esp.size();
    }

    /**
     * Which inbound ESP SPIs belong to the router's own SAs (the SAD's): ESP from a peer with
     * such an SPI goes to the router's IPsec even while LAN hosts pass their own ESP to that peer.
     */
    public void routerSpis(IntPredicate own) {
        this.routerSpis = own;
    }

    /** Where log entries for LOG=ALLOW|DENY and DEBUG=PACKET go (the module posts them to the control loop). */
    public void logTo(Consumer<String> sink) {
        this.log = sink;
    }

    /** Swaps in a new rule set: one volatile write, the data path never sees half of a change. */
    public void install(CompiledFirewall compiled) {
        this.current = compiled;
    }

    public CompiledFirewall installed() {
        return current;
    }

    /** The counters of policy {@code id}, kept across recompilations. */
    public PolicyCounters counters(int policyId) {
        return counters.computeIfAbsent(policyId, k -> new PolicyCounters());
    }

    /** Counters of traffic no policy owns (sessions of the router's own packets). */
    public PolicyCounters unownedCounters() {
        return unowned;
    }

    public void forgetCounters(int policyId) {
        counters.remove(policyId);
    }

    /** The injected clock (rule TTLs are instants on it). */
    public Clock clock() {
        return clock;
    }

    /** Seconds since the engine started, by the injected clock: the table's time unit. */
    public int now() {
        return (int) ((clock.millis() - epochMillis) / 1000);
    }

    /** One step of the expiry sweep; the module runs it from a control-loop timer. */
    public int sweep() {
        CompiledFirewall fw = current;
        ftp.sweep(table, now());
        esp.prune(table, now());
        return table.sweep(now(), id -> {
            CompiledPolicy p = fw.policy(table.owner(id) >>> 16);
            (p == null ? unowned : p.counters).add(FirewallCounter.SESSIONS_EXPIRED);
            if (p != null && p.debugProcess) {
                log.accept("Firewall " + p.name + ": session " + id + " expired (" + table.state(id) + ")");
            }
        });
    }

    // ---- FIREWALL_INGRESS

    private Verdict ingress(PacketContext ctx, ByteBuf buf) {
        Verdict v = inspectIngress(ctx, buf);
        Scratch sc = scratch.get();
        Flow f = sc.flow;
        if (v == Verdict.PASS && sc.handledBuf == buf && sc.pendingId < 0 && f.firstFragment) {
            fragments.record(f.src, f.dst, f.ipId, f.proto, Ipv4.source(buf, f.ipAt), Ipv4.destination(buf, f.ipAt), now());
        }
        return v;
    }

    private Verdict inspectIngress(PacketContext ctx, ByteBuf buf) {
        Scratch sc = scratch.get();
        sc.handledCtx = null;
        sc.handledBuf = null;
        sc.pendingId = -1;
        CompiledFirewall fw = current;
        if (!fw.enabled) {
            return Verdict.PASS;
        }
        String in = ctx.inInterface();
        CompiledFirewall.Binding bind = fw.binding(in);
        Flow f = sc.flow;
        Flow.Parse parsed = f.parse(buf, buf.readerIndex());
        f.partialChecksum = ctx.offload().needsChecksum();
        CompiledPolicy owner = bind == null ? null : bind.privateOf() != null ? bind.privateOf() : bind.publicOf()[0];
        // METHOD=PASSALL: nothing on this interface is refused; sessions still track and translate
        boolean passAll = owner != null && owner.passAll.contains(in);
        boolean fromPublic = bind != null && bind.privateOf() == null && !passAll;
        sc.arrivedPublic = bind != null && bind.privateOf() == null;
        if (owner != null && !passAll && oversizeFragment(f, buf) && !owner.allowsBigFragments(f.proto)) {
            return drop(owner, FirewallCounter.FRAGMENT_TOO_BIG, f, in, BASE_RULE);
        }
        if (parsed == Flow.Parse.TRUNCATED) {
            return bind == null ? Verdict.PASS : drop(bind, FirewallCounter.TRUNCATED, f, in);
        }
        int now = now();
        if (parsed == Flow.Parse.LATER_FRAGMENT) {
            // no ports: it follows what its datagram's first fragment met
            if (laterFragment(f, buf, now)) {
                mark(sc, ctx, buf);
                return Verdict.PASS;
            }
            return fromPublic ? drop(bind, FirewallCounter.FRAGMENT, f, in) : Verdict.PASS;
        }
        if (f.icmpError) {
            Verdict v = icmpError(fw, f, buf, now, fromPublic ? bind.publicOf()[0] : null);
            if (v != null) {
                mark(sc, ctx, buf);
                return v;
            }
            return fromPublic ? drop(bind, FirewallCounter.ICMP_ERROR_UNMATCHED, f, in) : Verdict.PASS;
        }
        // ESP from outside while LAN hosts use passthrough: their mappings come before the address
        // pair, which the router's own SAs with the same peer hold; the router's SPIs are its own
        boolean passthrough = f.spi != 0 && sc.arrivedPublic && esp.size() > 0;
        int ref = passthrough ? espMapping(f, now, false) : -1;
        if (passthrough && ref < 0 && !routerSpis.test(f.spi)) {
            Verdict v = learnEspSpi(fw, bind, f, buf, now, in);
            if (v != null) {
                if (v == Verdict.PASS) {
                    mark(sc, ctx, buf);
                }
                return v;
            }
        }
        if (ref < 0) {
            ref = table.find(f.src, f.dst, f.ports(), f.proto);
            // a passthrough packet had its mapping looked for above already
            if ((ref < 0 || table.expired(ref >>> 1, now)) && f.spi != 0 && !passthrough) {
                ref = espMapping(f, now, !sc.arrivedPublic);
            }
        }
        if (ref >= 0 && !table.expired(ref >>> 1, now)) {
            Verdict v = onSession(fw, ref >>> 1, ref & 1, f, buf, now, sc);
            if (v == Verdict.PASS) {
                mark(sc, ctx, buf);
            }
            return v;
        }
        if (!fromPublic) {
            if (passAll && bind.privateOf() == null) {
                owner.counters.add(FirewallCounter.PASSED_PASSALL); // the base rule would have blocked it
            }
            return Verdict.PASS; // PRIVATE or outside every policy: decided at egress
        }
        Verdict v = fromOutside(bind, ctx, f, buf, now);
        if (v == Verdict.PASS) {
            mark(sc, ctx, buf);
        }
        return v;
    }

    /**
     * A fragment of a UDP or ICMP datagram whose transport part, reassembled, would be larger
     * than the AR lets through without FRAGMENT ([C:S27]). Every fragment knows where it ends, so
     * the fragment that reaches past the limit is dropped, and with it the datagram, without
     * reassembling anything. Whole packets are not reassembled and are not limited here.
     */
    private static boolean oversizeFragment(Flow f, ByteBuf buf) {
        if (f.proto != Ipv4.PROTO_UDP && f.proto != Ipv4.PROTO_ICMP) {
            return false;
        }
        int frag = Ipv4.flagsAndOffset(buf, f.ipAt);
        if ((frag & (Ipv4.FLAG_MF | 0x1fff)) == 0) {
            return false;
        }
        return (frag & 0x1fff) * 8 + f.l4Length > FirewallLimits.FRAGMENT_MAX_L4;
    }

    private static void mark(Scratch sc, PacketContext ctx, ByteBuf buf) {
        sc.handledCtx = ctx;
        sc.handledBuf = buf;
    }

    /** An unsolicited packet on a PUBLIC interface: an expected FTP data connection, the interface's rules, then the base rule. */
    private Verdict fromOutside(CompiledFirewall.Binding bind, PacketContext ctx, Flow f, ByteBuf buf, int now) {
        String in = ctx.inInterface();
        boolean decapsulated = ctx.decapsulatedBy() != null;
        if (f.proto == Ipv4.PROTO_TCP && ftp.expecting() && TcpTracker.opens(f.tcpFlags)) {
            Verdict v = ftpData(f, buf, now, in);
            if (v != null) {
                return v;
            }
        }
        for (CompiledPolicy p : bind.publicOf()) {
            for (FirewallRule r : p.rules) {
                if (r.iface().equals(in) && RuleMatch.fromPublic(r, f, decapsulated) && inForce(r)) {
                    if (r.action() == RuleAction.DENY) {
                        return drop(p, FirewallCounter.DENIED_BY_RULE, f, in, r.number());
                    }
                    return openInbound(p, r, in, f, buf, now);
                }
            }
        }
        CompiledPolicy p = bind.publicOf()[0];
        int own = interfaceAddress.applyAsInt(in);
        boolean toRouter = own != 0 && f.dst == own;
        if (toRouter && !decapsulated && (f.proto == Ipv4.PROTO_ESP || f.proto == Ipv4.PROTO_AH || f.proto == Ipv4.PROTO_IPCOMP)) {
            // IPsec authenticates these itself; what they carry meets the ENCAP=IPSEC rules after decapsulation
            p.counters.add(FirewallCounter.IPSEC_TO_ROUTER);
            return Verdict.PASS;
        }
        if (f.proto == Ipv4.PROTO_ICMP && f.icmpType == IcmpHeader.ECHO_REQUEST && toRouter && p.ping) {
            p.counters.add(FirewallCounter.PING_TO_ROUTER);
            return Verdict.PASS;
        }
        if (f.icmpQuery && IcmpHeader.isRequest(f.icmpType) && !toRouter) {
            if (!p.forwards(f.icmpType)) {
                return drop(p, FirewallCounter.ICMP_NOT_FORWARDED, f, in, BASE_RULE);
            }
            f.untranslated();
            f.initialState = SessionState.UNREPLIED;
            return opened(p, f, buf, f.src, f.src, false, BASE_RULE, now, null);
        }
        return drop(p, FirewallCounter.DENIED_UNSOLICITED, f, in, BASE_RULE);
    }

    /**
     * A data connection an FTP control line announced: a session to the inside end, opened as the
     * control connection's related traffic. An active-mode one must come from the server's port 20
     * unless FTPDATAPORT=ANY ([C:S40]). Null when nothing expects it.
     */
    private Verdict ftpData(Flow f, ByteBuf buf, int now, String in) {
        DataExpectation e = ftp.expected(f.src, f.dst, f.dport, now);
        CompiledPolicy p = e == null ? null : current.policy(e.policyId());
        if (p == null) {
            return null;
        }
        if (e.active() && f.sport != FirewallLimits.FTP_DATA_PORT && !p.ftpDataPortAny) {
            return drop(p, FirewallCounter.FTP_DATA_PORT, f, in, BASE_RULE);
        }
        ftp.fulfilled(e);
        f.untranslated();
        f.tDst = e.inside();
        f.tDport = e.insidePort();
        f.initialState = SessionState.SYN_SENT;
        p.counters.add(FirewallCounter.FTP_DATA_ADMITTED);
        return opened(p, f, buf, f.src, f.src, false, BASE_RULE, now, in);
    }

    /** A PUBLIC rule let the packet in: a session, translated to IP/PORT when GBLIP/GBLPORT say so. */
    private Verdict openInbound(CompiledPolicy p, FirewallRule r, String in, Flow f, ByteBuf buf, int now) {
        f.untranslated();
        RuleNat rn = r.nat();
        if (rn != null && rn.type() == RuleNatType.REVERSE && rn.mask() != 0) {
            f.tDst = RuleNat.masked(f.dst, r.ip().first(), rn.mask()); // the whole GBLIP subnet onto IP's
        } else if (r.gblIp() != null) {
            int target = RuleMatch.mapAddress(r.gblIp(), r.ip(), f.dst);
            if (r.ip() == null) {
                InterfaceNat st = p.staticFor(in, f.dst);
                if (st != null) {
                    target = st.ip().first() + (f.dst - st.gblIp().first());
                }
            }
            f.tDst = target;
        }
        if (r.gblPort() != null && r.port() != null && f.hasPorts() && !f.icmpQuery) {
            f.tDport = RuleMatch.mapPort(r.gblPort(), r.port(), f.dport);
        }
        FirewallCounter refused = initialState(f);
        if (refused != null) {
            return drop(p, refused, f, in, r.number());
        }
        p.counters.add(FirewallCounter.ALLOWED_BY_RULE);
        return opened(p, f, buf, f.src, f.src, false, r.number(), now, in);
    }

    // ---- FIREWALL_EGRESS

    private Verdict egress(PacketContext ctx, ByteBuf buf) {
        Scratch sc = scratch.get();
        sc.egressParsed = null;
        Verdict v = inspectEgress(ctx, buf);
        Flow f = sc.flow;
        if (v == Verdict.PASS && sc.egressParsed == buf && f.firstFragment) {
            fragments.record(f.src, f.dst, f.ipId, f.proto, Ipv4.source(buf, f.ipAt), Ipv4.destination(buf, f.ipAt), now());
        }
        return v;
    }

    /** A later fragment of a datagram whose first fragment passed: translated the same way. */
    private boolean laterFragment(Flow f, ByteBuf buf, int now) {
        long to = fragments.find(f.src, f.dst, f.ipId, f.proto, now);
        if (to == -1) {
            return false;
        }
        Translator.rewrite(buf, f.ipAt, f.l4At, f.l4Length, f.proto, false, (int) (to >>> 32), (int) to, 0, 0, false);
        return true;
    }

    private Verdict inspectEgress(PacketContext ctx, ByteBuf buf) {
        CompiledFirewall fw = current;
        if (!fw.enabled) {
            return Verdict.PASS;
        }
        Scratch sc = scratch.get();
        if (!ctx.originated() && sc.handledCtx == ctx && sc.handledBuf == buf) {
            sc.handledCtx = null;
            sc.handledBuf = null;
            if (sc.pendingId >= 0) {
                int id = sc.pendingId;
                sc.pendingId = -1;
                CompiledPolicy p = fw.policy(table.owner(id) >>> 16);
                translate(id, sc.pendingDir, sc.flow, buf, p == null ? unowned : p.counters);
                sc.egressParsed = buf; // a first fragment's translation is recorded after it
            }
            return Verdict.PASS;
        }
        String in = ctx.originated() ? null : ctx.inInterface();
        String out = interfaceOf(ctx.outInterface());
        CompiledFirewall.Binding from = fw.binding(in);
        CompiledFirewall.Binding to = fw.binding(out);
        Flow f = sc.flow;
        Flow.Parse parsed = f.parse(buf, buf.readerIndex());
        f.partialChecksum = ctx.offload().needsChecksum();
        sc.egressParsed = buf;
        int now = now();
        CompiledPolicy policy = from == null ? null : from.privateOf();
        boolean toPublicOfMine = policy != null && to != null && to.privateOf() == null && policy.publics.contains(out);
        sc.arrivedPublic = from != null && from.privateOf() == null;
        if (parsed == Flow.Parse.LATER_FRAGMENT) {
            if (laterFragment(f, buf, now)) {
                return Verdict.PASS;
            }
            // untranslated, it would carry a private address out
            return toPublicOfMine ? drop(policy, FirewallCounter.FRAGMENT, f, in, BASE_RULE) : Verdict.PASS;
        }
        if (parsed != Flow.Parse.OK) {
            return Verdict.PASS; // a truncated header was counted at ingress where it mattered
        }
        if (f.icmpError) {
            Verdict v = icmpError(fw, f, buf, now, null);
            if (v != null) {
                return v;
            }
            return toPublicOfMine ? drop(policy, FirewallCounter.ICMP_ERROR_UNMATCHED, f, in, BASE_RULE) : Verdict.PASS;
        }
        int ref = table.find(f.src, f.dst, f.ports(), f.proto);
        if ((ref < 0 || table.expired(ref >>> 1, now)) && f.spi != 0) {
            ref = espMapping(f, now, true);
        }
        if (ref >= 0 && !table.expired(ref >>> 1, now)) {
            return onSession(fw, ref >>> 1, ref & 1, f, buf, now, null);
        }
        if (toPublicOfMine) {
            return fromInside(policy, in, out, ctx.decapsulatedBy() != null, f, buf, now);
        }
        if (policy == null && to != null && to.privateOf() == null && (from == null)) {
            // the router's own packets and interfaces outside every policy: a session so replies return
            f.untranslated();
            if (initialState(f) == null) {
                table.open(f, f.src, f.src, false, NO_POLICY, now, timeout(null, f));
            }
        }
        return Verdict.PASS;
    }

    /**
     * The firewall's name for the interface a route leaves by: routes carry the IP interface's
     * canonical {@code port-index} name ({@code eth0-0}), while policies name the interface
     * ({@code eth0}) as the packet's arrival does; without this no flow ever met its PUBLIC side.
     */
    public static String interfaceOf(String routeInterface) {
        if (routeInterface == null) {
            return null;
        }
        int dash = routeInterface.lastIndexOf('-');
        if (dash <= 0 || dash == routeInterface.length() - 1) {
            return routeInterface;
        }
        for (int i = dash + 1; i < routeInterface.length(); i++) {
            if (!Character.isDigit(routeInterface.charAt(i))) {
                return routeInterface;
            }
        }
        return routeInterface.substring(0, dash);
    }

    /**
     * Whether a rule's AFTER/BEFORE/DAYS hold now, in the router's clock's zone (the firmware's
     * clock is the system's local time). Only rules with a time pay the date arithmetic; a session
     * a timed rule opened lives on after the rule's time ends, as any established flow does.
     */
    private boolean inForce(FirewallRule r) {
        if (r.expires() != FirewallRule.FOREVER && r.expiredAt(clock.millis())) {
            return false; // its TTL ran out; the module deletes it on its next tick
        }
        RuleTime t = r.time();
        if (t == null) {
            return true;
        }
        java.time.ZonedDateTime z = clock.instant().atZone(clock.getZone());
        return t.covers(z.getDayOfWeek(), z.getHour() * 60 + z.getMinute());
    }

    /** A new flow from a PRIVATE interface to a PUBLIC one of its policy. */
    private Verdict fromInside(CompiledPolicy p, String in, String out, boolean decapsulated, Flow f, ByteBuf buf, int now) {
        f.untranslated();
        boolean passAll = p.passAll.contains(in);
        FirewallCounter refused = initialState(f);
        if (refused != null) {
            // a PASSALL public side let in what this answers (a SYN-ACK to a connection from outside)
            if (passAll || p.passAll.contains(out)) {
                p.counters.add(FirewallCounter.PASSED_PASSALL);
                return Verdict.PASS;
            }
            return drop(p, refused, f, in, BASE_RULE);
        }
        int ruleNo = BASE_RULE;
        RuleAction action = RuleAction.ALLOW;
        FirewallRule rule = null;
        for (FirewallRule r : passAll ? NO_RULES : p.rules) {
            if (r.iface().equals(in) && RuleMatch.fromPrivate(r, f, decapsulated) && inForce(r)) {
                rule = r;
                ruleNo = r.number();
                action = r.action();
                break;
            }
        }
        if (action == RuleAction.DENY) {
            return drop(p, FirewallCounter.DENIED_BY_RULE, f, in, ruleNo);
        }
        if (rule != null) {
            p.counters.add(FirewallCounter.ALLOWED_BY_RULE);
        }
        if (action == RuleAction.NONAT) {
            return opened(p, f, buf, f.src, f.src, false, ruleNo, now, in);
        }
        if (action == RuleAction.NAT) {
            int first;
            int last;
            if (rule.gblIp() != null) {
                first = rule.gblIp().first();
                last = rule.gblIp().last();
            } else {
                first = interfaceAddress.applyAsInt(out);
                last = first;
            }
            if (first == 0) {
                return drop(p, FirewallCounter.NAT_NO_GLOBAL_ADDRESS, f, in, ruleNo);
            }
            RuleNat rn = rule.nat();
            if (rn == null || rn.type() == RuleNatType.ENHANCED) {
                return napt(p, f, buf, first, last, ruleNo, now, in);
            }
            // STANDARD and DOUBLE: addresses only, a subnet by NATMASK or a range by offset
            if (rn.mask() != 0) {
                first = RuleNat.masked(f.src, first, rn.mask());
                last = first;
            } else if (rule.ip() != null && rule.ip().last() - rule.ip().first() == last - first) {
                first = RuleMatch.mapAddress(rule.ip(), rule.gblIp(), f.src);
                last = first;
            }
            if (rn.type() == RuleNatType.DOUBLE) {
                AddressRange to = rn.gblRemoteIp();
                f.tDst = rn.mask() != 0 ? RuleNat.masked(f.dst, to.first(), rn.mask()) : RuleMatch.mapAddress(rule.remoteIp(), to, f.dst);
            }
            return opened(p, f, buf, first, last, false, ruleNo, now, in);
        }
        InterfaceNat nat = p.natFor(in, out);
        if (nat == null) {
            return opened(p, f, buf, f.src, f.src, false, ruleNo, now, in);
        }
        if (nat.type() == NatType.ENHANCED) {
            int first = nat.gblIp() != null ? nat.gblIp().first() : interfaceAddress.applyAsInt(out);
            int last = nat.gblIp() != null ? nat.gblIp().last() : first;
            if (first == 0) {
                return drop(p, FirewallCounter.NAT_NO_GLOBAL_ADDRESS, f, in, ruleNo);
            }
            return napt(p, f, buf, first, last, ruleNo, now, in);
        }
        if (nat.isStatic()) {
            if (!nat.ip().contains(f.src)) {
                return opened(p, f, buf, f.src, f.src, false, ruleNo, now, in);
            }
            int global = RuleMatch.mapAddress(nat.ip(), nat.gblIp(), f.src);
            return opened(p, f, buf, global, global, false, ruleNo, now, in);
        }
        AddressRange pool = nat.gblIp();
        if (pool == null) {
            int a = interfaceAddress.applyAsInt(out);
            if (a == 0) {
                return drop(p, FirewallCounter.NAT_NO_GLOBAL_ADDRESS, f, in, ruleNo);
            }
            pool = AddressRange.of(a);
        }
        return opened(p, f, buf, pool.first(), pool.last(), false, ruleNo, now, in);
    }

    // ---- sessions

    /** Sets {@code f.initialState} for a new session, or names why the packet may not start one. */
    private static FirewallCounter initialState(Flow f) {
        if (f.proto == Ipv4.PROTO_TCP) {
            if (TcpTracker.impossible(f.tcpFlags)) {
                return FirewallCounter.TCP_BAD_FLAGS;
            }
            if (!TcpTracker.opens(f.tcpFlags)) {
                return FirewallCounter.TCP_NOT_SYN;
            }
            f.initialState = SessionState.SYN_SENT;
            return null;
        }
        f.initialState = SessionState.UNREPLIED;
        return null;
    }

    private Verdict opened(CompiledPolicy p, Flow f, ByteBuf buf, int tSrcFirst, int tSrcLast, boolean searchPort,
                           int ruleNo, int now, String in) {
        return open(p, f, buf, tSrcFirst, tSrcLast, searchPort, ruleNo, now, in) >= 0 ? Verdict.PASS : Verdict.DROP;
    }

    /**
     * Many hosts behind one global address (ENAT, NAT=ENHANCED rules). ESP has no ports: each
     * outbound SA of a LAN host is its own mapping, keyed by the SPI it carries, and the peer's
     * SPI for the way back is learnt from the first reply ({@link EspPassthrough}). A host's ESP
     * keyed by the address pair alone would take the peer's every SPI towards the global address
     * and leave a second host talking to that peer nothing.
     */
    private Verdict napt(CompiledPolicy p, Flow f, ByteBuf buf, int first, int last, int ruleNo, int now, String in) {
        if (f.spi == 0) {
            return opened(p, f, buf, first, last, f.hasPorts(), ruleNo, now, in);
        }
        if (esp.full(table, now)) {
            return drop(p, FirewallCounter.ESP_MAPPINGS_FULL, f, in, ruleNo);
        }
        f.keyBySpi();
        int id = open(p, f, buf, first, last, false, ruleNo, now, in);
        if (id < 0) {
            return Verdict.DROP;
        }
        if (!esp.add(table, now, id, f.src, f.dst, table.transSrc(id), f.spi, clock.millis())) {
            table.remove(id); // another thread took the last entry meanwhile
            return drop(p, FirewallCounter.ESP_MAPPINGS_FULL, f, in, ruleNo);
        }
        return Verdict.PASS;
    }

    /**
     * An ESP packet no address-pair session knows: an outbound mapping of a LAN host (host, peer,
     * the peer's SPI) or a learnt inbound one (peer, global address, the host's SPI), as
     * {@code id << 1} (both are their sessions' original direction), or -1. A packet a LAN host
     * sends ({@code outbound}) while some host still waits for its peer's SPI notes its time for
     * learning; no other packet touches the passthrough table's lock.
     */
    private int espMapping(Flow f, int now, boolean outbound) {
        int ref = table.find(f.src, f.dst, f.spi, Ipv4.PROTO_ESP);
        if (ref < 0 || (ref & 1) != 0 || table.expired(ref >>> 1, now)) {
            return -1; // a reply key of a mapping is what ICMP errors quoting it find, not ESP
        }
        if (outbound && esp.anyWaiting()) {
            esp.sent(ref >>> 1, clock.millis());
        }
        return ref;
    }

    /**
     * An ESP packet from a PUBLIC interface whose SPI no session knows: when LAN hosts talk ESP
     * through NAPT with its sender, the host waiting for this peer's SPI gets it as a new inbound
     * mapping; an SPI none waits for, or one two hosts could own, is dropped. Null when no LAN
     * host talks ESP with the sender through this address (the packet meets the rules as usual).
     */
    private Verdict learnEspSpi(CompiledFirewall fw, CompiledFirewall.Binding bind, Flow f, ByteBuf buf, int now, String in) {
        int outbound = esp.claim(table, now, f.src, f.dst);
        if (outbound == EspPassthrough.NONE) {
            return null;
        }
        CompiledPolicy p = outbound >= 0 ? fw.policy(table.owner(outbound) >>> 16) : null;
        if (p == null) {
            return drop(bind, outbound == EspPassthrough.AMBIGUOUS ? FirewallCounter.ESP_SPI_AMBIGUOUS
                    : FirewallCounter.ESP_SPI_UNKNOWN, f, in);
        }
        f.untranslated();
        f.keyBySpi();
        f.tDst = table.origSrc(outbound);
        f.initialState = SessionState.REPLIED;
        table.transition(outbound, SessionState.UNREPLIED, SessionState.REPLIED, 0);
        p.counters.add(FirewallCounter.ESP_SPI_LEARNT);
        return opened(p, f, buf, f.src, f.src, false, table.owner(outbound) & 0xffff, now, in);
    }

    /** Opens a session and translates the packet: its id, or -1 after a counted drop. */
    private int open(CompiledPolicy p, Flow f, ByteBuf buf, int tSrcFirst, int tSrcLast, boolean searchPort,
                     int ruleNo, int now, String in) {
        int owner = p.id << 16 | ruleNo;
        int id = table.open(f, tSrcFirst, tSrcLast, searchPort, owner, now, timeout(p, f));
        if (id == SessionTable.FULL) {
            drop(p, FirewallCounter.SESSION_TABLE_FULL, f, in, ruleNo);
            return -1;
        }
        if (id == SessionTable.NO_TRANSLATION) {
            drop(p, FirewallCounter.NAT_NO_FREE_PORT, f, in, ruleNo);
            return -1;
        }
        p.counters.add(FirewallCounter.SESSIONS_OPENED);
        if (p.logAllow || p.debugProcess) {
            log.accept(PacketLine.of(p.name, "ALLOW", in, f, ruleNo, "session " + id + " opened"));
        }
        if (f.proto == Ipv4.PROTO_UDP) {
            table.count(id, 0);
        }
        translate(id, 0, f, buf, p.counters);
        return id;
    }

    /**
     * A packet of a known session: tracked, timer restarted, translated. At ingress ({@code defer}
     * given) a translation that leaves the destination alone waits for egress, so a packet that
     * dies at ROUTE (TTL, no route) is quoted in its ICMP error as its sender sent it; one that
     * changes the destination happens now, before the route lookup needs it.
     */
    private Verdict onSession(CompiledFirewall fw, int id, int dir, Flow f, ByteBuf buf, int now, Scratch defer) {
        CompiledPolicy p = fw.policy(table.owner(id) >>> 16);
        PolicyCounters c = p == null ? unowned : p.counters;
        boolean ftpControl = f.proto == Ipv4.PROTO_TCP && p != null && FtpHelper.isControl(table, id);
        if (ftpControl) {
            ftp.beforeTracking(table, id, dir, f, buf);
        }
        if (f.proto == Ipv4.PROTO_TCP) {
            FirewallCounter refused = TcpTracker.track(table, id, dir, f);
            if (refused != null) {
                return p == null ? dropUnowned(refused) : drop(p, refused, f, null, table.owner(id) & 0xffff);
            }
        } else if (f.proto == Ipv4.PROTO_UDP) {
            int before = table.count(id, dir);
            SessionState s = table.state(id);
            // five packets one way, then this one more: UDPTIMEOUT from now on ([C:S40])
            int five = FirewallLimits.UDP_ESTABLISH_PACKETS;
            if (s != SessionState.ASSURED && ((before & 0xf) >= five || (before >>> 4) >= five)) {
                table.transition(id, s, SessionState.ASSURED, 0);
            } else if (s == SessionState.UNREPLIED && dir == 1) {
                table.transition(id, s, SessionState.REPLIED, 0);
            }
        } else if (dir == 1 && table.state(id) == SessionState.UNREPLIED) {
            table.transition(id, SessionState.UNREPLIED, SessionState.REPLIED, 0);
        }
        table.touch(id, now, sessionTimeout(p, id));
        c.add(FirewallCounter.PACKETS_ON_SESSIONS);
        if (ftpControl) {
            FtpHelper.Outcome o = ftp.inspect(table, id, dir, f, buf, !scratch.get().arrivedPublic, p.id, now);
            switch (o) {
                case TRANSLATED -> c.add(FirewallCounter.FTP_COMMANDS_TRANSLATED);
                case SPLIT_HELD -> {
                    return drop(p, FirewallCounter.FTP_LINE_SPLIT, f, null, table.owner(id) & 0xffff);
                }
                case SPLIT_PASSED -> c.add(FirewallCounter.FTP_LINE_SPLIT_PASSED);
                case OTHER_FAMILY -> c.add(FirewallCounter.FTP_OTHER_FAMILY);
                default -> {
                }
            }
        }
        if (defer != null && !changesDestination(id, dir)) {
            defer.pendingId = id;
            defer.pendingDir = dir;
        } else {
            translate(id, dir, f, buf, c);
        }
        return Verdict.PASS;
    }

    private boolean changesDestination(int id, int dir) {
        int o = dir == 0 ? table.origDst(id) : table.transSrc(id);
        int t = dir == 0 ? table.transDst(id) : table.origSrc(id);
        int oPort = dir == 0 ? table.origPorts(id) & 0xffff : table.transPorts(id) >>> 16;
        int tPort = dir == 0 ? table.transPorts(id) & 0xffff : table.origPorts(id) >>> 16;
        return o != t || oPort != tPort;
    }

    private void translate(int id, int dir, Flow f, ByteBuf buf, PolicyCounters c) {
        int oSrc = table.origSrc(id);
        int oDst = table.origDst(id);
        int oPorts = table.origPorts(id);
        int tSrc = table.transSrc(id);
        int tDst = table.transDst(id);
        int tPorts = table.transPorts(id);
        if (oSrc == tSrc && oDst == tDst && oPorts == tPorts) {
            return;
        }
        c.add(FirewallCounter.PACKETS_TRANSLATED);
        if (dir == 0) {
            Translator.rewrite(buf, f.ipAt, f.l4At, f.l4Length, f.proto, f.icmpQuery, tSrc, tDst, tPorts >>> 16, tPorts & 0xffff, f.partialChecksum);
        } else {
            Translator.rewrite(buf, f.ipAt, f.l4At, f.l4Length, f.proto, f.icmpQuery, oDst, oSrc, oPorts & 0xffff, oPorts >>> 16, f.partialChecksum);
        }
    }

    /**
     * An ICMP error: finds the session of the packet it quotes (RFC 5508 section 4.1) and
     * translates it for the direction the error travels. Null when it quotes no session.
     */
    private Verdict icmpError(CompiledFirewall fw, Flow f, ByteBuf buf, int now, CompiledPolicy gate) {
        int q = f.l4At + IcmpHeader.LENGTH;
        if (f.l4Length < IcmpHeader.LENGTH + Ipv4.MIN_HEADER + 8 || Ipv4.version(buf, q) != 4) {
            return null;
        }
        int qIhl = Ipv4.headerLength(buf, q);
        if (qIhl < Ipv4.MIN_HEADER || f.l4Length < IcmpHeader.LENGTH + qIhl + 8) {
            return null;
        }
        int qProto = Ipv4.protocol(buf, q);
        int qSrc = Ipv4.source(buf, q);
        int qDst = Ipv4.destination(buf, q);
        int qt = q + qIhl;
        int qPorts = 0;
        if (qProto == Ipv4.PROTO_TCP || qProto == Ipv4.PROTO_UDP) {
            qPorts = buf.getInt(qt);
        } else if (qProto == Ipv4.PROTO_ICMP && IcmpHeader.isQuery(buf.getUnsignedByte(qt))) {
            int id = buf.getUnsignedShort(qt + 4);
            qPorts = id << 16 | id;
        }
        // the quoted packet went the other way: reversed, it is this error's direction's key
        int ref = table.find(qDst, qSrc, SessionTable.swap(qPorts), qProto);
        if (ref < 0 && qProto == Ipv4.PROTO_ESP) {
            // a mapping keyed by its SPI (NAPT passthrough): the quoted SPI is its key's "ports"
            ref = table.find(qDst, qSrc, SessionTable.swap(buf.getInt(qt)), qProto);
        }
        if (ref < 0 || table.expired(ref >>> 1, now)) {
            return null;
        }
        int id = ref >>> 1;
        int dir = ref & 1;
        CompiledPolicy p = fw.policy(table.owner(id) >>> 16);
        if (gate != null && !gate.forwards(f.icmpType)) {
            return drop(gate, FirewallCounter.ICMP_NOT_FORWARDED, f, null, BASE_RULE);
        }
        PolicyCounters c = p == null ? unowned : p.counters;
        c.add(FirewallCounter.ICMP_ERRORS_TRANSLATED);
        int oSrc = table.origSrc(id);
        int oDst = table.origDst(id);
        int oPorts = table.origPorts(id);
        int tSrc = table.transSrc(id);
        int tDst = table.transDst(id);
        int tPorts = table.transPorts(id);
        if (oSrc == tSrc && oDst == tDst && oPorts == tPorts) {
            return Verdict.PASS;
        }
        int outerSrc = f.src;
        int outerDst = f.dst;
        if (dir == 1) {
            // about an original-direction packet as it left: quoted (tSrc,tDst) back to (oSrc,oDst)
            if (outerDst == tSrc) {
                outerDst = oSrc;
            }
            if (outerSrc == tDst) {
                outerSrc = oDst;
            }
            Translator.rewriteError(buf, f.ipAt, f.l4At, f.l4Length, outerSrc, outerDst, oSrc, oDst, oPorts >>> 16, oPorts & 0xffff);
        } else {
            // about a reply as it left: quoted (oDst,oSrc) back to (tDst,tSrc)
            if (outerDst == oDst) {
                outerDst = tDst;
            }
            if (outerSrc == oSrc) {
                outerSrc = tSrc;
            }
            Translator.rewriteError(buf, f.ipAt, f.l4At, f.l4Length, outerSrc, outerDst, tDst, tSrc, tPorts & 0xffff, tPorts >>> 16);
        }
        c.add(FirewallCounter.PACKETS_TRANSLATED);
        return Verdict.PASS;
    }

    private int timeout(CompiledPolicy p, Flow f) {
        if (f.proto == Ipv4.PROTO_TCP) {
            return TcpTracker.timeout(SessionState.SYN_SENT, 0);
        }
        if (f.proto == Ipv4.PROTO_UDP) {
            int byPort = p == null ? -1 : p.udpPortSeconds(f.sport, f.dport);
            if (byPort >= 0) {
                return byPort;
            }
            boolean sip = f.sport == FirewallLimits.UDP_SIP_PORT || f.dport == FirewallLimits.UDP_SIP_PORT;
            return sip ? udpSeconds(p) : FirewallLimits.UDP_EARLY_TIMEOUT_SECONDS;
        }
        return otherSeconds(p, f.proto);
    }

    /**
     * OTHERTIMEOUT, or ESPTIMEOUT for ESP ([C:S40]). ESP that is not behind NAPT is one session
     * per address pair: each direction of an IPsec tunnel uses its own SA, whose SPI the receiver
     * chose (RFC 4303 section 2.1), and the address pair pairs the two SAs of one peer pair (and
     * every rekey of them). Behind NAPT each SA is a mapping of its own ({@link #napt}), each on
     * ESPTIMEOUT.
     */
    private static int otherSeconds(CompiledPolicy p, int proto) {
        if (proto == Ipv4.PROTO_ESP) {
            return p == null ? FirewallPolicy.seconds(FirewallLimits.ESP_TIMEOUT_MINUTES) : p.espSeconds;
        }
        return p == null ? FirewallPolicy.seconds(FirewallLimits.OTHER_TIMEOUT_MINUTES) : p.otherSeconds;
    }

    private static int udpSeconds(CompiledPolicy p) {
        return p == null ? FirewallPolicy.seconds(FirewallLimits.UDP_TIMEOUT_MINUTES) : p.udpSeconds;
    }

    private int sessionTimeout(CompiledPolicy p, int id) {
        SessionState s = table.state(id);
        switch (table.proto(id)) {
            case Ipv4.PROTO_TCP -> {
                int est = p == null ? FirewallPolicy.seconds(FirewallLimits.TCP_TIMEOUT_MINUTES) : p.tcpSeconds;
                return TcpTracker.timeout(s, est);
            }
            case Ipv4.PROTO_UDP -> {
                int ports = table.origPorts(id);
                int byPort = p == null ? -1 : p.udpPortSeconds(ports >>> 16, ports & 0xffff);
                if (byPort >= 0) {
                    return byPort;
                }
                boolean sip = ports >>> 16 == FirewallLimits.UDP_SIP_PORT
                        || (ports & 0xffff) == FirewallLimits.UDP_SIP_PORT;
                return s == SessionState.ASSURED || sip ? udpSeconds(p) : FirewallLimits.UDP_EARLY_TIMEOUT_SECONDS;
            }
            default -> {
                return otherSeconds(p, table.proto(id));
            }
        }
    }

    // ---- drops

    private Verdict drop(CompiledFirewall.Binding bind, FirewallCounter why, Flow f, String in) {
        CompiledPolicy p = bind.privateOf() != null ? bind.privateOf() : bind.publicOf()[0];
        return drop(p, why, f, in, BASE_RULE);
    }

    private Verdict drop(CompiledPolicy p, FirewallCounter why, Flow f, String in, int ruleNo) {
        p.counters.add(why);
        if (p.logDeny) {
            log.accept(PacketLine.of(p.name, "DENY", in, f, ruleNo, why.reason()));
        }
        return Verdict.DROP;
    }

    private Verdict dropUnowned(FirewallCounter why) {
        unowned.add(why);
        return Verdict.DROP;
    }
}
