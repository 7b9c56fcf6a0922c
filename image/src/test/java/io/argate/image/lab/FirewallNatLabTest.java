package io.argate.image.lab;

import io.argate.image.Options;
import io.argate.image.Router;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static io.argate.image.lab.IpLabTest.ok;
import static io.argate.image.lab.IpLabTest.output;
import static io.argate.image.lab.Lab.in;
import static io.argate.image.lab.Lab.must;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14's lab: Linux hosts 192.168.10.5 and .6 in a LAN namespace, an Internet host
 * 203.0.113.9 in a WAN namespace, and argate between them on TUN devices with the reference's
 * basic firewall (PRIVATE vlan1, PUBLIC eth0, ENHANCED NAT on the WAN address 203.0.113.1).
 * The Linux stacks are the oracle: a real TCP transfer, UDP and ping from the LAN reach the WAN
 * host, which sees only the router's address (its own socket says so, and tshark on its device
 * sees no LAN address on the wire); the WAN host's unsolicited traffic to the LAN is dropped and
 * counted; a port-forward rule (ACTION=NAT, GBLIP, GBLPORT) lets it reach a LAN server.
 */
class FirewallNatLabTest {
    static final String ROUTER_WAN = "203.0.113.1";
    static final String WAN_HOST = "203.0.113.9";
    static final String HOST_A = "192.168.10.5";
    static final String HOST_B = "192.168.10.6";
    static final int TRANSFER = 4 * 1024 * 1024;

    @TempDir
    Path data;

    @Test
    void lanHostsReachTheWanThroughNaptAndTheWanReachesOnlyTheForwardedPort() throws Exception {
        Lab.requireRoot();
        Lab.requireTshark();
        NetHost.require();
        String tag = Long.toString(ProcessHandle.current().pid() % 46656, 36) + Long.toString(System.nanoTime() % 1296, 36);
        String lan = "fwl" + tag;
        String wan = "fww" + tag;
        String lanDev = "fwl" + tag;
        String wanDev = "fww" + tag;
        Lab.addNetns(lan);
        Lab.addNetns(wan);
        Path platform = data.resolve("platform.txt");
        Files.writeString(platform, "vlan1 tun dev=" + lanDev + " netns=" + lan + " mtu=1500\neth0 tun dev=" + wanDev + " netns=" + wan
                + " mtu=1500\n");
        Path script = NetHost.script(data);
        Router r = null;
        LiveCapture wire = null;
        try {
            r = new Router(Options.parse("--data", data.resolve("d").toString(), "--telnet", "off", "--platform", platform.toString()),
                    Clock.systemUTC(), 1000);
            r.boot();
            for (String line : List.of(
                    "add ip int=vlan1 ip=192.168.10.1 mask=255.255.255.0",
                    "add ip int=eth0 ip=" + ROUTER_WAN + " mask=255.255.255.0",
                    "enable ip",
                    "enable firewall",
                    "create firewall policy=net",
                    "disable firewall policy=net identproxy",
                    "add firewall policy=net int=vlan1 type=private",
                    "add firewall policy=net int=eth0 type=public",
                    "add firewall policy=net nat=enhanced int=vlan1 gblint=eth0")) {
                ok(r, line);
            }
            must(in(lan, "ip", "addr", "add", HOST_A + "/24", "dev", lanDev), "host A's address");
            must(in(lan, "ip", "addr", "add", HOST_B + "/24", "dev", lanDev), "host B's address");
            must(in(lan, "ip", "route", "add", "default", "via", "192.168.10.1"), "LAN default route");
            must(in(wan, "ip", "addr", "add", WAN_HOST + "/24", "dev", wanDev), "the WAN host's address");
            // the WAN host even knows where the LAN is, so only the firewall keeps it out
            must(in(wan, "ip", "route", "add", "192.168.10.0/24", "via", ROUTER_WAN), "WAN route to the LAN");

            wire = LiveCapture.start(wan, wanDev, data.resolve("wan.pcapng"), List.of());

            // TCP: 4 MiB from host A to the WAN host, which sees the router's address
            String sent;
            String seen;
            try (NetHost sink = NetHost.serve(script, wan, "tcp-sink", WAN_HOST, "5001")) {
                Lab.Result c = NetHost.client(script, lan, "tcp-send", HOST_A, WAN_HOST, "5001", Integer.toString(TRANSFER));
                must(c, "host A's TCP transfer to the WAN host");
                sent = c.out().strip();
                seen = sink.line(20);
            }
            assertNotNull(seen, "the WAN host's TCP sink reported the connection");
            String[] s = sent.split(" ");
            String[] w = seen.split(" ");
            assertEquals(ROUTER_WAN, w[0], "the WAN host saw the router's address: " + seen);
            assertEquals(Integer.toString(TRANSFER), w[2], "every byte arrived: " + seen);
            assertEquals(s[1], w[3], "the bytes arrived unchanged (SHA-256)");
            String tcpSessions = output(r, "show firewall session");
            String tcpGlobalPort = w[1];
            assertTrue(tcpSessions.contains(HOST_A + ":" + s[0] + " > " + WAN_HOST + ":5001"), tcpSessions);
            assertTrue(tcpSessions.contains(ROUTER_WAN + ":" + tcpGlobalPort + " > " + WAN_HOST + ":5001"), tcpSessions);

            // UDP from both LAN hosts on the same source port: two global ports, each answer back to its host
            try (NetHost echo = NetHost.serve(script, wan, "udp-echo", WAN_HOST, "5353")) {
                Lab.Result a = NetHost.client(script, lan, "udp-ask", HOST_A, "40000", WAN_HOST, "5353", "3");
                Lab.Result b = NetHost.client(script, lan, "udp-ask", HOST_B, "40000", WAN_HOST, "5353", "3");
                must(a, "host A's UDP question");
                must(b, "host B's UDP question");
                String[] ua = a.out().strip().split(" ");
                String[] ub = b.out().strip().split(" ");
                assertEquals(ROUTER_WAN, ua[0], a.out());
                assertEquals(ROUTER_WAN, ub[0], b.out());
                assertNotEquals(ua[1], ub[1], "two hosts on one port get two global ports");
            }
            String udpSessions = output(r, "show firewall session");
            assertTrue(udpSessions.contains(HOST_A + ":40000 > " + WAN_HOST + ":5353"), udpSessions);
            assertTrue(udpSessions.contains(HOST_B + ":40000 > " + WAN_HOST + ":5353"), udpSessions);

            // ping from host B
            must(in(lan, "ping", "-c", "3", "-W", "3", "-I", HOST_B, WAN_HOST), "host B pings the WAN host through NAPT");
            assertTrue(output(r, "show firewall session").lines().anyMatch(l -> l.contains(HOST_B + " > " + WAN_HOST + " id ")),
                    output(r, "show firewall session"));

            // unsolicited: UDP, TCP and ping from the WAN host to host A are all dropped and counted
            long unsolicitedBefore = counter(r, "Dropped: unsolicited from public");
            try (NetHost lanEcho = NetHost.serve(script, lan, "udp-echo", HOST_A, "7")) {
                Lab.Result u = NetHost.client(script, wan, "udp-ask", "-", "0", HOST_A, "7", "1");
                assertTrue(u.out().contains("no answer"), "an unsolicited datagram got through: " + u.out());
            }
            Lab.Result t = NetHost.client(script, wan, "tcp-send", "-", HOST_A, "22", "10", "3");
            assertNotEquals(0, t.status(), "an unsolicited TCP connection got through: " + t.out());
            Lab.Result p = in(wan, "ping", "-c", "1", "-W", "1", HOST_A);
            assertNotEquals(0, p.status(), "an unsolicited ping got through: " + p.out());
            assertTrue(counter(r, "Dropped: unsolicited from public") >= unsolicitedBefore + 4, counters(r));
            assertTrue(counter(r, "Dropped: ICMP type not forwarded") >= 1, counters(r));

            // port forwarding: 203.0.113.1:80 reaches host A's server on 8080, which sees the real client
            ok(r, "add firewall policy=net rule=1 action=nat int=eth0 prot=tcp ip=" + HOST_A + " port=8080 gblip=" + ROUTER_WAN + " gblport=80");
            String forwarded;
            String fwdSent;
            try (NetHost server = NetHost.serve(script, lan, "tcp-sink", HOST_A, "8080")) {
                Lab.Result c = NetHost.client(script, wan, "tcp-send", WAN_HOST, ROUTER_WAN, "80", "65536");
                must(c, "the WAN host's connection to the forwarded port");
                fwdSent = c.out().strip();
                forwarded = server.line(20);
            }
            assertNotNull(forwarded, "the LAN server reported the connection");
            String[] fs = fwdSent.split(" ");
            String[] fw = forwarded.split(" ");
            assertEquals(WAN_HOST, fw[0], "the LAN server sees the real client: " + forwarded);
            assertEquals("65536", fw[2]);
            assertEquals(fs[1], fw[3], "the forwarded bytes arrived unchanged");
            assertTrue(fs.length > 2 && fs[2].equals(WAN_HOST), "the server's answer came back through the forward: " + fwdSent);
            assertTrue(counter(r, "Allowed by a rule") >= 1, counters(r));
            String fwdSessions = output(r, "show firewall session");
            assertTrue(fwdSessions.contains(WAN_HOST + ":" + fs[0] + " > " + ROUTER_WAN + ":80"), fwdSessions);
            assertTrue(fwdSessions.contains(WAN_HOST + ":" + fs[0] + " > " + HOST_A + ":8080"), fwdSessions);

            // the wire on the WAN side: NAPT'ed traffic from the router's address, never a LAN address
            // with TUN offloads the 4 MiB leave as TCP super-packets of up to 64 KB, so at least 64 frames
            wire.awaitFrames("ip.src==" + ROUTER_WAN + " && tcp.dstport==5001", 60, () -> { });
            wire.close();
            assertEquals(0, wire.frames("ip.src==192.168.10.0/24"), "a LAN address leaked onto the WAN");
            // what the WAN host sent to LAN addresses unasked, and nothing came back from them
            assertTrue(wire.frames("ip.dst==" + HOST_A + " && ip.src==" + WAN_HOST) >= 5, "the unsolicited probes crossed the wire");
            assertTrue(wire.frames("ip.src==" + ROUTER_WAN + " && tcp.srcport==" + tcpGlobalPort + " && tcp.dstport==5001") >= 60);
            assertTrue(wire.frames("ip.src==" + WAN_HOST + " && tcp.dstport==" + tcpGlobalPort) > 10, "the WAN host's ACKs");
            assertTrue(wire.frames("ip.src==" + ROUTER_WAN + " && udp.dstport==5353") >= 2, "the two hosts' UDP questions");
            assertEquals(3, wire.frames("ip.src==" + ROUTER_WAN + " && icmp.type==8"), "three echo requests from the router's address");
            assertEquals(3, wire.frames("ip.dst==" + ROUTER_WAN + " && icmp.type==0"), "three echo replies to it");
            assertTrue(wire.frames("ip.src==" + ROUTER_WAN + " && tcp.srcport==80") > 0, "the forwarded server answers as port 80");
        } finally {
            if (wire != null) {
                wire.close();
            }
            if (r != null) {
                r.close();
            }
            Lab.delNetns(lan);
            Lab.delNetns(wan);
        }
    }

    static String counters(Router r) {
        return output(r, "show firewall policy=net counters");
    }

    static long counter(Router r, String display) {
        return counterIn(counters(r), display);
    }

    /** A counter's value in SHOW FIREWALL POLICY COUNTERS output. */
    static long counterIn(String all, String display) {
        for (String l : all.split("\n")) {
            String t = l.strip();
            if (t.startsWith(display + " ")) {
                return Long.parseLong(t.substring(t.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no counter " + display + " in\n" + all);
    }
}
