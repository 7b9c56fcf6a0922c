package io.argate.isakmp.exchange;

import io.argate.isakmp.wire.Phase2Attribute;
import io.argate.isakmp.wire.PayloadType;

/**
 * Which NAT-T dialect two peers agreed by vendor ID (RFC 3947 section 3.1; the drafts the
 * reference names, seed 003: draft-ietf-ipsec-nat-t-ike-02 and -08, and -03 and -02\n which
 * peers of that era send). The RFC uses NAT-D 20 and encapsulation modes 3/4; the drafts use
 * NAT-D 130 and modes 61443/61444.
 */
enum NatTraversal {
    NONE, DRAFT_02, DRAFT_02N, DRAFT_03, DRAFT_08, RFC3947;

    boolean rfc() {
        return this == RFC3947;
    }

    int natDType() {
        return rfc() ? PayloadType.NAT_D : PayloadType.NAT_D_DRAFT;
    }

    int udpTunnelMode() {
        return rfc() ? Phase2Attribute.MODE_UDP_TUNNEL : Phase2Attribute.MODE_UDP_TUNNEL_DRAFT;
    }

    int udpTransportMode() {
        return rfc() ? Phase2Attribute.MODE_UDP_TRANSPORT : Phase2Attribute.MODE_UDP_TRANSPORT_DRAFT;
    }
}
