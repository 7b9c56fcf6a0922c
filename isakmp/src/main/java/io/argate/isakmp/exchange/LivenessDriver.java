package io.argate.isakmp.exchange;

import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spd.PeerAddress;
import io.argate.ipsec.spd.PolicyAction;
import io.argate.ipsec.spec.KeyManagement;
import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.IsakmpLimits;
import io.argate.isakmp.IsakmpLog;
import io.argate.isakmp.config.Liveness;
import io.argate.isakmp.liveness.DpdProbe;
import io.argate.isakmp.liveness.HeartbeatMessage;
import io.argate.isakmp.liveness.HeartbeatWatch;
import io.argate.isakmp.liveness.ReinitiateBackoff;
import io.argate.isakmp.wire.Doi;
import io.argate.isakmp.wire.NotifyPayload;
import io.argate.isakmp.wire.NotifyType;
import io.argate.shell.loop.ControlLoop;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The liveness task of the daemon: when each up ISAKMP SA's peer was last heard, RFC 3706 DPD
 * (R-U-THERE asked of an idle peer, answered always), the argate heartbeat (HEARTBEATMODE), and
 * what happens to a dead peer: its ISAKMP and IPsec SAs are cleared with the reason logged and
 * kept for SHOW ISAKMP SA, and the IPsec policies that name it as their peer are re-negotiated
 * with {@link ReinitiateBackoff}. One timer ticks every SA once a second while any is up; the
 * tick reads the inbound packet counters of the peer's IPsec SAs (no lock on the data path).
 */
final class LivenessDriver {
    private static final Duration TICK = Duration.ofSeconds(1);

    /** One up ISAKMP SA's liveness state. */
    private static final class Watch {
        Instant lastHeard;
        long inboundPackets = -1;
        DpdProbe dpd;
        HeartbeatWatch heartbeat;

        Watch(Instant now) {
            lastHeard = now;
        }
    }

    /** A cleared ISAKMP SA, kept for SHOW ISAKMP SA=n. */
    record Cleared(int saId, int peer, Instant at, Instant lastHeard, String why) {
    }

    /** What SHOW ISAKMP SA=n adds about liveness. */
    record View(Instant lastHeard, String dpd, String heartbeat) {
    }

    private final IsakmpDaemon daemon;
    private final ControlLoop loop;
    private final IsakmpLog log;
    private final Map<IkeSa, Watch> watches = new LinkedHashMap<>();
    private final Map<Integer, Recovery> recovering = new HashMap<>();
    private final Deque<Cleared> cleared = new ArrayDeque<>();
    private ControlLoop.Timer ticker;

    private static final class Recovery {
        final ReinitiateBackoff backoff = new ReinitiateBackoff();
        ControlLoop.Timer timer;
    }

    LivenessDriver(IsakmpDaemon daemon, ControlLoop loop, IsakmpLog log) {
        this.daemon = daemon;
        this.loop = loop;
        this.log = log;
    }

    private Instant now() {
        return loop.clock().instant();
    }

    /** A phase 1 completed: watch the SA as its policy says; a recovery of this peer is over. */
    void up(IkeSa sa) {
        Instant now = now();
        Watch w = new Watch(now);
        Liveness l = sa.policy.liveness();
        if (l.dpd() == Liveness.DpdMode.BOTH && sa.dpd) {
            // RFC 3706 section 5.5: start the sequence numbers at a random value
            w.dpd = new DpdProbe(Duration.ofSeconds(l.dpdIdleTimeout()), daemon.random().nextInt(Integer.MAX_VALUE), now);
        }
        if (l.heartbeat() != Liveness.HeartbeatMode.NONE) {
            w.heartbeat = new HeartbeatWatch(l.heartbeat(), now);
        }
        w.inboundPackets = daemon.installer().inboundPackets().getOrDefault(sa.peer, 0L);
        watches.put(sa, w);
        Recovery r = recovering.remove(sa.peer);
        if (r != null) {
            if (r.timer != null) {
                r.timer.cancel();
            }
            log.log("XCHG", "ISAKMP SA " + sa.saId + ": peer " + IsakmpDaemon.dotted(sa.peer) + " is reachable again after "
                    + r.backoff.attempts() + " re-initiation(s)");
        }
        if (ticker == null) {
            ticker = loop.every(TICK, this::tick);
        }
    }

    /** The SA went (for any reason): stop watching it. */
    void gone(IkeSa sa) {
        watches.remove(sa);
        if (watches.isEmpty() && ticker != null) {
            ticker.cancel();
            ticker = null;
        }
    }

    /** An authenticated message came from the peer on this SA. */
    void heard(IkeSa sa) {
        Watch w = watches.get(sa);
        if (w != null) {
            Instant now = now();
            w.lastHeard = now;
            if (w.dpd != null) {
                w.dpd.heard(now);
            }
        }
    }

    /** Records why an up SA went, for SHOW ISAKMP SA=n. */
    void cleared(IkeSa sa, String why) {
        if (sa.saId < 0) {
            return;
        }
        Watch w = watches.get(sa);
        cleared.addLast(new Cleared(sa.saId, sa.peer, now(), w == null ? null : w.lastHeard, why));
        while (cleared.size() > IsakmpLimits.CLEARED_KEPT) {
            cleared.removeFirst();
        }
    }

    Optional<Cleared> clearedSa(int saId) {
        for (Cleared c : cleared) {
            if (c.saId() == saId) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    Optional<View> view(IkeSa sa) {
        Watch w = watches.get(sa);
        if (w == null) {
            return Optional.empty();
        }
        refresh(sa, w, now(), daemon.installer().inboundPackets());
        Liveness l = sa.policy.liveness();
        String dpd = !sa.dpd ? "peer did not announce DPD" : w.dpd == null ? "answers only (DPDMODE=" + l.dpd() + ")"
                : w.dpd.asking() ? "asking R-U-THERE" : "idle timeout " + l.dpdIdleTimeout() + " s";
        String hb = w.heartbeat == null ? "NONE" : l.heartbeat().name()
                + (w.heartbeat.peerInterval() == null ? "" : ", peer sends every " + w.heartbeat.peerInterval().getSeconds() + " s");
        return Optional.of(new View(w.lastHeard, dpd, hb));
    }

    // ---- DPD and heartbeat messages (from a verified protected Informational) ----

    /** RFC 3706 section 5.3: R-U-THERE is answered always, echoing its sequence number. */
    void ruThere(IkeSa sa, NotifyPayload n) {
        daemon.counters().inc(IsakmpCounter.DPD_RECEIVED);
        daemon.counters().inc(IsakmpCounter.DPD_ACKS_SENT);
        daemon.sendInformational(sa, List.of(NotifyPayload.of(Doi.PROTO_ISAKMP, MainMode.initialContactSpi(sa), NotifyType.R_U_THERE_ACK,
                n.data())));
    }

    void ack(IkeSa sa, NotifyPayload n) {
        Watch w = watches.get(sa);
        if (n.data().length != 4 || w == null || w.dpd == null || !w.dpd.acknowledged(ByteBuffer.wrap(n.data()).getInt(), now())) {
            // RFC 3706 section 7: an ACK that answers nothing we asked is dropped
            daemon.drop(IsakmpCounter.DPD_ACKS_UNEXPECTED, n.data().length != 4
                    ? "R-U-THERE-ACK with " + n.data().length + " bytes of data where the sequence number takes 4"
                    : "R-U-THERE-ACK with sequence number " + Integer.toUnsignedString(ByteBuffer.wrap(n.data()).getInt()) + " answers no R-U-THERE of ours");
            return;
        }
        daemon.counters().inc(IsakmpCounter.DPD_ACKS_RECEIVED);
    }

    void heartbeat(IkeSa sa, NotifyPayload n) {
        Optional<HeartbeatMessage> m = HeartbeatMessage.decode(n.data());
        Watch w = watches.get(sa);
        if (m.isEmpty()) {
            daemon.counters().inc(IsakmpCounter.HEARTBEATS_MALFORMED);
            return;
        }
        daemon.counters().inc(IsakmpCounter.HEARTBEATS_RECEIVED);
        if (w != null && w.heartbeat != null) {
            w.heartbeat.received(m.get(), now());
        }
    }

    // ---- the tick ----

    private static void refresh(IkeSa sa, Watch w, Instant now, Map<Integer, Long> inbound) {
        long packets = inbound.getOrDefault(sa.peer, 0L);
        if (packets != w.inboundPackets) {
            w.lastHeard = now;
        }
        w.inboundPackets = packets;
    }

    private void tick() {
        Instant now = now();
        Map<Integer, Long> inbound = daemon.installer().inboundPackets();
        for (Map.Entry<IkeSa, Watch> e : new ArrayList<>(watches.entrySet())) {
            IkeSa sa = e.getKey();
            Watch w = e.getValue();
            if (watches.get(sa) != w) {
                continue;
            }
            refresh(sa, w, now, inbound);
            // an SA we already replaced by rekeying stays until its lifetime ends; its successor asks
            if (w.dpd != null && !sa.rekeyed) {
                DpdProbe.Step s = w.dpd.tick(now, w.inboundPackets);
                if (s instanceof DpdProbe.Ask a) {
                    daemon.counters().inc(IsakmpCounter.DPD_SENT);
                    daemon.sendInformational(sa, List.of(NotifyPayload.of(Doi.PROTO_ISAKMP, MainMode.initialContactSpi(sa), NotifyType.R_U_THERE,
                            ByteBuffer.allocate(4).putInt(a.sequence()).array())));
                } else if (s instanceof DpdProbe.Dead d) {
                    daemon.counters().inc(IsakmpCounter.DPD_PEERS_DEAD);
                    dead(sa.peer, "dead peer: no answer to " + d.asked() + " DPD R-U-THERE messages after " + idleFor(w, now)
                            + " s without traffic");
                    continue;
                }
            }
            if (w.heartbeat != null) {
                HeartbeatWatch.Step s = w.heartbeat.tick(now);
                if (s == HeartbeatWatch.Step.SEND) {
                    daemon.counters().inc(IsakmpCounter.HEARTBEATS_SENT);
                    daemon.sendInformational(sa, List.of(NotifyPayload.of(Doi.PROTO_ISAKMP, MainMode.initialContactSpi(sa), HeartbeatMessage.TYPE,
                            w.heartbeat.next(now).encode())));
                } else if (s == HeartbeatWatch.Step.DEAD) {
                    daemon.counters().inc(IsakmpCounter.HEARTBEAT_PEERS_DEAD);
                    dead(sa.peer, "dead peer: no ISAKMP heartbeat for " + w.heartbeat.peerInterval().multipliedBy(IsakmpLimits.HEARTBEAT_MISSES)
                            .getSeconds() + " s");
                }
            }
        }
    }

    private static long idleFor(Watch w, Instant now) {
        return Duration.between(w.lastHeard, now).getSeconds();
    }

    /** A dead peer: its ISAKMP and IPsec SAs go, then the policies that initiate to it try again with backoff. */
    private void dead(int peer, String why) {
        log.log("XCHG", "Peer " + IsakmpDaemon.dotted(peer) + ": " + why + "; clearing its ISAKMP and IPsec SAs");
        daemon.clearPeer(peer, why);
        List<String> policies = initiatingPolicies(peer);
        if (policies.isEmpty()) {
            log.log("XCHG", "Peer " + IsakmpDaemon.dotted(peer) + ": no IPsec policy names it as its peer; waiting for it to negotiate again");
            return;
        }
        Recovery r = recovering.computeIfAbsent(peer, p -> new Recovery());
        scheduleRecovery(peer, r);
    }

    private void scheduleRecovery(int peer, Recovery r) {
        if (r.timer != null) {
            r.timer.cancel();
        }
        r.timer = loop.schedule(r.backoff.next(), () -> reinitiate(peer, r));
    }

    private void reinitiate(int peer, Recovery r) {
        if (recovering.get(peer) != r) {
            return;
        }
        if (daemon.hasUpSaWith(peer)) {
            recovering.remove(peer);
            return;
        }
        daemon.counters().inc(IsakmpCounter.DEAD_PEER_REINITIATIONS);
        List<String> policies = initiatingPolicies(peer);
        log.log("XCHG", "Peer " + IsakmpDaemon.dotted(peer) + ": re-initiating IPsec policy " + String.join(", ", policies)
                + " (attempt " + r.backoff.attempts() + ")");
        for (String p : policies) {
            daemon.initiate(p);
        }
        scheduleRecovery(peer, r);
    }

    /** KEYMAN=ISAKMP IPsec policies whose PEER is this fixed address: the ones argate initiates. */
    private List<String> initiatingPolicies(int peer) {
        List<String> out = new ArrayList<>();
        for (IpsecPolicy p : daemon.ipsec().policies()) {
            if (p.action() == PolicyAction.IPSEC && p.keyManagement() == KeyManagement.ISAKMP && p.peer().kind() == PeerAddress.Kind.FIXED
                    && p.peer().address() == peer) {
                out.add(p.name());
            }
        }
        return out;
    }

    /** PURGE or DISABLE ISAKMP: no more re-initiations. */
    void purge() {
        for (Recovery r : recovering.values()) {
            if (r.timer != null) {
                r.timer.cancel();
            }
        }
        recovering.clear();
    }
}
