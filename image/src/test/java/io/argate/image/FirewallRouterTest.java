package io.argate.image;

import io.argate.ip.packet.Icmp;
import io.argate.ip.packet.Ipv4;
import io.argate.ip.packet.Udp;
import io.argate.ip.port.MemPort;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The firewall on a whole router (issue 14): a LAN host on vlan1 (192.168.10.5), a WAN host on
 * eth0 (192.0.2.9), the router's WAN address 192.0.2.1, and the reference's basic firewall
 * (PRIVATE vlan1, PUBLIC eth0, ENHANCED NAT on the WAN address). What is asserted is what the
 * hosts see on their links and what SHOW FIREWALL POLICY COUNTERS says.
 */
class FirewallRouterTest {
    static final int LAN_HOST = 0xc0a80a05;
    static final int LAN_SERVER = 0xc0a80a14;
    static final int WAN_HOST = 0xc0000209;
    static final int ROUTER_WAN = 0xc0000201;

    @TempDir
    Path dir;

    MemPort lan;
    MemPort wan;
    final LinkedBlockingQueue<ByteBuf> atLan = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<ByteBuf> atWan = new LinkedBlockingQueue<>();
    RouterRig rig;

    @BeforeEach
    void boot() throws Exception {
        String tag = "fw" + Long.toString(System.nanoTime(), 36);
        Path platform = dir.resolve("platform");
        Files.writeString(platform, "vlan1 mem link=" + tag + "l\neth0 mem link=" + tag + "w\n");
        lan = new MemPort("lanhost", tag + "l", 1500);
        wan = new MemPort("wanhost", tag + "w", 1500);
        lan.start((p, b) -> atLan.add(b.slice())); // offsets from 0: the router leaves headroom
        wan.start((p, b) -> atWan.add(b.slice()));
        rig = new RouterRig(dir.resolve("data"), Clock.systemUTC(), "--platform", platform.toString());
        for (String line : new String[]{
            "add ip int=vlan1 ip=192.168.10.1 mask=255.255.255.0",
            "add ip int=eth0 ip=192.0.2.1 mask=255.255.255.0",
            "enable ip",
            "enable firewall",
            "create firewall policy=net",
            "enable firewall policy=net icmp_f=all",
            "disable firewall policy=net identproxy",
            "add firewall policy=net int=vlan1 type=private",
            "add firewall policy=net int=eth0 type=public",
            "add firewall policy=net nat=enhanced int=vlan1 gblint=eth0"}) {
            rig.ok(line);
        }
    }

    @AfterEach
    void close() {
        rig.close();
        lan.close();
        wan.close();
    }

    /**
     * A LAN host's UDP datagram and ping leave with the router's WAN address as source, and the
     * WAN host's answers to that address come back to the LAN host with its own address and port.
     */
    @Test
    void lanTrafficLeavesAsTheWanAddressAndItsRepliesComeBack() throws Exception {
        lan.transmit(udp(LAN_HOST, 40000, WAN_HOST, 53, 1));
        ByteBuf out = next(atWan, "the LAN host's datagram reached the WAN host");
        assertEquals(ROUTER_WAN, Ipv4.source(out, 0), () -> "NAPT put the router's WAN address on it\n" + counters() + show("show firewall session"));
        assertEquals(WAN_HOST, Ipv4.destination(out, 0));
        int globalPort = Udp.sourcePort(out, 20);
        assertEquals(53, Udp.destinationPort(out, 20));

        wan.transmit(udp(WAN_HOST, 53, ROUTER_WAN, globalPort, 2));
        ByteBuf back = next(atLan, "the WAN host's answer reached the LAN host");
        assertEquals(WAN_HOST, Ipv4.source(back, 0));
        assertEquals(LAN_HOST, Ipv4.destination(back, 0));
        assertEquals(40000, Udp.destinationPort(back, 20));
        assertEquals(0, Ipv4.checksum(back, 0, 20), "IP checksum after translation");

        lan.transmit(ping(LAN_HOST, WAN_HOST, Icmp.ECHO, 0x4242, 1));
        ByteBuf echo = next(atWan, "the LAN host's ping reached the WAN host");
        assertEquals(ROUTER_WAN, Ipv4.source(echo, 0));
        int globalId = Icmp.identifier(echo, 20);
        wan.transmit(ping(WAN_HOST, ROUTER_WAN, Icmp.ECHO_REPLY, globalId, 1));
        ByteBuf reply = next(atLan, "the echo reply reached the LAN host");
        assertEquals(LAN_HOST, Ipv4.destination(reply, 0));
        assertEquals(0x4242, Icmp.identifier(reply, 20), "the reply carries the LAN host's own echo id");
        assertEquals(Icmp.ECHO_REPLY, Icmp.type(reply, 20));

        rig.ok("show firewall session");
        assertTrue(rig.out().contains("192.168.10.5:40000 > 192.0.2.9:53"), rig.out());
        assertTrue(rig.out().contains("192.0.2.1:" + globalPort + " > 192.0.2.9:53"), rig.out());
    }

    /** Nothing from the WAN reaches the LAN unasked, and the drop is counted by its reason. */
    @Test
    void unsolicitedWanTrafficToTheLanIsDroppedAndCounted() throws Exception {
        // (no ping here: ICMP_F=ALL forwards echo requests from the public side, as on the AR)
        wan.transmit(udp(WAN_HOST, 5000, LAN_HOST, 7, 1));
        // a datagram to the router's WAN address on a port nothing asked for is not forwarded either
        wan.transmit(udp(WAN_HOST, 5000, ROUTER_WAN, 33333, 2));
        assertTrue(waitFor(() -> counter("Dropped: unsolicited from public") >= 2), counters());
        assertNull(atLan.poll(200, TimeUnit.MILLISECONDS), "nothing reached the LAN");
    }

    /** A rule with GBLIP and GBLPORT lets the WAN host reach a LAN server, and its answer leaves as the global port. */
    @Test
    void aPortForwardRuleLetsTheWanHostReachALanServer() throws Exception {
        rig.ok("add firewall policy=net rule=1 action=allow int=eth0 prot=udp ip=192.168.10.20 port=5353 gblip=192.0.2.1 gblport=8053");
        wan.transmit(udp(WAN_HOST, 6000, ROUTER_WAN, 8053, 1));
        ByteBuf in = next(atLan, "the forwarded datagram reached the LAN server");
        assertEquals(LAN_SERVER, Ipv4.destination(in, 0));
        assertEquals(5353, Udp.destinationPort(in, 20));
        assertEquals(WAN_HOST, Ipv4.source(in, 0), "the server sees the real client");

        lan.transmit(udp(LAN_SERVER, 5353, WAN_HOST, 6000, 2));
        ByteBuf out = next(atWan, "the server's answer reached the WAN host");
        assertEquals(ROUTER_WAN, Ipv4.source(out, 0));
        assertEquals(8053, Udp.sourcePort(out, 20), "the answer leaves as the global port");
        assertTrue(counter("Allowed by a rule") >= 1, counters());
        // the same global port without the rule is closed again
        rig.ok("delete firewall policy=net rule=1");
        wan.transmit(udp(WAN_HOST, 6001, ROUTER_WAN, 8053, 3));
        assertTrue(waitFor(() -> counter("Dropped: unsolicited from public") >= 1), counters());
        assertNull(atLan.poll(200, TimeUnit.MILLISECONDS));
    }

    String show(String command) {
        rig.ok(command);
        return rig.out();
    }

    /**
     * Two LAN hosts with their own IPsec clients talk ESP to one WAN peer through NAPT (issue 14):
     * both leave as the WAN address, each host's SA is told apart by its SPI, and the peer's
     * replies, each with the SPI its host chose, reach the right host; an SPI no host waits for
     * is dropped and counted.
     */
    @Test
    void twoLanHostsTalkEspToOnePeerThroughNapt() throws Exception {
        int otherHost = LAN_HOST + 1;
        lan.transmit(esp(LAN_HOST, WAN_HOST, 0x1001));
        assertEquals(ROUTER_WAN, Ipv4.source(next(atWan, "host 1's ESP left"), 0));
        wan.transmit(esp(WAN_HOST, ROUTER_WAN, 0xa0000001));
        assertEquals(LAN_HOST, Ipv4.destination(next(atLan, "the reply to host 1 came back"), 0));

        lan.transmit(esp(otherHost, WAN_HOST, 0x1002));
        ByteBuf out = next(atWan, "host 2's ESP left too");
        assertEquals(ROUTER_WAN, Ipv4.source(out, 0), () -> counters() + show("show firewall session"));
        assertEquals(0x1002, out.getInt(20), "the SPI is not touched");
        wan.transmit(esp(WAN_HOST, ROUTER_WAN, 0xa0000002));
        assertEquals(otherHost, Ipv4.destination(next(atLan, "the reply to host 2 came back"), 0));

        wan.transmit(esp(WAN_HOST, ROUTER_WAN, 0xa0000001));
        assertEquals(LAN_HOST, Ipv4.destination(next(atLan, "host 1 still gets its own"), 0));
        wan.transmit(esp(WAN_HOST, ROUTER_WAN, 0x0badbad0));
        assertTrue(waitFor(() -> counter("Dropped: ESP with an SPI no LAN host waits for") == 1), counters());
        assertNull(atLan.poll(200, TimeUnit.MILLISECONDS), "the stray SPI reached no host");

        String sessions = show("show firewall session");
        assertTrue(sessions.contains("192.168.10.6 > 192.0.2.9 spi 4098"), sessions);
        assertTrue(sessions.contains("192.0.2.9 > 192.168.10.6 spi 2684354562"), sessions);
    }

    /** An ESP packet: SPI, sequence number 1 and 32 bytes standing for the encrypted payload. */
    static ByteBuf esp(int src, int dst, int spi) {
        int len = 20 + 8 + 32;
        ByteBuf b = Unpooled.buffer(len).writerIndex(len);
        b.setInt(20, spi);
        b.setInt(24, 1);
        Ipv4.write(b, 0, 0, len, spi & 0xffff, 0, 64, Ipv4.PROTO_ESP, src, dst);
        return b;
    }

    String counters() {
        rig.ok("show firewall policy=net counters");
        return rig.out();
    }

    long counter(String display) {
        for (String l : counters().split("\n")) {
            String t = l.strip();
            if (t.startsWith(display + " ")) {
                return Long.parseLong(t.substring(t.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no counter " + display + " in\n" + counters());
    }

    static ByteBuf next(LinkedBlockingQueue<ByteBuf> q, String what) throws InterruptedException {
        ByteBuf b = q.poll(10, TimeUnit.SECONDS);
        assertNotNull(b, what);
        return b;
    }

    static boolean waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (c.getAsBoolean()) {
                return true;
            }
            Thread.sleep(25);
        }
        return c.getAsBoolean();
    }

    static ByteBuf udp(int src, int sport, int dst, int dport, int id) {
        int len = 20 + 8 + 12;
        ByteBuf b = Unpooled.buffer(len).writerIndex(len);
        Udp.write(b, 20, sport, dport, 8 + 12);
        Ipv4.write(b, 0, 0, len, id, 0, 64, Ipv4.PROTO_UDP, src, dst);
        Udp.checksum(b, 0);
        return b;
    }

    static ByteBuf ping(int src, int dst, int type, int ident, int seq) {
        ByteBuf b = Unpooled.buffer(60).writerIndex(60);
        Icmp.writeEcho(b, 20, type, ident, seq, 40);
        Ipv4.write(b, 0, 0, 60, seq, 0, 64, Ipv4.PROTO_ICMP, src, dst);
        return b;
    }
}
