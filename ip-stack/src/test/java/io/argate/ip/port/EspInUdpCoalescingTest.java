package io.argate.ip.port;

import io.argate.ip.packet.Ipv4;
import io.argate.ip.packet.Offloads;
import io.argate.ip.packet.Udp;
import io.argate.ip.packet.VirtioNetHeader;
import io.argate.shell.testing.StepClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.argate.ip.packet.OffloadsTest.assertChecksumsVerify;
import static io.argate.ip.packet.OffloadsTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, ESP in UDP on a TUN WAN port: the router's own ESP-in-UDP datagrams (RFC 3948,
 * checksum left for the host to fill in) to one peer leave a receive batch as one UDP
 * super-packet (GSO_UDP_L4) when the port has USO4, and the host's cut gives back every
 * datagram, now with a valid UDP checksum (RFC 3948 section 2.1 allows one). IKE behind the
 * non-ESP marker and NAT keepalives on the same ports never join a run of ESP.
 */
class EspInUdpCoalescingTest {
    /** Router A's and router B's WAN addresses (those OffloadsTest verifies checksums with). */
    static final int ROUTER_A = io.argate.ip.packet.OffloadsTest.SRC;
    static final int ROUTER_B = io.argate.ip.packet.OffloadsTest.DST;
    static final int USO = TunFd.TUN_F_CSUM | TunFd.TUN_F_TSO4 | TunFd.TUN_F_USO4;

    TunCoalescerTest.RecordingTun tun = new TunCoalescerTest.RecordingTun(USO);
    TunPort port = new TunPort("eth0", "wan0", tun, 1500, new StepClock());
    int ids = 100;

    @AfterEach
    void endBatch() {
        ReceiveBatch.end();
    }

    /** The UDP payload of an ESP packet: SPI, sequence number, then {@code body} bytes. */
    static byte[] esp(int spi, int seq, int body) {
        byte[] b = new byte[8 + body];
        Unpooled.wrappedBuffer(b).setInt(0, spi).setInt(4, seq);
        for (int i = 8; i < b.length; i++) {
            b[i] = (byte) (seq * 31 + i);
        }
        return b;
    }

    /** A datagram 4500 -> 4500 from router A to router B carrying {@code payload}, checksum 0 as IPsec writes it. */
    ByteBuf datagram(byte[] payload) {
        int total = 20 + 8 + payload.length;
        ByteBuf b = Unpooled.buffer(total).writerIndex(total);
        Ipv4.write(b, 0, 0, total, ids++, 0, 64, Ipv4.PROTO_UDP, ROUTER_A, ROUTER_B);
        Udp.write(b, 20, 4500, 4500, 8 + payload.length);
        b.setBytes(28, payload);
        return b;
    }

    /** The header IPsec's datagrams go to the port with: the UDP checksum left to the host. */
    static VirtioNetHeader checksumLeft() {
        return new VirtioNetHeader().set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 0, 20, VirtioNetHeader.UDP_CSUM_OFFSET);
    }

    /** What went in, to compare with what the host cuts: the checksum field aside, which the host fills in. */
    static byte[] sansChecksum(byte[] packet) {
        byte[] c = packet.clone();
        c[26] = 0;
        c[27] = 0;
        return c;
    }

    /** Offers ESP (checksum left) or other datagrams (as they are) in one batch; copies of what went in. */
    List<byte[]> sendInBatch(Object... espOrPlain) {
        List<byte[]> in = new ArrayList<>();
        ReceiveBatch.begin();
        for (Object o : espOrPlain) {
            ByteBuf p = o instanceof byte[] payload ? datagram(payload) : (ByteBuf) o;
            in.add(bytes(p));
            assertTrue(o instanceof byte[] ? port.transmit(p, checksumLeft()) : port.transmit(p));
        }
        port.flush();
        ReceiveBatch.end();
        return in;
    }

    /** The datagrams write {@code i} stands for, cut as the host cuts a UDP super-packet. */
    List<byte[]> cut(int i) {
        return TunCoalescerTest.cutBack(tun, i);
    }

    @Test
    void equalEspDatagramsToOnePeerLeaveAsOneUdpSuperPacketWhateverTheirSa() {
        // two SAs to the same peer (a rekey's old and new SPI) share the peer's flow
        List<byte[]> in = sendInBatch(esp(1000, 1, 1392), esp(1002, 1, 1392), esp(1000, 2, 1392), esp(1002, 2, 1392), esp(1000, 3, 500));
        assertEquals(1, tun.written.size(), "one write for the run");
        VirtioNetHeader h = tun.headers.get(0);
        assertEquals(VirtioNetHeader.GSO_UDP_L4, h.gsoType());
        assertTrue(h.needsChecksum(), "the host fills in each datagram's checksum");
        assertEquals(1400, h.gsoSize());
        assertEquals(1, port.counters().txCoalesced.sum());
        assertEquals(5, port.counters().txCoalescedSegments.sum());
        List<byte[]> out = cut(0);
        assertEquals(5, out.size());
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(sansChecksum(in.get(i)), sansChecksum(out.get(i)), "datagram " + i);
            assertChecksumsVerify(out.get(i));
            assertTrue((out.get(i)[26] | out.get(i)[27]) != 0, "a real checksum now");
        }
    }

    @Test
    void theShortLastDatagramOfEachTsoRunEndsItsSuperPacket() {
        sendInBatch(esp(1000, 1, 1392), esp(1000, 2, 1392), esp(1000, 3, 500), esp(1000, 4, 1392), esp(1000, 5, 1392), esp(1000, 6, 1392));
        assertEquals(2, tun.written.size(), "[1400 1400 508] [1400 1400 1400]");
        assertEquals(3, cut(0).size());
        assertEquals(3, cut(1).size());
        assertEquals(2, port.counters().txCoalesced.sum());
        // a bigger datagram after a run cannot join it: it starts the next
        tun.written.clear();
        tun.headers.clear();
        sendInBatch(esp(1000, 7, 500), esp(1000, 8, 1392));
        assertEquals(2, tun.written.size());
        assertTrue(tun.headers.get(0).needsChecksum() && !tun.headers.get(0).superPacket(), "a run of one leaves as it came, checksum left");
    }

    @Test
    void ikeBehindTheNonEspMarkerAndNatKeepalivesNeverJoinEsp() {
        // IKE on 4500 (RFC 3948 section 2.2): four zero bytes, then the message; the router's
        // IKE is checksummed as any of its datagrams, and as long as the ESP around it
        ByteBuf ike = datagram(new byte[1400]);
        Udp.checksum(ike, 0);
        ByteBuf keepalive = datagram(new byte[] {(byte) 0xff});
        List<byte[]> in = sendInBatch(esp(1000, 1, 1392), esp(1000, 2, 1392), ike, esp(1000, 3, 1392), keepalive,
                esp(1000, 4, 1392), esp(1000, 5, 1392));
        assertEquals(5, tun.written.size(), "[esp esp] ike [esp] keepalive [esp esp], in order");
        assertEquals(2, cut(0).size());
        assertArrayEquals(in.get(2), tun.written.get(1), "IKE as it was sent");
        assertNull(tun.headers.get(1));
        assertArrayEquals(sansChecksum(in.get(3)), sansChecksum(tun.written.get(2)));
        assertFalse(tun.headers.get(2).superPacket());
        assertArrayEquals(in.get(4), tun.written.get(3), "the keepalive as it was sent, checksum 0");
        assertNull(tun.headers.get(3));
        assertEquals(2, cut(4).size());
        assertEquals(2, port.counters().txCoalesced.sum());
    }

    @Test
    void withoutUso4EachDatagramLeavesAloneWithItsChecksumLeft() {
        tun = new TunCoalescerTest.RecordingTun(TunFd.TUN_F_CSUM | TunFd.TUN_F_TSO4);
        port = new TunPort("eth0", "wan0", tun, 1500, new StepClock());
        assertFalse(port.offersUso4());
        sendInBatch(esp(1000, 1, 1392), esp(1000, 2, 1392), esp(1000, 3, 1392));
        assertEquals(3, tun.written.size());
        for (VirtioNetHeader h : tun.headers) {
            assertTrue(h.needsChecksum() && !h.superPacket());
        }
        assertEquals(0, port.counters().txCoalesced.sum());
    }
}
