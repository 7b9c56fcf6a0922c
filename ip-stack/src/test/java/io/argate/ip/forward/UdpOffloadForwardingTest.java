package io.argate.ip.forward;

import io.argate.ip.iface.Interfaces;
import io.argate.ip.packet.OffloadsTest;
import io.argate.ip.packet.UdpSegmentationTest;
import io.argate.ip.packet.VirtioNetHeader;
import io.argate.ip.port.PacketBuffers;
import io.argate.ip.route.RouteTable;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static io.argate.ip.packet.OffloadsTest.bytes;
import static io.argate.ip.packet.OffloadsTest.payload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Issue 15: a UDP super-packet (USO) from a TUN port crosses the router whole to a port that
 * takes them, is cut into its datagrams for one that does not, and is split before LOCAL when
 * it is for the router's own UDP ports (ESP in UDP on 4500 must reach IPsec one at a time).
 */
class UdpOffloadForwardingTest {
    static final int ROUTER = 0xc0a80a01;
    final Interfaces ifs = new Interfaces();
    final OffloadForwardingTest.RecordingPort vlan1 = new OffloadForwardingTest.RecordingPort("vlan1", 1500, true);
    OffloadForwardingTest.RecordingPort eth0;
    Forwarder fwd;

    void router(boolean eth0Offload) {
        router(eth0Offload, 1500);
    }

    void router(boolean eth0Offload, int eth0Mtu) {
        ifs.add("vlan1", 0, ROUTER, 0xffffff00);
        ifs.add("eth0", 0, 0xc0a81401, 0xffffff00);
        fwd = new Forwarder(ifs, Clock.systemUTC(), PacketBuffers.ALLOC);
        fwd.routes(new RouteTable(ifs.connectedRoutes()));
        eth0 = new OffloadForwardingTest.RecordingPort("eth0", eth0Mtu, eth0Offload);
        fwd.attach(vlan1);
        fwd.attach(eth0);
    }

    @Test
    void aUdpSuperPacketPassesWholeToAPortThatTakesThem() {
        router(true);
        fwd.receive(vlan1, UdpSegmentationTest.superPacket(payload(6000), OffloadsTest.DST, 5001), UdpSegmentationTest.uso(1200));
        assertEquals(1, eth0.sent.size());
        assertEquals(6028, eth0.sent.get(0).length);
        assertEquals(VirtioNetHeader.GSO_UDP_L4, eth0.headers.get(0).gsoType());
        assertEquals(1200, eth0.headers.get(0).gsoSize());
        assertEquals(1, fwd.counters().forwarded.sum());
    }

    @Test
    void aUdpSuperPacketIsCutIntoDatagramsForAPortWithoutUso() {
        router(false);
        byte[] data = payload(6000);
        fwd.receive(vlan1, UdpSegmentationTest.superPacket(data, OffloadsTest.DST, 5001), UdpSegmentationTest.uso(1400));
        assertEquals(5, eth0.sent.size());
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < 5; i++) {
            byte[] pkt = eth0.sent.get(i);
            assertNull(eth0.headers.get(i));
            assertEquals(i < 4 ? 1428 : 428, pkt.length);
            assertEquals(63, pkt[8] & 0xff, "routed once: TTL one less on each");
            OffloadsTest.assertChecksumsVerify(pkt);
            joined.write(pkt, 28, pkt.length - 28);
        }
        assertArrayEquals(data, joined.toByteArray());
        assertEquals(1, eth0.counters.txSegmented.sum());
    }

    @Test
    void datagramsTooBigForASmallerEgressMtuAreCutThenFragmented() {
        router(true, 1000);
        ByteBuf sup = UdpSegmentationTest.superPacket(payload(3600), OffloadsTest.DST, 5001);
        sup.setShort(6, 0); // no DF: the datagrams may be fragmented
        io.argate.ip.packet.Ipv4.updateChecksum(sup, 0);
        fwd.receive(vlan1, sup, UdpSegmentationTest.uso(1200));
        assertEquals(6, eth0.sent.size(), "three 1228-byte datagrams, two fragments each");
        eth0.sent.forEach(f -> assertEquals(0xffff, OffloadsTest.sum16(f, 0, 20, 0), "IP header checksum"));
        assertEquals(6, fwd.counters().fragmentsCreated.sum());
        assertEquals(1, eth0.counters.txSegmented.sum());
    }

    @Test
    void datagramsCoalescedForTheRoutersOwnPortReachItsHandlerOneByOne() {
        router(false);
        List<byte[]> delivered = new ArrayList<>();
        fwd.onUdpPort(4500, (c, b) -> {
            delivered.add(bytes(b));
            b.release();
            return null;
        });
        fwd.receive(vlan1, UdpSegmentationTest.superPacket(payload(3000), ROUTER, 4500), UdpSegmentationTest.uso(1000));
        assertEquals(3, delivered.size(), "three ESP-in-UDP packets, each on its own");
        for (byte[] d : delivered) {
            assertEquals(1028, d.length);
            assertChecksumsVerifyToRouter(d);
        }
        assertEquals(3, fwd.counters().delivered.sum());
        assertEquals(1, fwd.counters().splitForLocal.sum());
    }

    @Test
    void eachDatagramsDecapsulatedPacketRunsThePathAgain() {
        router(false);
        // a handler that "decapsulates" every datagram into a small packet for eth0's side
        fwd.onUdpPort(2746, (c, b) -> {
            b.release();
            c.decapsulated("vpn", "vlan1");
            ByteBuf inner = OffloadsTest.tcp(payload(10), 0x18);
            io.argate.ip.packet.Tcp.checksum(inner, 0);
            return inner;
        });
        fwd.receive(vlan1, UdpSegmentationTest.superPacket(payload(2000), ROUTER, 2746), UdpSegmentationTest.uso(500));
        assertEquals(4, eth0.sent.size(), "four inner packets forwarded");
        assertEquals(4, fwd.counters().forwarded.sum());
    }

    @Test
    void aMalformedSuperPacketForTheRouterIsACountedDrop() {
        router(false);
        List<byte[]> delivered = new ArrayList<>();
        fwd.onUdpPort(500, (c, b) -> {
            delivered.add(bytes(b));
            b.release();
            return null;
        });
        fwd.receive(vlan1, UdpSegmentationTest.superPacket(payload(3000), ROUTER, 500),
                new VirtioNetHeader().set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_UDP_L4, 28, 0, 20, 6));
        assertEquals(0, delivered.size());
        assertEquals(1, fwd.counters().drops(DropReason.BAD_OFFLOAD));
        assertNull(fwd.lastError(), "no exception on the receive thread");
    }

    /**
     * A datagram cut for the router: its IP header checksum verifies (by the test's own RFC 1071
     * sum) and it carries no UDP checksum (0, RFC 768's "none"): the sender left it to be filled
     * in and none of the router's handlers reads one.
     */
    private static void assertChecksumsVerifyToRouter(byte[] pkt) {
        assertEquals(0xffff, OffloadsTest.sum16(pkt, 0, 20, 0), "IP header checksum");
        assertEquals(0, ((pkt[26] & 0xff) << 8) | (pkt[27] & 0xff), "no UDP checksum");
    }
}
