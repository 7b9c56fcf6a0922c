package io.argate.image;

import io.argate.ip.packet.Ipv4;
import io.argate.ip.packet.Tcp;
import io.argate.ip.port.MemPort;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.argate.image.FirewallRouterTest.next;
import static io.argate.image.FirewallRouterTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The firewall's further policy parameters on a whole router (issue 14): FTP with FTPDATAPORT
 * through ENAT, FRAGMENT, METHOD=PASSALL, and their lines in SHOW CONFIG. The same setting as
 * {@link FirewallRouterTest}: LAN host 192.168.10.5 on vlan1, WAN host 192.0.2.9 on eth0, the
 * router's WAN address 192.0.2.1.
 */
class FirewallParamsRouterTest {
    static final int LAN_HOST = 0xc0a80a05;
    static final int WAN_HOST = 0xc0000209;
    static final int ROUTER_WAN = 0xc0000201;
    static final int SYN = 0x02;
    static final int ACK = 0x10;

    @TempDir
    Path dir;

    MemPort lan;
    MemPort wan;
    final LinkedBlockingQueue<ByteBuf> atLan = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<ByteBuf> atWan = new LinkedBlockingQueue<>();
    RouterRig rig;

    @BeforeEach
    void boot() throws Exception {
        String tag = "fp" + Long.toString(System.nanoTime(), 36);
        Path platform = dir.resolve("platform");
        Files.writeString(platform, "vlan1 mem link=" + tag + "l\neth0 mem link=" + tag + "w\n");
        lan = new MemPort("lanhost", tag + "l", 1500);
        wan = new MemPort("wanhost", tag + "w", 1500);
        lan.start((p, b) -> atLan.add(b.slice()));
        wan.start((p, b) -> atWan.add(b.slice()));
        rig = new RouterRig(dir.resolve("data"), Clock.systemUTC(), "--platform", platform.toString());
        for (String line : new String[]{
            "add ip int=vlan1 ip=192.168.10.1 mask=255.255.255.0",
            "add ip int=eth0 ip=192.0.2.1 mask=255.255.255.0",
            "enable ip",
            "enable firewall",
            "create firewall policy=net",
            "add firewall policy=net int=vlan1 type=private"}) {
            rig.ok(line);
        }
    }

    @AfterEach
    void close() {
        rig.close();
        lan.close();
        wan.close();
    }

    static ByteBuf tcp(int src, int sport, int dst, int dport, int seq, int ack, int flags, String text) {
        byte[] data = text.getBytes(StandardCharsets.ISO_8859_1);
        int len = 40 + data.length;
        ByteBuf b = Unpooled.buffer(len).writerIndex(len);
        Ipv4.write(b, 0, 0, len, 1, 0x4000, 64, Ipv4.PROTO_TCP, src, dst);
        b.setShort(20, sport).setShort(22, dport).setInt(24, seq).setInt(28, ack);
        b.setByte(32, 5 << 4).setByte(33, flags).setShort(34, 65535);
        b.setBytes(40, data);
        Tcp.checksum(b, 0);
        return b;
    }

    static String text(ByteBuf b) {
        return b.toString(40, Ipv4.totalLength(b, 0) - 40, StandardCharsets.ISO_8859_1);
    }

    /** The segment's TCP checksum, recomputed from scratch on a copy, equals what it carries. */
    static void assertTcpChecksum(ByteBuf b) {
        ByteBuf copy = b.copy(0, Ipv4.totalLength(b, 0));
        Tcp.checksum(copy, 0);
        assertEquals(copy.getUnsignedShort(20 + Tcp.CHECKSUM), b.getUnsignedShort(20 + Tcp.CHECKSUM), "TCP checksum");
        assertEquals(0, Ipv4.checksum(b, 0, 20), "IP checksum");
    }

    String show(String command) {
        rig.ok(command);
        return rig.out();
    }

    long counter(String display) {
        for (String l : show("show firewall policy=net counters").split("\n")) {
            String t = l.strip();
            if (t.startsWith(display + " ")) {
                return Long.parseLong(t.substring(t.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no counter " + display);
    }

    @Test
    void activeFtpThroughEnatReachesTheLanClientOnlyFromPort20() throws Exception {
        rig.ok("add firewall policy=net int=eth0 type=public");
        rig.ok("add firewall policy=net nat=enhanced int=vlan1 gblint=eth0");
        lan.transmit(tcp(LAN_HOST, 40000, WAN_HOST, 21, 1000, 0, SYN, ""));
        ByteBuf syn = next(atWan, "the control connection's SYN left");
        int gport = syn.getUnsignedShort(20);
        wan.transmit(tcp(WAN_HOST, 21, ROUTER_WAN, gport, 5000, 1001, SYN | ACK, ""));
        next(atLan, "the SYN-ACK came back");
        lan.transmit(tcp(LAN_HOST, 40000, WAN_HOST, 21, 1001, 5001, ACK, ""));
        next(atWan, "the handshake's ACK left");

        String cmd = "PORT 192,168,10,5,156,65\r\n";
        lan.transmit(tcp(LAN_HOST, 40000, WAN_HOST, 21, 1001, 5001, ACK, cmd));
        ByteBuf port = next(atWan, "the PORT line left");
        assertEquals("PORT 192,0,2,1,156,65\r\n", text(port), "the server is told the router's WAN address");
        assertTcpChecksum(port);
        int shorter = text(port).length() - cmd.length();

        wan.transmit(tcp(WAN_HOST, 21, ROUTER_WAN, gport, 5001, 1001 + cmd.length() + shorter, ACK, "200 OK\r\n"));
        ByteBuf ok = next(atLan, "the server's answer reached the client");
        assertEquals(1001 + cmd.length(), ok.getInt(28), "acknowledged in the client's own numbering");
        assertTcpChecksum(ok);

        wan.transmit(tcp(WAN_HOST, 20, ROUTER_WAN, 40001, 9000, 0, SYN, ""));
        ByteBuf data = next(atLan, "the active-mode data connection reached the client");
        assertEquals(LAN_HOST, Ipv4.destination(data, 0));
        assertEquals(40001, data.getUnsignedShort(22));

        lan.transmit(tcp(LAN_HOST, 40000, WAN_HOST, 21, 1001 + cmd.length(), 5009, ACK, "EPRT |1|192.168.10.5|40002|\r\n"));
        assertEquals("EPRT |1|192.0.2.1|40002|\r\n", text(next(atWan, "the EPRT line left")));
        wan.transmit(tcp(WAN_HOST, 2020, ROUTER_WAN, 40002, 9000, 0, SYN, ""));
        assertTrue(waitFor(() -> counter("Dropped: FTP data not from port 20") == 1), show("show firewall policy=net counters"));
        assertNull(atLan.poll(200, TimeUnit.MILLISECONDS), "FTPDATAPORT=RFC: not from port 20");
        rig.ok("set firewall policy=net ftpdataport=any");
        wan.transmit(tcp(WAN_HOST, 2020, ROUTER_WAN, 40002, 9000, 0, SYN, ""));
        assertEquals(40002, next(atLan, "FTPDATAPORT=ANY: from any port").getUnsignedShort(22));
        assertEquals(2, counter("FTP data connections admitted"));
    }

    @Test
    void fragmentsPassallAndTheirConfiguration() throws Exception {
        rig.ok("add firewall policy=net int=eth0 type=public method=passall");
        rig.ok("add firewall policy=net nat=enhanced int=vlan1 gblint=eth0");
        rig.ok("set firewall policy=net esptimeout=10");
        // a later fragment of a big UDP datagram from the LAN: past 1780 bytes, dropped and counted
        ByteBuf frag = Unpooled.buffer(1500).writerIndex(1500);
        Ipv4.write(frag, 0, 0, 1500, 77, 1480 / 8, 64, Ipv4.PROTO_UDP, LAN_HOST, WAN_HOST);
        lan.transmit(frag);
        assertTrue(waitFor(() -> counter("Dropped: fragmented datagram over 1780 bytes") == 1), show("show firewall policy=net counters"));
        assertNull(atWan.poll(200, TimeUnit.MILLISECONDS));
        rig.ok("enable firewall policy=net fragment=udp");
        ByteBuf again = Unpooled.buffer(1500).writerIndex(1500);
        Ipv4.write(again, 0, 0, 1500, 78, 1480 / 8, 64, Ipv4.PROTO_UDP, LAN_HOST, WAN_HOST);
        lan.transmit(again);
        // the later fragment has no first one here, so the firewall still may not translate it:
        // what FRAGMENT changed is that the size no longer drops it
        assertTrue(waitFor(() -> counter("Dropped: fragment without its first") == 1), show("show firewall policy=net counters"));

        // PASSALL on the public side: an unsolicited TCP SYN from the WAN reaches the LAN host
        wan.transmit(tcp(WAN_HOST, 5555, LAN_HOST, 22, 1, 0, SYN, ""));
        assertEquals(LAN_HOST, Ipv4.destination(next(atLan, "PASSALL let it through"), 0));
        lan.transmit(tcp(LAN_HOST, 22, WAN_HOST, 5555, 900, 2, SYN | ACK, ""));
        assertEquals(WAN_HOST, Ipv4.destination(next(atWan, "the LAN host's answer went back out"), 0));
        assertEquals(2, counter("Passed on a PASSALL interface"));

        String cfg = show("show config dynamic=firewall");
        assertTrue(cfg.contains("add firewall policy=net int=eth0 type=public method=passall"), cfg);
        assertTrue(cfg.contains("enable firewall policy=net fragment=udp"), cfg);
        assertTrue(cfg.contains("set firewall policy=net esptimeout=10"), cfg);
    }
}
