package io.argate.ipsec.cli;

import io.argate.ipsec.config.IpsecConfig;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spd.PeerAddress;
import io.argate.ipsec.spd.PolicyAction;
import io.argate.ipsec.spec.BundleSpecification;
import io.argate.ipsec.spec.KeyManagement;

/**
 * Consistency rules of one policy against the rest of the configuration, checked as a whole
 * after CREATE or SET. Each answer says what to change.
 */
final class PolicyRules {
    private PolicyRules() {
    }

    /** The first rule broken, or null. */
    static String check(IpsecPolicy p, IpsecConfig config) {
        if (p.action() == PolicyAction.IPSEC) {
            if (p.bundle() < 0) {
                return "ACTION=IPSEC needs BUNDLESPECIFICATION (the bundle to apply)";
            }
            BundleSpecification b = config.bundle(p.bundle()).orElse(null);
            if (b == null) {
                return "bundle specification " + p.bundle() + " does not exist; create it with CREATE IPSEC BUNDLESPECIFICATION";
            }
            if (b.keyManagement() != p.keyManagement()) {
                return "KEYMANAGEMENT=" + p.keyManagement() + " but bundle specification " + p.bundle() + " is " + b.keyManagement();
            }
            if (p.keyManagement() == KeyManagement.MANUAL && p.peer().kind() != PeerAddress.Kind.FIXED) {
                return "manual keys need a fixed PEERADDRESS; for a peer whose address changes use KEYMANAGEMENT=ISAKMP";
            }
            if (p.keyManagement() == KeyManagement.MANUAL && (p.group() >= 0 || p.usePfsKey())) {
                return "GROUP and USEPFSKEY are for ISAKMP phase 2; a MANUAL policy has no negotiation";
            }
        } else {
            if (p.bundle() >= 0) {
                return "BUNDLESPECIFICATION is only for ACTION=IPSEC";
            }
            if (p.udpTunnel() || p.udpHeartbeat()) {
                return "UDPTUNNEL and UDPHEARTBEAT are only for ACTION=IPSEC";
            }
        }
        if (p.udpHeartbeat() && !p.udpTunnel()) {
            return "UDPHEARTBEAT keeps a UDP tunnel's NAT mapping alive; set UDPTUNNEL=TRUE as well";
        }
        return null;
    }
}
