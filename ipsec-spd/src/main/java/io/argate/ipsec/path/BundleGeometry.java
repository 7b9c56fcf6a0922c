package io.argate.ipsec.path;

import io.argate.ipsec.esp.Transform;

import io.argate.ip.packet.Ipv4;
import io.argate.ipsec.sad.Sa;
import io.argate.ipsec.sad.SaBundle;
import io.argate.ipsec.spec.SaMode;

/**
 * The sizes a bundle's outbound SAs add to a packet, worked out once per bundle
 * ({@link SaBundle#derived}) because every packet needs them.
 *
 * @param headroom bytes in front of the payload: IPComp, ESP with its IV, AH, UDP (not the IP header)
 * @param tailroom bytes ESP may add after the payload: padding, trailer and ICV
 * @param overhead the most the bundle adds to a packet's length, outer header included; IPComp
 *                 adds nothing because it only ever shrinks what it sends (RFC 3173 section 2.2)
 * @param icvLength the ESP ICV length, for DEBUG=PACKET
 */
record BundleGeometry(int headroom, int tailroom, int overhead, int icvLength) {

    static BundleGeometry of(SaBundle<Transform> b) {
        return b.derived(BundleGeometry.class, BundleGeometry::measure);
    }

    private static BundleGeometry measure(SaBundle<Transform> b) {
        int udp = b.udpEncap() != null ? 8 : 0;
        int head = udp;
        int tail = 0;
        int overhead = udp + (b.mode() == SaMode.TUNNEL ? Ipv4.MIN_HEADER : 0);
        int icv = 0;
        for (Sa<Transform> sa : b.outbound()) {
            Transform t = sa.transform();
            head += t.headroom();
            tail += t.tailroom();
            overhead += t.overhead();
            icv = Math.max(icv, t.icvLength());
        }
        return new BundleGeometry(head, tail, overhead, icv);
    }
}
