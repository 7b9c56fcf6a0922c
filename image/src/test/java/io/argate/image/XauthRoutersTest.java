package io.argate.image;

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

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference's XAUTH setup (seed 003 "XAUTH") between two whole argate routers: B is the fixed
 * side (PEER=ANY, XAUTH=SERVER, users added with ADD USER ... LOGIN=NO), A the dynamic side
 * (XAUTH=CLIENT with XAUTHNAME and XAUTHPASS). With the right password host A's ping crosses and
 * B shows the user; with a wrong one nothing crosses and B logs the user and counts the refusal.
 */
class XauthRoutersTest {
    @TempDir
    Path dir;

    static List<String> side(String wan, String peer, String lan, String remoteLan, String isakmpPeer, String xauth) {
        List<String> l = new ArrayList<>(IsakmpRoutersTest.walkthrough(wan, peer, lan, remoteLan));
        int at = l.indexOf("CREATE ISAKMP POLICY=i PEER=" + peer + " KEY=1 SENDN=TRUE");
        l.set(at, "CREATE ISAKMP POLICY=i PEER=" + isakmpPeer + " KEY=1 SENDN=TRUE " + xauth);
        return l;
    }

    private String negotiate(String password, boolean crosses) throws Exception {
        String tag = Long.toString(System.nanoTime(), 36);
        Path pa = dir.resolve("a" + tag + ".platform");
        Path pb = dir.resolve("b" + tag + ".platform");
        Files.writeString(pa, "vlan1 mem link=la" + tag + "\neth0 mem link=w" + tag + "\n");
        Files.writeString(pb, "vlan1 mem link=lb" + tag + "\neth0 mem link=w" + tag + "\n");
        MemPort hostA = new MemPort("hostA", "la" + tag, 1500);
        MemPort hostB = new MemPort("hostB", "lb" + tag, 1500);
        LinkedBlockingQueue<ByteBuf> atB = new LinkedBlockingQueue<>();
        hostA.start((p, b) -> {
        });
        hostB.start((p, b) -> atB.add(b));
        try (RouterRig a = new RouterRig(dir.resolve("a" + tag), Clock.systemUTC(), "--platform", pa.toString());
             RouterRig b = new RouterRig(dir.resolve("b" + tag), Clock.systemUTC(), "--platform", pb.toString())) {
            for (String line : side("10.0.0.1", "10.0.0.2", "192.168.10", "192.168.20", "10.0.0.2", "XAUTH=CLIENT")) {
                a.ok(line);
            }
            a.ok("SET ISAKMP POLICY=i XAUTHNAME=client1 XAUTHPASS=" + password);
            b.ok("ADD USER=client1 PASSWORD=passclie1 LOGIN=NO");
            b.ok("ADD USER=client2 PASSWORD=passclie2 LOGIN=NO");
            for (String line : side("10.0.0.2", "10.0.0.1", "192.168.20", "192.168.10", "ANY", "XAUTH=SERVER")) {
                b.ok(line);
            }
            ByteBuf got = null;
            for (int seq = 1; seq <= (crosses ? 30 : 6) && got == null; seq++) {
                hostA.transmit(IsakmpRoutersTest.ping(IsakmpRoutersTest.HOST_A, IsakmpRoutersTest.HOST_B, seq));
                got = atB.poll(1, TimeUnit.SECONDS);
            }
            StringBuilder shown = new StringBuilder();
            for (String c : List.of("show isakmp sa=1", "show isakmp counters=xauth", "show log")) {
                b.run(c);
                shown.append(b.out()).append('\n');
            }
            if (crosses) {
                assertNotNull(got, "the ping crossed after XAUTH\n" + shown);
            } else {
                assertNull(got, "nothing crosses without XAUTH\n" + shown);
            }
            return shown.toString();
        } finally {
            hostA.close();
            hostB.close();
        }
    }

    @Test
    void theRightPasswordLetsTheTunnelUpAndBShowsTheUser() throws Exception {
        String shown = negotiate("passclie1", true);
        assertTrue(shown.contains("XAUTH User") && shown.contains("client1"), shown);
        assertTrue(shown.matches("(?s).*xauthServerAccepted\\s+1.*"), shown);
        assertTrue(shown.contains("XAUTH: user client1 authenticated from"), shown);
    }

    @Test
    void aWrongPasswordIsRefusedLoggedAndCounted() throws Exception {
        String shown = negotiate("wrong", false);
        assertTrue(shown.contains("XAUTH: authentication failed for user client1"), shown);
        assertTrue(shown.contains("XAUTH failed for client1 on ISAKMP from"), "the user database's own line: " + shown);
        assertTrue(shown.matches("(?s).*xauthServerRefused\\s+[1-9].*"), shown);
    }
}
