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
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference's ISAKMP walkthrough between two whole routers ({@link IsakmpRoutersTest}) with
 * SENDDELETES=TRUE: after PURGE ISAKMP (or DESTROY ISAKMP POLICY) on router A, router B's
 * SHOW IPSEC SA and SHOW ISAKMP SA no longer list the tunnel, because A told it with delete
 * payloads for the IPsec SAs and the ISAKMP SA, and B's counters show the deletes it received;
 * PURGE IPSEC on A ends only the IPsec SAs on B.
 */
class IsakmpRoutersPurgeTest {
    @TempDir
    Path dir;

    static List<String> withDeletes(String wan, String peer, String lan, String remoteLan) {
        List<String> out = new ArrayList<>();
        for (String line : IsakmpRoutersTest.walkthrough(wan, peer, lan, remoteLan)) {
            out.add(line);
            if (line.startsWith("CREATE ISAKMP POLICY")) {
                out.add("SET ISAKMP POLICY=i SENDDELETES=TRUE");
            }
        }
        return out;
    }

    @Test
    void purgeIsakmpOnOneRouterRemovesTheTunnelFromTheOther() throws Exception {
        endedOnA("PURGE ISAKMP");
    }

    @Test
    void destroyIsakmpPolicyOnOneRouterRemovesTheTunnelFromTheOther() throws Exception {
        endedOnA("DESTROY ISAKMP POLICY=i");
    }

    /** PURGE IPSEC ends only the IPsec SAs: B drops its bundle on A's delete and keeps the ISAKMP SA. */
    @Test
    void purgeIpsecOnOneRouterRemovesTheIpsecSasFromTheOther() throws Exception {
        endedOnA("PURGE IPSEC");
    }

    private void endedOnA(String command) throws Exception {
        boolean ipsecOnly = command.equals("PURGE IPSEC");
        String tag = Long.toString(System.nanoTime(), 36);
        Path pa = dir.resolve("a.platform");
        Path pb = dir.resolve("b.platform");
        Files.writeString(pa, "vlan1 mem link=la" + tag + "\neth0 mem link=w" + tag + "\n");
        Files.writeString(pb, "vlan1 mem link=lb" + tag + "\neth0 mem link=w" + tag + "\n");
        MemPort hostA = new MemPort("hostA", "la" + tag, 1500);
        MemPort hostB = new MemPort("hostB", "lb" + tag, 1500);
        LinkedBlockingQueue<ByteBuf> atB = new LinkedBlockingQueue<>();
        hostA.start((p, b) -> b.release());
        hostB.start((p, b) -> atB.add(b));
        try (RouterRig a = new RouterRig(dir.resolve("a"), Clock.systemUTC(), "--platform", pa.toString());
             RouterRig b = new RouterRig(dir.resolve("b"), Clock.systemUTC(), "--platform", pb.toString())) {
            for (String line : withDeletes("10.0.0.1", "10.0.0.2", "192.168.10", "192.168.20")) {
                a.ok(line);
            }
            for (String line : withDeletes("10.0.0.2", "10.0.0.1", "192.168.20", "192.168.10")) {
                b.ok(line);
            }
            ByteBuf got = null;
            for (int seq = 1; seq <= 30 && got == null; seq++) {
                hostA.transmit(IsakmpRoutersTest.ping(IsakmpRoutersTest.HOST_A, IsakmpRoutersTest.HOST_B, seq));
                got = atB.poll(1, TimeUnit.SECONDS);
            }
            assertNotNull(got, "the tunnel came up");
            assertTrue(shows(b, "show ipsec sa", "vpn") && shows(b, "show isakmp sa", "10.0.0.1"), b.out());

            a.ok(command);
            assertTrue(await(() -> !shows(b, "show ipsec sa", "vpn") && (ipsecOnly || !shows(b, "show isakmp sa", "10.0.0.1"))),
                    "B still lists the tunnel A ended:\n" + b.out());
            assertTrue(b.run("show isakmp counters=info"));
            String deletes = ipsecOnly ? "1" : "2";
            assertTrue(b.out().matches("(?s).*deletesReceived\\s+" + deletes + "\\b.*"), "the IPsec (and the ISAKMP) delete arrived\n" + b.out());
            if (ipsecOnly) {
                assertTrue(shows(b, "show isakmp sa", "10.0.0.1"), "PURGE IPSEC leaves the ISAKMP SA\n" + b.out());
            }
            assertTrue(!shows(a, "show ipsec sa", "vpn"), a.out());
            assertTrue(a.run("show log"));
            // SHOW LOG wraps its message column: read it as one line of words
            String logged = a.out().replaceAll("\\s+", " ");
            assertTrue(logged.contains("IPsec SA bundle") && logged.contains("with 10.0.0.2 deleted"), a.out());
        } finally {
            hostA.close();
            hostB.close();
        }
    }

    private static boolean shows(RouterRig r, String command, String text) {
        r.run(command);
        return r.out().contains(text);
    }

    /** Polls every 50 ms for at most 10 s: the deletes cross the mem link on the routers' own threads. */
    private static boolean await(BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (done.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return done.getAsBoolean();
    }
}
