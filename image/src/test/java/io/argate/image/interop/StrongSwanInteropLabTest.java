package io.argate.image.interop;

import io.argate.image.lab.Lab;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * argate's ISAKMP against a real, independently written IKEv1 implementation (issue 12): argate
 * on the left on TUN ports, strongSwan 5.9 (charon with kernel-libipsec) on the right, the
 * Linux hosts behind them pinging through the tunnel. strongSwan's userspace ESP speaks only
 * ESP in UDP, so every tunnel here also proves argate's NAT-T: the RFC 3947 vendor ID, NAT-D,
 * the move to 4500 with the non-ESP marker, and RFC 3948 encapsulation.
 */
class StrongSwanInteropLabTest {
    private static final int PROBES = 4;

    /** The reference's walkthrough on argate's side, with the lab's addresses and algorithms. */
    static List<String> argateVpn(String peer, String ike, String esp, int pfsGroup) {
        List<String> l = new ArrayList<>();
        l.add("CREATE ENCO KEY=1 TYPE=GENERAL VALUE=\"" + SwanctlConfig.DEFAULT_PSK + "\"");
        l.add("CREATE ISAKMP POLICY=i PEER=" + peer + " KEY=1 SENDN=TRUE NATTRAVERSAL=TRUE " + ike);
        l.add("CREATE IPSEC SASPEC=1 KEYMAN=ISAKMP PROT=ESP " + esp);
        l.add("CREATE IPSEC BUNDLE=1 KEYMAN=ISAKMP STRING=\"1\"");
        l.add("CREATE IPSEC POLICY=isa INT=eth1 ACTION=PERMIT LPORT=500 RPORT=500 TRANSPORT=UDP");
        l.add("CREATE IPSEC POLICY=natt INT=eth1 ACTION=PERMIT LPORT=4500 RPORT=4500 TRANSPORT=UDP");
        l.add("CREATE IPSEC POLICY=vpn INT=eth1 ACTION=IPSEC KEYMAN=ISAKMP BUNDLE=1 PEER=" + peer
                + (pfsGroup > 0 ? " GROUP=" + pfsGroup : ""));
        l.add("SET IPSEC POLICY=vpn LAD=10.99.1.0 LMA=255.255.255.0 RAD=10.99.2.0 RMA=255.255.255.0");
        l.add("CREATE IPSEC POLICY=inet INT=eth1 ACTION=PERMIT");
        l.add("ENABLE IPSEC");
        l.add("ENABLE ISAKMP");
        return l;
    }

    @Test
    void argateInitiatesMainModeToStrongSwanAndTheLansPing() throws Exception {
        tunnel(true, "ENCALG=AES128 HASHALG=SHA GROUP=2", "ENCALG=AES128 HASHALG=SHA", 2,
                SwanProposals.AES128_SHA1_MODP1024, "aes128-sha1-modp1024");
    }

    @Test
    void strongSwanInitiatesMainModeToArgateWith3des() throws Exception {
        tunnel(false, "ENCALG=3DESOUTER HASHALG=SHA GROUP=2", "ENCALG=3DESOUTER HASHALG=SHA", 0,
                SwanProposals.TRIPLE_DES_SHA1_MODP1024, SwanProposals.ESP_3DES_SHA1);
    }

    /** 3DES/SHA1/group 2 with PFS group 2 in Quick Mode, argate initiating and then strongSwan initiating. */
    @Test
    void tripleDesSha1Group2WithPfsBothRoles() throws Exception {
        for (boolean argateInitiates : new boolean[]{true, false}) {
            tunnel(argateInitiates, "ENCALG=3DESOUTER HASHALG=SHA GROUP=2", "ENCALG=3DESOUTER HASHALG=SHA", 2,
                    SwanProposals.TRIPLE_DES_SHA1_MODP1024, SwanProposals.TRIPLE_DES_SHA1_MODP1024);
        }
    }

    /** 3DES/SHA1/group 2 without PFS, argate initiating (strongSwan initiating is the test above). */
    @Test
    void argateInitiatesMainModeWith3desWithoutPfs() throws Exception {
        tunnel(true, "ENCALG=3DESOUTER HASHALG=SHA GROUP=2", "ENCALG=3DESOUTER HASHALG=SHA", 0,
                SwanProposals.TRIPLE_DES_SHA1_MODP1024, SwanProposals.ESP_3DES_SHA1);
    }

    @Test
    void aes256Sha256Group14WithPfs14() throws Exception {
        tunnel(true, "ENCALG=AES256 HASHALG=SHA2-256 GROUP=14", "ENCALG=AES256 HASHALG=SHA2-256", 14,
                "aes256-sha256-modp2048", "aes256-sha256-modp2048");
    }

    @Test
    void desMd5Group1() throws Exception {
        tunnel(false, "ENCALG=DES HASHALG=MD5 GROUP=1", "ENCALG=DES HASHALG=MD5", 0, SwanProposals.DES_MD5_MODP768, "des-md5");
    }

    /** strongSwan offers AES-256 first; argate's policy allows only 3DES, its second choice. */
    @Test
    void onlyTheSecondProposalMatches() throws Exception {
        tunnel(false, "ENCALG=3DESOUTER HASHALG=SHA GROUP=2", "ENCALG=3DESOUTER HASHALG=SHA", 0,
                SwanProposals.list(SwanProposals.AES256_SHA256_MODP2048, SwanProposals.TRIPLE_DES_SHA1_MODP1024),
                SwanProposals.list("aes256-sha256", SwanProposals.ESP_3DES_SHA1));
    }

    /** argate behind a masquerading NAT initiates; it must detect the NAT and move to 4500 itself. */
    @Test
    void argateBehindNatInitiates() throws Exception {
        tunnel(Topology.Layout.NAT, true, "ENCALG=AES128 HASHALG=SHA GROUP=2", "ENCALG=AES128 HASHALG=SHA", 2,
                SwanProposals.AES128_SHA1_MODP1024, "aes128-sha1-modp1024", null);
    }

    /**
     * Aggressive Mode, the reference's dynamic-side setup: argate sends LOCALID=argate-left; the
     * strongSwan responder finds the key by that ID.
     */
    @Test
    void aggressiveModeWithLocalIdToStrongSwan() throws Exception {
        tunnel(Topology.Layout.DIRECT, true, "MODE=AGGRESSIVE LOCALID=argate-left ENCALG=AES128 HASHALG=SHA GROUP=2",
                "ENCALG=AES128 HASHALG=SHA", 2, SwanProposals.AES128_SHA1_MODP1024, "aes128-sha1-modp1024", "argate-left");
    }

    private void tunnel(boolean argateInitiates, String ike, String esp, int pfs, String swanIke, String swanEsp) throws Exception {
        tunnel(Topology.Layout.DIRECT, argateInitiates, ike, esp, pfs, swanIke, swanEsp, null);
    }

    private void tunnel(Topology.Layout layout, boolean argateInitiates, String ike, String esp, int pfs, String swanIke, String swanEsp,
                        String aggressiveId) throws Exception {
        Path data = Files.createTempDirectory("ia-argate-");
        try (InteropNet net = InteropNet.open()) {
            StrongSwanPeer.requireInstalled();
            Topology t = Topology.build(net, layout, Topology.Kind.ARGATE, Topology.Kind.PEER);
            ArgateSide argate = ArgateSide.boot(net, t, data, argateVpn(t.right().seenAs(), ike, esp, pfs));
            SwanctlConfig cfg = SwanctlConfig.gateway(aggressiveId == null ? SwanctlConfig.Kind.MAIN_PSK : SwanctlConfig.Kind.AGGRESSIVE_PSK,
                    t.right(), t.left()).proposals(swanIke, swanEsp);
            if (aggressiveId != null) {
                cfg.set("REMOTE_ID", aggressiveId);
            }
            if (argateInitiates) {
                cfg.set("REMOTE_ADDRS", "%any");
            }
            StrongSwanPeer sw = StrongSwanPeer.start(net, t.right().ns(), cfg);
            if (!argateInitiates) {
                Lab.Result init = sw.initiate(SwanctlConfig.CHILD, SwanctlConfig.IKE);
                assertTrue(StrongSwanPeer.succeeded(init), init.out() + "\n" + sw.logTail(60) + "\n" + show(argate));
            }
            // the first probes start the negotiation (held meanwhile, and the first after Quick Mode
            // can race the responder's install): ping again, as a user would, until the tunnel answers
            Lab.Result ping = t.left().ns().ping(null, t.right().lanHost(), PROBES);
            for (int round = 0; round < 5 && Netns.received(ping) < PROBES - 2; round++) {
                ping = t.left().ns().ping(null, t.right().lanHost(), PROBES);
            }
            String why = ping.out() + "\n--- strongSwan:\n" + sw.logTail(60) + "\n--- argate:\n" + show(argate);
            assertTrue(Netns.received(ping) >= PROBES - 2, why);
            SwanSa.Ike sa = sw.ikeSa(SwanctlConfig.IKE);
            assertEquals("ESTABLISHED", sa.state(), why);
            assertEquals(t.left().seenAs(), sa.remoteHost());
            SwanSa.Child child = sa.child(SwanctlConfig.CHILD);
            assertTrue(child.installed() && child.encap(), child.toString());
            assertTrue(child.packetsIn() >= PROBES - 2, "the echo requests came through argate's SA: " + child);
        } finally {
            StrongSwanPeer.deleteTree(data);
        }
    }

    /**
     * Libreswan 4.10's pluto completes Phase 1 with argate in both roles (its Quick Mode cannot
     * install SAs on this kernel, so no traffic): Main Mode PSK, AES-128/SHA1/MODP2048.
     */
    @Test
    void libreswanCompletesPhaseOneWithArgateInBothRoles() throws Exception {
        for (boolean argateInitiates : new boolean[]{true, false}) {
            Path data = Files.createTempDirectory("ia-argate-");
            try (InteropNet net = InteropNet.open()) {
                LibreswanPeer.requireInstalled();
                Topology t = Topology.build(net, Topology.Layout.DIRECT, Topology.Kind.ARGATE, Topology.Kind.PEER);
                ArgateSide argate = ArgateSide.boot(net, t, data,
                        argateVpn(t.right().seenAs(), "ENCALG=AES128 HASHALG=SHA GROUP=14", "ENCALG=AES128 HASHALG=SHA", 14));
                java.util.Map<String, String> p = LibreswanPeer.gateway(t.right(), t.left());
                LibreswanPeer lsw = LibreswanPeer.start(net, t.right().ns(), p);
                if (argateInitiates) {
                    t.left().ns().ping(null, t.right().lanHost(), 2);
                } else {
                    lsw.initiate();
                }
                boolean up = false;
                for (int i = 0; i < 60 && !up; i++) {
                    up = lsw.phaseOneEstablished();
                    if (!up) {
                        Thread.sleep(250);
                    }
                }
                assertTrue(up, (argateInitiates ? "argate initiating" : "pluto initiating") + "\n" + lsw.status() + "\n" + show(argate));
            } finally {
                StrongSwanPeer.deleteTree(data);
            }
        }
    }

    private static String show(ArgateSide a) {
        return a.show("show isakmp sa", "show isakmp exchange", "show isakmp counters", "show ipsec sa", "show ipsec counters",
                "show log module=isak");
    }
}
