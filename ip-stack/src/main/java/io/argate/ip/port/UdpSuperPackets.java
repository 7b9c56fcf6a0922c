package io.argate.ip.port;

import io.argate.ip.packet.Ipv4;
import io.argate.ip.packet.Offloads;
import io.argate.ip.packet.Udp;
import io.argate.ip.packet.VirtioNetHeader;
import io.netty.buffer.ByteBuf;

/**
 * Whether a UDP/IPv4 super-packet (virtio GSO_UDP_L4) can go to a kernel whole: the header is
 * the kind the kernel accepts back (checksum left partial at UDP's field, as Linux's
 * virtio_net_hdr_to_skb insists), each datagram fits the port's MTU, and there are no more of
 * them than every USO kernel cuts. Anything else is segmented in software first.
 */
final class UdpSuperPackets {
    private UdpSuperPackets() {
    }

    static boolean fit(ByteBuf packet, VirtioNetHeader header, int mtu) {
        if (!header.needsChecksum() || header.csumOffset() != VirtioNetHeader.UDP_CSUM_OFFSET || header.gsoSize() == 0) {
            return false;
        }
        int at = packet.readerIndex();
        if (packet.readableBytes() < Ipv4.MIN_HEADER || Ipv4.protocol(packet, at) != Ipv4.PROTO_UDP) {
            return false;
        }
        int ihl = Ipv4.headerLength(packet, at);
        int total = Ipv4.totalLength(packet, at);
        int headers = ihl + Udp.HEADER;
        if (header.csumStart() != ihl || total <= headers || total > packet.readableBytes() || headers + header.gsoSize() > mtu) {
            return false;
        }
        int payload = total - headers;
        return (payload + header.gsoSize() - 1) / header.gsoSize() <= Offloads.KERNEL_UDP_SEGMENTS;
    }
}
