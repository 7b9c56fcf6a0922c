package io.argate.image.interop;

import io.argate.image.lab.Lab;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The interop harness checked without argate's IKE: strongSwan against strongSwan in two
 * namespaces (kernel-libipsec userspace ESP on both), directly and through the masquerading NAT,
 * each time a ping between the two LANs through the tunnel; and an argate router put on one side
 * by the same topology, routing in the clear, so the wiring argate-versus-peer tests rely on is
 * proven too. Needs root and strongSwan; skipped with the reason otherwise, failing instead when
 * ARGATE_LAB_REQUIRED=true.
 */
class PeerHarnessInteropLabTest {
    /** Three probes: the first can race the responder's SA install after Quick Mode. */
    private static final int PROBES = 3;

    @Test
    void mainModePskCarriesAPingBetweenTheLans() {
        try (InteropNet net = InteropNet.open()) {
            StrongSwanPeer.requireInstalled();
            Topology t = Topology.peers(net, Topology.Layout.DIRECT);
            StrongSwanPeer right = StrongSwanPeer.start(net, t.right().ns(),
                    SwanctlConfig.gateway(SwanctlConfig.Kind.MAIN_PSK, t.right(), t.left()).set("REMOTE_ADDRS", "%any"));
            StrongSwanPeer left = StrongSwanPeer.start(net, t.left().ns(),
                    SwanctlConfig.gateway(SwanctlConfig.Kind.MAIN_PSK, t.left(), t.right())
                            .proposals(SwanProposals.list(SwanProposals.AES128_SHA1_MODP1024, SwanProposals.TRIPLE_DES_SHA1_MODP1024),
                                    SwanProposals.AES128_SHA1_MODP1024));

            Lab.Result init = left.initiate(SwanctlConfig.CHILD, SwanctlConfig.IKE);
            assertTrue(StrongSwanPeer.succeeded(init), init.out() + "\n" + left.logTail(40));

            SwanSa.Ike r = right.ikeSa(SwanctlConfig.IKE);
            SwanSa.Ike l = left.ikeSa(SwanctlConfig.IKE);
            assertEquals("ESTABLISHED", r.state());
            assertEquals(1, r.version());
            assertTrue(l.initiator());
            assertFalse(r.initiator());
            assertEquals(l.initiatorSpi(), r.initiatorSpi(), "both ends name the same ISAKMP cookies");
            assertEquals(l.responderSpi(), r.responderSpi());
            assertEquals("AES_CBC", r.encrAlg());
            assertEquals(128, r.encrKeySize());
            assertEquals("HMAC_SHA1_96", r.integAlg());
            assertEquals("MODP_1024", r.dhGroup());
            assertEquals(Topology.LEFT_WAN, r.remoteHost());

            SwanSa.Child rc = r.child(SwanctlConfig.CHILD);
            SwanSa.Child lc = l.child(SwanctlConfig.CHILD);
            assertTrue(rc.installed(), rc.toString());
            assertEquals("TUNNEL", rc.mode());
            assertEquals("ESP", rc.protocol());
            assertTrue(rc.encap(), "kernel-libipsec only speaks ESP in UDP");
            assertEquals(lc.spiIn(), rc.spiOut(), "one SA each way, named alike at both ends");
            assertEquals(lc.spiOut(), rc.spiIn());
            assertEquals("MODP_1024", rc.dhGroup(), "PFS group 2 as proposed");
            assertEquals(java.util.List.of("10.99.2.0/24"), rc.localTs());
            assertEquals(java.util.List.of("10.99.1.0/24"), rc.remoteTs());

            Lab.Result ping = t.left().ns().ping(t.left().lanHost(), t.right().lanHost(), PROBES);
            assertTrue(Netns.received(ping) >= PROBES - 1, ping.out() + "\n" + right.logTail(30));
            assertTrue(right.ikeSa(SwanctlConfig.IKE).child(SwanctlConfig.CHILD).packetsIn() >= PROBES - 1,
                    "the echo requests arrived through the SA");
        }
    }

    @Test
    void natTraversalThroughTheMasqueradingNamespace() {
        try (InteropNet net = InteropNet.open()) {
            StrongSwanPeer.requireInstalled();
            Topology t = Topology.peers(net, Topology.Layout.NAT);
            StrongSwanPeer right = StrongSwanPeer.start(net, t.right().ns(),
                    SwanctlConfig.gateway(SwanctlConfig.Kind.MAIN_PSK, t.right(), t.left()).set("REMOTE_ADDRS", "%any"));
            StrongSwanPeer left = StrongSwanPeer.start(net, t.left().ns(),
                    SwanctlConfig.gateway(SwanctlConfig.Kind.MAIN_PSK, t.left(), t.right()));

            Lab.Result init = left.initiate(SwanctlConfig.CHILD, SwanctlConfig.IKE);
            assertTrue(StrongSwanPeer.succeeded(init), init.out() + "\n" + left.logTail(40));

            SwanSa.Ike r = right.ikeSa(SwanctlConfig.IKE);
            assertEquals("ESTABLISHED", r.state());
            assertEquals(Topology.NAT_OUTSIDE, r.remoteHost(), "right sees left as the NAT's outside address");
            assertEquals(4500, r.localPort(), "IKE moved to the NAT-T port");
            assertTrue(left.log().contains("local host is behind NAT"), left.logTail(40));
            assertTrue(r.child(SwanctlConfig.CHILD).encap());

            Lab.Result ping = t.left().ns().ping(t.left().lanHost(), t.right().lanHost(), PROBES);
            assertTrue(Netns.received(ping) >= PROBES - 1, ping.out() + "\n" + right.logTail(30));
        }
    }

    @Test
    void aggressiveModeResponderFindsTheKeyByTheInitiatorsId() {
        try (InteropNet net = InteropNet.open()) {
            StrongSwanPeer.requireInstalled();
            Topology t = Topology.peers(net, Topology.Layout.DIRECT);
            StrongSwanPeer right = StrongSwanPeer.start(net, t.right().ns(),
                    SwanctlConfig.gateway(SwanctlConfig.Kind.AGGRESSIVE_PSK, t.right(), t.left())
                            .set("REMOTE_ADDRS", "%any").ids("@ia-hub.example", "@ia-branch.example").psk("ia-branch-key"));
            StrongSwanPeer left = StrongSwanPeer.start(net, t.left().ns(),
                    SwanctlConfig.gateway(SwanctlConfig.Kind.AGGRESSIVE_PSK, t.left(), t.right())
                            .ids("@ia-branch.example", "@ia-hub.example").psk("ia-branch-key"));

            Lab.Result init = left.initiate(SwanctlConfig.CHILD, SwanctlConfig.IKE);
            assertTrue(StrongSwanPeer.succeeded(init), init.out() + "\n" + right.logTail(40));
            SwanSa.Ike r = right.ikeSa(SwanctlConfig.IKE);
            assertEquals("ia-branch.example", r.remoteId());
            assertTrue(right.log().contains("Aggressive Mode"), "the exchange was Aggressive Mode");
        }
    }

    @Test
    void xauthClientAuthenticatesAfterPhaseOne() {
        try (InteropNet net = InteropNet.open()) {
            StrongSwanPeer.requireInstalled();
            Topology t = Topology.peers(net, Topology.Layout.DIRECT);
            StrongSwanPeer right = StrongSwanPeer.start(net, t.right().ns(),
                    SwanctlConfig.gateway(SwanctlConfig.Kind.XAUTH_PSK_SERVER, t.right(), t.left()).set("REMOTE_ADDRS", "%any"));
            StrongSwanPeer left = StrongSwanPeer.start(net, t.left().ns(),
                    SwanctlConfig.gateway(SwanctlConfig.Kind.XAUTH_PSK_CLIENT, t.left(), t.right()));

            Lab.Result init = left.initiate(SwanctlConfig.CHILD, SwanctlConfig.IKE);
            assertTrue(StrongSwanPeer.succeeded(init), init.out() + "\n" + right.logTail(40));
            assertTrue(right.log().contains("XAuth authentication of 'ia-user' successful"), right.logTail(40));
        }
    }

    /**
     * Libreswan's pluto (unpacked by .ci/run) completes Main Mode with strongSwan; Quick Mode
     * cannot install SAs on this kernel, so only phase 1 is asserted, on both ends.
     */
    @Test
    void libreswanCompletesMainModeWithStrongSwan() throws Exception {
        try (InteropNet net = InteropNet.open()) {
            StrongSwanPeer.requireInstalled();
            LibreswanPeer.requireInstalled();
            Topology t = Topology.peers(net, Topology.Layout.DIRECT);
            StrongSwanPeer right = StrongSwanPeer.start(net, t.right().ns(),
                    SwanctlConfig.gateway(SwanctlConfig.Kind.MAIN_PSK, t.right(), t.left()).set("REMOTE_ADDRS", "%any")
                            .proposals(SwanProposals.AES128_SHA1_MODP2048, SwanProposals.AES128_SHA1_MODP2048));
            LibreswanPeer left = LibreswanPeer.start(net, t.left().ns(), LibreswanPeer.gateway(t.left(), t.right()));

            Lab.must(left.initiate(), "whack --initiate");
            long end = System.currentTimeMillis() + 15_000;
            while (!left.phaseOneEstablished() && System.currentTimeMillis() < end) {
                Thread.sleep(200);
            }
            assertTrue(left.phaseOneEstablished(), left.status() + "\n" + right.logTail(30));
            SwanSa.Ike r = right.ikeSa(SwanctlConfig.IKE);
            assertEquals("ESTABLISHED", r.state());
            assertEquals("MODP_2048", r.dhGroup());
        }
    }

    /**
     * argate on one side of the same topology (its TUN ports placed by {@link Topology}),
     * routing in the clear: the LAN host behind argate pings the peer side's LAN.
     */
    @ParameterizedTest
    @EnumSource(Topology.Layout.class)
    void argateSideIsWiredToThePeerSide(Topology.Layout layout) throws Exception {
        Path data = Files.createTempDirectory("ia-argate-");
        try (InteropNet net = InteropNet.open()) {
            Topology t = Topology.build(net, layout, Topology.Kind.ARGATE, Topology.Kind.PEER);
            ArgateSide.boot(net, t, data, List.of());
            t.routeLansInClear();

            Lab.Result ping = t.left().ns().ping(null, t.right().lanHost(), PROBES);
            assertEquals(PROBES, Netns.received(ping), ping.out());
        } finally {
            StrongSwanPeer.deleteTree(data);
        }
    }
}
