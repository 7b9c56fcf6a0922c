package io.argate.ip.packet;

import io.argate.ip.port.PacketBuffers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The virtio-net header codec and the software offloads (checksum completion, TCP segmentation).
 * Every checksum is verified by this test's own plain RFC 1071 sum over bytes, not by the code
 * under test.
 */
public class OffloadsTest {
    public static final int SRC = 0xc0a80a05;
    public static final int DST = 0xc0a81407;

    /** RFC 1071 over 16-bit words of a byte array: the one's-complement sum, folded. */
    public static int sum16(byte[] b, int from, int len, long seed) {
        long s = seed;
        for (int i = 0; i < len; i += 2) {
            int hi = b[from + i] & 0xff;
            int lo = i + 1 < len ? b[from + i + 1] & 0xff : 0;
            s += (hi << 8) | lo;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    public static byte[] bytes(ByteBuf b) {
        byte[] a = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), a);
        return a;
    }

    /** True when the IPv4 header and the TCP/UDP checksum of a whole packet verify. */
    public static void assertChecksumsVerify(byte[] pkt) {
        int ihl = (pkt[0] & 0x0f) * 4;
        assertEquals(0xffff, sum16(pkt, 0, ihl, 0), "IP header checksum");
        int total = ((pkt[2] & 0xff) << 8) | (pkt[3] & 0xff);
        int l4len = total - ihl;
        long pseudo = (SRC >>> 16) + (SRC & 0xffff) + (DST >>> 16) + (DST & 0xffff) + (pkt[9] & 0xff) + l4len;
        assertEquals(0xffff, sum16(pkt, ihl, l4len, pseudo), "transport checksum");
    }

    public static byte[] payload(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 7 + 3);
        }
        return p;
    }

    /** A TCP/IPv4 packet (DF, id 0x1234, seq 0xfffff000 so it wraps) as the kernel hands it: the TCP checksum field holds the partial pseudo-header sum. */
    public static ByteBuf tcp(byte[] data, int flags) {
        int total = 20 + 20 + data.length;
        ByteBuf b = Unpooled.buffer(total);
        b.writerIndex(total);
        Ipv4.write(b, 0, 0, total, 0x1234, Ipv4.FLAG_DF, 64, Ipv4.PROTO_TCP, SRC, DST);
        b.setShort(20, 40000);
        b.setShort(22, 5001);
        b.setInt(24, 0xfffff000);
        b.setInt(28, 77);
        b.setByte(32, 5 << 4);
        b.setByte(33, flags);
        b.setShort(34, 64240);
        b.setBytes(40, data);
        b.setShort(36, 0xbeef); // whatever the kernel left: recomputed anyway
        return b;
    }

    @Test
    void theHeaderCodecIsTheTenLittleEndianBytesOfVirtioNetHdr() {
        VirtioNetHeader h = new VirtioNetHeader().set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4 | VirtioNetHeader.GSO_ECN, 52, 1448, 20, 16);
        ByteBuf b = Unpooled.buffer(10).writerIndex(10);
        h.encode(b, 0);
        assertArrayEquals(new byte[] {1, (byte) 0x81, 52, 0, (byte) 0xa8, 5, 20, 0, 16, 0}, bytes(b));
        VirtioNetHeader back = new VirtioNetHeader().decode(b, 0);
        assertEquals(1, back.flags());
        assertEquals(VirtioNetHeader.GSO_TCPV4, back.gsoType());
        assertTrue(back.ecn());
        assertEquals(52, back.headerLength());
        assertEquals(1448, back.gsoSize());
        assertEquals(20, back.csumStart());
        assertEquals(16, back.csumOffset());
        assertTrue(back.superPacket() && back.needsChecksum() && back.pending());
        assertFalse(new VirtioNetHeader().decode(Unpooled.wrappedBuffer(new byte[10]), 0).pending(), "ten zero bytes: an ordinary packet");
    }

    @Test
    void aSuperPacketIsCutIntoSegmentsTcpWouldHaveSent() {
        byte[] data = payload(4000);
        ByteBuf sup = tcp(data, Tcp.PSH | Tcp.FIN | 0x10 | Tcp.CWR);
        VirtioNetHeader h = new VirtioNetHeader().set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 40, 1448, 20, 16);
        List<ByteBuf> out = new ArrayList<>();
        assertEquals(3, Offloads.segment(sup, h, PacketBuffers.ALLOC, 128, out));
        assertEquals(0, sup.refCnt(), "the super-packet is consumed");
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        int[] sizes = {1448, 1448, 1104};
        for (int i = 0; i < 3; i++) {
            ByteBuf s = out.get(i);
            assertEquals(128, s.readerIndex(), "headroom in front");
            assertTrue(s.writableBytes() >= 128, "and behind");
            byte[] pkt = bytes(s);
            assertEquals(40 + sizes[i], pkt.length);
            assertEquals(40 + sizes[i], ((pkt[2] & 0xff) << 8) | (pkt[3] & 0xff), "total length");
            assertEquals(0x1234 + i, ((pkt[4] & 0xff) << 8) | (pkt[5] & 0xff), "identification");
            assertEquals(0x40, pkt[6] & 0xff, "DF kept");
            assertEquals((int) (0xfffff000L + i * 1448L), s.getInt(128 + 24), "sequence number");
            assertEquals(77, s.getInt(128 + 28), "acknowledgment number");
            int flags = pkt[33] & 0xff;
            assertEquals(0x10, flags & 0x10, "ACK on every segment");
            assertEquals(i == 2, (flags & Tcp.FIN) != 0, "FIN only on the last");
            assertEquals(i == 2, (flags & Tcp.PSH) != 0, "PSH only on the last");
            assertEquals(i == 0, (flags & Tcp.CWR) != 0, "CWR only on the first");
            assertChecksumsVerify(pkt);
            joined.write(pkt, 40, pkt.length - 40);
            s.release();
        }
        assertArrayEquals(data, joined.toByteArray(), "the payload, in order, nothing lost");
    }

    @Test
    void aSuperPacketNoLargerThanOneSegmentComesOutAsOne() {
        byte[] data = payload(1000);
        List<ByteBuf> out = new ArrayList<>();
        assertEquals(1, Offloads.segment(tcp(data, Tcp.PSH | 0x10), new VirtioNetHeader().set(1, 1, 40, 1448, 20, 16), PacketBuffers.ALLOC, 0, out));
        byte[] pkt = bytes(out.get(0));
        assertEquals(1040, pkt.length);
        assertEquals(Tcp.PSH | 0x10, pkt[33] & 0xff);
        assertChecksumsVerify(pkt);
    }

    @Test
    void whatIsNotTcpIsNotSegmented() {
        ByteBuf udp = tcp(payload(3000), 0);
        Ipv4.setProtocol(udp, 0, Ipv4.PROTO_UDP);
        Ipv4.updateChecksum(udp, 0);
        List<ByteBuf> out = new ArrayList<>();
        assertEquals(0, Offloads.segment(udp, new VirtioNetHeader().set(0, 1, 40, 1448, 20, 16), PacketBuffers.ALLOC, 0, out));
        assertTrue(out.isEmpty());
        assertEquals(0, udp.refCnt(), "released");
    }

    @Test
    void aPartialTcpChecksumIsCompletedFromTheHeadersAsTheyAreNow() {
        ByteBuf p = tcp(payload(333), 0x18);
        // a stage rewrote the destination after the kernel summed the pseudo-header
        p.setInt(16, DST);
        assertTrue(Offloads.completeChecksum(p, new VirtioNetHeader().set(1, 0, 0, 0, 20, 16)));
        assertChecksumsVerify(bytes(p));
    }

    @Test
    void aPartialUdpChecksumIsCompletedAndZeroIsSentAsAllOnes() {
        ByteBuf p = tcp(payload(101), 0);
        Ipv4.setProtocol(p, 0, Ipv4.PROTO_UDP);
        Ipv4.updateChecksum(p, 0);
        Udp.write(p, 20, 5000, 53, p.readableBytes() - 20);
        assertTrue(Offloads.completeChecksum(p, new VirtioNetHeader().set(1, 0, 0, 0, 20, 6)));
        assertChecksumsVerify(bytes(p));
    }

    @Test
    void anotherProtocolIsCompletedTheGenericWay() {
        // ICMP echo whose checksum (offset 2) the header leaves to be summed from csumStart on
        ByteBuf p = Unpooled.buffer(28 + 30).writerIndex(58);
        Ipv4.write(p, 0, 0, 58, 9, 0, 64, Ipv4.PROTO_ICMP, SRC, DST);
        p.setByte(20, 8);
        p.setBytes(28, payload(30));
        assertTrue(Offloads.completeChecksum(p, new VirtioNetHeader().set(1, 0, 0, 0, 20, 2)));
        byte[] pkt = bytes(p);
        assertEquals(0xffff, sum16(pkt, 20, 38, 0), "ICMP checksum");
    }

    @Test
    void aHeaderPointingPastThePacketIsRefused() {
        ByteBuf p = tcp(payload(10), 0);
        assertFalse(Offloads.completeChecksum(p, new VirtioNetHeader().set(1, 0, 0, 0, 60, 16)));
    }

    @Test
    void aPartialChecksumForTheKernelIsThePseudoHeaderSum() {
        ByteBuf p = tcp(payload(5000), 0x10);
        assertTrue(Offloads.preparePartial(p, new VirtioNetHeader().set(1, 1, 40, 1448, 20, 16)));
        long pseudo = (SRC >>> 16) + (SRC & 0xffff) + (DST >>> 16) + (DST & 0xffff) + 6 + 5020;
        while ((pseudo >>> 16) != 0) {
            pseudo = (pseudo & 0xffff) + (pseudo >>> 16);
        }
        assertEquals(pseudo, p.getUnsignedShort(36));
        // completing it the way the kernel does (sum from csumStart, field included) gives a valid checksum
        byte[] pkt = bytes(p);
        int done = ~sum16(pkt, 20, 5020, 0) & 0xffff;
        pkt[36] = (byte) (done >>> 8);
        pkt[37] = (byte) done;
        assertChecksumsVerify(pkt);
    }
}
