package io.argate.ip.port;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.SegmentedDatagramPacket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15: UDP wire ports with UDP GSO and GRO. Two ports on loopback: runs of equal-size
 * datagrams queued together leave as GSO sends (the last of a run may be shorter), the
 * receiving port reads them coalesced (GRO) and hands on every datagram, whole and in order;
 * SHOW PORT's offload list and super-packet counters say so. With offload=off the same traffic
 * crosses as before, one datagram at a time.
 */
class UdpPortOffloadTest {
    static final InetAddress LO = InetAddress.getLoopbackAddress();

    private static int freePort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, LO)) {
            return s.getLocalPort();
        }
    }

    /** Datagram {@code i} of a burst: its size, and its index and a pattern in every byte after it. */
    static ByteBuf datagram(int i, int size) {
        ByteBuf p = Unpooled.buffer(size).writerIndex(size);
        p.setInt(0, i);
        for (int k = 4; k < size; k++) {
            p.setByte(k, i * 31 + k);
        }
        return p;
    }

    static void assertIntact(ByteBuf r, int i, int size) {
        assertEquals(size, r.readableBytes(), "datagram " + i + " size");
        assertEquals(i, r.getInt(r.readerIndex()), "datagram " + i + " in order");
        for (int k = 4; k < size; k++) {
            if (r.getByte(r.readerIndex() + k) != (byte) (i * 31 + k)) {
                throw new AssertionError("datagram " + i + " byte " + k + " differs");
            }
        }
    }

    /** Sizes of a burst: 100 of 1200 bytes, a shorter one that closes that run, 70 of 600, then three of different sizes. */
    static int[] sizes() {
        int[] s = new int[100 + 1 + 70 + 3];
        int n = 0;
        for (int i = 0; i < 100; i++) {
            s[n++] = 1200;
        }
        s[n++] = 900;
        for (int i = 0; i < 70; i++) {
            s[n++] = 600;
        }
        s[n++] = 1400;
        s[n++] = 80;
        s[n++] = 1000;
        return s;
    }

    /** Queues datagrams {@code from} to {@code to} (exclusive) on a's thread, so its drain sees them all at once. */
    static void sendBurst(UdpPort a, int[] sizes, int from, int to) throws InterruptedException {
        CountDownLatch queued = new CountDownLatch(1);
        a.onPortThread(() -> {
            for (int i = from; i < to; i++) {
                assertTrue(a.transmit(datagram(i, sizes[i])));
            }
            queued.countDown();
        });
        assertTrue(queued.await(5, TimeUnit.SECONDS));
    }

    /**
     * Sends the burst in waves ending at {@code waves} (each small enough for the receiving
     * socket's default buffer, so a slow receive thread on a loaded machine loses nothing) and
     * checks every datagram arrives whole, in order, with headroom for IPsec.
     */
    static void cross(UdpPort a, LinkedBlockingQueue<ByteBuf> got, int[] sizes, int... waves) throws InterruptedException {
        int from = 0;
        for (int to : waves) {
            sendBurst(a, sizes, from, to);
            for (int i = from; i < to; i++) {
                ByteBuf r = got.poll(5, TimeUnit.SECONDS);
                assertNotNull(r, "datagram " + i + " arrived");
                assertIntact(r, i, sizes[i]);
                assertTrue(r.hasArray() && r.readerIndex() >= Port.HEADROOM && r.capacity() - r.writerIndex() >= Port.HEADROOM,
                        "with headroom for IPsec, as without offloads");
                r.release();
            }
            from = to;
        }
        assertEquals(sizes.length, from);
    }

    @Test
    void runsOfEqualSizeDatagramsLeaveAsGsoSendsAndArriveWholeThroughGro() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable() && SegmentedDatagramPacket.isSupported(), "needs Netty's native epoll with UDP_SEGMENT");
        InetSocketAddress ea = new InetSocketAddress(LO, freePort());
        InetSocketAddress eb = new InetSocketAddress(LO, freePort());
        int[] sizes = sizes();
        try (UdpPort a = new UdpPort("eth0", ea, eb, 1500); UdpPort b = new UdpPort("eth1", eb, ea, 1500);
             DatagramSocket stranger = new DatagramSocket(0, LO)) {
            LinkedBlockingQueue<ByteBuf> got = new LinkedBlockingQueue<>();
            a.start((p, buf) -> buf.release());
            b.start((p, buf) -> got.add(buf));
            assertEquals("GSO GRO", a.offloads());
            assertEquals("GSO GRO", b.offloads());
            cross(a, got, sizes, 101, sizes.length);
            // runs: 54 of 1200 (a send carries at most 65,507 bytes), 46 more and the 900 that closes
            // them, 64 + 6 of 600 (a send carries at most 64), the 1400 with the shorter 80; the 1000 alone
            assertEquals(5, a.counters().txSuperPackets.sum(), "GSO sends");
            assertEquals(sizes.length, a.counters().txPackets.sum(), "every datagram counted as sent");
            assertEquals(sizes.length, b.counters().rxPackets.sum(), "and as received");
            assertTrue(b.counters().rxSuperPackets.sum() >= 1, "coalesced reads: " + b.counters().rxSuperPackets.sum());
            assertEquals(0, a.counters().txErrors.sum());

            // a datagram over the MTU is still seen whole and counted, not cut to fit
            stranger.send(new java.net.DatagramPacket(new byte[1501], 1501, eb));
            stranger.send(new java.net.DatagramPacket(new byte[60], 60, eb));
            ByteBuf small = got.poll(5, TimeUnit.SECONDS);
            assertEquals(60, small.readableBytes());
            small.release();
            assertEquals(1, b.counters().rxDrops.sum());
        }
    }

    @Test
    void withOffloadOffTheSameBurstCrossesOneDatagramAtATime() throws Exception {
        InetSocketAddress ea = new InetSocketAddress(LO, freePort());
        InetSocketAddress eb = new InetSocketAddress(LO, freePort());
        int[] sizes = sizes();
        try (UdpPort a = new UdpPort("eth0", ea, eb, 1500, true, false); UdpPort b = new UdpPort("eth1", eb, ea, 1500, true, false)) {
            LinkedBlockingQueue<ByteBuf> got = new LinkedBlockingQueue<>();
            a.start((p, buf) -> buf.release());
            b.start((p, buf) -> got.add(buf));
            assertEquals("none", a.offloads());
            assertEquals("none", b.offloads());
            cross(a, got, sizes, 40, 80, 101, 140, sizes.length);
            assertEquals(0, a.counters().txSuperPackets.sum());
            assertEquals(0, b.counters().rxSuperPackets.sum());
        }
    }

    @Test
    void offloadOffInThePlatformFileTurnsAUdpPortsGsoAndGroOff() throws Exception {
        String line = "eth0 udp local=127.0.0.1:" + freePort() + " remote=127.0.0.1:" + freePort();
        java.util.Map<String, Port> off = Platform.open(PlatformFile.parse(line + " offload=off"));
        try {
            assertEquals("none", off.get("eth0").offloads());
        } finally {
            off.values().forEach(Port::close);
        }
        Assumptions.assumeTrue(Epoll.isAvailable() && SegmentedDatagramPacket.isSupported(), "needs Netty's native epoll with UDP_SEGMENT");
        java.util.Map<String, Port> on = Platform.open(PlatformFile.parse(line));
        try {
            on.get("eth0").start((p, b) -> b.release());
            assertEquals("GSO GRO", on.get("eth0").offloads(), "on unless told otherwise");
        } finally {
            on.values().forEach(Port::close);
        }
    }
}
