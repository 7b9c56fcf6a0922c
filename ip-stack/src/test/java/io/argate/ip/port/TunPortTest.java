package io.argate.ip.port;

import io.argate.shell.testing.StepClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 item 9: a TUN port follows its link. One failed write used to leave it Down until
 * the router restarted; now it is tried again after a wait, comes back when the host side does,
 * and counts what failed. The device is a fake (the real one needs root; see TunPortLabTest).
 */
class TunPortTest {
    /** A TUN file descriptor whose host side can be set down and up, as {@code ip link set} does. */
    static final class FakeTun implements TunDevice {
        boolean hostUp = true;
        boolean broken;
        int offloads;
        int polls;
        final List<Integer> written = new ArrayList<>();
        final List<io.argate.ip.packet.VirtioNetHeader> headers = new ArrayList<>();
        final Deque<Integer> toRead = new ArrayDeque<>();
        /** When set, the next packet read comes with this header (a TCP super-packet from the host). */
        io.argate.ip.packet.VirtioNetHeader nextHeader;

        @Override
        public int offloads() {
            return offloads;
        }

        @Override
        public boolean poll(int millis) throws Failure {
            if (broken) {
                throw new Failure("poll reported events 0x8", 0);
            }
            polls++;
            return !toRead.isEmpty();
        }

        @Override
        public ByteBuf read(int headroom, io.argate.ip.packet.VirtioNetHeader header) {
            if (toRead.isEmpty()) {
                return null;
            }
            header.clear();
            if (nextHeader != null) {
                header.copyFrom(nextHeader);
                nextHeader = null;
            }
            int n = toRead.remove();
            return Unpooled.buffer(headroom + n + headroom).writerIndex(headroom + n).readerIndex(headroom);
        }

        @Override
        public void write(ByteBuf packet, io.argate.ip.packet.VirtioNetHeader header) throws Failure {
            if (!hostUp) {
                throw new Failure("write failed", 5);  // EIO: the kernel refuses a TUN that is down
            }
            written.add(packet.readableBytes());
            headers.add(header == null ? null : new io.argate.ip.packet.VirtioNetHeader().copyFrom(header));
        }

        @Override
        public void close() {
        }
    }

    final StepClock clock = new StepClock();
    final FakeTun tun = new FakeTun();
    final TunPort port = new TunPort("eth0", "wan0", tun, 1500, clock);

    static ByteBuf packet(int n) {
        return Unpooled.buffer(n).writerIndex(n);
    }

    @Test
    void aPortWhoseHostSideWentDownAndUpComesBackWithoutARestart() {
        assertTrue(port.transmit(packet(100)));
        tun.hostUp = false;
        assertFalse(port.transmit(packet(100)));
        assertEquals(1, port.counters().txErrors.sum(), "the failed write is counted");
        assertFalse(port.linkUp(), "SHOW PORT says Down");

        tun.hostUp = true;
        clock.advance(java.time.Duration.ofMillis(999));
        assertFalse(port.linkUp(), "tried again only after " + TunPort.RETRY_FIRST);
        assertFalse(port.transmit(packet(100)));
        assertEquals(1, port.counters().txDrops.sum());
        clock.advance(java.time.Duration.ofMillis(1));
        assertTrue(port.linkUp());
        assertTrue(port.transmit(packet(200)), "the next packet goes out");
        assertEquals(List.of(100, 200), tun.written);
        assertEquals(2, port.counters().txPackets.sum());
    }

    @Test
    void whileTheHostStaysDownEachFailedProbeDoublesTheWaitUpToTheLimit() {
        tun.hostUp = false;
        assertFalse(port.transmit(packet(60)));
        long[] waits = {1, 2, 4, 8, 16, 30, 30};
        for (long wait : waits) {
            clock.advance(java.time.Duration.ofMillis(wait * 1000 - 1));
            assertFalse(port.linkUp(), "still waiting " + wait + " s");
            clock.advance(java.time.Duration.ofMillis(1));
            assertTrue(port.linkUp(), "tried again after " + wait + " s");
            assertFalse(port.transmit(packet(60)), "the probe fails while the host is down");
        }
        assertEquals(1 + waits.length, port.counters().txErrors.sum());

        tun.hostUp = true;
        clock.advance(java.time.Duration.ofMillis(30_000));
        assertTrue(port.transmit(packet(60)));
        tun.hostUp = false;
        assertFalse(port.transmit(packet(60)));
        clock.advance(java.time.Duration.ofMillis(1000));
        assertTrue(port.linkUp(), "after a working spell the first wait is short again");
    }

    @Test
    void aPacketFromTheHostBringsTheLinkUpAtOnceAndReceiveErrorsDoNotStopReceiving() {
        List<Integer> got = new ArrayList<>();
        PacketSink sink = (p, b) -> {
            got.add(b.readableBytes());
            b.release();
        };
        tun.hostUp = false;
        assertFalse(port.transmit(packet(60)));
        assertFalse(port.linkUp());
        tun.hostUp = true;
        tun.toRead.add(84);
        assertTrue(port.receiveOnce(sink, 0));
        assertTrue(port.linkUp(), "the host sent a packet, so its side is up");
        assertEquals(List.of(84), got);

        tun.broken = true;
        assertFalse(port.receiveOnce(sink, 0));
        assertEquals(1, port.counters().rxErrors.sum());
        assertFalse(port.linkUp());
        tun.broken = false;
        tun.toRead.add(60);
        assertTrue(port.receiveOnce(sink, 0), "the receive loop goes on after an error");
        assertEquals(List.of(84, 60), got);
        assertTrue(port.linkUp());
        assertEquals(2, port.counters().rxPackets.sum());
    }

    @Test
    void oneWakeUpReadsEveryPacketWaiting() {
        List<Integer> got = new ArrayList<>();
        tun.toRead.addAll(List.of(60, 1500, 84));
        assertTrue(port.receiveOnce((p, b) -> {
            got.add(b.readableBytes());
            b.release();
        }, 0));
        assertEquals(List.of(60, 1500, 84), got);
        assertEquals(1, tun.polls, "one poll for the three");
        assertEquals(1, port.counters().rxWakeups.sum());
        assertEquals(3, port.counters().rxPackets.sum());
    }

    @Test
    void aSuperPacketReachesTheSinkWithItsHeaderAndIsCounted() {
        tun.nextHeader = new io.argate.ip.packet.VirtioNetHeader().set(1, io.argate.ip.packet.VirtioNetHeader.GSO_TCPV4, 40, 1448, 20, 16);
        tun.toRead.add(20000);
        List<String> got = new ArrayList<>();
        assertTrue(port.receiveOnce(new PacketSink() {
            @Override
            public void receive(Port p, ByteBuf b) {
                got.add("plain " + b.readableBytes());
                b.release();
            }

            @Override
            public void receive(Port p, ByteBuf b, io.argate.ip.packet.VirtioNetHeader h) {
                got.add("super " + b.readableBytes() + " gso " + h.gsoSize());
                b.release();
            }
        }, 0));
        assertEquals(List.of("super 20000 gso 1448"), got);
        assertEquals(1, port.counters().rxSuperPackets.sum());
    }

    @Test
    void withoutOffloadsThePortTakesNothingHalfFinishedAndSaysNone() {
        io.argate.ip.packet.VirtioNetHeader tso = new io.argate.ip.packet.VirtioNetHeader().set(1, 1, 40, 1448, 20, 16);
        ByteBuf sup = io.argate.ip.packet.OffloadsTest.tcp(io.argate.ip.packet.OffloadsTest.payload(4000), 0x10);
        assertFalse(port.takes(sup, tso));
        assertEquals("none", port.offloads());
        tun.offloads = TunFd.TUN_F_CSUM | TunFd.TUN_F_TSO4;
        TunPort offloading = new TunPort("eth1", "wan1", tun, 1500, clock);
        assertEquals("TSO4 CSUM", offloading.offloads());
        assertTrue(offloading.takes(sup, tso));
        assertTrue(offloading.transmit(sup, tso));
        assertEquals(List.of(4040), tun.written);
        assertEquals(1448, tun.headers.get(0).gsoSize());
        assertEquals(1, offloading.counters().txSuperPackets.sum());
        TunPort small = new TunPort("eth2", "wan2", tun, 1400, clock);
        assertFalse(small.takes(io.argate.ip.packet.OffloadsTest.tcp(io.argate.ip.packet.OffloadsTest.payload(4000), 0x10), tso),
                "segments of 1448 bytes do not fit an MTU of 1400");
    }
}
