package io.argate.ip.port;

import io.argate.ip.packet.OffloadsTest;
import io.argate.ip.packet.UdpSegmentationTest;
import io.argate.ip.packet.VirtioNetHeader;
import io.argate.shell.testing.StepClock;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15: a TUN port whose kernel accepted USO (Linux 6.2 on) says so in SHOW PORT's offload
 * list and to the egress coalescer ({@link Port#offersUso4()}), and takes UDP super-packets
 * whose datagrams fit its MTU; a kernel that refused it keeps TSO4 and CSUM and takes none.
 */
class TunPortUsoTest {
    final StepClock clock = new StepClock();
    final TunPortTest.FakeTun tun = new TunPortTest.FakeTun();

    TunPort port(int flags, int mtu) {
        tun.offloads = flags;
        return new TunPort("eth0", "wan0", tun, mtu, clock);
    }

    static ByteBuf udpSuper(int payload) {
        return UdpSegmentationTest.superPacket(OffloadsTest.payload(payload), OffloadsTest.DST, 4500);
    }

    @Test
    void aKernelThatAcceptedUsoShowsItAndTakesUdpSuperPackets() {
        TunPort p = port(TunFd.TUN_F_CSUM | TunFd.TUN_F_TSO4 | TunFd.TUN_F_USO4 | TunFd.TUN_F_USO6, 1500);
        assertEquals("TSO4 USO4 CSUM", p.offloads());
        assertTrue(p.offersUso4());
        ByteBuf sup = udpSuper(6000);
        VirtioNetHeader uso = UdpSegmentationTest.uso(1200);
        assertTrue(p.takes(sup, uso));
        assertTrue(p.transmit(sup, uso));
        assertEquals(List.of(6028), tun.written);
        assertEquals(VirtioNetHeader.GSO_UDP_L4, tun.headers.get(0).gsoType());
        assertEquals(1, p.counters().txSuperPackets.sum());
    }

    @Test
    void aKernelWithoutUsoKeepsTsoAndTakesNoUdpSuperPacket() {
        TunPort p = port(TunFd.TUN_F_CSUM | TunFd.TUN_F_TSO4, 1500);
        assertEquals("TSO4 CSUM", p.offloads());
        assertFalse(p.offersUso4());
        ByteBuf sup = udpSuper(6000);
        assertFalse(p.takes(sup, UdpSegmentationTest.uso(1200)));
        sup.release();
        assertFalse(port(0, 1500).offersUso4(), "no offloads at all");
    }

    @Test
    void udpSuperPacketsTheKernelWouldRefuseAreLeftToSoftware() {
        TunPort p = port(TunFd.TUN_F_CSUM | TunFd.TUN_F_TSO4 | TunFd.TUN_F_USO4 | TunFd.TUN_F_USO6, 1400);
        ByteBuf sup = udpSuper(6000);
        assertFalse(p.takes(sup, UdpSegmentationTest.uso(1400)), "1428-byte datagrams do not fit an MTU of 1400");
        assertFalse(p.takes(sup, UdpSegmentationTest.uso(50)), "120 datagrams: more than every USO kernel takes");
        assertFalse(p.takes(sup, new VirtioNetHeader().set(0, VirtioNetHeader.GSO_UDP_L4, 28, 1200, 0, 0)),
                "no partial checksum: the kernel insists on one for USO");
        assertTrue(p.takes(sup, UdpSegmentationTest.uso(1372)));
        ByteBuf tcp = OffloadsTest.tcp(OffloadsTest.payload(3000), 0x10);
        assertFalse(p.takes(tcp, UdpSegmentationTest.uso(1000)), "a TCP packet under a UDP header type");
        sup.release();
        tcp.release();
    }
}
