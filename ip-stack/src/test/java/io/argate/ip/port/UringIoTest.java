package io.argate.ip.port;

import io.argate.ip.packet.VirtioNetHeader;
import io.argate.shell.testing.StepClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A TUN port's receive thread on io_uring ({@link UringIo}), its device a socket pair (one
 * packet per read and write, as a TUN device; no root): packets come in and go out in order,
 * what a batch writes goes to the kernel in one call, and writes that must wait for the kernel
 * in the middle of a batch (a full queue) lose and repeat nothing of the packets read meanwhile.
 */
class UringIoTest {
    /** The socket pair's end as the port's device: io_uring uses its descriptor; the direct path sends on it. */
    static final class SocketDevice implements TunDevice {
        final SocketPair pair;

        SocketDevice(SocketPair pair) {
            this.pair = pair;
        }

        @Override
        public int descriptor() {
            return pair.ring;
        }

        @Override
        public boolean poll(int millis) throws Failure {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }

        @Override
        public ByteBuf read(int headroom, VirtioNetHeader header) {
            return null;
        }

        @Override
        public void write(ByteBuf packet, VirtioNetHeader header) throws Failure {
            byte[] b = ByteBufUtil.getBytes(packet);
            if (SocketPair.LibC.send(pair.ring, b, b.length, 0x40) != b.length) {
                throw new Failure("send failed", com.sun.jna.Native.getLastError());
            }
        }

        @Override
        public void close() {
        }
    }

    SocketPair pair;

    @BeforeEach
    void open() {
        pair = new SocketPair();
        try {
            IoUring.open(2, 2).close();
        } catch (IoUring.Unavailable e) {
            pair.close();
            pair = null;
            assumeTrue(false, "no io_uring here: " + e.getMessage());
        }
    }

    @AfterEach
    void close() {
        if (pair != null) {
            pair.close();
        }
    }

    static ByteBuf packet(byte[] b) {
        return Unpooled.wrappedBuffer(b);
    }

    @Test
    void aStartedPortReadsAndWritesThroughItsThreadsRingInOrder() throws Exception {
        TunPort port = new TunPort("eth0", "sp0", new SocketDevice(pair), 1500, new StepClock());
        int n = 100;
        for (int i = 0; i < n; i++) {
            pair.send(SocketPair.numbered(i, 60 + i));
        }
        port.start((p, b) -> p.transmit(b));  // echo, on the port's own receive thread
        try {
            for (int i = 0; i < n; i++) {
                byte[] echo = pair.receive(5000);
                assertNotNull(echo, "echo " + i);
                assertEquals(i, SocketPair.number(echo), "in order");
                assertEquals(60 + i, echo.length);
            }
            assertEquals("io_uring", port.packetIo());
            assertEquals(n, port.counters().rxPackets.sum());
            assertEquals(n, port.counters().txPackets.sum());
            long calls = port.counters().txCalls.sum();
            assertTrue(calls > 0 && calls < n / 4, "the packets waiting went out a batch per system call, not one each: " + calls);
            assertTrue(port.counters().rxWakeups.sum() < n / 4, "and came in likewise: " + port.counters().rxWakeups.sum());

            // a thread without a ring (the control loop's) writes at once, one call per packet
            assertTrue(port.transmit(packet(SocketPair.numbered(999, 80))));
            assertEquals(999, SocketPair.number(pair.receive(1000)));
            assertEquals(calls + 1, port.counters().txCalls.sum());
        } finally {
            port.close();
        }
    }

    @Test
    void writesThatWaitForTheKernelMidBatchLoseAndRepeatNoPacket() throws Exception {
        TunPort port = new TunPort("eth0", "sp0", new TunPortTest.FakeTun(), 1500, new StepClock());
        // four submission entries: every fourth write of a batch waits for the kernel, which reads more packets meanwhile
        UringIo io = UringIo.open(pair.ring, 0, 2048, 4, 1 << 17);
        int n = 60;
        int ahead = 10;
        List<Integer> delivered = new ArrayList<>();
        try {
            for (int i = 0; i < ahead; i++) {
                pair.send(SocketPair.numbered(i, 100));
            }
            // the first packet delivered brings the host's other fifty, which the kernel reads while a write waits
            PacketSink echoThrice = (p, b) -> {
                byte[] bytes = ByteBufUtil.getBytes(b);
                b.release();
                delivered.add(SocketPair.number(bytes));
                if (delivered.size() == 1) {
                    for (int i = ahead; i < n; i++) {
                        pair.send(SocketPair.numbered(i, 100));
                    }
                }
                for (int k = 0; k < 3; k++) {
                    io.write(port, pair.ring, 0, packet(bytes.clone()), null);
                }
            };
            VirtioNetHeader header = new VirtioNetHeader();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (delivered.size() < n && System.nanoTime() < deadline) {
                if (io.await(100_000_000L) > 0) {
                    assertTrue(io.deliver(port, header, echoThrice));
                }
            }
            io.submit();
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                expected.add(i);
            }
            assertEquals(expected, delivered, "each packet delivered once, in order");
            for (int i = 0; i < 3 * n; i++) {
                byte[] echo = pair.receive(1000);
                assertNotNull(echo, "echo " + i);
                assertEquals(i / 3, SocketPair.number(echo), "echo " + i + " in order");
            }
            assertEquals(3L * n, port.counters().txPackets.sum());
            assertEquals(0, port.counters().txErrors.sum());
        } finally {
            io.close();
        }
    }

    @Test
    void writesTheHostRefusesAreSendErrorsAndTakeTheLinkDownOnce() throws Exception {
        StepClock clock = new StepClock();
        TunPort port = new TunPort("eth0", "sp0", new TunPortTest.FakeTun(), 1500, clock);
        UringIo io = UringIo.open(pair.ring, 0, 2048);
        try {
            for (int i = 0; i < 3; i++) {
                assertTrue(io.write(port, 12345, 0, packet(SocketPair.numbered(i, 64)), null));  // no such descriptor: EBADF
            }
            assertEquals(3, port.counters().txPackets.sum(), "counted when queued");
            io.submit();
            assertEquals(0, port.counters().txPackets.sum(), "and taken back when the kernel refused them");
            assertEquals(3, port.counters().txErrors.sum());
            assertTrue(!port.linkUp(), "the link is down until the retry time, as after a direct write's failure");
            clock.advance(TunPort.RETRY_FIRST);
            assertTrue(port.linkUp(), "one failed batch waits the first retry time, not three doublings of it");
        } finally {
            io.close();
        }
    }

    @Test
    void aPortToldNotToUseIoUringSaysSo() {
        TunPort port = new TunPort("eth0", "sp0", null, new TunDevice[] {new SocketDevice(pair)}, 1500, new StepClock(), false, 0);
        port.start((p, b) -> b.release());
        try {
            assertEquals("a system call per packet (io=syscall)", port.packetIo());
        } finally {
            port.close();
        }
    }
}
