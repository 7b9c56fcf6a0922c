package io.argate.isakmp.exchange;

import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spd.PeerAddress;
import io.argate.isakmp.sa.SaInstaller;

import java.util.Arrays;
import java.util.OptionalInt;

/**
 * Who a peer is, beyond its address: PEER=DYNAMIC policies (seed 003: "ISAKMPの認証をパスした相手のアドレス")
 * are bound to the address that authenticated for as long as their SAs live, so another client
 * cannot take over a policy in use; and a client that reconnects from a new address is known
 * by the phase 1 identity it authenticated with under the same ISAKMP policy, so its
 * INITIAL-CONTACT replaces the SAs it left at the old address (RFC 2407 section 4.6.3.3).
 */
final class PeerBinding {
    private PeerBinding() {
    }

    /** True when a PEER=DYNAMIC policy's live SAs belong to another address than {@code peer}. */
    static boolean boundElsewhere(SaInstaller installer, IpsecPolicy p, int peer) {
        if (p.peer().kind() != PeerAddress.Kind.DYNAMIC) {
            return false;
        }
        OptionalInt bound = installer.boundPeer(p.name());
        return bound.isPresent() && bound.getAsInt() != peer;
    }

    /** Two ISAKMP SAs are with the same peer: the same address, or the same authenticated ID under the same policy. */
    static boolean samePeer(IkeSa a, IkeSa b) {
        if (a.peer == b.peer) {
            return true;
        }
        return a.peerId != null && b.peerId != null && a.policy != null && b.policy != null && a.policy.name().equals(b.policy.name())
                && a.peerId.idType() == b.peerId.idType() && Arrays.equals(a.peerId.data(), b.peerId.data());
    }
}
