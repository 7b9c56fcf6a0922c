package io.argate.ipsec.path;

import io.argate.ipsec.esp.Transform;

import io.argate.enco.Enco;
import io.argate.enco.spi.DriverFailure;
import io.argate.ip.forward.Forwarder;
import io.argate.ip.forward.LocalHandler;
import io.argate.ip.forward.Stage;
import io.argate.ip.packet.Ipv4;
import io.argate.ip.packet.Udp;
import io.argate.ipsec.IpsecCounter;
import io.argate.ipsec.config.IpsecConfig;
import io.argate.ipsec.config.IpsecSnapshot;
import io.argate.ipsec.diag.PolicyCounters;
import io.argate.ipsec.diag.PolicyDebug;
import io.argate.ipsec.sad.SaBundle;
import io.argate.ipsec.sad.Sad;
import io.argate.ipsec.sad.SadEvent;
import io.argate.ipsec.sad.UdpEncap;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spd.PolicyAction;
import io.argate.ipsec.spec.BundleSpecification;
import io.argate.ipsec.spec.EncoKeys;
import io.argate.ipsec.spec.KeyManagement;
import io.argate.ipsec.wire.UdpEncapsulation;
import io.argate.shell.loop.ControlLoop;
import io.argate.store.EventLog;
import io.argate.store.Severity;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The IPsec data path in the forwarder's stages (DESIGN.md section 4): {@link OutboundPath} in
 * SPD, {@link InboundPath} in IPSEC_INGRESS and in LOCAL for ESP/AH/IPComp and ESP in UDP. On
 * the control plane the engine publishes each committed configuration to the data path, applies
 * it to the manually keyed SAs as a difference (an SA whose policy, bundle, specifications and
 * keys did not change keeps its sequence numbers, counters and replay window), sends the
 * packets held for ISAKMP when their bundle arrives, and runs the once-a-second work: SA
 * lifetimes, held-packet expiry, UDP heartbeats.
 */
public final class IpsecEngine {
    private final IpsecConfig config;
    private final Sad<Transform> sad;
    private final Enco enco;
    private final EncoKeys keys;
    private final IpsecCounter.Set counters;
    private final EventLog log;
    private final Clock clock;
    private final AcquireHold held;
    private final PathContext ctx;
    private final OutboundPath outbound;
    /** The inbound path's handler for ESP in UDP, bound to the tunnel port and to 4500. */
    private final LocalHandler udpTunnel;
    private volatile LocalHandler natTraversalIke;
    /** Control-plane state below: touched on the loop only. */
    private boolean wasEnabled;
    private int boundUdpPort = -1;
    private final Map<String, ManualInstall> manual = new HashMap<>();
    private final Map<String, Instant> lastHeartbeat = new HashMap<>();
    /** The seed: "sent every 30 seconds to the peer router" to keep NAT mappings alive. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(30);

    /**
     * What a manual bundle was built from: when a commit finds the same for its policy, the
     * bundle stays as it is.
     */
    private record ManualInstall(ManualSas.Inputs inputs, int bundleId) {
    }

    public IpsecEngine(IpsecConfig config, Sad<Transform> sad, Enco enco, EncoKeys keys, Forwarder forwarder, ByteBufAllocator alloc,
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
        this.ctx = new PathContext(sad, forwarder, alloc, counters, policyCounters, debug, new AssignedAddressNat(clock));
        this.outbound = new OutboundPath(ctx, held);
        InboundPath inbound = new InboundPath(ctx, () -> natTraversalIke);
        forwarder.fillSpd(outbound::outbound);
        forwarder.fill(Stage.IPSEC_INGRESS, inbound::ingress);
        forwarder.onProtocol(Ipv4.PROTO_ESP, inbound::inbound);
        forwarder.onProtocol(Ipv4.PROTO_AH, inbound::inbound);
        forwarder.onProtocol(Ipv4.PROTO_IPCOMP, inbound::inbound);
        sad.onEvent(this::sadEvent);
        udpTunnel = inbound::udpTunnel;
        forwarder.onUdpPort(UdpEncapsulation.NAT_T_PORT, udpTunnel);
        bindUdpPort(IpsecConfig.DEFAULT_UDP_PORT);
    }

    /** Runs the engine's once-a-second work on the control plane. */
    public void attach(ControlLoop loop) {
        loop.every(Duration.ofSeconds(1), this::tick);
    }

    /**
     * Where IKE messages arriving on UDP 4500 go (RFC 3948 section 2.2: a payload starting with
     * the four-byte non-ESP marker). The engine owns port 4500 because ESP arrives there too; ISAKMP
     * registers here instead of binding the port itself. The handler gets the whole IP packet.
     */
    public void onNatTraversalIke(LocalHandler handler) {
        this.natTraversalIke = handler;
    }

    /**
     * The local side (LAD) of the tunnel carrying a Mode Config address of ours that reaches
     * {@code destination}, or null: the router's own packets to it take a source there, which the
     * tunnel then translates to the assigned address like its LAN's.
     */
    public io.argate.ipsec.spd.AddressSelector modeCfgLocalSide(int destination) {
        ModeCfgSource.Tunnel t = ModeCfgSource.towards(ctx, destination);
        return t == null ? null : t.policy().local().selector();
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
    private void bindUdpPort(int port) {
        if (port != boundUdpPort) {
            if (boundUdpPort > 0 && boundUdpPort != UdpEncapsulation.NAT_T_PORT) {
                ctx.forwarder.offUdpPort(boundUdpPort);
            }
            ctx.forwarder.onUdpPort(port, udpTunnel);
            boundUdpPort = port;
        }
    }

    /**
     * Once a second on the control plane: SA lifetimes, and a heartbeat datagram every 30 s for
     * each UDPHEARTBEAT policy (a single 0xFF byte, which the receiver ignores).
     */
    public void tick() {
        sad.tick();
        ModeCfgSource.releaseGone(ctx);
        int expired = held.expire();
        for (int i = 0; i < expired; i++) {
            counters.inc(IpsecCounter.OUT_HOLD_EXPIRED);
        }
        IpsecSnapshot snap = ctx.snapshot();
        if (!snap.enabled()) {
            return;
        }
        Instant now = clock.instant();
        for (IpsecPolicy p : snap.policies().values()) {
            if (!p.udpHeartbeat() || p.peer().address() == 0) {
                continue;
            }
            Instant last = lastHeartbeat.get(p.name());
            if (last != null && Duration.between(last, now).compareTo(HEARTBEAT) < 0) {
                continue;
            }
            lastHeartbeat.put(p.name(), now);
            int peer = p.peer().address();
            Forwarder.Egress egress = ctx.forwarder.egressTo(peer);
            if (egress.route() == null) {
                continue;
            }
            ByteBuf hb = ctx.alloc.buffer(29).writerIndex(29);
            Ipv4.write(hb, 0, 0, 29, ctx.forwarder.nextIpId(), 0, 64, Ipv4.PROTO_UDP, outbound.tunnelSource(p, egress.source()), peer);
            Udp.write(hb, 20, snap.udpPort(), p.udpPort(), 9);
            hb.setByte(28, 0xff);
            ctx.forwarder.sendProtected(egress.route(), hb);
        }
    }

    /**
     * Publishes what the configuration committed (a command, or a whole script) to the data
     * path, and applies it to the manual SAs as a difference: a policy whose inputs are unchanged
     * keeps its bundle, with its sequence numbers, counters and replay window; a changed one
     * gets a new bundle; a gone one loses its bundle. Runs on the control plane.
     */
    public void commit() {
        IpsecSnapshot snap = config.commit();
        if (snap == null) {
            return;
        }
        ctx.publish(snap);
        bindUdpPort(snap.udpPort());
        if (snap.enabled() != wasEnabled) {
            wasEnabled = snap.enabled();
            log.log(Severity.INFO, "IPSEC", "IPSC", "MSG", "IPSEC has been " + (wasEnabled ? "enabled" : "disabled"));
        }
        Map<String, ManualSas.Inputs> wanted = new HashMap<>();
        if (snap.enabled()) {
            for (IpsecPolicy p : snap.policies().values()) {
                if (p.action() != PolicyAction.IPSEC || p.keyManagement() != KeyManagement.MANUAL) {
                    continue;
                }
                BundleSpecification bs = snap.bundle(p.bundle()).orElse(null);
                if (bs != null) {
                    UdpEncap encap = p.udpTunnel() ? new UdpEncap(snap.udpPort(), p.udpPort()) : null;
                    wanted.put(p.name().toLowerCase(java.util.Locale.ROOT), ManualSas.inputs(p, bs, snap.specs(), keys, encap));
                }
            }
        }
        // bundles of manual policies that are gone or changed go first, so their SPIs are free again
        for (SaBundle<Transform> b : sad.bundles()) {
            String key = b.policy().toLowerCase(java.util.Locale.ROOT);
            IpsecPolicy p = snap.policy(b.policy()).orElse(null);
            ManualInstall had = manual.get(key);
            boolean manualBundle = had != null && had.bundleId() == b.id();
            boolean stale = manualBundle ? !had.inputs().equals(wanted.get(key)) : p == null || p.keyManagement() == KeyManagement.MANUAL;
            if (stale) {
                sad.remove(b);
                manual.remove(key);
            }
        }
        manual.keySet().removeIf(k -> !wanted.containsKey(k));
        dropHeldOfGonePolicies(snap);
        for (Map.Entry<String, ManualSas.Inputs> e : wanted.entrySet()) {
            ManualInstall had = manual.get(e.getKey());
            if (had != null && sad.bundle(had.bundleId()).isPresent()) {
                continue;
            }
            ManualSas.Inputs in = e.getValue();
            try {
                SaBundle<Transform> b = ManualSas.build(in, keys, enco, sad, clock.instant());
                sad.install(b);
                manual.put(e.getKey(), new ManualInstall(in, b.id()));
                log.log(Severity.INFO, "IPSEC", "IPSC", "MSG", "SA bundle created: Policy - " + in.policy().name());
            } catch (DriverFailure | RuntimeException ex) {
                log.log(Severity.IMPORTANT, "IPSEC", "IPSC", "ERROR", "SA bundle for policy " + in.policy().name() + " not created: "
                        + ex.getMessage());
            }
        }
    }

    /**
     * Held packets of a policy that is gone, or no longer waits for ISAKMP (destroyed, changed to
     * another action or to manual keys, or IPsec disabled), are dropped and counted.
     */
    private void dropHeldOfGonePolicies(IpsecSnapshot snap) {
        for (String name : held.policies()) {
            IpsecPolicy p = snap.policy(name).orElse(null);
            if (p != null && snap.enabled() && p.action() == PolicyAction.IPSEC && p.keyManagement() == KeyManagement.ISAKMP) {
                continue;
            }
            for (ByteBuf b : held.release(name)) {
                ctx.drop(b, IpsecCounter.OUT_HOLD_DROPPED);
            }
        }
    }
}
