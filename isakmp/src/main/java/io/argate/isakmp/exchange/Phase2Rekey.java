package io.argate.isakmp.exchange;

import io.argate.ipsec.sad.SadEvent;
import io.argate.ipsec.spd.PeerAddress;
import io.argate.ipsec.spec.IpsecProtocol;
import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.IsakmpLimits;
import io.argate.isakmp.sa.InstalledBundle;
import io.argate.isakmp.wire.DeletePayload;
import io.argate.isakmp.wire.Doi;
import io.argate.shell.loop.ControlLoop;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Phase 2 rekeying (RFC 2409 section 4.5 leaves the policy to the implementation; this follows
 * the strongSwan/racoon shape): at a bundle's soft limit (seconds or kbytes) a new Quick Mode
 * starts, the side that initiated the bundle at once and the responder after a random delay, so
 * the two sides rarely rekey the same bundle twice, and a bundle already replaced is not rekeyed
 * again. The replaced bundle keeps receiving until the new one carries traffic (the peer sends on
 * it), then after the ISAKMP policy's DELETEDELAY it is removed, with a delete notification when
 * SENDDELETES; on an idle tunnel it goes once nothing arrived on it for DELETEDELAY +
 * {@link IsakmpLimits#REPLACED_QUIET} while the new one sends.
 */
final class Phase2Rekey {
    private final IsakmpDaemon d;
    private final ControlLoop loop;
    private final Consumer<String> initiate;

    Phase2Rekey(IsakmpDaemon d, ControlLoop loop, Consumer<String> initiate) {
        this.d = d;
        this.loop = loop;
        this.initiate = initiate;
    }

    /** A bundle reached its soft limit. */
    void softExpiry(SadEvent.SoftExpiry e) {
        Optional<InstalledBundle> b = find(e.policy(), e.bundleId());
        if (b.isEmpty() || replaced(b.get()) || !rekeyable(e.policy())) {
            return;
        }
        if (b.get().initiator()) {
            initiate.accept(e.policy());
            return;
        }
        // the responder lets the bundle's initiator go first: a random part of the time left
        long left = b.get().hardSeconds() - b.get().softSeconds();
        long window = Math.max(1, left > 0 ? left / 2 : IsakmpLimits.REKEY_JITTER_SECONDS);
        long delay = 1 + d.random().nextInt((int) Math.min(Integer.MAX_VALUE, window));
        loop.schedule(Duration.ofSeconds(delay), () -> {
            Optional<InstalledBundle> now = find(e.policy(), e.bundleId());
            if (now.isPresent() && !replaced(now.get())) {
                initiate.accept(e.policy());
            }
        });
    }

    /** Only a fixed peer can be called; with PEER=DYNAMIC or ANY the peer rekeys. */
    private boolean rekeyable(String policy) {
        return d.ipsec().policy(policy).map(p -> p.peer().kind() == PeerAddress.Kind.FIXED).orElse(false);
    }

    /**
     * The Quick Mode on {@code sa} installed bundle {@code id}: older bundles of its policy are
     * retired DELETEDELAY after it carries traffic, or, on an idle tunnel where it carries none,
     * once nothing has arrived on them for DELETEDELAY + REPLACED_QUIET while it sends. (strongSwan
     * keeps a rekeyed IKEv1 CHILD_SA only for inbound packets, until it expires or at once with
     * charon.delete_rekeyed; IKEv2 deletes it after delete_rekeyed_delay, 5 s. A quiet bound keeps
     * both: an idle tunnel is cleaned up, a peer still sending on the old SA is not cut off.) A
     * replaced bundle the peer keeps sending on stays until the new one carries traffic or its own
     * lifetime ends.
     */
    void installed(IkeSa sa, String policy, int id) {
        Map<Integer, Long> older = new HashMap<>();
        for (InstalledBundle b : d.installer().bundles(policy)) {
            if (b.id() != id) {
                older.put(b.id(), b.receivedBytes());
            }
        }
        if (older.isEmpty()) {
            return;
        }
        Duration quietBound = Duration.ofSeconds(sa.policy.deleteDelay()).plus(IsakmpLimits.REPLACED_QUIET);
        Instant[] lastHeard = {loop.clock().instant()};
        ControlLoop.Timer[] watch = new ControlLoop.Timer[1];
        watch[0] = loop.every(IsakmpLimits.REKEY_WATCH, () -> {
            Optional<InstalledBundle> fresh = find(policy, id);
            older.keySet().removeIf(o -> find(policy, o).isEmpty());
            if (fresh.isEmpty() || older.isEmpty()) {
                watch[0].cancel();
                return;
            }
            Instant now = loop.clock().instant();
            for (Map.Entry<Integer, Long> o : older.entrySet()) {
                long received = find(policy, o.getKey()).map(InstalledBundle::receivedBytes).orElse(0L);
                if (received != o.getValue()) {
                    o.setValue(received);
                    lastHeard[0] = now;
                }
            }
            if (fresh.get().sending() && fresh.get().receivedBytes() > 0) {
                watch[0].cancel();
                loop.schedule(Duration.ofSeconds(sa.policy.deleteDelay()), () -> retire(sa, policy, id, Set.copyOf(older.keySet())));
            } else if (fresh.get().sending() && Duration.between(lastHeard[0], now).compareTo(quietBound) >= 0) {
                watch[0].cancel();
                retire(sa, policy, id, Set.copyOf(older.keySet()));
            }
        });
    }

    private void retire(IkeSa sa, String policy, int successor, Set<Integer> older) {
        for (InstalledBundle b : d.installer().bundles(policy)) {
            if (!older.contains(b.id()) || !d.installer().remove(b.id())) {
                continue;
            }
            d.counters().inc(IsakmpCounter.SA_DELETED);
            d.log().log("XCHG", "IPsec SA bundle " + b.id() + " of policy " + policy + " was replaced by bundle " + successor + " and deleted");
            IkeSa live = d.liveSaWith(sa);
            if (sa.policy.sendDeletes() && live != null) {
                d.counters().inc(IsakmpCounter.DELETES_SENT);
                d.sendInformational(live, deletes(b.inboundSpis()));
            }
        }
    }

    /** One delete payload per protocol naming our inbound SPI, the one the peer sends to (RFC 2408 section 3.15). */
    static List<DeletePayload> deletes(Map<IpsecProtocol, Integer> inbound) {
        List<DeletePayload> out = new ArrayList<>();
        for (Map.Entry<IpsecProtocol, Integer> e : inbound.entrySet()) {
            if (e.getKey() != IpsecProtocol.COMP) {
                out.add(new DeletePayload(Doi.IPSEC, Phase2Proposals.protocolId(e.getKey()), 4, List.of(Phase2Proposals.spi(e.getValue()))));
            }
        }
        return out;
    }

    private Optional<InstalledBundle> find(String policy, int id) {
        return d.installer().bundles(policy).stream().filter(b -> b.id() == id).findFirst();
    }

    /** True when a newer bundle of the same policy sends already. */
    private boolean replaced(InstalledBundle b) {
        boolean after = false;
        for (InstalledBundle o : d.installer().bundles(b.policy())) {
            if (o.id() == b.id()) {
                after = true;
            } else if (after && o.sending()) {
                return true;
            }
        }
        return false;
    }
}
