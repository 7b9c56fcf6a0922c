package io.argate.image.interop;

import io.argate.image.lab.Lab;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * argate as the reference's XAUTH gateway (seed 003 "XAUTH": the fixed side with XAUTH=SERVER,
 * users added with ADD USER ... LOGIN=NO) against strongSwan 5.9 as the client (swanctl: local
 * auth=psk, local-xauth auth=xauth, so it proposes XAuthInitPSK, 65001), in Main and Aggressive
 * Mode; then with a Mode Config pool, strongSwan asking for an address (vips = 0.0.0.0) and
 * pinging argate's LAN from it.
 */
class XauthInteropLabTest {
    private static final int PROBES = 4;
    /** The seed's example user (letters and digits, as ADD USER requires). */
    static final String USER = "client1";
    static final String PASSWORD = "passclie1";

    static List<String> argateGateway(Topology t, String ikeExtra, String remote) {
        List<String> l = new ArrayList<>();
        l.add("ADD USER=" + USER + " PASSWORD=" + PASSWORD + " LOGIN=NO");
        l.add("CREATE ENCO KEY=1 TYPE=GENERAL VALUE=\"" + SwanctlConfig.DEFAULT_PSK + "\"");
        l.add("CREATE ISAKMP POLICY=i PEER=ANY KEY=1 SENDN=TRUE NATTRAVERSAL=TRUE XAUTH=SERVER ENCALG=AES128 HASHALG=SHA GROUP=2 " + ikeExtra);
        l.add("CREATE IPSEC SASPEC=1 KEYMAN=ISAKMP PROT=ESP ENCALG=AES128 HASHALG=SHA");
        l.add("CREATE IPSEC BUNDLE=1 KEYMAN=ISAKMP STRING=\"1\"");
        l.add("CREATE IPSEC POLICY=isa INT=eth1 ACTION=PERMIT LPORT=500 RPORT=500 TRANSPORT=UDP");
        l.add("CREATE IPSEC POLICY=natt INT=eth1 ACTION=PERMIT LPORT=4500 RPORT=4500 TRANSPORT=UDP");
        l.add("CREATE IPSEC POLICY=vpn INT=eth1 ACTION=IPSEC KEYMAN=ISAKMP BUNDLE=1 PEER=" + t.right().seenAs());
        l.add("SET IPSEC POLICY=vpn LAD=10.99.1.0 LMA=255.255.255.0 RAD=" + remote + " RMA=255.255.255.0");
        l.add("CREATE IPSEC POLICY=inet INT=eth1 ACTION=PERMIT");
        l.add("ENABLE IPSEC");
        l.add("ENABLE ISAKMP");
        return l;
    }

    @Test
    void strongSwanAuthenticatesByXauthInMainModeAndTheLansPing() throws Exception {
        xauthTunnel(false, PASSWORD);
    }

    @Test
    void strongSwanAuthenticatesByXauthInAggressiveMode() throws Exception {
        xauthTunnel(true, PASSWORD);
    }

    @Test
    void aWrongXauthPasswordIsRefusedAndLoggedWithTheUser() throws Exception {
        xauthTunnel(false, "not-the-password");
    }

    private void xauthTunnel(boolean aggressive, String password) throws Exception {
        Path data = Files.createTempDirectory("ia-argate-");
        try (InteropNet net = InteropNet.open()) {
            StrongSwanPeer.requireInstalled();
            Topology t = Topology.build(net, Topology.Layout.DIRECT, Topology.Kind.ARGATE, Topology.Kind.PEER);
            ArgateSide argate = ArgateSide.boot(net, t, data, argateGateway(t, aggressive ? "MODE=AGGRESSIVE REMOTEID=ia-client" : "",
                    "10.99.2.0"));
            SwanctlConfig cfg = SwanctlConfig.gateway(SwanctlConfig.Kind.XAUTH_PSK_CLIENT, t.right(), t.left())
                    .set("XAUTH_USER", USER).set("XAUTH_PASSWORD", password).proposals(SwanProposals.AES128_SHA1_MODP1024, "aes128-sha1");
            if (aggressive) {
                cfg.set("AGGRESSIVE", "yes").set("LOCAL_ID", "ia-client");
            }
            StrongSwanPeer sw = StrongSwanPeer.start(net, t.right().ns(), cfg);
            Lab.Result init = sw.initiate(SwanctlConfig.CHILD, SwanctlConfig.IKE);
            String why = init.out() + "\n--- strongSwan:\n" + sw.logTail(80) + "\n--- argate:\n" + show(argate);
            if (!password.equals(PASSWORD)) {
                assertFalse(StrongSwanPeer.succeeded(init), why);
                String shown = show(argate);
                assertTrue(shown.contains("XAUTH: authentication failed for user " + USER), shown);
                assertTrue(shown.matches("(?s).*xauthServerRefused\\s+1.*"), shown);
                assertTrue(shown.contains("XAUTH failed for " + USER), "the user database logs it as a login failure: " + shown);
                return;
            }
            assertTrue(StrongSwanPeer.succeeded(init), why);
            Lab.Result ping = t.left().ns().ping(null, t.right().lanHost(), PROBES);
            for (int round = 0; round < 5 && Netns.received(ping) < PROBES - 2; round++) {
                ping = t.left().ns().ping(null, t.right().lanHost(), PROBES);
            }
            why = ping.out() + "\n--- strongSwan:\n" + sw.logTail(60) + "\n--- argate:\n" + show(argate);
            assertTrue(Netns.received(ping) >= PROBES - 2, why);
            assertEquals("ESTABLISHED", sw.ikeSa(SwanctlConfig.IKE).state(), why);
            String sa = argate.show("show isakmp sa=1", "show isakmp counters=xauth", "show log module=isak");
            assertTrue(sa.contains("XAUTH User") && sa.contains(USER), sa);
            assertTrue(sa.matches("(?s).*xauthServerAccepted\\s+1.*"), sa);
            assertTrue(sa.contains("XAUTH: user " + USER + " authenticated"), sa);
        } finally {
            StrongSwanPeer.deleteTree(data);
        }
    }

    /**
     * The remote-access setup beyond the AR410: argate's pool 10.99.3.10-10.99.3.20 with a DNS
     * server and the LAN as split network; strongSwan (vips = 0.0.0.0) gets 10.99.3.10 after
     * XAUTH, its child SA's local side is that address, and it pings argate's LAN host from it.
     */
    @Test
    void strongSwanGetsAnAddressFromArgatesPoolAndPingsThroughIt() throws Exception {
        Path data = Files.createTempDirectory("ia-argate-");
        try (InteropNet net = InteropNet.open()) {
            StrongSwanPeer.requireInstalled();
            Topology t = Topology.build(net, Topology.Layout.DIRECT, Topology.Kind.ARGATE, Topology.Kind.PEER);
            List<String> lines = new ArrayList<>(List.of(
                    "CREATE ISAKMP POOL=clients RANGE=10.99.3.10-10.99.3.20 DNS=10.99.1.53 SPLIT=10.99.1.0/24"));
            lines.addAll(argateGateway(t, "POOL=clients", "10.99.3.0"));
            ArgateSide argate = ArgateSide.boot(net, t, data, lines);
            SwanctlConfig cfg = SwanctlConfig.gateway(SwanctlConfig.Kind.XAUTH_MODECFG_CLIENT, t.right(), t.left())
                    .set("LOCAL_TS", "dynamic").set("XAUTH_USER", USER).set("XAUTH_PASSWORD", PASSWORD)
                    .proposals(SwanProposals.AES128_SHA1_MODP1024, "aes128-sha1");
            StrongSwanPeer sw = StrongSwanPeer.start(net, t.right().ns(), cfg);
            Lab.Result init = sw.initiate(SwanctlConfig.CHILD, SwanctlConfig.IKE);
            String why = init.out() + "\n--- strongSwan:\n" + sw.logTail(80) + "\n--- argate:\n" + show(argate);
            assertTrue(StrongSwanPeer.succeeded(init), why);
            assertTrue(sw.log().contains("10.99.3.10"), "strongSwan installed the virtual IP argate assigned: " + why);
            Lab.Result ping = t.right().ns().ping("10.99.3.10", t.left().lanHost(), PROBES);
            for (int round = 0; round < 5 && Netns.received(ping) < PROBES - 2; round++) {
                ping = t.right().ns().ping("10.99.3.10", t.left().lanHost(), PROBES);
            }
            why = ping.out() + "\n--- strongSwan:\n" + sw.logTail(60) + "\n--- argate:\n" + show(argate);
            assertTrue(Netns.received(ping) >= PROBES - 2, why);
            String pool = argate.show("show isakmp pool=clients", "show isakmp sa=1");
            assertTrue(pool.contains("10.99.3.10") && pool.contains(USER), pool);
            assertTrue(pool.contains("Mode Config Address") , pool);
            // the SA goes: the address returns to the pool
            sw.terminate(SwanctlConfig.IKE);
            boolean released = false;
            for (int i = 0; i < 40 && !released; i++) {
                released = argate.show("show isakmp pool").matches("(?s).*clients\\s+10\\.99\\.3\\.10-10\\.99\\.3\\.20\\s+11\\s+0.*");
                if (!released) {
                    Thread.sleep(250);
                }
            }
            assertTrue(released, argate.show("show isakmp pool", "show isakmp sa", "show log module=isak"));
        } finally {
            StrongSwanPeer.deleteTree(data);
        }
    }

    /**
     * The other direction: strongSwan is the XAUTH gateway (remote-xauth auth=xauth) and argate
     * the client (seed 003's dynamic side: XAUTH=CLIENT, XAUTHNAME, XAUTHPASS); argate initiates
     * on its LAN's first packet, proposing XAuthInitPSK, answers strongSwan's REQUEST, and starts
     * Quick Mode once the status is OK.
     */
    @Test
    void argateAuthenticatesToStrongSwansXauthServer() throws Exception {
        Path data = Files.createTempDirectory("ia-argate-");
        try (InteropNet net = InteropNet.open()) {
            StrongSwanPeer.requireInstalled();
            Topology t = Topology.build(net, Topology.Layout.DIRECT, Topology.Kind.ARGATE, Topology.Kind.PEER);
            List<String> lines = new ArrayList<>(StrongSwanInteropLabTest.argateVpn(t.right().seenAs(), "ENCALG=AES128 HASHALG=SHA GROUP=2",
                    "ENCALG=AES128 HASHALG=SHA", 0));
            lines.add(lines.indexOf("ENABLE IPSEC"), "SET ISAKMP POLICY=i XAUTH=CLIENT XAUTHNAME=" + USER + " XAUTHPASS=" + PASSWORD);
            ArgateSide argate = ArgateSide.boot(net, t, data, lines);
            SwanctlConfig cfg = SwanctlConfig.gateway(SwanctlConfig.Kind.XAUTH_PSK_SERVER, t.right(), t.left())
                    .set("REMOTE_ADDRS", "%any").set("XAUTH_USER", USER).set("XAUTH_PASSWORD", PASSWORD)
                    .proposals(SwanProposals.AES128_SHA1_MODP1024, "aes128-sha1");
            StrongSwanPeer sw = StrongSwanPeer.start(net, t.right().ns(), cfg);
            Lab.Result ping = t.left().ns().ping(null, t.right().lanHost(), PROBES);
            for (int round = 0; round < 5 && Netns.received(ping) < PROBES - 2; round++) {
                ping = t.left().ns().ping(null, t.right().lanHost(), PROBES);
            }
            String why = ping.out() + "\n--- strongSwan:\n" + sw.logTail(80) + "\n--- argate:\n" + show(argate);
            assertTrue(Netns.received(ping) >= PROBES - 2, why);
            assertTrue(sw.log().contains("XAuth authentication of '" + USER + "' successful"), why);
            String counters = argate.show("show isakmp counters=xauth");
            assertTrue(counters.matches("(?s).*xauthClientAccepted\\s+1.*"), counters);
        } finally {
            StrongSwanPeer.deleteTree(data);
        }
    }

    /**
     * argate as a Mode Config client (MODECFG=CLIENT): after XAUTH it asks strongSwan's gateway
     * for an address, takes the one from the pool 10.99.4.0/24, and offers it as its side of
     * Quick Mode, which strongSwan accepts as the client's virtual IP.
     */
    @Test
    void argateTakesAnAddressFromStrongSwansPool() throws Exception {
        Path data = Files.createTempDirectory("ia-argate-");
        try (InteropNet net = InteropNet.open()) {
            StrongSwanPeer.requireInstalled();
            Topology t = Topology.build(net, Topology.Layout.DIRECT, Topology.Kind.ARGATE, Topology.Kind.PEER);
            List<String> lines = new ArrayList<>(StrongSwanInteropLabTest.argateVpn(t.right().seenAs(), "ENCALG=AES128 HASHALG=SHA GROUP=2",
                    "ENCALG=AES128 HASHALG=SHA", 0));
            lines.add(lines.indexOf("ENABLE IPSEC"), "SET ISAKMP POLICY=i XAUTH=CLIENT XAUTHNAME=" + USER + " XAUTHPASS=" + PASSWORD
                    + " MODECFG=CLIENT");
            ArgateSide argate = ArgateSide.boot(net, t, data, lines);
            SwanctlConfig cfg = SwanctlConfig.gateway(SwanctlConfig.Kind.XAUTH_MODECFG_SERVER, t.right(), t.left())
                    .set("REMOTE_ADDRS", "%any").set("REMOTE_TS", "dynamic").set("XAUTH_USER", USER).set("XAUTH_PASSWORD", PASSWORD)
                    .proposals(SwanProposals.AES128_SHA1_MODP1024, "aes128-sha1");
            StrongSwanPeer sw = StrongSwanPeer.start(net, t.right().ns(), cfg);
            boolean up = false;
            String why = "";
            for (int round = 0; round < 8 && !up; round++) {
                t.left().ns().ping(null, t.right().lanHost(), 2);
                why = "--- strongSwan:\n" + sw.logTail(80) + "\n--- argate:\n" + show(argate) + argate.show("show isakmp sa=1");
                up = why.contains("Mode Config Address")
                        && java.util.regex.Pattern.compile("CHILD_SA " + SwanctlConfig.CHILD + "\\{\\d+} established").matcher(sw.log()).find();
            }
            assertTrue(up, why);
            assertTrue(why.contains("10.99.4.1"), "argate took the pool's first address: " + why);
            assertTrue(argate.show("show isakmp counters=transaction").matches("(?s).*modeCfgAddressReceived\\s+1.*"), why);
            // the LAN behind argate reaches strongSwan's LAN through the one assigned address
            // (strongSwan accepts nothing else from its client), and the replies find the LAN host
            Lab.Result ping = t.left().ns().ping(null, t.right().lanHost(), PROBES);
            for (int round = 0; round < 5 && Netns.received(ping) < PROBES - 1; round++) {
                ping = t.left().ns().ping(null, t.right().lanHost(), PROBES);
            }
            why = ping.out() + "\n--- strongSwan:\n" + sw.logTail(40) + "\n--- argate:\n" + show(argate);
            assertTrue(Netns.received(ping) >= PROBES - 1, why);
            SwanSa.Child child = sw.ikeSa(SwanctlConfig.IKE).child(SwanctlConfig.CHILD);
            assertTrue(child.installed() && child.packetsIn() >= PROBES - 1, "the echo requests reached strongSwan inside its SA: " + child);
            String policy = argate.show("show ipsec policy=vpn", "show ipsec counters");
            assertTrue(policy.matches("(?s).*Mode Config Address \\.+ 10\\.99\\.4\\.1 .*"), policy);
            assertTrue(policy.matches("(?s).*inModeCfgTranslated \\.+ [1-9].*"), policy);
        } finally {
            StrongSwanPeer.deleteTree(data);
        }
    }

    private static String show(ArgateSide a) {
        return a.show("show isakmp sa", "show isakmp exchange", "show isakmp counters=xauth", "show isakmp counters=transaction",
                "show isakmp counters=main", "show isakmp counters=quick", "show ipsec sa", "show log");
    }
}
