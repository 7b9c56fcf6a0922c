package io.argate.firewall.engine;

import io.argate.ip.packet.Checksum;
import io.argate.firewall.wire.IcmpHeader;
import io.argate.firewall.wire.TcpHeader;
import io.argate.firewall.wire.UdpHeader;
import io.argate.ip.packet.Ipv4;
import io.netty.buffer.ByteBuf;

/**
 * Rewrites addresses, ports and ICMP identifiers in place, updating every checksum that covers
 * them incrementally (RFC 1624; RFC 3022 section 4.2 lists which): the IP header checksum for
 * addresses, the TCP/UDP checksum for addresses (pseudo-header) and ports, the ICMP checksum for
 * the identifier (ICMP has no pseudo-header). ICMP errors get their quoted packet translated too
 * (RFC 5508 section 4.1).
 */
final class Translator {
    private Translator() {
    }

    /**
     * Translates the packet at {@code ip} with transport header at {@code l4} to the new tuple;
     * {@code partial}: its TCP/UDP checksum is a partial one the host will finish.
     */
    static void rewrite(ByteBuf b, int ip, int l4, int l4Length, int proto, boolean icmpQuery,
                        int src, int dst, int sport, int dport, boolean partial) {
        int oldSrc = Ipv4.source(b, ip);
        int oldDst = Ipv4.destination(b, ip);
        int ipSum = b.getUnsignedShort(ip + 10);
        if (oldSrc != src) {
            b.setInt(ip + 12, src);
            ipSum = Checksum.update32(ipSum, oldSrc, src);
        }
        if (oldDst != dst) {
            b.setInt(ip + 16, dst);
            ipSum = Checksum.update32(ipSum, oldDst, dst);
        }
        b.setShort(ip + 10, ipSum);
        boolean later = (Ipv4.flagsAndOffset(b, ip) & 0x1fff) != 0;
        if (later) {
            return;
        }
        switch (proto) {
            case Ipv4.PROTO_TCP -> {
                if (l4Length >= TcpHeader.MIN_LENGTH) {
                    transport(b, l4, l4 + TcpHeader.CHECKSUM, false, partial, oldSrc, src, oldDst, dst, sport, dport);
                }
            }
            case Ipv4.PROTO_UDP -> {
                if (l4Length >= UdpHeader.LENGTH) {
                    transport(b, l4, l4 + UdpHeader.CHECKSUM, true, partial, oldSrc, src, oldDst, dst, sport, dport);
                }
            }
            case Ipv4.PROTO_ICMP -> {
                if (icmpQuery && l4Length >= IcmpHeader.LENGTH) {
                    int oldId = IcmpHeader.identifier(b, l4);
                    if (oldId != sport) {
                        b.setShort(l4 + 4, sport);
                        b.setShort(l4 + IcmpHeader.CHECKSUM,
                                Checksum.update16(IcmpHeader.checksum(b, l4), oldId, sport));
                    }
                }
            }
            default -> {
            }
        }
    }

    private static void transport(ByteBuf b, int l4, int sumAt, boolean udp, boolean partial, int oldSrc, int src,
                                  int oldDst, int dst, int sport, int dport) {
        int sum = b.getUnsignedShort(sumAt);
        if (partial) {
            // the field is the pseudo-header's sum: the addresses move it, the ports (summed by
            // the host from csum_start) do not
            b.setShort(l4, sport);
            b.setShort(l4 + 2, dport);
            sum = Checksum.updatePartial32(sum, oldSrc, src);
            b.setShort(sumAt, Checksum.updatePartial32(sum, oldDst, dst));
            return;
        }
        // RFC 768: a zero UDP checksum means "not computed" and stays zero
        boolean none = udp && sum == 0;
        int oldSport = b.getUnsignedShort(l4);
        int oldDport = b.getUnsignedShort(l4 + 2);
        b.setShort(l4, sport);
        b.setShort(l4 + 2, dport);
        if (none) {
            return;
        }
        sum = Checksum.update32(sum, oldSrc, src);
        sum = Checksum.update32(sum, oldDst, dst);
        sum = Checksum.update16(sum, oldSport, sport);
        sum = Checksum.update16(sum, oldDport, dport);
        if (udp && sum == 0) {
            sum = 0xffff; // RFC 768: a computed zero is sent as all ones
        }
        b.setShort(sumAt, sum);
    }

    /**
     * Translates an ICMP error: the outer destination (and source, when the error comes from the
     * flow's own far end) and the quoted packet's addresses, ports or identifier, with the quoted
     * IP header checksum, the quoted UDP or ICMP checksum when it lies in the quoted 8 bytes, and
     * the ICMP checksum recomputed over the message.
     */
    static void rewriteError(ByteBuf b, int ip, int l4, int l4Length, int outerSrc, int outerDst,
                             int qSrc, int qDst, int qSport, int qDport) {
        int q = l4 + IcmpHeader.LENGTH;
        int qIhl = Ipv4.headerLength(b, q);
        int qProto = Ipv4.protocol(b, q);
        int oldQSrc = Ipv4.source(b, q);
        int oldQDst = Ipv4.destination(b, q);
        int qSum = b.getUnsignedShort(q + 10);
        b.setInt(q + 12, qSrc);
        b.setInt(q + 16, qDst);
        qSum = Checksum.update32(qSum, oldQSrc, qSrc);
        qSum = Checksum.update32(qSum, oldQDst, qDst);
        b.setShort(q + 10, qSum);
        int qt = q + qIhl;
        int available = l4Length - IcmpHeader.LENGTH - qIhl;
        if (qProto == Ipv4.PROTO_TCP || qProto == Ipv4.PROTO_UDP) {
            if (available >= 4) {
                int oldSport = b.getUnsignedShort(qt);
                int oldDport = b.getUnsignedShort(qt + 2);
                b.setShort(qt, qSport);
                b.setShort(qt + 2, qDport);
                if (qProto == Ipv4.PROTO_UDP && available >= UdpHeader.LENGTH && b.getUnsignedShort(qt + 6) != 0) {
                    int s = b.getUnsignedShort(qt + 6);
                    s = Checksum.update32(s, oldQSrc, qSrc);
                    s = Checksum.update32(s, oldQDst, qDst);
                    s = Checksum.update16(s, oldSport, qSport);
                    s = Checksum.update16(s, oldDport, qDport);
                    b.setShort(qt + 6, s == 0 ? 0xffff : s);
                }
            }
        } else if (qProto == Ipv4.PROTO_ICMP && available >= IcmpHeader.LENGTH) {
            int oldId = b.getUnsignedShort(qt + 4);
            b.setShort(qt + 4, qSport);
            b.setShort(qt + 2, Checksum.update16(b.getUnsignedShort(qt + 2), oldId, qSport));
        }
        b.setShort(l4 + IcmpHeader.CHECKSUM, 0);
        b.setShort(l4 + IcmpHeader.CHECKSUM, Ipv4.checksum(b, l4, l4Length));
        int oldSrc = Ipv4.source(b, ip);
        int oldDst = Ipv4.destination(b, ip);
        int ipSum = b.getUnsignedShort(ip + 10);
        b.setInt(ip + 12, outerSrc);
        b.setInt(ip + 16, outerDst);
        ipSum = Checksum.update32(ipSum, oldSrc, outerSrc);
        ipSum = Checksum.update32(ipSum, oldDst, outerDst);
        b.setShort(ip + 10, ipSum);
    }
}
