package io.argate.image;

import io.argate.image.conformance.ReferenceLayouts;
import io.argate.ip.packet.Icmp;
import io.argate.ip.packet.Ipv4;
import io.argate.ip.port.MemPort;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two whole routers in one JVM, wired by mem links (WAN 10.0.0.1 and 10.0.0.2, LANs
 * 192.168.10.0/24 and 192.168.20.0/24), configured with the reference's ISAKMP walkthrough
 * ("ISAKMP/IKE による IPsec VPN") as written, with the WAN interface eth0 for ppp0. Host A's
 * ping is held while ISAKMP negotiates (Main Mode, then Quick Mode), then crosses in ESP.
 */
class IsakmpRoutersTest {
    static final int HOST_A = 0xc0a80a05;
    static final int HOST_B = 0xc0a81407;

    @TempDir
    Path dir;

    static List<String> walkthrough(String wan, String peer, String lan, String remoteLan) {
        return List.of(
                "add ip int=vlan1 ip=" + lan + ".1 mask=255.255.255.0",
                "add ip int=eth0 ip=" + wan + " mask=255.255.255.0",
                "add ip route=" + remoteLan + ".0 mask=255.255.255.0 int=eth0 next=" + peer,
                "enable ip",
                "CREATE ENCO KEY=1 TYPE=GENERAL VALUE=\"jogefoge\"",
                "CREATE ISAKMP POLICY=i PEER=" + peer + " KEY=1 SENDN=TRUE",
                "CREATE IPSEC SASPEC=1 KEYMAN=ISAKMP PROT=ESP ENCALG=DES HASHALG=SHA",
                "CREATE IPSEC BUNDLE=1 KEYMAN=ISAKMP STRING=\"1\"",
                "CREATE IPSEC POLICY=isa INT=eth0 ACTION=PERMIT LPORT=500 RPORT=500 TRANSPORT=UDP",
                "CREATE IPSEC POLICY=vpn INT=eth0 ACTION=IPSEC KEYMAN=ISAKMP BUNDLE=1 PEER=" + peer,
                "SET IPSEC POLICY=vpn LAD=" + lan + ".0 LMA=255.255.255.0 RAD=" + remoteLan + ".0 RMA=255.255.255.0",
                "CREATE IPSEC POLICY=inet INT=eth0 ACTION=PERMIT",
                "ENABLE IPSEC",
                "ENABLE ISAKMP");
    }

    @Test
    void theReferencesIsakmpWalkthroughNegotiatesOnTheFirstPacketAndCarriesIt() throws Exception {
        String tag = Long.toString(System.nanoTime(), 36);
        Path pa = dir.resolve("a.platform");
        Path pb = dir.resolve("b.platform");
        Files.writeString(pa, "vlan1 mem link=la" + tag + "\neth0 mem link=w" + tag + "\n");
        Files.writeString(pb, "vlan1 mem link=lb" + tag + "\neth0 mem link=w" + tag + "\n");
        MemPort hostA = new MemPort("hostA", "la" + tag, 1500);
        MemPort hostB = new MemPort("hostB", "lb" + tag, 1500);
        LinkedBlockingQueue<ByteBuf> atA = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<ByteBuf> atB = new LinkedBlockingQueue<>();
        hostA.start((p, b) -> atA.add(b));
        hostB.start((p, b) -> atB.add(b));
        try (RouterRig a = new RouterRig(dir.resolve("a"), Clock.systemUTC(), "--platform", pa.toString());
             RouterRig b = new RouterRig(dir.resolve("b"), Clock.systemUTC(), "--platform", pb.toString())) {
            for (String line : walkthrough("10.0.0.1", "10.0.0.2", "192.168.10", "192.168.20")) {
                a.ok(line);
            }
            for (String line : walkthrough("10.0.0.2", "10.0.0.1", "192.168.20", "192.168.10")) {
                b.ok(line);
            }
            // as a user would: a ping a second until one crosses (the first is held during the negotiation)
            ByteBuf got = null;
            for (int seq = 1; seq <= 30 && got == null; seq++) {
                hostA.transmit(ping(HOST_A, HOST_B, seq));
                got = atB.poll(1, TimeUnit.SECONDS);
            }
            a.run("show isakmp exchange");
            String exchanges = a.out();
            a.run("show ipsec counters");
            assertNotNull(got, "the held ping crossed once ISAKMP installed the SAs\n" + exchanges + "\n" + a.out());
            assertTrue(a.run("show isakmp sa"));
            assertTrue(a.out().contains("10.0.0.2"), a.out());
            // the row has the reference's fields in its order (seed 003: SHOW ISAKMP SA sample)
            assertEquals(List.of(), ReferenceLayouts.differences("show isakmp sa", a.out().lines().toList()), a.out());
            assertTrue(a.run("show ipsec sa"));
            assertTrue(a.out().contains("vpn"), a.out());
            // and the reply comes back through B's bundle
            hostB.transmit(ping(HOST_B, HOST_A, 2));
            assertNotNull(atA.poll(10, TimeUnit.SECONDS), "B's direction uses the negotiated SAs too");
            a.run("show log");
            assertTrue(a.out().contains("Completed successfully") || a.out().contains("completed"), a.out());
        } finally {
            hostA.close();
            hostB.close();
        }
    }

    static ByteBuf ping(int src, int dst, int seq) {
        ByteBuf b = Unpooled.buffer(28 + 32).writerIndex(60);
        Icmp.writeEcho(b, 20, Icmp.ECHO, 0x1234, seq, 40);
        Ipv4.write(b, 0, 0, 60, seq, 0, 64, Ipv4.PROTO_ICMP, src, dst);
        return b;
    }
}
