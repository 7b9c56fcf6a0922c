package io.argate.isakmp.exchange;

import io.argate.isakmp.IkeNetwork;
import io.argate.isakmp.config.IsakmpPolicy;

/**
 * The local address a phase 1 we start uses: the address of the policy's SRCINTERFACE when it
 * names a numbered interface (seed 003: the IKE messages then come from that interface, as a
 * peer that knows us by a loopback or LAN address expects), else that of the interface the
 * route to the peer leaves by.
 */
final class IkeSource {
    private IkeSource() {
    }

    static int of(IkeNetwork network, IsakmpPolicy policy, int peer) {
        if (policy.srcInterface() != null) {
            int a = network.addressOf(policy.srcInterface());
            if (a != 0) {
                return a;
            }
        }
        return network.sourceFor(peer);
    }
}
