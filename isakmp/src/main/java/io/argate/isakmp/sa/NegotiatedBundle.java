package io.argate.isakmp.sa;

import io.argate.ipsec.sad.Lifetime;
import io.argate.ipsec.sad.UdpEncap;
import io.argate.ipsec.spec.SaMode;

import java.util.List;

/**
 * What one Quick Mode produced for one IPsec policy: its SAs in application order (IPComp, ESP,
 * AH), the mode, the NAT-T ports when ESP travels in UDP, and the lifetime both peers agreed;
 * {@code assignedAddress} is the address a Mode Config server gave us and Quick Mode offered as
 * our side (0: none), which the bundle's inner packets then carry as their source.
 */
public record NegotiatedBundle(String policy, int bundleSpec, int peer, boolean initiator, SaMode mode, UdpEncap udpEncap,
                               Lifetime lifetime, List<NegotiatedSa> sas, int assignedAddress) {
    public NegotiatedBundle {
        sas = List.copyOf(sas);
    }
}
