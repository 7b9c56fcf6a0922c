package io.argate.ip.packet;

import io.argate.ip.port.PacketBuffers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static io.argate.ip.packet.OffloadsTest.DST;
import static io.argate.ip.packet.OffloadsTest.SRC;
import static io.argate.ip.packet.OffloadsTest.assertChecksumsVerify;
import static io.argate.ip.packet.OffloadsTest.bytes;
import static io.argate.ip.packet.OffloadsTest.payload;
import static io.argate.ip.packet.OffloadsTest.sum16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15: UDP segmentation offload (virtio GSO_UDP_L4). A UDP super-packet as a Linux
 * UDP_SEGMENT sender's kernel hands it to a TUN device is cut into the datagrams it stands for;
 * every checksum is verified by this test's own RFC 1071 sum, not by the code under test.
 */
public class UdpSegmentationTest {
    /** The header the kernel puts on a UDP super-packet of {@code size}-byte datagrams. */
    public static VirtioNetHeader uso(int size) {
        return new VirtioNetHeader().set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_UDP_L4, 28, size, 20, 6);
    }

    /**
     * A UDP/IPv4 super-packet (DF, id 0xfffe so it wraps) as the kernel hands it over: the UDP
     * length covers the whole payload and the checksum field holds whatever was left partial.
     */
    public static ByteBuf superPacket(byte[] data, int dst, int dport) {
        int total = 28 + data.length;
        ByteBuf b = Unpooled.buffer(total);
        b.writerIndex(total);
        Ipv4.write(b, 0, 0, total, 0xfffe, Ipv4.FLAG_DF, 64, Ipv4.PROTO_UDP, SRC, dst);
        Udp.write(b, 20, 40000, dport, 8 + data.length);
        b.setShort(26, 0xbeef); // the partial sum the kernel left: recomputed anyway
        b.setBytes(28, data);
        return b;
    }

    @Test
    void theUdpGsoTypeIsFiveInTheHeader() {
        ByteBuf b = Unpooled.buffer(10).writerIndex(10);
        uso(1200).encode(b, 0);
        assertArrayEquals(new byte[] {1, 5, 28, 0, (byte) 0xb0, 4, 20, 0, 6, 0}, bytes(b));
        VirtioNetHeader back = new VirtioNetHeader().decode(b, 0);
        assertTrue(back.superPacket() && back.udpSuperPacket() && back.pending());
        assertFalse(new VirtioNetHeader().set(1, VirtioNetHeader.GSO_TCPV4, 40, 1448, 20, 16).udpSuperPacket());
    }

    @Test
    void aUdpSuperPacketIsCutIntoItsDatagramsTheLastOneShorter() {
        byte[] data = payload(3000);
        ByteBuf sup = superPacket(data, DST, 5001);
        List<ByteBuf> out = new ArrayList<>();
        assertEquals(3, Offloads.segment(sup, uso(1200), PacketBuffers.ALLOC, 128, out));
        assertEquals(0, sup.refCnt(), "the super-packet is consumed");
        int[] sizes = {1200, 1200, 600};
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            ByteBuf s = out.get(i);
            assertEquals(128, s.readerIndex(), "headroom in front");
            assertTrue(s.writableBytes() >= 128, "and behind");
            byte[] pkt = bytes(s);
            assertEquals(28 + sizes[i], pkt.length);
            assertEquals(28 + sizes[i], ((pkt[2] & 0xff) << 8) | (pkt[3] & 0xff), "IP total length");
            assertEquals((0xfffe + i) & 0xffff, ((pkt[4] & 0xff) << 8) | (pkt[5] & 0xff), "identification, one more each, wrapping");
            assertEquals(0x40, pkt[6] & 0xff, "DF kept");
            assertEquals(40000, ((pkt[20] & 0xff) << 8) | (pkt[21] & 0xff), "source port");
            assertEquals(5001, ((pkt[22] & 0xff) << 8) | (pkt[23] & 0xff), "destination port");
            assertEquals(8 + sizes[i], ((pkt[24] & 0xff) << 8) | (pkt[25] & 0xff), "UDP length: its own datagram's");
            assertChecksumsVerify(pkt);
            joined.write(pkt, 28, pkt.length - 28);
            s.release();
        }
        assertArrayEquals(data, joined.toByteArray(), "every datagram's payload, in order");
    }

    @Test
    void anExactMultipleGivesEqualDatagramsAndOneFitsInOne() {
        List<ByteBuf> out = new ArrayList<>();
        assertEquals(4, Offloads.segment(superPacket(payload(4 * 500), DST, 53), uso(500), PacketBuffers.ALLOC, 0, out));
        out.forEach(s -> assertEquals(528, s.readableBytes()));
        out.clear();
        assertEquals(1, Offloads.segment(superPacket(payload(100), DST, 53), uso(500), PacketBuffers.ALLOC, 0, out));
        assertChecksumsVerify(bytes(out.get(0)));
    }

    @Test
    void checksumsCoverTheHeadersAsAStageLeftThem() {
        ByteBuf sup = superPacket(payload(2500), 0x0a000001, 4500);
        // NAT rewrote the destination after the kernel summed the pseudo-header
        sup.setInt(16, DST);
        Ipv4.updateChecksum(sup, 0);
        List<ByteBuf> out = new ArrayList<>();
        assertEquals(3, Offloads.segment(sup, uso(1000), PacketBuffers.ALLOC, 0, out));
        out.forEach(s -> assertChecksumsVerify(bytes(s)));
    }

    @Test
    void aSuperPacketWithoutAChecksumGivesDatagramsWithout() {
        ByteBuf sup = superPacket(payload(2000), DST, 2746);
        sup.setShort(26, 0);
        List<ByteBuf> out = new ArrayList<>();
        assertEquals(2, Offloads.segment(sup, new VirtioNetHeader().set(0, VirtioNetHeader.GSO_UDP_L4, 28, 1000, 0, 0), PacketBuffers.ALLOC, 0, out));
        for (ByteBuf s : out) {
            assertEquals(0, s.getUnsignedShort(26), "RFC 768: 0 means none, kept");
            assertEquals(0xffff, sum16(bytes(s), 0, 20, 0));
        }
    }

    /**
     * Cut for the router's own handlers (ESP in UDP to this router arriving as a super-packet):
     * the datagrams are those a full cut gives, byte for byte but for the checksum, which is 0
     * ("none") instead of a sum nobody reads.
     */
    @Test
    void cutForTheRouterTheDatagramsCarryNoChecksum() {
        byte[] data = payload(3000);
        List<ByteBuf> full = new ArrayList<>();
        List<ByteBuf> mine = new ArrayList<>();
        assertEquals(3, Offloads.segment(superPacket(data, DST, 4500), uso(1200), PacketBuffers.ALLOC, 0, full));
        assertEquals(3, Offloads.segmentForRouter(superPacket(data, DST, 4500), uso(1200), PacketBuffers.ALLOC, 128, mine));
        for (int i = 0; i < 3; i++) {
            byte[] f = bytes(full.get(i));
            byte[] m = bytes(mine.get(i));
            assertTrue(f[26] != 0 || f[27] != 0, "a full cut fills in the checksum");
            assertEquals(0, mine.get(i).getUnsignedShort(mine.get(i).readerIndex() + 26), "RFC 768: none");
            f[26] = 0;
            f[27] = 0;
            assertArrayEquals(f, m, "datagram " + i);
            assertEquals(0xffff, sum16(m, 0, 20, 0), "IP header checksum");
        }
    }

    @Test
    void malformedUdpSuperPacketsAreRefusedNotThrown() {
        VirtioNetHeader tcpHeader = new VirtioNetHeader().set(1, VirtioNetHeader.GSO_TCPV4, 40, 1448, 20, 16);
        ByteBuf truncated = superPacket(payload(3000), DST, 53);
        truncated.writerIndex(1000);
        ByteBuf fragment = superPacket(payload(3000), DST, 53);
        fragment.setShort(6, Ipv4.FLAG_MF);
        ByteBuf tcp = OffloadsTest.tcp(payload(3000), 0x10);
        ByteBuf headerOnly = superPacket(new byte[0], DST, 53);
        Object[][] cases = {
                {superPacket(payload(3000), DST, 53), new VirtioNetHeader().set(1, VirtioNetHeader.GSO_UDP_L4, 28, 0, 20, 6), "segment size 0"},
                {superPacket(payload(3000), DST, 53), uso(10), "300 datagrams: more than the kernel's bound"},
                {superPacket(payload(3000), DST, 53), new VirtioNetHeader().set(1, VirtioNetHeader.GSO_UDP, 28, 1000, 20, 6), "UFO (type 3): not argate's to cut"},
                {superPacket(payload(3000), DST, 53), tcpHeader, "TCP header type on a UDP packet"},
                {tcp, uso(1000), "UDP header type on a TCP packet"},
                {truncated, uso(1000), "shorter than its IP total length"},
                {fragment, uso(1000), "a fragment"},
                {headerOnly, uso(1000), "no payload at all"},
                {Unpooled.wrappedBuffer(new byte[] {0x45, 0, 0}), uso(1000), "three bytes"},
        };
        for (Object[] c : cases) {
            ByteBuf p = (ByteBuf) c[0];
            List<ByteBuf> out = new ArrayList<>();
            assertFalse(Offloads.finish(p, (VirtioNetHeader) c[1], PacketBuffers.ALLOC, 0, out), (String) c[2]);
            assertTrue(out.isEmpty(), (String) c[2]);
            assertEquals(0, p.refCnt(), c[2] + ": released");
        }
    }

    @Test
    void aUdpSuperPacketForTheKernelCarriesThePseudoSumOfItsWholeLength() {
        ByteBuf sup = superPacket(payload(3000), DST, 5001);
        sup.setShort(24, 1208); // a stage left the first datagram's length: the kernel needs the whole
        assertTrue(Offloads.preparePartial(sup, uso(1200)));
        assertEquals(3008, sup.getUnsignedShort(24), "UDP length: the whole payload's, the one the sum was made with");
        long pseudo = (SRC >>> 16) + (SRC & 0xffff) + (DST >>> 16) + (DST & 0xffff) + 17 + 3008;
        while ((pseudo >>> 16) != 0) {
            pseudo = (pseudo & 0xffff) + (pseudo >>> 16);
        }
        assertEquals(pseudo, sup.getUnsignedShort(26));
    }
}
