package io.argate.image.lab;

import io.argate.image.Router;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.argate.image.lab.IpLabTest.output;
import static io.argate.image.lab.Lab.in;
import static io.argate.image.lab.Lab.must;
import static io.argate.image.lab.TunOffloadLabTest.detail;
import static io.argate.image.lab.TunOffloadLabTest.first;
import static io.argate.image.lab.TunOffloadLabTest.second;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, UDP segmentation offload on real TUN devices (Linux 6.2 on): host A in a namespace
 * sends UDP with its own UDP GSO (the UDP_SEGMENT socket option: one send of 40 datagrams, the
 * last one shorter), argate routes to host B. With USO on both ports the super-packets cross
 * argate whole and host B's kernel cuts them; with host B's port opened without offloads argate
 * cuts them itself. Either way host B's socket (whose kernel drops any datagram whose checksum
 * is wrong) receives every datagram, intact. Super-packets sent to the router's own address are
 * split before LOCAL: each datagram meets it alone (here: no listener, one drop each).
 */
class TunUsoLabTest {
    static final String A = "usoA" + ProcessHandle.current().pid();
    static final String B = "usoB" + ProcessHandle.current().pid();
    static final int SENDS = 20;
    static final int SEGMENTS = 40;
    static final int SIZE = 1200;
    static final int LAST = 500;

    @TempDir
    Path data;

    /** Host A: SENDS UDP_SEGMENT sends of SEGMENTS datagrams each, datagram k numbered k with a pattern of its own. */
    static final String SENDER = """
            import socket, struct, sys, time
            dst, port, sends, segs, size, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_UDP, 103, size)  # UDP_SEGMENT
            k = 0
            for n in range(sends):
                parts = []
                for i in range(segs):
                    length = size if i < segs - 1 else last
                    parts.append(struct.pack('!I', k) + bytes(((k * 7 + j) & 0xff) for j in range(4, length)))
                    k += 1
                s.sendto(b''.join(parts), (dst, port))
                time.sleep(0.01)  # the receiver's socket buffer, not argate, sets the pace
            print('sent', k)
            """;

    /** Host B: counts datagrams, checks each one's number, size and pattern; stops after a quiet second. */
    static final String RECEIVER = """
            import socket, struct, sys
            port, segs, size, last = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, 33, 8 << 20)  # SO_RCVBUFFORCE: nothing lost to a slow reader
            s.bind(('0.0.0.0', port))
            print('listening', flush=True)
            s.settimeout(10)
            got, bad, seen = 0, 0, set()
            try:
                while True:
                    d = s.recv(65536)
                    s.settimeout(1)
                    k = struct.unpack('!I', d[:4])[0]
                    want = last if k % segs == segs - 1 else size
                    if len(d) != want or d[4:] != bytes(((k * 7 + j) & 0xff) for j in range(4, want)) or k in seen:
                        bad += 1
                    seen.add(k)
                    got += 1
            except socket.timeout:
                pass
            print('received', got, 'bad', bad, flush=True)
            """;

    Router router(String platform) throws Exception {
        return TunOffloadLabTest.router(data, A, B, "10.63.0", "10.64.0", "usoa0", "usob0", platform);
    }

    /** Host A sends with UDP GSO to host B; returns host B's "received N bad M". */
    String send() throws Exception {
        return send(A, B, "10.64.0.7");
    }

    /** Namespace {@code from} sends with UDP GSO to {@code address} in {@code to}; returns the receiver's "received N bad M". */
    String send(String from, String to, String address) throws Exception {
        Path sender = data.resolve("sender.py");
        Path receiver = data.resolve("receiver.py");
        Files.writeString(sender, SENDER);
        Files.writeString(receiver, RECEIVER);
        Process rx = new ProcessBuilder("ip", "netns", "exec", to, NetHost.PYTHON, receiver.toString(), "6000", "" + SEGMENTS, "" + SIZE, "" + LAST)
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(rx.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("listening", out.readLine(), "the receiver in host B starts");
            Lab.Result sent = in(from, NetHost.PYTHON, sender.toString(), address, "6000", "" + SENDS, "" + SEGMENTS, "" + SIZE, "" + LAST);
            must(sent, "host A sends with UDP_SEGMENT");
            assertEquals("sent " + SENDS * SEGMENTS, sent.out().trim());
            String last = out.readLine();
            assertTrue(rx.waitFor(30, TimeUnit.SECONDS), "the receiver finishes");
            return last;
        } finally {
            rx.destroyForcibly();
        }
    }

    static long counter(String show, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + " \\.* *(\\d+)").matcher(show);
        assertTrue(m.find(), label + " in " + show);
        return Long.parseLong(m.group(1));
    }

    @Test
    void udpSuperPacketsCrossTheRouterWholeWhenBothPortsTakeThem() throws Exception {
        Lab.requireRoot();
        Router r = null;
        try {
            r = router("vlan1 tun dev=usoa0 netns=" + A + "\neth0 tun dev=usob0 netns=" + B + "\n");
            assertEquals("received " + SENDS * SEGMENTS + " bad 0", send(), "every datagram, intact, none twice");
            String show = output(r, "show interface");
            assertEquals("TSO4 USO4 CSUM", detail(show, "vlan1", "Offloads"), show);
            assertEquals("TSO4 USO4 CSUM", detail(show, "eth0", "Offloads"), show);
            assertTrue(first(detail(show, "vlan1", "Super-packets received/sent")) >= SENDS, "host A's kernel handed argate UDP super-packets: " + show);
            assertTrue(second(detail(show, "eth0", "Super-packets received/sent")) >= SENDS, "and argate handed them to host B whole: " + show);
            assertEquals("0/0", detail(show, "eth0", "Segmented/checksummed by argate"), show);
        } finally {
            if (r != null) {
                r.close();
            }
            Lab.delNetns(A);
            Lab.delNetns(B);
        }
    }

    @Test
    void udpSuperPacketsAreCutForAPortWithoutOffloadsAndForTheRouterItself() throws Exception {
        Lab.requireRoot();
        Router r = null;
        try {
            r = router("vlan1 tun dev=usoa0 netns=" + A + "\neth0 tun dev=usob0 netns=" + B + " offload=off\n");
            assertEquals("received " + SENDS * SEGMENTS + " bad 0", send(), "host B's kernel accepted every datagram argate cut (and checksummed)");
            String show = output(r, "show interface");
            assertEquals("TSO4 USO4 CSUM", detail(show, "vlan1", "Offloads"), show);
            assertEquals("none", detail(show, "eth0", "Offloads"), show);
            assertTrue(first(detail(show, "vlan1", "Super-packets received/sent")) >= SENDS, show);
            assertTrue(first(detail(show, "eth0", "Segmented/checksummed by argate")) >= SENDS, "argate cut them for eth0: " + show);

            // to the router's own address, a port nobody listens on: each datagram meets LOCAL alone
            long before = counter(output(r, "show ip counters"), "NO_LISTENER");
            Path sender = data.resolve("sender.py");
            must(in(A, NetHost.PYTHON, sender.toString(), "10.63.0.1", "7777", "1", "" + SEGMENTS, "" + SIZE, "" + LAST), "host A sends to the router");
            // nothing answers, so wait (real time, a real kernel) until the receive thread has met every datagram
            String counters = output(r, "show ip counters");
            for (long end = System.nanoTime() + 5_000_000_000L; counter(counters, "NO_LISTENER") < before + SEGMENTS && System.nanoTime() < end; ) {
                Thread.sleep(50);
                counters = output(r, "show ip counters");
            }
            assertEquals(1, counter(counters, "superPacketsSplitForRouter"), counters);
            assertEquals(before + SEGMENTS, counter(counters, "NO_LISTENER"), "one drop per datagram, not one for the lot: " + counters);
        } finally {
            if (r != null) {
                r.close();
            }
            Lab.delNetns(A);
            Lab.delNetns(B);
        }
    }

    /**
     * IPsec on UDP super-packets: two argate routers with an AES-128/SHA1 ESP tunnel in UDP on
     * 4500 (RFC 3948 framing) over a Linux WAN. Router A cuts host A's super-packets into their
     * datagrams just before protection (one SPD decision each), router B takes every ESP-in-UDP
     * packet on its own port 4500 and decrypts it, and host B receives every datagram intact.
     */
    @Test
    void udpSuperPacketsAreCutBeforeEspInUdpProtectionAndArriveIntact() throws Exception {
        Lab.requireRoot();
        try (RouterPair pair = RouterPair.open(data, "uso", RouterPair.Wan.TUN)) {
            EspLabTest.Variant esp = new EspLabTest.Variant("ESP AES128/SHA over UDP 4500", java.util.List.of(EspLabTest.ESP_AES128_SHA), "1",
                    "udptunnel=yes udpport=4500", 4500, false, "UDP:4500");
            pair.configure(true, esp.config(pair.side(true)));
            pair.configure(false, esp.config(pair.side(false)));
            must(pair.ping(true, 2), "host A pings host B through the tunnel");
            assertEquals("received " + SENDS * SEGMENTS + " bad 0", send(pair.lanA, pair.lanB, RouterPair.HOST_B),
                    "router B decrypted every datagram and host B's kernel accepted them");
            String show = output(pair.a(), "show interface");
            assertTrue(first(detail(show, "vlan1", "Super-packets received/sent")) >= SENDS, "host A's kernel handed router A UDP super-packets: " + show);
            String ipsec = output(pair.a(), "show ipsec counters");
            Matcher m = Pattern.compile("outProtected \\.+ (\\d+)").matcher(ipsec);
            assertTrue(m.find() && Long.parseLong(m.group(1)) >= SENDS * SEGMENTS, "every datagram went out in ESP: " + ipsec);
        }
    }
}
