package io.argate.image.interop;

import io.argate.image.lab.Lab;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SA lifetimes and deletes with strongSwan (issue 12, interop item 4): short phase 1 and phase 2
 * lifetimes while a ping runs through the tunnel (strongSwan re-keys its CHILD_SA and
 * re-authenticates its IKEv1 SA, argate answers the new Main Mode and Quick Modes), and delete
 * notifications both ways: PURGE ISAKMP on argate (SENDDELETES=TRUE) removes strongSwan's SAs,
 * {@code swanctl --terminate} removes argate's. The topology is {@link StrongSwanInteropLabTest}'s:
 * argate left, strongSwan right, ESP in UDP (strongSwan's userspace ESP).
 */
class StrongSwanRekeyInteropLabTest {
    private static final int PROBES = 4;
    /** Ping interval and count for the rekey window: 45 s, past a CHILD_SA rekey and the IKE re-authentication. */
    private static final String INTERVAL = "0.2";
    private static final int WINDOW_PINGS = 225;
    private static final long WAIT_MS = 20_000;

    private record Lab2(Topology t, ArgateSide argate, StrongSwanPeer sw) {
    }

    /** argate and a strongSwan initiator (its lifetimes as given), tunnel up and pinged once. */
    private static Lab2 up(InteropNet net, Path data, String ikeRekey, String childRekey, String childLife) throws Exception {
        StrongSwanPeer.requireInstalled();
        Topology t = Topology.build(net, Topology.Layout.DIRECT, Topology.Kind.ARGATE, Topology.Kind.PEER);
        List<String> vpn = new java.util.ArrayList<>(StrongSwanInteropLabTest.argateVpn(t.right().seenAs(),
                "ENCALG=AES128 HASHALG=SHA GROUP=2 SENDDELETES=TRUE", "ENCALG=AES128 HASHALG=SHA", 0));
        ArgateSide argate = ArgateSide.boot(net, t, data, vpn);
        SwanctlConfig cfg = SwanctlConfig.gateway(SwanctlConfig.Kind.MAIN_PSK, t.right(), t.left())
                .proposals(SwanProposals.AES128_SHA1_MODP1024, SwanProposals.ESP_AES128_SHA1)
                .set("IKE_REKEY_TIME", ikeRekey).set("CHILD_REKEY_TIME", childRekey).set("CHILD_LIFE_TIME", childLife);
        StrongSwanPeer sw = StrongSwanPeer.start(net, t.right().ns(), cfg);
        Lab.Result init = sw.initiate(SwanctlConfig.CHILD, SwanctlConfig.IKE);
        assertTrue(StrongSwanPeer.succeeded(init), init.out() + "\n" + sw.logTail(60) + "\n" + show(argate));
        Lab.Result ping = t.left().ns().ping(null, t.right().lanHost(), PROBES);
        for (int round = 0; round < 5 && Netns.received(ping) < PROBES - 1; round++) {
            ping = t.left().ns().ping(null, t.right().lanHost(), PROBES);
        }
        assertTrue(Netns.received(ping) >= PROBES - 1, ping.out() + "\n" + sw.logTail(60) + "\n" + show(argate));
        return new Lab2(t, argate, sw);
    }

    @Test
    void shortLifetimesRekeyWhileAPingRunsAndNoPacketIsLostBeyondTheFirstAfterEachExpiry() throws Exception {
        Path data = Files.createTempDirectory("ia-argate-");
        try (InteropNet net = InteropNet.open()) {
            Lab2 l = up(net, data, "30s", "20s", "25s");
            SwanSa.Ike before = settled(l.sw());
            SwanSa.Child childBefore = installed(before);
            String argateIkeBefore = l.argate().show("show isakmp sa");
            String argateIpsecBefore = l.argate().show("show ipsec sa");

            Lab.Result ping = l.t().left().ns().exec("ping", "-n", "-c", Integer.toString(WINDOW_PINGS), "-i", INTERVAL, "-W", "2",
                    l.t().right().lanHost());
            String why = ping.out() + "\n--- strongSwan:\n" + l.sw().logTail(120) + "\n--- argate:\n" + show(l.argate());

            SwanSa.Ike after = settled(l.sw());
            // a re-keyed CHILD_SA stays listed (REKEYED) until its lifetime ends: the installed one is the new one
            SwanSa.Child childAfter = installed(after);
            // new SAs replaced the old on both sides
            assertNotEquals(before.initiatorSpi(), after.initiatorSpi(), "strongSwan re-authenticated phase 1\n" + why);
            assertNotEquals(childBefore.spiIn(), childAfter.spiIn(), "strongSwan re-keyed its CHILD_SA\n" + why);
            assertTrue(after.established() && childAfter.installed(), after + "\n" + why);
            assertNotEquals(argateIkeBefore, l.argate().show("show isakmp sa"), why);
            assertNotEquals(argateIpsecBefore, l.argate().show("show ipsec sa"), why);
            // each replacement may cost the one packet in flight at the switch, no more
            int replacements = replacements(l.sw().log());
            int lost = WINDOW_PINGS - Netns.received(ping);
            assertTrue(lost <= Math.max(1, replacements), lost + " lost over " + replacements + " replacements\n" + why);
        } finally {
            StrongSwanPeer.deleteTree(data);
        }
    }

    /**
     * How many times strongSwan replaced an SA (CHILD_SA rekeys, IKE re-authentications): the SAs
     * it established, less the first IKE SA and CHILD_SA.
     */
    private static int replacements(String log) {
        long ike = log.lines().filter(x -> x.matches(".*IKE_SA " + SwanctlConfig.IKE + "\\[\\d+] established.*")).count();
        long child = log.lines().filter(x -> x.matches(".*CHILD_SA " + SwanctlConfig.CHILD + "\\{\\d+} established.*")).count();
        return (int) (Math.max(0, ike - 1) + Math.max(0, child - 1));
    }

    /**
     * strongSwan's IKE SA once it lists an INSTALLED CHILD_SA: asked at the moment of a rekey it
     * shows the child as REKEYING, which settles within a second or two, so ask again until then.
     */
    private static SwanSa.Ike settled(StrongSwanPeer sw) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        SwanSa.Ike sa = sw.ikeSa(SwanctlConfig.IKE);
        while (sa.children().stream().noneMatch(c -> c.name().equals(SwanctlConfig.CHILD) && c.installed())
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
            sa = sw.ikeSa(SwanctlConfig.IKE);
        }
        return sa;
    }

    /** The newest INSTALLED child SA of the scenario's connection. */
    private static SwanSa.Child installed(SwanSa.Ike sa) {
        return sa.children().stream().filter(c -> c.name().equals(SwanctlConfig.CHILD) && c.installed())
                .reduce((a, b) -> b.uniqueId() > a.uniqueId() ? b : a)
                .orElseThrow(() -> new AssertionError("no installed CHILD_SA in " + sa));
    }

    @Test
    void purgeIsakmpOnArgateSendsDeletesThatRemoveStrongSwansSas() throws Exception {
        endedByArgate("PURGE ISAKMP");
    }

    @Test
    void destroyIsakmpPolicyOnArgateSendsDeletesThatRemoveStrongSwansSas() throws Exception {
        endedByArgate("DESTROY ISAKMP POLICY=i");
    }

    /**
     * {@code command} on argate (SENDDELETES=TRUE) ends the tunnel: strongSwan receives a delete
     * for its CHILD_SA's ESP SPI (the IPsec SA is deleted by name, not only as a side effect of
     * the IKE SA going) and then for the IKE SA, and {@code swanctl --list-sas} lists neither.
     */
    private static void endedByArgate(String command) throws Exception {
        Path data = Files.createTempDirectory("ia-argate-");
        try (InteropNet net = InteropNet.open()) {
            Lab2 l = up(net, data, "4h", "1h", "66m");
            SwanSa.Ike ike = l.sw().ikeSa(SwanctlConfig.IKE);
            assertTrue(ike.established());
            String spiOut = installed(ike).spiOut();
            l.argate().ok(command);
            assertTrue(await(() -> l.sw().listSas().isEmpty()),
                    "strongSwan still holds " + l.sw().listSas() + "\n" + l.sw().logTail(40) + "\n" + show(l.argate()));
            String log = l.sw().log();
            assertTrue(log.lines().anyMatch(x -> x.contains("received DELETE for ESP CHILD_SA with SPI " + spiOut)),
                    "strongSwan was told of argate's inbound SPI " + spiOut + "\n" + l.sw().logTail(40));
            assertTrue(log.lines().anyMatch(x -> x.contains("received DELETE for IKE_SA")), l.sw().logTail(40));
            assertTrue(l.argate().show("show ipsec sa").lines().noneMatch(x -> x.contains("vpn")), show(l.argate()));
        } finally {
            StrongSwanPeer.deleteTree(data);
        }
    }

    @Test
    void swanctlTerminateRemovesArgatesSas() throws Exception {
        Path data = Files.createTempDirectory("ia-argate-");
        try (InteropNet net = InteropNet.open()) {
            Lab2 l = up(net, data, "4h", "1h", "66m");
            String peer = l.t().right().wan();
            assertTrue(l.argate().show("show isakmp sa").contains(peer));
            String ipsecBefore = l.argate().show("show ipsec sa");
            assertTrue(ipsecBefore.contains("vpn"), ipsecBefore);
            Lab.Result term = l.sw().terminate(SwanctlConfig.IKE);
            assertTrue(term.status() == 0, term.out());
            assertTrue(await(() -> !l.argate().show("show isakmp sa").contains(peer) && !l.argate().show("show ipsec sa").contains("vpn")),
                    "argate still holds SAs after strongSwan's deletes\n" + l.sw().logTail(40) + "\n" + show(l.argate()));
        } finally {
            StrongSwanPeer.deleteTree(data);
        }
    }

    /** Polls {@code done} every 100 ms until it holds or {@link #WAIT_MS} passed. */
    private static boolean await(BooleanSupplier done) throws InterruptedException {
        long end = System.currentTimeMillis() + WAIT_MS;
        while (System.currentTimeMillis() < end) {
            if (done.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return done.getAsBoolean();
    }

    private static String show(ArgateSide a) {
        return a.show("show isakmp sa", "show isakmp exchange", "show isakmp counters", "show ipsec sa", "show ipsec counters",
                "show log module=isak");
    }
}
