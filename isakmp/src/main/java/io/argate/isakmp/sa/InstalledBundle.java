package io.argate.isakmp.sa;

import io.argate.ipsec.spec.IpsecProtocol;

import java.util.Map;

/**
 * What the daemon needs to know of a bundle in the SAD to rekey and retire it: whether we
 * negotiated it as initiator, whether it sends yet, its time limits, how many bytes arrived on
 * its inbound SAs (a new bundle "carries traffic" once the peer sends on it), and the inbound
 * SPI of each protocol (what a delete notification names, RFC 2408 section 3.15).
 */
public record InstalledBundle(int id, String policy, boolean initiator, boolean sending, long hardSeconds, long softSeconds,
                              long receivedBytes, Map<IpsecProtocol, Integer> inboundSpis) {
    public InstalledBundle {
        inboundSpis = Map.copyOf(inboundSpis);
    }
}
