package io.argate.image;

import io.argate.ip.port.MemPort;
import io.argate.shell.testing.StepClock;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rekeying between two whole routers in one JVM on one stepped clock: IPsec SAs of 300 s and
 * an ISAKMP SA of 600 s, a ping each way every (stepped) second for 650 s, through two phase 2
 * rekeys and a phase 1 rekey. Every ping arrives; the replaced SAs are deleted with delete
 * notifications (SENDDELETES), not left to their hard limit.
 */
class IsakmpRoutersRekeyTest {
    @TempDir
    Path dir;

    static List<String> config(String wan, String peer, String lan, String remoteLan) {
        List<String> out = new ArrayList<>();
        for (String s : IsakmpRoutersTest.walkthrough(wan, peer, lan, remoteLan)) {
            if (s.startsWith("CREATE ISAKMP POLICY=i")) {
                s += " SENDDELETES=TRUE EXPIRYSECONDS=600";
            } else if (s.startsWith("CREATE IPSEC BUNDLE=1")) {
                s += " EXPIRYSECONDS=300";
            }
            out.add(s);
        }
        return out;
    }

    @Test
    void noPingIsLostAcrossPhaseTwoAndPhaseOneRekeys() throws Exception {
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
        StepClock clock = new StepClock();
        try (RouterRig a = new RouterRig(dir.resolve("a"), clock, "--platform", pa.toString());
             RouterRig b = new RouterRig(dir.resolve("b"), clock, "--platform", pb.toString())) {
            for (String line : config("10.0.0.2", "10.0.0.1", "192.168.20", "192.168.10")) {
                b.ok(line);
            }
            for (String line : config("10.0.0.1", "10.0.0.2", "192.168.10", "192.168.20")) {
                a.ok(line);
            }
            int lost = 0;
            List<String> where = new ArrayList<>();
            for (int second = 1; second <= 650; second++) {
                // the first ping waits for Main Mode and Quick Mode; later ones cross at once
                long wait = second == 1 ? 30 : 5;
                hostA.transmit(IsakmpRoutersTest.ping(IsakmpRoutersTest.HOST_A, IsakmpRoutersTest.HOST_B, second));
                ByteBuf x = atB.poll(wait, TimeUnit.SECONDS);
                hostB.transmit(IsakmpRoutersTest.ping(IsakmpRoutersTest.HOST_B, IsakmpRoutersTest.HOST_A, second));
                ByteBuf y = atA.poll(wait, TimeUnit.SECONDS);
                for (ByteBuf got : new ByteBuf[]{x, y}) {
                    if (got == null) {
                        lost++;
                        where.add((got == x ? "A->B" : "B->A") + " at " + second + " s");
                    } else {
                        got.release();
                    }
                }
                a.router.loop().advance(Duration.ofSeconds(1));
                b.router.loop().advance(Duration.ZERO);
            }
            a.run("show log");
            String logA = a.out();
            assertEquals(0, lost, where + "\n" + logA);
            a.run("show isakmp counters=info");
            String info = a.out();
            assertTrue(info.matches("(?s).*deletesSent\\D+[1-9].*"), info);
            b.run("show isakmp counters=info");
            assertTrue(b.out().matches("(?s).*deletesReceived\\D+[1-9].*"), b.out());
            // SHOW LOG wraps long messages
            String flat = logA.replaceAll("\\s+", " ");
            // bundle ids are the SAD's round-robin numbers (which one comes first is not the point)
            assertTrue(flat.matches("(?s).*IPsec SA bundle \\d+ of policy vpn was replaced by bundle \\d+ and deleted.*"), logA);
            assertTrue(flat.contains("ISAKMP SA 1 with 10.0.0.2 deleted: replaced by ISAKMP SA 2"), logA);
            a.run("show ipsec sa");
            assertEquals(1, a.out().lines().filter(l -> l.contains(" vpn ")).count(), "only the newest bundle is left\n" + a.out());
            a.run("show isakmp sa");
            assertEquals(1, a.out().lines().filter(l -> l.contains("10.0.0.2")).count(), "only the newest ISAKMP SA is left\n" + a.out());
        } finally {
            hostA.close();
            hostB.close();
        }
    }
}
