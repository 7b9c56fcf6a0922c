package io.argate.ip.port;

import io.argate.ip.packet.Icmp;
import io.argate.ip.packet.Ipv4;
import io.argate.ip.packet.VirtioNetHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A real TUN device (root; skipped without, failed when ARGATE_LAB_REQUIRED is set) through
 * either call path for read and write, Netty's JNI and JNA: a packet written reaches the host,
 * its answer is read back, an empty device reads as nothing (EAGAIN), and a write the kernel
 * refuses (the host side down) is a failure with its errno.
 */
class TunFdTest {
    static final String NETNS = "argTunFd";
    static final String DEV = "argtfd0";
    static final int HOST = 0x0a630701;
    static final int ROUTER = 0x0a630702;
    TunFd fd;

    @AfterEach
    void remove() throws Exception {
        if (fd != null) {
            fd.close();
        }
        command("ip", "netns", "del", NETNS);
    }

    /** Runs a command; its exit status. */
    static int command(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " hung");
        }
        return p.exitValue();
    }

    static void run(String... cmd) throws IOException, InterruptedException {
        assertEquals(0, command(cmd), String.join(" ", cmd));
    }

    static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            if (System.getenv("ARGATE_LAB_REQUIRED") != null) {
                throw new AssertionError("needs root (a TUN device), and ARGATE_LAB_REQUIRED is set");
            }
            Assumptions.abort("needs root (a TUN device)");
        }
    }

    /** An ICMP echo request ROUTER -> HOST, as a port would write it. */
    static ByteBuf echoRequest() {
        ByteBuf b = Unpooled.buffer(36).writerIndex(36);
        Ipv4.write(b, 0, 0, 36, 7, 0, 64, Ipv4.PROTO_ICMP, ROUTER, HOST);
        b.setByte(20, Icmp.ECHO);
        b.setShort(24, 0x4242);
        b.setShort(26, 1);
        b.setLong(28, 0x0123456789abcdefL);
        b.setShort(22, Ipv4.checksum(b, 20, 16));
        return b;
    }

    @ParameterizedTest(name = "through Netty: {0}")
    @ValueSource(booleans = {true, false})
    void aPacketWrittenIsAnsweredAndTheAnswerReadBack(boolean viaNetty) throws Exception {
        requireRoot();
        Assumptions.assumeTrue(!viaNetty || Epoll.isAvailable(), "Netty's native transport is not available here");
        run("ip", "netns", "add", NETNS);
        fd = TunFd.attach("eth9", DEV, false, false, viaNetty);
        assertEquals(viaNetty, fd.viaNetty());
        run("ip", "link", "set", "dev", DEV, "netns", NETNS);
        run("ip", "netns", "exec", NETNS, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
        run("ip", "-n", NETNS, "addr", "add", "10.99.7.1/24", "dev", DEV);
        run("ip", "-n", NETNS, "link", "set", "dev", DEV, "up");
        VirtioNetHeader header = new VirtioNetHeader();
        assertNull(fd.read(0, header), "nothing sent yet: EAGAIN reads as no packet");

        fd.write(echoRequest(), null);
        ByteBuf reply = null;
        for (int i = 0; i < 20 && reply == null; i++) {
            fd.poll(500);
            ByteBuf b = fd.read(Port.HEADROOM, header);
            if (b != null && Ipv4.protocol(b, b.readerIndex()) == Ipv4.PROTO_ICMP) {
                reply = b;
            } else if (b != null) {
                b.release();
            }
        }
        assertNotNull(reply, "the host answers the echo request through the device");
        int at = reply.readerIndex();
        assertEquals(Port.HEADROOM, at);
        assertEquals(36, reply.readableBytes());
        assertEquals(HOST, Ipv4.source(reply, at));
        assertEquals(ROUTER, Ipv4.destination(reply, at));
        assertEquals(Icmp.ECHO_REPLY, Icmp.type(reply, at + 20));
        assertEquals(0x0123456789abcdefL, reply.getLong(at + 28));
        reply.release();

        run("ip", "-n", NETNS, "link", "set", "dev", DEV, "down");
        TunDevice.Failure f = assertThrows(TunDevice.Failure.class, () -> fd.write(echoRequest(), null));
        assertNotEquals(0, f.errno(), "the kernel's errno: " + f.getMessage());
    }
}
