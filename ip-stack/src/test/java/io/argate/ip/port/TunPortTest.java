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
        final List<Integer> written = new ArrayList<>();
        final Deque<Integer> toRead = new ArrayDeque<>();

        @Override
        public boolean poll(int millis) throws Failure {
            if (broken) {
                throw new Failure("poll reported events 0x8", 0);
            }
            return !toRead.isEmpty();
        }

        @Override
        public ByteBuf read(int headroom) {
            int n = toRead.remove();
            return Unpooled.buffer(headroom + n + headroom).writerIndex(headroom + n).readerIndex(headroom);
        }

        @Override
        public void write(ByteBuf packet) throws Failure {
            if (!hostUp) {
                throw new Failure("write failed", 5);  // EIO: the kernel refuses a TUN that is down
            }
            written.add(packet.readableBytes());
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
}
