package io.argate.ipsec.path;

import io.argate.enco.Enco;
import io.argate.enco.spi.DriverFailure;
import io.argate.ip.forward.Forwarder;
import io.argate.ip.forward.Hooks;
import io.argate.ip.packet.Ipv4;
import io.argate.ipsec.IpsecCounter;
import io.argate.ipsec.cli.PolicyCounters;
import io.argate.ipsec.cli.PolicyDebug;
import io.argate.ipsec.config.IpsecConfig;
import io.argate.ipsec.sad.SaBundle;
import io.argate.ipsec.sad.SaDetails;
import io.argate.ipsec.sad.Sad;
import io.argate.ipsec.sad.SadEvent;
import io.argate.ipsec.sad.UdpEncap;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spd.PolicyAction;
import io.argate.ipsec.spec.BundleSpecification;
import io.argate.ipsec.spec.EncoKeys;
import io.argate.ipsec.spec.KeyManagement;
import io.argate.ipsec.wire.UdpEncapsulation;
import io.argate.store.EventLog;
import io.argate.store.Severity;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The IPsec data path on the forwarder's hooks (DESIGN.md section 4): {@link OutboundPath} on
 * post-routing, {@link InboundPath} for ESP/AH/IPComp (and ESP in UDP) addressed to the router
 * and on ingress. The engine wires them, installs the bundles of manually keyed policies whenever
 * the configuration changes, sends the packets held for ISAKMP when their bundle arrives, and
 * runs the once-a-second work: SA lifetimes, held-packet expiry, UDP heartbeats.
 */
public final class IpsecEngine {
    private final IpsecConfig config;
    private final Sad<SaDetails> sad;
    private final Enco enco;
    private final EncoKeys keys;
    private final IpsecCounter.Set counters;
    private final EventLog log;
    private final Clock clock;
    private final AcquireHold held;
    private final PathContext ctx;
    private final OutboundPath outbound;
    /** The inbound path's handler for ESP in UDP, bound to the tunnel port and to 4500. */
    private final Hooks.Local udpTunnel;
    private volatile Hooks.Local natTraversalIke;
    private boolean wasEnabled;
    private int boundUdpPort = -1;
    private final Map<String, Instant> lastHeartbeat = new ConcurrentHashMap<>();
    /** The seed: "sent every 30 seconds to the peer router" to keep NAT mappings alive. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(30);

    public IpsecEngine(IpsecConfig config, Sad<SaDetails> sad, Enco enco, EncoKeys keys, Forwarder forwarder, ByteBufAllocator alloc,
                       IpsecCounter.Set counters, PolicyCounters policyCounters, PolicyDebug debug, EventLog log, Clock clock) {
        this.config = config;
        this.sad = sad;
        this.enco = enco;
        this.keys = keys;
        this.counters = counters;
        this.log = log;
        this.clock = clock;
        this.held = new AcquireHold(clock);
        policyCounters.heldBy(held::held);
        this.ctx = new PathContext(config, sad, forwarder, alloc, counters, policyCounters, debug);
        this.outbound = new OutboundPath(ctx, held);
        InboundPath inbound = new InboundPath(ctx, () -> natTraversalIke);
        forwarder.addPostRouting(outbound::outbound);
        forwarder.addIngress(inbound::ingress);
        forwarder.onProtocol(Ipv4.PROTO_ESP, inbound::inbound);
        forwarder.onProtocol(Ipv4.PROTO_AH, inbound::inbound);
        forwarder.onProtocol(Ipv4.PROTO_IPCOMP, inbound::inbound);
        config.onChange(this::rebuildManual);
        sad.onEvent(this::sadEvent);
        udpTunnel = inbound::udpTunnel;
        forwarder.onUdpPort(UdpEncapsulation.NAT_T_PORT, udpTunnel);
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
            outbound.sendHeld(installed.policy());
        }
    }

    /** SET IPSEC UDPPORT moves the ESP-over-UDP listener: the old port stops accepting ESP. */
    private void bindUdpPort() {
        int port = config.udpPort();
        if (port != boundUdpPort) {
            if (boundUdpPort > 0 && boundUdpPort != UdpEncapsulation.NAT_T_PORT) {
                ctx.forwarder.offUdpPort(boundUdpPort);
            }
            ctx.forwarder.onUdpPort(port, udpTunnel);
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
        Instant now = clock.instant();
        for (IpsecPolicy p : config.policies()) {
            if (!p.udpHeartbeat() || p.peer().address() == 0) {
                continue;
            }
            Instant last = lastHeartbeat.get(p.name());
            if (last != null && Duration.between(last, now).compareTo(HEARTBEAT) < 0) {
                continue;
            }
            lastHeartbeat.put(p.name(), now);
            int peer = p.peer().address();
            ByteBuf hb = ctx.alloc.buffer(29).writerIndex(29);
            Ipv4.write(hb, 0, 0, 29, ctx.forwarder.nextIpId(), 0, 64, Ipv4.PROTO_UDP, outbound.tunnelSource(p, ctx.forwarder.sourceFor(peer)), peer);
            hb.setShort(20, config.udpPort());
            hb.setShort(22, p.udpPort());
            hb.setShort(24, 9);
            hb.setShort(26, 0);
            hb.setByte(28, 0xff);
            ctx.originate(hb);
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
                ctx.drop(b, IpsecCounter.OUT_HOLD_DROPPED);
            }
        }
    }
}
