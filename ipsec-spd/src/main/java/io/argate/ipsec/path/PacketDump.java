package io.argate.ipsec.path;

import io.argate.ip.packet.Ipv4;
import io.argate.ipsec.wire.AhLayout;
import io.argate.ipsec.wire.EspLayout;
import io.argate.ipsec.wire.IpcompLayout;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.util.ArrayList;
import java.util.List;

/**
 * ENABLE IPSEC POLICY DEBUG=PACKET output in the reference's form (seed 003):
 * <pre>
 * IPSEC vpn: 2: OUT: pre processing:
 * IP: 45000028eb1040002006d908c0a81464c0a80102
 * TCP: 0429005005b7e65c01faee4c5004000038560000
 * data:
 * IPSEC vpn: 2: OUT: post processing:
 * IP: 450000604b7f00004032fa573f0c42ef01010101
 * ESP: 14f45fa300000b09:35d26e02458706623d9aa9bf
 * data: 9fcd18d0a34ffeecb8b0f574ddeaa820f8ba0db36cd7a9fc0254f08215e2aa7ecdb34688
 * 6193f17d39cc7f096276238bf262b668920b51c535d26e02458706623d9aa9bf
 * </pre>
 * One line per header in hex (ESP as SPI and sequence number, then the ICV after a colon), then
 * everything after the last header as {@code data}, 36 bytes to a line.
 */
final class PacketDump {
    /** Bytes of data per line: the reference's lines are 72 hex digits. */
    static final int DATA_PER_LINE = 36;

    private PacketDump() {
    }

    /**
     * @param title     e.g. {@code IPSEC vpn: 2: OUT: pre processing:}
     * @param icvLength     the ESP ICV length of the SA, to show it on the ESP line (0 when unknown)
     * @param udpTunnelPort the ESP-over-UDP port (SET IPSEC UDPPORT); 4500 is always ESP in UDP
     */
    static List<String> lines(String title, ByteBuf p, int at, int end, int icvLength, int udpTunnelPort) {
        List<String> out = new ArrayList<>();
        out.add(title);
        if (end - at < Ipv4.MIN_HEADER) {
            data(out, p, at, end);
            return out;
        }
        int ihl = Math.min(Ipv4.headerLength(p, at), end - at);
        out.add("IP: " + ByteBufUtil.hexDump(p, at, ihl));
        int h = at + ihl;
        int proto = Ipv4.protocol(p, at);
        boolean first = (Ipv4.flagsAndOffset(p, at) & 0x1fff) == 0;
        if (first && proto == Ipv4.PROTO_UDP && end - h >= 8) {
            out.add("UDP: " + ByteBufUtil.hexDump(p, h, 8));
            boolean encapsulation = isEspPort(p.getUnsignedShort(h), udpTunnelPort) || isEspPort(p.getUnsignedShort(h + 2), udpTunnelPort);
            h += 8;
            // ESP in UDP, unless the payload is IKE behind the non-ESP marker or a keepalive
            proto = encapsulation && end - h >= EspLayout.HEADER && p.getInt(h) != 0 ? Ipv4.PROTO_ESP : -1;
        } else if (!first) {
            proto = -1;
        }
        switch (proto) {
            case Ipv4.PROTO_ESP -> {
                if (end - h >= EspLayout.HEADER) {
                    int icv = Math.max(0, Math.min(icvLength, end - h - EspLayout.HEADER));
                    out.add("ESP: " + ByteBufUtil.hexDump(p, h, EspLayout.HEADER) + ":" + ByteBufUtil.hexDump(p, end - icv, icv));
                    h += EspLayout.HEADER;
                }
            }
            case Ipv4.PROTO_AH -> {
                if (end - h >= AhLayout.FIXED) {
                    int len = Math.min((p.getUnsignedByte(h + 1) + 2) * 4, end - h);
                    out.add("AH: " + ByteBufUtil.hexDump(p, h, len));
                    h += len;
                }
            }
            case Ipv4.PROTO_IPCOMP -> {
                if (end - h >= IpcompLayout.HEADER) {
                    out.add("IPCOMP: " + ByteBufUtil.hexDump(p, h, IpcompLayout.HEADER));
                    h += IpcompLayout.HEADER;
                }
            }
            case Ipv4.PROTO_TCP -> {
                if (end - h >= 20) {
                    int len = Math.max(20, Math.min((p.getUnsignedByte(h + 12) >>> 4) * 4, end - h));
                    out.add("TCP: " + ByteBufUtil.hexDump(p, h, len));
                    h += len;
                }
            }
            case Ipv4.PROTO_ICMP -> {
                if (end - h >= 8) {
                    out.add("ICMP: " + ByteBufUtil.hexDump(p, h, 8));
                    h += 8;
                }
            }
            default -> {
            }
        }
        data(out, p, h, end);
        return out;
    }

    private static boolean isEspPort(int port, int udpTunnelPort) {
        return port == 4500 || port == udpTunnelPort;
    }

    private static void data(List<String> out, ByteBuf p, int from, int end) {
        if (from >= end) {
            out.add("data:");
            return;
        }
        for (int i = from; i < end; i += DATA_PER_LINE) {
            String hex = ByteBufUtil.hexDump(p, i, Math.min(DATA_PER_LINE, end - i));
            out.add(i == from ? "data: " + hex : hex);
        }
    }
}
