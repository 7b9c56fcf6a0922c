package io.argate.image.lab;

import io.argate.ip.packet.Ipv4;
import io.argate.ip.port.TunPort;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static io.argate.image.lab.Lab.must;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 11 item 9 on a real TUN device: the host side set down makes a write fail and the port
 * go Down; set up again, the port comes back by itself (it stayed Down until a restart).
 */
class TunPortLabTest {
    static final String NETNS = "argRobTun";

    static ByteBuf echoRequest() {
        ByteBuf b = Unpooled.buffer(28).writerIndex(28);
        Ipv4.write(b, 0, 0, 28, 1, 0, 64, Ipv4.PROTO_ICMP, 0x0a630001, 0x0a630002);
        b.setByte(20, 8);
        return b;
    }

    @Test
    void aPortFollowsItsHostSideDownAndUpAgain() throws Exception {
        Lab.requireRoot();
        Lab.addNetns(NETNS);
        try (TunPort port = TunPort.open("eth9", "argrob0", NETNS, 1500)) {
            port.start((p, b) -> b.release());
            assertTrue(port.transmit(echoRequest()));

            must(Lab.in(NETNS, "ip", "link", "set", "dev", "argrob0", "down"), "host side down");
            assertFalse(port.transmit(echoRequest()), "the kernel refuses a write to a TUN device that is down");
            assertEquals(1, port.counters().txErrors.sum());
            assertFalse(port.linkUp());

            must(Lab.in(NETNS, "ip", "link", "set", "dev", "argrob0", "up"), "host side up");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!port.linkUp() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(port.linkUp(), "the port is tried again after " + TunPort.RETRY_FIRST);
            assertTrue(port.transmit(echoRequest()), "and carries packets again");
            assertEquals(2, port.counters().txPackets.sum());
        } finally {
            Lab.delNetns(NETNS);
        }
    }

    /**
     * The same through io_uring: a packet host-side port eth8 reads is written to eth9 by eth8's
     * receive thread, through that thread's ring. With eth9's host side down the kernel refuses
     * the write when the ring submits it: counted as a send error, not as sent, and eth9 goes
     * Down, then comes back by itself once the host side is up.
     */
    @Test
    void aWriteThroughIoUringThatTheKernelRefusesTakesThePortDown() throws Exception {
        Lab.requireRoot();
        Lab.addNetns(NETNS);
        try (TunPort in = TunPort.open("eth8", "argrob8", NETNS, 1500); TunPort out = TunPort.open("eth9", "argrob0", NETNS, 1500)) {
            in.start((p, b) -> out.transmit(b));
            out.start((p, b) -> b.release());
            must(Lab.in(NETNS, "ip", "addr", "add", "10.98.0.2/24", "dev", "argrob8"), "address on the host side of eth8");
            String refusal = TunPort.ioUringRefusal();
            assumeTrue(refusal == null, "no io_uring here (" + refusal + "): the direct write's case is the test above");
            waitFor(() -> "io_uring".equals(in.packetIo()));
            assertEquals("io_uring", in.packetIo());

            Lab.in(NETNS, "ping", "-c", "1", "-W", "1", "10.98.0.1");
            waitFor(() -> out.counters().txPackets.sum() >= 1);
            assertTrue(out.linkUp());
            long sent = out.counters().txPackets.sum();

            must(Lab.in(NETNS, "ip", "link", "set", "dev", "argrob0", "down"), "eth9's host side down");
            Lab.in(NETNS, "ping", "-c", "1", "-W", "1", "10.98.0.1");
            waitFor(() -> out.counters().txErrors.sum() >= 1);
            assertEquals(1, out.counters().txErrors.sum(), "the refused write is a send error");
            assertEquals(sent, out.counters().txPackets.sum(), "and not counted as sent");
            assertFalse(out.linkUp());

            must(Lab.in(NETNS, "ip", "link", "set", "dev", "argrob0", "up"), "eth9's host side up");
            waitFor(out::linkUp);
            assertTrue(out.linkUp(), "the port is tried again after " + TunPort.RETRY_FIRST);
            Lab.in(NETNS, "ping", "-c", "1", "-W", "1", "10.98.0.1");
            waitFor(() -> out.counters().txPackets.sum() > sent);
            assertTrue(out.counters().txPackets.sum() > sent, "and carries packets again");
        } finally {
            Lab.delNetns(NETNS);
        }
    }

    static void waitFor(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
