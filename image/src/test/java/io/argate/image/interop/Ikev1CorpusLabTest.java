package io.argate.image.interop;

import io.argate.image.lab.Lab;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records the IKEv1 messages real peers send argate, the corpus of the isakmp module's
 * CapturedMutationTest (isakmp/src/test/resources/ikev1-corpus, README.md there): tshark in the
 * peer's namespace while strongSwan 5.9 (and Libreswan 4.10's pluto) negotiate with argate as in
 * the interop tests: Main Mode and Quick Mode in both roles, Aggressive Mode in both roles, NAT-T
 * (4500 with the non-ESP marker), DPD and deletes, XAUTH with Mode Config. Each scenario checks
 * that the exchange types it is for were seen from the peer; with {@code -Dargate.corpus.out=DIR}
 * the files are also written there (how the stored corpus was made).
 */
class Ikev1CorpusLabTest {
    private static final int IDPROT = 2;
    private static final int AGGRESSIVE = 4;
    private static final int INFO = 5;
    private static final int TRANSACTION = 6;
    private static final int QUICK = 32;

    @Test
    void strongSwanInitiatesMainModeWithDpdAndDeletes() throws Exception {
        scenario("strongswan-main-peer-initiates", "strongSwan initiates Main Mode PSK (AES-128/SHA1/MODP1024) and Quick Mode "
                + "(ESP AES-128/SHA1, PFS MODP1024) to argate, forced UDP encapsulation (moves to 4500), DPD every 2 s, then swanctl --terminate",
                Topology.Layout.DIRECT, Map.of(IDPROT, 3, QUICK, 2, INFO, 3), (t, data, net) -> {
                    ArgateSide argate = ArgateSide.boot(net, t, data, StrongSwanInteropLabTest.argateVpn(t.right().seenAs(),
                            "ENCALG=AES128 HASHALG=SHA GROUP=2", "ENCALG=AES128 HASHALG=SHA", 2));
                    SwanctlConfig cfg = SwanctlConfig.gateway(SwanctlConfig.Kind.MAIN_PSK, t.right(), t.left())
                            .proposals(SwanProposals.AES128_SHA1_MODP1024, "aes128-sha1-modp1024").set("DPD_DELAY", "2s");
                    StrongSwanPeer sw = StrongSwanPeer.start(net, t.right().ns(), cfg);
                    Lab.Result init = sw.initiate(SwanctlConfig.CHILD, SwanctlConfig.IKE);
                    assertTrue(StrongSwanPeer.succeeded(init), init.out() + sw.logTail(40));
                    // two DPD rounds while the tunnel is idle
                    Thread.sleep(5_000);
                    sw.terminate(SwanctlConfig.IKE);
                    Thread.sleep(1_000);
                    return version(sw);
                });
    }

    @Test
    void argateInitiatesMainModeToStrongSwan() throws Exception {
        scenario("strongswan-main-argate-initiates", "argate initiates Main Mode PSK (AES-128/SHA1/MODP1024) and Quick Mode (ESP AES-128/SHA1, "
                + "no PFS) to strongSwan on the first ping; strongSwan answers with forced UDP encapsulation", Topology.Layout.DIRECT,
                Map.of(IDPROT, 3, QUICK, 1), (t, data, net) -> {
                    ArgateSide argate = ArgateSide.boot(net, t, data, StrongSwanInteropLabTest.argateVpn(t.right().seenAs(),
                            "ENCALG=AES128 HASHALG=SHA GROUP=2", "ENCALG=AES128 HASHALG=SHA", 0));
                    SwanctlConfig cfg = SwanctlConfig.gateway(SwanctlConfig.Kind.MAIN_PSK, t.right(), t.left())
                            .proposals(SwanProposals.AES128_SHA1_MODP1024, SwanProposals.ESP_AES128_SHA1).set("REMOTE_ADDRS", "%any");
                    StrongSwanPeer sw = StrongSwanPeer.start(net, t.right().ns(), cfg);
                    pingUntilUp(t);
                    return version(sw);
                });
    }

    @Test
    void aggressiveModeBothRolesWithStrongSwan() throws Exception {
        scenario("strongswan-aggressive-peer-initiates", "strongSwan initiates Aggressive Mode PSK (ID its address; AES-128/SHA1/MODP1024) "
                + "and Quick Mode to argate", Topology.Layout.DIRECT, Map.of(AGGRESSIVE, 2, QUICK, 2), (t, data, net) -> {
                    ArgateSide.boot(net, t, data, StrongSwanInteropLabTest.argateVpn(t.right().seenAs(),
                            "MODE=AGGRESSIVE ENCALG=AES128 HASHALG=SHA GROUP=2", "ENCALG=AES128 HASHALG=SHA", 0));
                    SwanctlConfig cfg = SwanctlConfig.gateway(SwanctlConfig.Kind.AGGRESSIVE_PSK, t.right(), t.left())
                            .proposals(SwanProposals.AES128_SHA1_MODP1024, SwanProposals.ESP_AES128_SHA1);
                    StrongSwanPeer sw = StrongSwanPeer.start(net, t.right().ns(), cfg);
                    Lab.Result init = sw.initiate(SwanctlConfig.CHILD, SwanctlConfig.IKE);
                    assertTrue(StrongSwanPeer.succeeded(init), init.out() + sw.logTail(40));
                    return version(sw);
                });
        scenario("strongswan-aggressive-argate-initiates", "argate initiates Aggressive Mode PSK (LOCALID=argate-left) to strongSwan, "
                + "which answers (aggressive message 2) and then Quick Mode message 2", Topology.Layout.DIRECT, Map.of(AGGRESSIVE, 1, QUICK, 1),
                (t, data, net) -> {
                    ArgateSide.boot(net, t, data, StrongSwanInteropLabTest.argateVpn(t.right().seenAs(),
                            "MODE=AGGRESSIVE LOCALID=argate-left ENCALG=AES128 HASHALG=SHA GROUP=2", "ENCALG=AES128 HASHALG=SHA", 2));
                    SwanctlConfig cfg = SwanctlConfig.gateway(SwanctlConfig.Kind.AGGRESSIVE_PSK, t.right(), t.left())
                            .proposals(SwanProposals.AES128_SHA1_MODP1024, "aes128-sha1-modp1024").set("REMOTE_ID", "argate-left")
                            .set("REMOTE_ADDRS", "%any");
                    StrongSwanPeer sw = StrongSwanPeer.start(net, t.right().ns(), cfg);
                    pingUntilUp(t);
                    return version(sw);
                });
    }

    @Test
    void argateBehindNatInitiatesToStrongSwan() throws Exception {
        scenario("strongswan-main-nat", "argate behind a masquerading NAT initiates Main Mode and Quick Mode to strongSwan: NAT-D finds "
                + "the NAT, messages 5 on go to 4500 with the non-ESP marker through the NAT's port", Topology.Layout.NAT, Map.of(IDPROT, 3, QUICK, 1),
                (t, data, net) -> {
                    ArgateSide.boot(net, t, data, StrongSwanInteropLabTest.argateVpn(t.right().seenAs(),
                            "ENCALG=AES128 HASHALG=SHA GROUP=2", "ENCALG=AES128 HASHALG=SHA", 2));
                    SwanctlConfig cfg = SwanctlConfig.gateway(SwanctlConfig.Kind.MAIN_PSK, t.right(), t.left())
                            .proposals(SwanProposals.AES128_SHA1_MODP1024, "aes128-sha1-modp1024").set("REMOTE_ADDRS", "%any");
                    StrongSwanPeer sw = StrongSwanPeer.start(net, t.right().ns(), cfg);
                    pingUntilUp(t);
                    return version(sw);
                });
    }

    @Test
    void strongSwanXauthAndModeConfigClient() throws Exception {
        scenario("strongswan-xauth-modecfg", "strongSwan as XAUTH + Mode Config client (Main Mode PSK, XAUTH user client1) to argate as "
                + "XAUTH server assigning 10.99.3.10 from POOL=clients, then Quick Mode", Topology.Layout.DIRECT, Map.of(IDPROT, 3, TRANSACTION, 2, QUICK, 2),
                (t, data, net) -> {
                    List<String> lines = new ArrayList<>(List.of(
                            "CREATE ISAKMP POOL=clients RANGE=10.99.3.10-10.99.3.20 DNS=10.99.1.53 SPLIT=10.99.1.0/24"));
                    lines.addAll(XauthInteropLabTest.argateGateway(t, "POOL=clients", "10.99.3.0"));
                    ArgateSide.boot(net, t, data, lines);
                    SwanctlConfig cfg = SwanctlConfig.gateway(SwanctlConfig.Kind.XAUTH_MODECFG_CLIENT, t.right(), t.left())
                            .set("LOCAL_TS", "dynamic").set("XAUTH_USER", XauthInteropLabTest.USER).set("XAUTH_PASSWORD", XauthInteropLabTest.PASSWORD)
                            .proposals(SwanProposals.AES128_SHA1_MODP1024, "aes128-sha1");
                    StrongSwanPeer sw = StrongSwanPeer.start(net, t.right().ns(), cfg);
                    Lab.Result init = sw.initiate(SwanctlConfig.CHILD, SwanctlConfig.IKE);
                    assertTrue(StrongSwanPeer.succeeded(init), init.out() + sw.logTail(40));
                    return version(sw);
                });
    }

    @Test
    void libreswanInitiatesMainModeAndQuickMode() throws Exception {
        scenario("libreswan-main-peer-initiates", "Libreswan pluto initiates Main Mode PSK (AES-128/SHA1/MODP2048) and Quick Mode (ESP "
                + "AES-128/SHA1, PFS MODP2048) to argate; pluto cannot install its SAs on this kernel, so Quick Mode may end at message 2",
                Topology.Layout.DIRECT, Map.of(IDPROT, 3, QUICK, 1), (t, data, net) -> {
                    LibreswanPeer.requireInstalled();
                    ArgateSide.boot(net, t, data, StrongSwanInteropLabTest.argateVpn(t.right().seenAs(),
                            "ENCALG=AES128 HASHALG=SHA GROUP=14", "ENCALG=AES128 HASHALG=SHA", 14));
                    LibreswanPeer lsw = LibreswanPeer.start(net, t.right().ns(), LibreswanPeer.gateway(t.right(), t.left()));
                    lsw.initiate();
                    for (int i = 0; i < 40 && !lsw.phaseOneEstablished(); i++) {
                        Thread.sleep(250);
                    }
                    Thread.sleep(2_000);
                    return "Libreswan 4.10 (pluto, /opt/argate-interop/libreswan)";
                });
    }

    // ---- machinery ----

    interface Body {
        /** Runs the negotiation; returns the peer's name and version for the file's header. */
        String run(Topology t, Path data, InteropNet net) throws Exception;
    }

    private static void scenario(String name, String description, Topology.Layout layout, Map<Integer, Integer> wanted, Body body)
            throws Exception {
        Path data = Files.createTempDirectory("ia-argate-");
        List<IkeCapture.Datagram> got;
        String peer;
        Topology t;
        try (InteropNet net = InteropNet.open()) {
            Lab.requireTshark();
            StrongSwanPeer.requireInstalled();
            t = Topology.build(net, layout, Topology.Kind.ARGATE, Topology.Kind.PEER);
            IkeCapture capture = IkeCapture.start(t.right().ns(), data.resolve(name + ".pcapng"));
            net.onClose(() -> {
                try {
                    capture.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            peer = body.run(t, data, net);
            got = capture.stop();
        } finally {
            StrongSwanPeer.deleteTree(data);
        }
        String peerAddress = t.right().wan();
        Map<Integer, Integer> seen = new TreeMap<>();
        StringBuilder file = new StringBuilder();
        file.append("# ").append(name).append(": ").append(description).append('\n');
        file.append("# peer: ").append(peer).append("; captured by Ikev1CorpusLabTest in the peer's namespace on ")
                .append(java.time.LocalDate.now(java.time.ZoneOffset.UTC)).append('\n');
        file.append("# P = sent by the peer, A = sent by argate; source port, destination port, UDP payload in hex (on 4500 with the non-ESP marker)\n");
        for (IkeCapture.Datagram d : got) {
            boolean fromPeer = d.source().equals(peerAddress);
            byte[] p = HexFormat.of().parseHex(d.payloadHex());
            int off = p.length > 4 && p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0 ? 4 : 0;
            if (fromPeer && p.length > off + 18) {
                seen.merge(p[off + 18] & 0xff, 1, Integer::sum);
            }
            file.append(fromPeer ? 'P' : 'A').append(' ').append(d.sourcePort()).append(' ').append(d.destinationPort()).append(' ')
                    .append(d.payloadHex()).append('\n');
        }
        for (Map.Entry<Integer, Integer> w : wanted.entrySet()) {
            assertTrue(seen.getOrDefault(w.getKey(), 0) >= w.getValue(), name + ": wanted " + w.getValue() + " messages of exchange type "
                    + w.getKey() + " from the peer, saw " + seen + "\n" + file);
        }
        String out = System.getProperty("argate.corpus.out");
        if (out != null) {
            Files.createDirectories(Path.of(out));
            Files.writeString(Path.of(out, name + ".txt"), file.toString());
        }
    }

    private static void pingUntilUp(Topology t) {
        Lab.Result ping = t.left().ns().ping(null, t.right().lanHost(), 4);
        for (int round = 0; round < 5 && Netns.received(ping) < 2; round++) {
            ping = t.left().ns().ping(null, t.right().lanHost(), 4);
        }
        assertTrue(Netns.received(ping) >= 2, ping.out());
    }

    private static String version(StrongSwanPeer sw) {
        String v = sw.swanctl("--version").out().trim();
        return v.isEmpty() ? "strongSwan 5.9" : v.replace('\n', ' ');
    }
}
