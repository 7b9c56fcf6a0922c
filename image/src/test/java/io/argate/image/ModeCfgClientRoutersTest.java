package io.argate.image;

import io.argate.ip.packet.Icmp;
import io.argate.ip.packet.Ipv4;
import io.argate.ip.port.MemPort;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * argate as a Mode Config client (MODECFG=CLIENT) behind which a LAN lives: B is the gateway
 * with a pool (XAUTH=SERVER, POOL=clients, 192.168.30.10-20), A the client whose policy still
 * speaks of its LAN (LAD=192.168.10.0/24). B gives A 192.168.30.10, Quick Mode offers it as A's
 * side, and A's LAN host's ping reaches B's LAN from that address (B's host sees it as the
 * source), the echo reply finds its way back to the LAN host, and A's own PING leaves from it too.
 */
class ModeCfgClientRoutersTest {
    static final int ASSIGNED = 0xc0a81e0a;

    @TempDir
    Path dir;

    @Test
    void aLanHostBehindAModeConfigClientPingsFromTheAssignedAddress() throws Exception {
        String tag = Long.toString(System.nanoTime(), 36);
        Path pa = dir.resolve("a.platform");
        Path pb = dir.resolve("b.platform");
        Files.writeString(pa, "vlan1 mem link=la" + tag + "\neth0 mem link=w" + tag + "\n");
        Files.writeString(pb, "vlan1 mem link=lb" + tag + "\neth0 mem link=w" + tag + "\n");
        MemPort hostA = new MemPort("hostA", "la" + tag, 1500);
        MemPort hostB = new MemPort("hostB", "lb" + tag, 1500);
        LinkedBlockingQueue<ByteBuf> atA = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<ByteBuf> atB = new LinkedBlockingQueue<>();
        hostA.start((p, b) -> atA.add(b.copy()));
        // host B answers every echo request, as a host on the gateway's LAN would
        hostB.start((p, b) -> {
            ByteBuf seen = b.copy();
            atB.add(seen);
            if (Ipv4.protocol(seen, 0) == Ipv4.PROTO_ICMP && seen.getUnsignedByte(20) == Icmp.ECHO) {
                ByteBuf r = seen.copy();
                int src = Ipv4.source(r, 0);
                r.setInt(12, Ipv4.destination(r, 0));
                r.setInt(16, src);
                Ipv4.updateChecksum(r, 0);
                Icmp.echoToReply(r, 20, Ipv4.totalLength(r, 0) - 20);
                hostB.transmit(r);
            }
        });
        try (RouterRig a = new RouterRig(dir.resolve("a"), Clock.systemUTC(), "--platform", pa.toString());
             RouterRig b = new RouterRig(dir.resolve("b"), Clock.systemUTC(), "--platform", pb.toString())) {
            for (String line : XauthRoutersTest.side("10.0.0.1", "10.0.0.2", "192.168.10", "192.168.20", "10.0.0.2",
                    "XAUTH=CLIENT MODECFG=CLIENT")) {
                a.ok(line);
            }
            a.ok("SET ISAKMP POLICY=i XAUTHNAME=client1 XAUTHPASS=passclie1");
            b.ok("ADD USER=client1 PASSWORD=passclie1 LOGIN=NO");
            b.ok("CREATE ISAKMP POOL=clients RANGE=192.168.30.10-192.168.30.20");
            // the gateway's policy names the pool's network as the remote side, as a remote-access gateway's does
            List<String> gw = new ArrayList<>(XauthRoutersTest.side("10.0.0.2", "10.0.0.1", "192.168.20", "192.168.30", "ANY",
                    "XAUTH=SERVER POOL=clients"));
            for (String line : gw) {
                b.ok(line);
            }
            ByteBuf got = null;
            for (int seq = 1; seq <= 30 && got == null; seq++) {
                hostA.transmit(IsakmpRoutersTest.ping(IsakmpRoutersTest.HOST_A, IsakmpRoutersTest.HOST_B, seq));
                got = atB.poll(1, TimeUnit.SECONDS);
            }
            String why = show(a, "show isakmp sa=1", "show ipsec counters", "show log") + show(b, "show isakmp sa=1", "show log");
            assertNotNull(got, "the LAN host's ping crossed once Mode Config and Quick Mode were done\n" + why);
            assertEquals(ASSIGNED, Ipv4.source(got, 0), "B's LAN sees the assigned address as the source\n" + why);
            assertEquals(IsakmpRoutersTest.HOST_B, Ipv4.destination(got, 0));
            assertTrue(Ipv4.checksumOk(got, 0));
            assertEquals(0, Ipv4.checksum(got, 20, Ipv4.totalLength(got, 0) - 20), "the ICMP checksum was mended");
            // the reply comes back through the tunnel to the assigned address and on to host A
            ByteBuf reply = null;
            for (int i = 0; i < 10 && reply == null; i++) {
                ByteBuf r = atA.poll(1, TimeUnit.SECONDS);
                if (r != null && Ipv4.protocol(r, 0) == Ipv4.PROTO_ICMP && r.getUnsignedByte(20) == Icmp.ECHO_REPLY) {
                    reply = r;
                }
            }
            why = show(a, "show ipsec counters", "show log") + show(b, "show ipsec counters", "show ipsec sa", "show ip counters", "show log");
            assertNotNull(reply, "the echo reply was translated back to the LAN host\n" + why);
            assertEquals(IsakmpRoutersTest.HOST_A, Ipv4.destination(reply, 0));
            assertEquals(IsakmpRoutersTest.HOST_B, Ipv4.source(reply, 0));
            assertEquals(0x1234, reply.getUnsignedShort(24), "the echo identifier is the host's own again");
            assertEquals(0, Ipv4.checksum(reply, 20, Ipv4.totalLength(reply, 0) - 20));

            // the assignment shows where the user looks for it
            String sa = show(a, "show isakmp sa=1");
            assertTrue(sa.contains("Mode Config Address") && sa.contains("192.168.30.10"), sa);
            String policy = show(a, "show ipsec policy=vpn");
            assertTrue(policy.matches("(?s).*Mode Config Address \\.+ 192\\.168\\.30\\.10.*"), policy);
            String counters = show(a, "show ipsec counters");
            assertTrue(counters.matches("(?s).*outModeCfgTranslated \\.+ [1-9].*"), counters);
            assertTrue(counters.matches("(?s).*inModeCfgTranslated \\.+ [1-9].*"), counters);

            // the router's own PING to B's LAN leaves from the assigned address too, and is answered
            atB.clear();
            a.run("ping 192.168.20.7 number=2 timeout=2");
            String ping = a.out();
            ByteBuf own = atB.poll(5, TimeUnit.SECONDS);
            assertNotNull(own, "A's own ping went through the tunnel\n" + ping + show(a, "show ipsec counters"));
            assertEquals(ASSIGNED, Ipv4.source(own, 0), ping);
            assertTrue(ping.toLowerCase().contains("reply from 192.168.20.7") || ping.contains("192.168.20.7"), ping);
        } finally {
            hostA.close();
            hostB.close();
        }
    }

    private static String show(RouterRig r, String... commands) {
        StringBuilder b = new StringBuilder();
        for (String c : commands) {
            r.run(c);
            b.append("> ").append(c).append('\n').append(r.out()).append('\n');
        }
        return b.toString();
    }
}
