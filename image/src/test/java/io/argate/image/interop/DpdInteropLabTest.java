package io.argate.image.interop;

import io.argate.image.lab.Lab;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 3706 dead peer detection between argate (DPDMODE=BOTH) and strongSwan (dpd_delay): each
 * answers the other's R-U-THERE while the tunnel is idle (whoever's delay is shorter asks: an
 * R-U-THERE is traffic too, so the other side stays quiet); when strongSwan's daemon is killed
 * (no Deletes, as in a crash) argate notices within DPDIDLETIMEOUT plus its retries, clears the
 * ISAKMP and IPsec SAs saying why, and re-initiates until strongSwan is back.
 */
class DpdInteropLabTest {
    private static final int IDLE = 5;

    @Test
    void argateAndStrongSwanAnswerEachOtherAndArgateReinitiatesAfterThePeerDied() throws Exception {
        Path data = Files.createTempDirectory("ia-argate-");
        try (InteropNet net = InteropNet.open()) {
            StrongSwanPeer.requireInstalled();
            Topology t = Topology.build(net, Topology.Layout.DIRECT, Topology.Kind.ARGATE, Topology.Kind.PEER);
            List<String> lines = new ArrayList<>(StrongSwanInteropLabTest.argateVpn(t.right().seenAs(),
                    "ENCALG=AES128 HASHALG=SHA GROUP=2 DPDMODE=BOTH DPDIDLETIMEOUT=" + IDLE, "ENCALG=AES128 HASHALG=SHA", 2));
            ArgateSide argate = ArgateSide.boot(net, t, data, lines);
            SwanctlConfig cfg = SwanctlConfig.gateway(SwanctlConfig.Kind.MAIN_PSK, t.right(), t.left())
                    .proposals(SwanProposals.AES128_SHA1_MODP1024, "aes128-sha1-modp1024").set("REMOTE_ADDRS", "%any").set("DPD_DELAY", "30s");
            StrongSwanPeer sw = StrongSwanPeer.start(net, t.right().ns(), cfg);
            // argate initiates on the first packets
            Lab.Result ping = t.left().ns().ping(null, t.right().lanHost(), 4);
            for (int round = 0; round < 5 && Netns.received(ping) < 2; round++) {
                ping = t.left().ns().ping(null, t.right().lanHost(), 4);
            }
            assertTrue(Netns.received(ping) >= 2, ping.out() + "\n" + sw.logTail(60) + "\n" + show(argate));
            // idle now: argate (5 s) asks before strongSwan (30 s) would, and strongSwan answers
            StrongSwanPeer peer = sw;
            await(30, () -> counter(argate, "dpdAcksReceived") >= 2, () -> "strongSwan answers argate's R-U-THERE\n" + peer.logTail(80)
                    + "\n" + show(argate));
            assertEquals(0, counter(argate, "dpdAcksUnexpected"));
            assertEquals(0, counter(argate, "dpdPeersDead"));

            // the peer's daemon dies without a word
            sw.kill();
            long killed = System.nanoTime();
            await(IDLE + 5 * 4 + 20, () -> counter(argate, "dpdPeersDead") >= 1, () -> "argate notices the dead peer\n" + show(argate));
            long noticedSeconds = (System.nanoTime() - killed) / 1_000_000_000L;
            String sa = argate.show("show isakmp sa=1");
            assertTrue(sa.contains("dead peer: no answer to 4 DPD R-U-THERE messages"), sa);
            String isakmpSas = argate.show("show isakmp sa");
            String ipsecSas = argate.show("show ipsec sa");
            String why = "noticed after " + noticedSeconds + " s\n" + isakmpSas + ipsecSas;
            assertTrue(!isakmpSas.contains(t.right().seenAs()), "the ISAKMP SA with the dead peer is cleared: " + why);
            assertTrue(!ipsecSas.contains(" vpn "), "and the IPsec SAs: " + why);

            // the peer comes back, now asking first (2 s): argate's re-initiation (with backoff) reaches it without traffic asking
            SwanctlConfig quick = cfg.set("DPD_DELAY", "2s");
            StrongSwanPeer again = StrongSwanPeer.start(net, t.right().ns(), quick);
            await(90, () -> established(again), () -> "argate re-initiated\n" + again.logTail(60) + "\n" + show(argate));
            assertTrue(counter(argate, "deadPeerReinitiations") >= 1, show(argate));
            // strongSwan's R-U-THERE is answered, so it keeps the SA
            await(30, () -> counter(argate, "dpdRuThereReceived") >= 2 && counter(argate, "dpdAcksSent") >= 2,
                    () -> "argate answers strongSwan's R-U-THERE\n" + again.logTail(60) + "\n" + show(argate));
            assertTrue(established(again), again.logTail(60));
            Lab.Result after = t.left().ns().ping(null, t.right().lanHost(), 4);
            for (int round = 0; round < 5 && Netns.received(after) < 2; round++) {
                after = t.left().ns().ping(null, t.right().lanHost(), 4);
            }
            assertTrue(Netns.received(after) >= 2, after.out() + "\n" + again.logTail(60) + "\n" + show(argate));
        } finally {
            StrongSwanPeer.deleteTree(data);
        }
    }

    private static boolean established(StrongSwanPeer sw) {
        try {
            return "ESTABLISHED".equals(sw.ikeSa(SwanctlConfig.IKE).state());
        } catch (RuntimeException | AssertionError e) {
            return false;
        }
    }

    /** A lab test waits on real daemons: polls {@code done} every 250 ms for up to {@code seconds}. */
    private static void await(int seconds, BooleanSupplier done, java.util.function.Supplier<String> why) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + seconds + " s: " + why.get());
            }
            Thread.sleep(250);
        }
    }

    /** One counter of SHOW ISAKMP COUNTERS, as a user reads it. */
    static long counter(ArgateSide a, String name) {
        for (String line : a.show("show isakmp counters").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].equals(name)) {
                return Long.parseLong(f[1]);
            }
        }
        throw new AssertionError("no counter " + name);
    }

    private static String show(ArgateSide a) {
        return a.show("show isakmp sa", "show isakmp counters=heartbeat", "show ipsec sa", "show log module=isak");
    }
}
