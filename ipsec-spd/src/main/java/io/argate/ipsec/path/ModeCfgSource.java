package io.argate.ipsec.path;

import io.argate.ipsec.config.IpsecSnapshot;
import io.argate.ipsec.esp.Transform;
import io.argate.ipsec.sad.SaBundle;
import io.argate.ipsec.spd.AddressSelector;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spd.PolicyAction;

import java.util.HashSet;
import java.util.Set;

/**
 * What the rest of the router needs to know of the tunnels that carry a Mode Config address of
 * ours (SaBundle#assignedAddress): which of them reaches a destination, so the router's own
 * packets to it leave from the LAN side the tunnel translates; and when an assignment is gone
 * with its last bundle, so its translations go too.
 */
final class ModeCfgSource {
    private ModeCfgSource() {
    }

    /** An IPSEC policy whose live bundle carries an assigned address, and that address. */
    record Tunnel(IpsecPolicy policy, int assigned) {
    }

    /**
     * The tunnel that would carry a packet to {@code destination}: an ACTION=IPSEC policy whose
     * remote side holds it and whose sending bundle has an assigned address; the tunnel's own
     * peer is never one (IKE and ESP to it go outside). Null when there is none.
     */
    static Tunnel towards(PathContext ctx, int destination) {
        IpsecSnapshot snap = ctx.snapshot();
        if (!snap.enabled()) {
            return null;
        }
        for (IpsecPolicy p : snap.policies().values()) {
            if (p.action() != PolicyAction.IPSEC) {
                continue;
            }
            AddressSelector remote = p.remote().selector();
            if (!remote.contains(destination)) {
                continue;
            }
            SaBundle<Transform> b = ctx.sad.outbound(p.name());
            if (b != null && b.assignedAddress() != 0 && b.peer() != destination) {
                return new Tunnel(p, b.assignedAddress());
            }
        }
        return null;
    }

    /** Translations of addresses no bundle carries any more are dropped: the assignment went with its SA. */
    static void releaseGone(PathContext ctx) {
        Set<Integer> live = new HashSet<>();
        for (SaBundle<Transform> b : ctx.sad.bundles()) {
            if (b.assignedAddress() != 0) {
                live.add(b.assignedAddress());
            }
        }
        ctx.assigned.retain(live);
    }
}
