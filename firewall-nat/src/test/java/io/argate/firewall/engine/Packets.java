package io.argate.firewall.engine;

import io.argate.firewall.wire.IcmpHeader;
import io.argate.firewall.wire.TcpHeader;
import io.argate.firewall.wire.UdpHeader;
import io.argate.ip.packet.Ipv4;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hand-built packets with every checksum computed from scratch, and a from-scratch verifier. */
public final class Packets {
    private Packets() {
    }

    public static int ip(String dotted) {
        String[] p = dotted.split("\\.");
        return Integer.parseInt(p[0]) << 24 | Integer.parseInt(p[1]) << 16 | Integer.parseInt(p[2]) << 8 | Integer.parseInt(p[3]);
    }

    public static ByteBuf udp(String src, int sport, String dst, int dport, int payload) {
        ByteBuf b = Unpooled.buffer(28 + payload);
        Ipv4.write(b, 0, 0, 28 + payload, 1, 0, 64, Ipv4.PROTO_UDP, ip(src), ip(dst));
        UdpHeader.write(b, 20, sport, dport, 8 + payload);
        for (int i = 0; i < payload; i++) {
            b.setByte(28 + i, i * 7);
        }
        b.writerIndex(28 + payload);
        b.setShort(20 + UdpHeader.CHECKSUM, transportChecksum(b));
        return b;
    }

    public static ByteBuf tcp(String src, int sport, String dst, int dport, int seq, int ack, int flags, int payload) {
        ByteBuf b = Unpooled.buffer(40 + payload);
        Ipv4.write(b, 0, 0, 40 + payload, 1, 0, 64, Ipv4.PROTO_TCP, ip(src), ip(dst));
        TcpHeader.write(b, 20, sport, dport, seq, ack, flags, 65535);
        for (int i = 0; i < payload; i++) {
            b.setByte(40 + i, i * 3);
        }
        b.writerIndex(40 + payload);
        b.setShort(20 + TcpHeader.CHECKSUM, transportChecksum(b));
        return b;
    }

    public static ByteBuf echo(String src, String dst, int type, int id, int seq) {
        ByteBuf b = Unpooled.buffer(36);
        Ipv4.write(b, 0, 0, 36, 1, 0, 64, Ipv4.PROTO_ICMP, ip(src), ip(dst));
        IcmpHeader.writeQuery(b, 20, type, id, seq);
        b.setLong(28, 0x0102030405060708L);
        b.writerIndex(36);
        b.setShort(22, Ipv4.checksum(b, 20, 16));
        return b;
    }

    /** An ICMP error from {@code src} to {@code dst} quoting the IP header and 8 bytes of {@code about}. */
    public static ByteBuf error(String src, String dst, int type, int code, ByteBuf about) {
        int len = 20 + 8 + 28;
        ByteBuf b = Unpooled.buffer(len);
        Ipv4.write(b, 0, 0, len, 1, 0, 64, Ipv4.PROTO_ICMP, ip(src), ip(dst));
        IcmpHeader.writeError(b, 20, type, code, 0);
        b.setBytes(28, about, about.readerIndex(), 28);
        b.writerIndex(len);
        b.setShort(22, Ipv4.checksum(b, 20, 36));
        return b;
    }

    /** TCP/UDP checksum over the pseudo-header (RFC 793 3.1, RFC 768), computed from nothing. */
    public static int transportChecksum(ByteBuf b) {
        int len = Ipv4.totalLength(b, 0) - 20;
        ByteBuf p = Unpooled.buffer(12 + len);
        p.writeInt(Ipv4.source(b, 0)).writeInt(Ipv4.destination(b, 0)).writeByte(0).writeByte(Ipv4.protocol(b, 0)).writeShort(len);
        ByteBuf seg = b.copy(20, len);
        int sumAt = Ipv4.protocol(b, 0) == Ipv4.PROTO_TCP ? TcpHeader.CHECKSUM : UdpHeader.CHECKSUM;
        seg.setShort(sumAt, 0);
        p.writeBytes(seg);
        int c = Ipv4.checksum(p, 0, p.readableBytes());
        return Ipv4.protocol(b, 0) == Ipv4.PROTO_UDP && c == 0 ? 0xffff : c;
    }

    /** Every checksum of the packet, recomputed from scratch, equals what is in it. */
    public static void assertChecksums(ByteBuf b) {
        assertEquals(0, Ipv4.checksum(b, 0, 20), "IP header checksum");
        int proto = Ipv4.protocol(b, 0);
        int len = Ipv4.totalLength(b, 0) - 20;
        if (proto == Ipv4.PROTO_TCP) {
            assertEquals(transportChecksum(b), b.getUnsignedShort(20 + TcpHeader.CHECKSUM), "TCP checksum");
        } else if (proto == Ipv4.PROTO_UDP) {
            assertEquals(transportChecksum(b), b.getUnsignedShort(20 + UdpHeader.CHECKSUM), "UDP checksum");
        } else if (proto == Ipv4.PROTO_ICMP) {
            assertEquals(0, Ipv4.checksum(b, 20, len), "ICMP checksum");
        }
    }

    public static String src(ByteBuf b) {
        return text(Ipv4.source(b, 0));
    }

    public static String dst(ByteBuf b) {
        return text(Ipv4.destination(b, 0));
    }

    public static int sport(ByteBuf b) {
        return b.getUnsignedShort(20);
    }

    public static int dport(ByteBuf b) {
        return b.getUnsignedShort(22);
    }

    public static String text(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
    }
}
