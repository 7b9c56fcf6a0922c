package io.argate.image.lab;

import io.argate.image.Options;
import io.argate.image.Router;
import io.argate.ip.port.TunPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.argate.image.lab.IpLabTest.ok;
import static io.argate.image.lab.IpLabTest.output;
import static io.argate.image.lab.Lab.in;
import static io.argate.image.lab.Lab.must;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 on real TUN devices: Linux hosts in two namespaces, argate between them, a TCP
 * transfer from host A to host B. With offloads on both ports, host A's kernel hands argate TCP
 * super-packets and they reach host B's kernel whole; with host B's port opened without
 * offloads, argate segments them itself, and host B's TCP (which drops any segment whose
 * checksum is wrong) still receives every byte. SHOW INTERFACE says which offloads each port
 * uses and counts the super-packets.
 */
class TunOffloadLabTest {
    static final long BYTES = 20_000_000;
    static final String A = "offA" + ProcessHandle.current().pid();
    static final String B = "offB" + ProcessHandle.current().pid();

    @TempDir
    Path data;

    /** A TCP receiver in host B: a one-file Java program that counts what one connection brings. */
    static final String SINK = """
            public class Sink {
                public static void main(String[] a) throws Exception {
                    try (var server = new java.net.ServerSocket(Integer.parseInt(a[0]))) {
                        System.out.println("listening");
                        System.out.flush();
                        try (var s = server.accept(); var in = s.getInputStream()) {
                            byte[] buf = new byte[65536];
                            long total = 0;
                            for (int n; (n = in.read(buf)) > 0; ) {
                                total += n;
                            }
                            System.out.println("received " + total);
                        }
                    }
                }
            }
            """;

    /** Sends {@link #BYTES} from host A to host B through the router; returns what host B received. */
    long transfer() throws Exception {
        return transfer(A, B, "10.62.0.7");
    }

    /** Sends {@link #BYTES} from namespace {@code from} to {@code to} at {@code address}; returns what arrived. */
    long transfer(String from, String to, String address) throws Exception {
        Path sink = data.resolve("Sink.java");
        Files.writeString(sink, SINK);
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process receiver = new ProcessBuilder("ip", "netns", "exec", to, java, sink.toString(), "5001").redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertEquals("listening", first, "the receiver in host B starts");
            must(in(from, "bash", "-c", "head -c " + BYTES + " /dev/zero > /dev/tcp/" + address + "/5001"), "host A sends " + BYTES + " bytes over TCP");
            String last = out.readLine();
            assertTrue(receiver.waitFor(60, TimeUnit.SECONDS), "the receiver finishes");
            assertTrue(last != null && last.startsWith("received "), String.valueOf(last));
            return Long.parseLong(last.substring("received ".length()));
        } finally {
            receiver.destroyForcibly();
        }
    }

    Router router(String platform) throws Exception {
        return router(data, A, B, "10.61.0", "10.62.0", "offa0", "offb0", platform);
    }

    /**
     * A router on {@code platform} between host namespaces {@code a} (network {@code netA}.0/24
     * on TUN {@code devA}, the router .1, the host .5) and {@code b} ({@code netB}, host .7), each
     * host routing through the router, and a ping from A to B answered.
     */
    static Router router(Path data, String a, String b, String netA, String netB, String devA, String devB, String platform) throws Exception {
        Lab.addNetns(a);
        Lab.addNetns(b);
        Path file = data.resolve("platform.txt");
        Files.writeString(file, platform);
        Router r = new Router(Options.parse("--data", data.resolve("d").toString(), "--telnet", "off", "--platform", file.toString()),
                Clock.systemUTC(), 1000);
        r.boot();
        ok(r, "add ip int=vlan1 ip=" + netA + ".1 mask=255.255.255.0");
        ok(r, "add ip int=eth0 ip=" + netB + ".1 mask=255.255.255.0");
        ok(r, "enable ip");
        must(in(a, "ip", "addr", "add", netA + ".5/24", "dev", devA), "address in host A");
        must(in(a, "ip", "route", "add", "default", "via", netA + ".1"), "route in host A");
        must(in(b, "ip", "addr", "add", netB + ".7/24", "dev", devB), "address in host B");
        must(in(b, "ip", "route", "add", "default", "via", netB + ".1"), "route in host B");
        must(in(a, "ping", "-c", "2", "-W", "2", netB + ".7"), "host A pings host B through the router");
        return r;
    }

    /** The figure after {@code label} in the block of port {@code port} in SHOW INTERFACE's output. */
    static String detail(String show, String port, String label) {
        int at = show.indexOf("Port " + port + " (tun)");
        assertTrue(at >= 0, show);
        Matcher m = Pattern.compile(Pattern.quote(label) + " \\.+ ([^\\n]*)").matcher(show.substring(at));
        assertTrue(m.find(), label + " in " + show);
        return m.group(1);
    }

    static long first(String pair) {
        return Long.parseLong(pair.substring(0, pair.indexOf('/')));
    }

    static long second(String pair) {
        return Long.parseLong(pair.substring(pair.indexOf('/') + 1));
    }

    @Test
    void superPacketsCrossTheRouterWholeWhenBothPortsTakeThem() throws Exception {
        Lab.requireRoot();
        Router r = null;
        try {
            r = router("vlan1 tun dev=offa0 netns=" + A + "\neth0 tun dev=offb0 netns=" + B + "\n");
            assertEquals(BYTES, transfer());
            String show = output(r, "show interface");
            assertTrue(detail(show, "vlan1", "Offloads").matches("TSO4 (USO4 )?CSUM"), show);
            assertTrue(detail(show, "eth0", "Offloads").matches("TSO4 (USO4 )?CSUM"), show);
            assertTrue(first(detail(show, "vlan1", "Super-packets received/sent")) > 0, "host A's kernel handed argate super-packets: " + show);
            assertTrue(second(detail(show, "eth0", "Super-packets received/sent")) > 0, "and argate handed them to host B whole: " + show);
            assertEquals("0/0", detail(show, "eth0", "Segmented/checksummed by argate"), show);
            assertTrue(detail(show, "vlan1", "Host drops toward argate").endsWith("(Linux offa0 tx_dropped/rx_dropped)"), show);
        } finally {
            if (r != null) {
                r.close();
            }
            Lab.delNetns(A);
            Lab.delNetns(B);
        }
    }

    @Test
    void superPacketsAreSegmentedForAPortWithoutOffloadsAndArriveIntact() throws Exception {
        Lab.requireRoot();
        Router r = null;
        try {
            r = router("vlan1 tun dev=offa0 netns=" + A + " queues=2\neth0 tun dev=offb0 netns=" + B + " offload=off\n");
            assertEquals(BYTES, transfer(), "host B's TCP accepted every segment argate cut (and checksummed)");
            String show = output(r, "show interface");
            assertTrue(detail(show, "vlan1", "Offloads").matches("TSO4 (USO4 )?CSUM"), show);
            assertEquals("2", detail(show, "vlan1", "Receive queues"), show);
            assertEquals("none", detail(show, "eth0", "Offloads"), show);
            assertTrue(first(detail(show, "vlan1", "Super-packets received/sent")) > 0, show);
            assertTrue(first(detail(show, "eth0", "Segmented/checksummed by argate")) > 0, "argate segmented them for eth0: " + show);
        } finally {
            if (r != null) {
                r.close();
            }
            Lab.delNetns(A);
            Lab.delNetns(B);
        }
    }

    /** A TCP receiver that prints the SHA-256 of what one connection brought, and its length. */
    static final String HASHING_SINK = """
            public class HashSink {
                public static void main(String[] a) throws Exception {
                    var sha = java.security.MessageDigest.getInstance("SHA-256");
                    try (var server = new java.net.ServerSocket(Integer.parseInt(a[0]))) {
                        System.out.println("listening");
                        System.out.flush();
                        try (var s = server.accept(); var in = s.getInputStream()) {
                            byte[] buf = new byte[65536];
                            long total = 0;
                            for (int n; (n = in.read(buf)) > 0; ) {
                                sha.update(buf, 0, n);
                                total += n;
                            }
                            System.out.println("received " + total + " " + java.util.HexFormat.of().formatHex(sha.digest()));
                        }
                    }
                }
            }
            """;

    /**
     * Egress GRO: host A's port without offloads hands argate one segment per read; argate
     * writes runs of them to host B's port (offloads on) as TCP super-packets, which host B's
     * kernel takes as one packet each. Random data, so a misplaced or damaged byte shows in the
     * SHA-256 host B computes; SHOW INTERFACE counts the super-packets argate built.
     */
    @Test
    void segmentsFromAPortWithoutOffloadsReachTheHostAsSuperPacketsIntact() throws Exception {
        Lab.requireRoot();
        Router r = null;
        try {
            r = router("vlan1 tun dev=offa0 netns=" + A + " offload=off\neth0 tun dev=offb0 netns=" + B + "\n");
            Path file = data.resolve("random.bin");
            byte[] random = new byte[(int) BYTES];
            new java.util.Random(15).nextBytes(random);
            Files.write(file, random);
            String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(random));
            Path sink = data.resolve("HashSink.java");
            Files.writeString(sink, HASHING_SINK);
            String java = ProcessHandle.current().info().command().orElseThrow();
            Process receiver = new ProcessBuilder("ip", "netns", "exec", B, java, sink.toString(), "5001").redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("listening", out.readLine(), "the receiver in host B starts");
                must(in(A, "bash", "-c", "cat " + file + " > /dev/tcp/10.62.0.7/5001"), "host A sends the file over TCP");
                String last = out.readLine();
                assertTrue(receiver.waitFor(60, TimeUnit.SECONDS), "the receiver finishes");
                assertEquals("received " + BYTES + " " + sha, last, "host B received the same bytes");
            } finally {
                receiver.destroyForcibly();
            }
            String show = output(r, "show interface");
            assertEquals("none", detail(show, "vlan1", "Offloads"), show);
            assertTrue(detail(show, "eth0", "Offloads").matches("TSO4 (USO4 )?CSUM"), show);
            String coalesced = detail(show, "eth0", "Coalesced super-packets/segments");
            assertTrue(first(coalesced) > 0, "argate wrote super-packets to host B: " + show);
            assertTrue(second(coalesced) >= 2 * first(coalesced), "each of two segments or more: " + show);
        } finally {
            if (r != null) {
                r.close();
            }
            Lab.delNetns(A);
            Lab.delNetns(B);
        }
    }

    /**
     * IPsec on the super-packets: two argate routers (RouterPair, the WAN a Linux namespace
     * routing between their TUN ports) with an AES-128/SHA1 ESP tunnel. Host A's super-packets
     * are cut into segments at router A just before protection (one SPD decision each); router
     * B decrypts every one and host B's TCP receives every byte.
     */
    @Test
    void superPacketsAreSegmentedBeforeEspProtectionAndArriveIntact() throws Exception {
        Lab.requireRoot();
        try (RouterPair pair = RouterPair.open(data, "off", RouterPair.Wan.TUN)) {
            EspLabTest.Variant esp = new EspLabTest.Variant("ESP AES128/SHA", List.of(EspLabTest.ESP_AES128_SHA), "1", "", 0, false, "ESP");
            pair.configure(true, esp.config(pair.side(true)));
            pair.configure(false, esp.config(pair.side(false)));
            must(pair.ping(true, 2), "host A pings host B through the tunnel");
            assertEquals(BYTES, transfer(pair.lanA, pair.lanB, RouterPair.HOST_B), "router B decrypted every segment and host B's TCP accepted them");
            String show = output(pair.a(), "show interface");
            assertTrue(first(detail(show, "vlan1", "Super-packets received/sent")) > 0, "host A's kernel handed router A super-packets: " + show);
            String ipsec = output(pair.a(), "show ipsec counters");
            Matcher m = Pattern.compile("outProtected \\.+ (\\d+)").matcher(ipsec);
            assertTrue(m.find() && Long.parseLong(m.group(1)) > BYTES / 1500, "every segment went out in ESP: " + ipsec);
            String showB = output(pair.b(), "show interface");
            assertTrue(first(detail(showB, "vlan1", "Coalesced super-packets/segments")) > 0,
                    "router B wrote the decrypted segments to host B as super-packets: " + showB);
            // raw ESP has no super-packet type: each ESP packet is a write of its own, and io_uring carries a batch's in one call
            String refusal = TunPort.ioUringRefusal();
            if (refusal == null) {
                assertEquals("io_uring", detail(show, "eth1", "Packet I/O"), show);
                assertTrue(Double.parseDouble(detail(show, "eth1", "Packets per write system call")) > 2,
                        "router A handed the ESP packets of its batches to the WAN in one call each: " + show);
                assertEquals("io_uring", detail(showB, "eth1", "Packet I/O"), showB);
                assertTrue(Double.parseDouble(detail(showB, "eth1", "Packets per receive wake-up")) > 1,
                        "router B read the ESP packets waiting together: " + showB);
            } else {
                // a kernel without io_uring: the old loop, and the port says why
                assertEquals("a system call per packet (" + refusal + ")", detail(show, "eth1", "Packet I/O"), show);
            }
            assertEquals(TunPort.HOST_QUEUE + " packets", detail(show, "eth1", "Host queue toward argate"), show);
            String link = Lab.in(pair.wanNs, "ip", "link", "show", "dev", pair.wanDevA).out();
            assertTrue(link.contains("qlen " + TunPort.HOST_QUEUE), "the host's queue toward router A: " + link);
        }
    }
    /**
     * ESP in UDP on 4500 (RFC 3948) over TUN WAN ports with USO4: router A protects each segment
     * of host A's super-packets on its own and leaves the equal ESP-in-UDP datagrams to router B
     * as UDP super-packets (GSO_UDP_L4, the checksums for the host to fill in); the WAN
     * namespace's kernel forwards them whole, router B's port receives them as such and cuts them
     * into their datagrams before IPsec opens each; host B's TCP receives every byte.
     */
    @Test
    void espInUdpLeavesAsUdpSuperPacketsThatRouterBSplitsBeforeDecrypting() throws Exception {
        Lab.requireRoot();
        try (RouterPair pair = RouterPair.open(data, "euso", RouterPair.Wan.TUN)) {
            EspLabTest.Variant esp = new EspLabTest.Variant("ESP AES128/SHA over UDP 4500", List.of(EspLabTest.ESP_AES128_SHA), "1",
                    "udptunnel=yes udpport=4500", 4500, false, "UDP:4500");
            pair.configure(true, esp.config(pair.side(true)));
            pair.configure(false, esp.config(pair.side(false)));
            must(pair.ping(true, 2), "host A pings host B through the tunnel");
            assertEquals(BYTES, transfer(pair.lanA, pair.lanB, RouterPair.HOST_B), "router B decrypted every datagram and host B's TCP accepted them");
            String showA = output(pair.a(), "show interface");
            assertTrue(detail(showA, "eth1", "Offloads").contains("USO4"), showA);
            String coalesced = detail(showA, "eth1", "Coalesced super-packets/segments");
            assertTrue(first(coalesced) > 0, "router A wrote ESP-in-UDP super-packets: " + showA);
            assertTrue(second(coalesced) >= 2 * first(coalesced), "each of two datagrams or more: " + showA);
            String showB = output(pair.b(), "show interface");
            assertTrue(first(detail(showB, "eth1", "Super-packets received/sent")) > 0, "they reached router B whole: " + showB);
            String counters = output(pair.b(), "show ip counters");
            Matcher split = Pattern.compile("superPacketsSplitForRouter \\.* *(\\d+)").matcher(counters);
            assertTrue(split.find() && Long.parseLong(split.group(1)) > 0, "router B cut them before IPsec: " + counters);
            assertTrue(first(detail(showB, "vlan1", "Coalesced super-packets/segments")) > 0,
                    "router B wrote the decrypted segments to host B as super-packets: " + showB);
        }
    }
}
