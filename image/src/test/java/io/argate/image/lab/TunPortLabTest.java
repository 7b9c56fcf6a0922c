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
}
