package io.argate.image;

import io.argate.ip.packet.Icmp;
import io.argate.ip.packet.Ipv4;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 item 1, end to end: a router process with a 64 MB heap, flooded over telnet with
 * option commands by clients that never read, keeps forwarding a LAN host's pings to a WAN host,
 * closes every flooding connection and counts it in SHOW TELNET. The router's ports are UDP wires
 * (one IP packet per datagram), so this test is both hosts with plain sockets and needs no root.
 */
class TelnetFloodTest {
    private static final int LAN_HOST = ip(192, 168, 10, 5);
    private static final int WAN_HOST = ip(192, 0, 2, 9);
    /** Telnet (RFC 854): IAC and the option verbs the flood repeats. */
    private static final int IAC = 255;
    private static final int WILL = 251;
    private static final int DO = 253;
    private static final int FLOOD_WAVES = 5;
    private static final int FLOODERS_PER_WAVE = 4;
    private static final long PING_INTERVAL_MS = 20;

    @TempDir
    Path dir;

    @Test
    void aTelnetOptionFloodIsClosedAndCountedWhileAHostKeepsPingingThroughTheRouter() throws Exception {
        int telnetPort = freeTcpPort();
        try (DatagramSocket lan = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             DatagramSocket wan = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            int routerLan = freeUdpPort();
            int routerWan = freeUdpPort();
            Path platform = Files.writeString(dir.resolve("platform.txt"),
                    "vlan1 udp local=127.0.0.1:" + routerLan + " remote=127.0.0.1:" + lan.getLocalPort() + "\n"
                            + "eth0 udp local=127.0.0.1:" + routerWan + " remote=127.0.0.1:" + wan.getLocalPort() + "\n");
            Path script = Files.writeString(dir.resolve("flood.cfg"),
                    "add ip int=vlan1 ip=192.168.10.1 mask=255.255.255.0\n"
                            + "add ip int=eth0 ip=192.0.2.1 mask=255.255.255.0\n"
                            + "enable ip\n");
            Path log = dir.resolve("router.out");
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                    "-cp", System.getProperty("java.class.path"), Firmware.class.getName(),
                    "--data", dir.resolve("data").toString(), "--telnet", "127.0.0.1:" + telnetPort,
                    "--platform", platform.toString(), "--config", script.toString());
            Process router = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            ExecutorService pool = Executors.newCachedThreadPool();
            AtomicBoolean stop = new AtomicBoolean();
            try {
                awaitOutput(router, log, "Running as a service", 60_000);
                InetSocketAddress lanWire = new InetSocketAddress("127.0.0.1", routerLan);
                InetSocketAddress wanWire = new InetSocketAddress("127.0.0.1", routerWan);
                Future<?> responder = pool.submit(() -> answerEchoes(wan, wanWire, stop));
                awaitFirstReply(lan, lanWire, log);

                InetSocketAddress telnet = new InetSocketAddress("127.0.0.1", telnetPort);
                Future<List<Boolean>> flood = pool.submit(() -> floodInWaves(telnet, pool));
                BitSet replied = new BitSet();
                Future<?> receiver = pool.submit(() -> receiveReplies(lan, replied, stop));
                int sent = 0;
                long floodStarted = System.currentTimeMillis();
                while (!flood.isDone() || System.currentTimeMillis() - floodStarted < 3_000) {
                    lan.send(datagram(echo(LAN_HOST, WAN_HOST, Icmp.ECHO, sent + 1), lanWire));
                    sent++;
                    Thread.sleep(PING_INTERVAL_MS);
                    assertTrue(System.currentTimeMillis() - floodStarted < 90_000, "the flood did not end: " + output(log));
                }
                List<Boolean> closed = flood.get(1, TimeUnit.SECONDS);
                Thread.sleep(1_000); // the last replies on their way back
                stop.set(true);
                receiver.get(5, TimeUnit.SECONDS);
                responder.get(5, TimeUnit.SECONDS);
                int answered;
                synchronized (replied) {
                    answered = replied.cardinality();
                }

                assertTrue(router.isAlive(), "the router is still running: " + output(log));
                assertFalse(output(log).contains("OutOfMemoryError"), "no OutOfMemoryError: " + output(log));
                assertEquals(FLOOD_WAVES * FLOODERS_PER_WAVE, closed.size());
                assertFalse(closed.contains(false), "every flooding connection was closed by the router: " + closed + "\n" + output(log));
                assertTrue(answered >= sent * 9 / 10, answered + " of " + sent + " pings answered during the flood: " + output(log));

                String show = showTelnet(telnet);
                assertEquals(FLOOD_WAVES * FLOODERS_PER_WAVE, counter(show, "Closed (negotiation flood)"), show);
                assertEquals(0, counter(show, "Session failures"), show);
                assertTrue(router.isAlive(), "the router is still running after SHOW TELNET: " + output(log));
            } catch (AssertionError | Exception e) {
                System.out.println("---- router output ----\n" + output(log));
                throw e;
            } finally {
                stop.set(true);
                pool.shutdownNow();
                router.destroyForcibly();
                router.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Waves of clients that never read and send option commands until the router hangs up. */
    private static List<Boolean> floodInWaves(InetSocketAddress telnet, ExecutorService pool) throws Exception {
        List<Boolean> closed = new ArrayList<>();
        for (int w = 0; w < FLOOD_WAVES; w++) {
            List<Future<Boolean>> wave = new ArrayList<>();
            for (int i = 0; i < FLOODERS_PER_WAVE; i++) {
                wave.add(pool.submit(() -> floodUntilClosed(telnet, 15_000)));
            }
            for (Future<Boolean> f : wave) {
                closed.add(f.get(30, TimeUnit.SECONDS));
            }
        }
        return closed;
    }

    /**
     * True when the router closed the connection within {@code millis}. The client never reads:
     * once the router has hung up on it, its writes fail (the router's reset, then a broken pipe).
     * A watchdog closes the socket at the deadline so that a write blocked by a router that
     * stopped reading cannot hang the test; that counts as not closed by the router.
     */
    private static boolean floodUntilClosed(InetSocketAddress telnet, long millis) throws IOException {
        byte[] chunk = new byte[6 * 1024];
        for (int i = 0; i < chunk.length; i += 3) {
            chunk[i] = (byte) IAC;
            chunk[i + 1] = (byte) ((i / 3) % 2 == 0 ? DO : WILL);
            chunk[i + 2] = (byte) ((i / 3) % 200);
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        try (Socket s = new Socket()) {
            s.connect(telnet, 5_000);
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(millis);
                    timedOut.set(true);
                    s.close();
                } catch (InterruptedException | IOException e) {
                    // the flood ended first
                }
            }, "flood-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            try {
                OutputStream out = s.getOutputStream();
                while (true) {
                    out.write(chunk);
                    out.flush();
                }
            } catch (SocketException e) {
                watchdog.interrupt();
                return !timedOut.get();
            }
        }
    }

    private static void awaitFirstReply(DatagramSocket lan, InetSocketAddress lanWire, Path log) throws Exception {
        lan.setSoTimeout(200);
        byte[] buf = new byte[2048];
        for (int i = 0; i < 100; i++) {
            lan.send(datagram(echo(LAN_HOST, WAN_HOST, Icmp.ECHO, 0), lanWire));
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                lan.receive(p);
                if (isReply(Unpooled.wrappedBuffer(buf, 0, p.getLength()), Icmp.ECHO_REPLY, WAN_HOST) == 0) {
                    return;
                }
            } catch (SocketTimeoutException e) {
                // the router's IP may still be coming up
            }
        }
        throw new AssertionError("no echo reply through the router before the flood: " + output(log));
    }

    /** The WAN host: answers every echo request the router forwards to it. */
    private static Void answerEchoes(DatagramSocket wan, InetSocketAddress wanWire, AtomicBoolean stop) throws IOException {
        wan.setSoTimeout(100);
        byte[] buf = new byte[2048];
        while (!stop.get()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                wan.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            }
            int seq = isReply(Unpooled.wrappedBuffer(buf, 0, p.getLength()), Icmp.ECHO, LAN_HOST);
            if (seq >= 0) {
                wan.send(datagram(echo(WAN_HOST, LAN_HOST, Icmp.ECHO_REPLY, seq), wanWire));
            }
        }
        return null;
    }

    /** The LAN host: notes the sequence number of every echo reply it gets back. */
    private static Void receiveReplies(DatagramSocket lan, BitSet replied, AtomicBoolean stop) throws IOException {
        lan.setSoTimeout(100);
        byte[] buf = new byte[2048];
        while (!stop.get()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                lan.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            }
            int seq = isReply(Unpooled.wrappedBuffer(buf, 0, p.getLength()), Icmp.ECHO_REPLY, WAN_HOST);
            if (seq > 0) {
                synchronized (replied) {
                    replied.set(seq);
                }
            }
        }
        return null;
    }

    /** The ICMP sequence number of an echo message of {@code type} from {@code source}, or -1. */
    private static int isReply(ByteBuf b, int type, int source) {
        if (b.readableBytes() < Ipv4.MIN_HEADER + Icmp.HEADER || Ipv4.version(b, 0) != 4
                || Ipv4.protocol(b, 0) != Ipv4.PROTO_ICMP || Ipv4.source(b, 0) != source) {
            return -1;
        }
        int icmp = Ipv4.headerLength(b, 0);
        return Icmp.type(b, icmp) == type ? Icmp.sequence(b, icmp) : -1;
    }

    private static byte[] echo(int source, int destination, int type, int sequence) {
        int length = Ipv4.MIN_HEADER + Icmp.HEADER + 32;
        ByteBuf b = Unpooled.buffer(length).writerIndex(length);
        for (int i = Ipv4.MIN_HEADER + Icmp.HEADER; i < length; i++) {
            b.setByte(i, i);
        }
        Icmp.writeEcho(b, Ipv4.MIN_HEADER, type, 0x4e11, sequence, length - Ipv4.MIN_HEADER);
        Ipv4.write(b, 0, 0, length, sequence, 0, 64, Ipv4.PROTO_ICMP, source, destination);
        byte[] bytes = new byte[length];
        b.getBytes(0, bytes);
        return bytes;
    }

    private static DatagramPacket datagram(byte[] bytes, InetSocketAddress to) {
        return new DatagramPacket(bytes, bytes.length, to);
    }

    private static String showTelnet(InetSocketAddress telnet) throws IOException {
        try (TelnetClient c = new TelnetClient(telnet)) {
            assertTrue(c.waitFor("login: ", 20_000), "login prompt after the flood: " + c.text);
            c.type("manager\r\n");
            assertTrue(c.waitFor("Password: ", 10_000), c.text.toString());
            c.type("friend\r\n");
            assertTrue(c.waitFor("Manager > ", 20_000), c.text.toString());
            c.clear();
            c.type("show telnet\r\n");
            assertTrue(c.waitFor("Session failures", 10_000), c.text.toString());
            assertTrue(c.waitFor("Manager > ", 10_000), c.text.toString());
            return c.text.toString();
        }
    }

    private static long counter(String show, String name) {
        Matcher m = Pattern.compile(Pattern.quote(name) + " \\.+ (\\d+)").matcher(show);
        assertTrue(m.find(), name + " in " + show);
        return Long.parseLong(m.group(1));
    }

    private static void awaitOutput(Process router, Path log, String text, long millis) throws Exception {
        long end = System.currentTimeMillis() + millis;
        while (!output(log).contains(text)) {
            if (!router.isAlive() || System.currentTimeMillis() > end) {
                throw new AssertionError("router did not start (\"" + text + "\"): " + output(log));
            }
            Thread.sleep(100);
        }
    }

    private static String output(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return s.getLocalPort();
        }
    }

    private static int ip(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }
}
