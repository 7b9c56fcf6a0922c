package io.argate.ip.port;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PortTest {
    @Test
    void theIssuesPlatformFileParses() throws Exception {
        List<PortSpec> ports = PlatformFile.parse("""
                # port  driver  options
                vlan1   tun     dev=lana0 netns=lanA mtu=1500
                eth0    tun     dev=wan0
                eth1    udp     local=127.0.0.1:40001 remote=127.0.0.1:40002
                eth2    mem     link=x   # a comment after options
                """);
        assertEquals(List.of("vlan1", "eth0", "eth1", "eth2"), ports.stream().map(PortSpec::name).toList());
        assertEquals("lanA", ports.get(0).options().get("netns"));
        assertEquals(4, ports.get(2).line());
    }

    @Test
    void tunPortsTakeQueuesAndOffloadOptions() throws Exception {
        PortSpec s = PlatformFile.parse("eth0 tun dev=wan0 queues=2 offload=off").get(0);
        assertEquals("2", s.options().get("queues"));
        assertEquals("off", s.options().get("offload"));
    }

    @Test
    void theHostsUdpDropsAreReadFromProcNetUdp() {
        String proc = """
                   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
                  123: 0100007F:0035 00000000:0000 07 00000000 00000000 00:00000000 00000000   101        0 1111 2 0000000000000000 0
                  456: 0100007F:0FA1 00000000:0000 07 00000000 00000000 00:00000000 00000000     0        0 2222 2 0000000000000000 4711
                """;
        HostDrops d = HostStatistics.udp(proc, new java.net.InetSocketAddress("127.0.0.1", 4001));
        assertEquals(4711, d.towardArgate());
        assertEquals(-1, d.fromArgate());
        assertEquals(null, HostStatistics.udp(proc, new java.net.InetSocketAddress("127.0.0.1", 4002)));
    }

    @Test
    void mistakesNameTheLine() throws Exception {
        assertEquals("line 2: unknown driver \"tap\" for port eth0; drivers are tun, udp, mem",
                assertThrows(PlatformFile.Invalid.class, () -> PlatformFile.parse("vlan1 mem link=a\neth0 tap dev=x")).getMessage());
        assertEquals("line 3: port eth0 is already defined on line 1",
                assertThrows(PlatformFile.Invalid.class, () -> PlatformFile.parse("eth0 mem link=a\n\neth0 mem link=b")).getMessage());
        assertTrue(assertThrows(PlatformFile.Invalid.class, () -> PlatformFile.parse("eth0 tun dev=x color=red")).getMessage()
                .startsWith("line 1: tun ports take dev, io, mtu, netns, offload, queues, txqueuelen, not \"color\""));
        assertEquals("line 1: io=epoll is not uring or syscall",
                assertThrows(PlatformFile.Invalid.class, () -> PlatformFile.parse("eth0 tun dev=x io=epoll")).getMessage());
        assertEquals("line 1: txqueuelen=8 is not 16..65536",
                assertThrows(PlatformFile.Invalid.class, () -> PlatformFile.parse("eth0 tun dev=x txqueuelen=8")).getMessage());
        assertEquals("x", PlatformFile.parse("eth0 tun dev=x io=syscall txqueuelen=10000").get(0).options().get("dev"));
        assertEquals("line 1: queues=0 is not 1..16",
                assertThrows(PlatformFile.Invalid.class, () -> PlatformFile.parse("eth0 tun dev=x queues=0")).getMessage());
        assertEquals("line 1: offload=maybe is not on or off",
                assertThrows(PlatformFile.Invalid.class, () -> PlatformFile.parse("eth0 tun dev=x offload=maybe")).getMessage());
        assertTrue(assertThrows(PlatformFile.Invalid.class, () -> PlatformFile.parse("eth0 tun mtu=1500")).getMessage().contains("needs dev="));
        assertTrue(assertThrows(PlatformFile.Invalid.class, () -> PlatformFile.parse("eth0 tun dev=x mtu=9")).getMessage().contains("68..65535"));
        assertTrue(assertThrows(PlatformFile.Invalid.class, () -> PlatformFile.parse("eth1 udp local=1.2.3.4 remote=1.2.3.4:5")).getMessage().contains("ADDRESS:PORT"));
        assertTrue(assertThrows(PlatformFile.Invalid.class, () -> PlatformFile.parse("Eth1 mem link=a")).getMessage().contains("not a port name"));
        assertTrue(assertThrows(PlatformFile.Invalid.class, () -> PlatformFile.parse("eth1")).getMessage().contains("needs a name and a driver"));
    }

    @Test
    void memPortsCarryPacketsBothWaysAndCount() throws Exception {
        try (MemPort a = new MemPort("eth0", "t1", 1500); MemPort b = new MemPort("eth1", "t1", 1500)) {
            LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
            a.start((p, buf) -> {
                got.add(p.name() + ":" + buf.readableBytes());
                buf.release();
            });
            b.start((p, buf) -> {
                got.add(p.name() + ":" + buf.readableBytes());
                buf.release();
            });
            assertTrue(a.linkUp() && b.linkUp());
            assertTrue(a.transmit(Unpooled.buffer(100).writerIndex(100)));
            assertTrue(b.transmit(Unpooled.buffer(60).writerIndex(60)));
            // each port receives on its own thread, so the two arrivals may come in either order
            assertEquals(java.util.Set.of("eth1:100", "eth0:60"),
                    java.util.Set.of(got.poll(5, TimeUnit.SECONDS), got.poll(5, TimeUnit.SECONDS)));
            ByteBuf big = Unpooled.buffer(1501).writerIndex(1501);
            assertFalse(a.transmit(big), "larger than the MTU");
            assertEquals(1, a.counters().txDrops.sum());
            assertEquals(1, a.counters().txPackets.sum());
            assertEquals(1, b.counters().rxPackets.sum());
            assertEquals(100, b.counters().rxBytes.sum());
        }
    }

    private static int freeUdpPort() throws Exception {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void udpWirePortsCarryJumboPacketsUpToTheirMtuAndCountLongerOnes() throws Exception {
        // issue 11 item 11: with mtu=9000 anything over 2,048 bytes was cut short
        java.net.InetAddress lo = java.net.InetAddress.getLoopbackAddress();
        java.net.InetSocketAddress ea = new java.net.InetSocketAddress(lo, freeUdpPort());
        java.net.InetSocketAddress eb = new java.net.InetSocketAddress(lo, freeUdpPort());
        try (UdpPort a = new UdpPort("eth0", ea, eb, 9000); UdpPort b = new UdpPort("eth1", eb, ea, 9000);
             java.net.DatagramSocket stranger = new java.net.DatagramSocket(0, lo)) {
            LinkedBlockingQueue<Integer> got = new LinkedBlockingQueue<>();
            a.start((p, buf) -> buf.release());
            b.start((p, buf) -> {
                got.add(buf.readableBytes());
                buf.release();
            });
            assertTrue(a.transmit(Unpooled.buffer(9000).writerIndex(9000)));
            assertEquals(9000, got.poll(5, TimeUnit.SECONDS));
            assertTrue(a.transmit(Unpooled.buffer(2049).writerIndex(2049)));
            assertEquals(2049, got.poll(5, TimeUnit.SECONDS));

            stranger.send(new java.net.DatagramPacket(new byte[9001], 9001, eb));
            stranger.send(new java.net.DatagramPacket(new byte[60], 60, eb));
            assertEquals(60, got.poll(5, TimeUnit.SECONDS), "the 9,001-byte datagram is not delivered cut short");
            assertEquals(1, b.counters().rxDrops.sum(), "it is counted");
            assertEquals(3, b.counters().rxPackets.sum());
            assertEquals(9000 + 2049 + 60, b.counters().rxBytes.sum());
        }
    }

    /**
     * Both ways a UDP wire can run (native epoll with recvmmsg/sendmmsg, and NIO where epoll is
     * absent) hand every packet on in a heap buffer with the headroom IPsec needs around it, so
     * nothing is copied before protection; a burst sent faster than the port's thread drains it
     * leaves in batches and arrives whole, in order; a datagram over the MTU is still counted.
     */
    @Test
    void udpWiresDeliverPacketsWithHeadroomAndSendBurstsInBatches() throws Exception {
        java.net.InetAddress lo = java.net.InetAddress.getLoopbackAddress();
        for (boolean batched : new boolean[]{true, false}) {
            java.net.InetSocketAddress ea = new java.net.InetSocketAddress(lo, freeUdpPort());
            java.net.InetSocketAddress eb = new java.net.InetSocketAddress(lo, freeUdpPort());
            try (UdpPort a = new UdpPort("eth0", ea, eb, 1500, batched); UdpPort b = new UdpPort("eth1", eb, ea, 1500, batched);
                 java.net.DatagramSocket stranger = new java.net.DatagramSocket(0, lo)) {
                assertEquals(batched && io.netty.channel.epoll.Epoll.isAvailable(), b.batched());
                LinkedBlockingQueue<ByteBuf> got = new LinkedBlockingQueue<>();
                a.start((p, buf) -> buf.release());
                b.start((p, buf) -> got.add(buf));
                int burst = 200;
                for (int i = 0; i < burst; i++) {
                    ByteBuf p = Unpooled.buffer(100 + i).writerIndex(100 + i);
                    p.setInt(0, i);
                    assertTrue(a.transmit(p));
                }
                for (int i = 0; i < burst; i++) {
                    ByteBuf r = got.poll(5, TimeUnit.SECONDS);
                    assertTrue(r != null, "packet " + i + " of the burst arrived, batched=" + batched);
                    assertEquals(100 + i, r.readableBytes());
                    assertEquals(i, r.getInt(r.readerIndex()), "in order");
                    assertTrue(r.hasArray(), "a heap buffer: the JDK's crypto works on it in place");
                    assertTrue(r.readerIndex() >= Port.HEADROOM && r.capacity() - r.writerIndex() >= Port.HEADROOM,
                            "headroom " + r.readerIndex() + " and tailroom " + (r.capacity() - r.writerIndex()));
                    assertEquals(1, r.refCnt());
                    r.release();
                }
                stranger.send(new java.net.DatagramPacket(new byte[1501], 1501, eb));
                stranger.send(new java.net.DatagramPacket(new byte[60], 60, eb));
                ByteBuf small = got.poll(5, TimeUnit.SECONDS);
                assertEquals(60, small.readableBytes());
                small.release();
                assertEquals(1, b.counters().rxDrops.sum(), "the datagram over the MTU is counted");
                assertEquals(burst, a.counters().txPackets.sum());
            }
        }
    }
}
