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
 * Aggressive Mode with argate as the fixed-address side (issue 12, interop item 2): the
 * reference's several-peers setup, one ISAKMP policy per dynamic peer with PEER=ANY, its own
 * REMOTEID and its own pre-shared key, and IPsec policies to PEER=DYNAMIC. Two strongSwan
 * charons in two namespaces are the dynamic peers; each initiates with its own ID (LOCAL_ID) and
 * key, argate finds the policy by the ID, and both tunnels are up at once, each carrying pings
 * from the host behind argate to the peer's LAN.
 * <pre>
 * argate (left, 192.0.2.1, LAN 10.99.1.0/24)
 *   == TUN ==  r: strongSwan "peer1" 192.0.2.2, LAN 10.99.2.1; routes on to
 *   == veth == s: strongSwan "peer2" 192.0.3.2, LAN 10.99.3.1 (default via r's 192.0.3.1)
 * </pre>
 * (argate as the dynamic side, with LOCALID, to a strongSwan responder that picks the key by
 * that ID is {@link StrongSwanInteropLabTest#aggressiveModeWithLocalIdToStrongSwan}.)
 */
class AggressiveModeInteropLabTest {
    private static final int PROBES = 4;
    private static final String SECOND_LINK_R = "192.0.3.1";
    private static final String SECOND_WAN = "192.0.3.2";
    private static final String SECOND_LAN = "10.99.3.0/24";
    private static final String SECOND_LAN_HOST = "10.99.3.1";

    /** The reference's "複数の相手と接続する場合で相手のアドレスが不定の場合" on argate, with NAT-T for strongSwan's ESP. */
    static List<String> fixedSide(String ike) {
        List<String> l = new ArrayList<>();
        l.add("CREATE ENCO KEY=1 TYPE=GENERAL VALUE=\"peer1-secret-1\"");
        l.add("CREATE ENCO KEY=2 TYPE=GENERAL VALUE=\"peer2-secret-2\"");
        l.add("CREATE ISAKMP POLICY=c1 PEER=ANY KEY=1 REMOTEID=peer1 MODE=AGGRESSIVE SENDN=TRUE NATTRAVERSAL=TRUE " + ike);
        l.add("CREATE ISAKMP POLICY=c2 PEER=ANY KEY=2 REMOTEID=peer2 MODE=AGGRESSIVE SENDN=TRUE NATTRAVERSAL=TRUE " + ike);
        l.add("CREATE IPSEC SASPEC=1 KEYMAN=ISAKMP PROT=ESP ENCALG=AES128 HASHALG=SHA");
        l.add("CREATE IPSEC BUNDLE=1 KEYMAN=ISAKMP STRING=\"1\"");
        l.add("CREATE IPSEC POLICY=isa INT=eth1 ACTION=PERMIT LPORT=500 RPORT=500 TRANSPORT=UDP");
        l.add("CREATE IPSEC POLICY=natt INT=eth1 ACTION=PERMIT LPORT=4500 TRANSPORT=UDP");
        l.add("CREATE IPSEC POLICY=v1 INT=eth1 ACTION=IPSEC KEYMAN=ISAKMP BUNDLE=1 PEER=DYNAMIC");
        l.add("SET IPSEC POLICY=v1 LAD=10.99.1.0 LMA=255.255.255.0 RAD=10.99.2.0 RMA=255.255.255.0");
        l.add("CREATE IPSEC POLICY=v2 INT=eth1 ACTION=IPSEC KEYMAN=ISAKMP BUNDLE=1 PEER=DYNAMIC");
        l.add("SET IPSEC POLICY=v2 LAD=10.99.1.0 LMA=255.255.255.0 RAD=10.99.3.0 RMA=255.255.255.0");
        l.add("CREATE IPSEC POLICY=inet INT=eth1 ACTION=PERMIT");
        l.add("ENABLE IPSEC");
        l.add("ENABLE ISAKMP");
        return l;
    }

    @Test
    void twoDynamicStrongSwanPeersEachFoundByItsIdAndKeyBothUpAtOnce() throws Exception {
        Path data = Files.createTempDirectory("ia-argate-");
        try (InteropNet net = InteropNet.open()) {
            StrongSwanPeer.requireInstalled();
            Topology t = Topology.build(net, Topology.Layout.DIRECT, Topology.Kind.ARGATE, Topology.Kind.PEER);
            ArgateSide argate = ArgateSide.boot(net, t, data, fixedSide("ENCALG=AES128 HASHALG=SHA GROUP=2"));
            // the second dynamic peer sits one hop behind the first's namespace
            Netns r = t.right().ns();
            Netns s = net.namespace("s");
            net.veth(r, "rs", SECOND_LINK_R + "/24", s, "sr", SECOND_WAN + "/24");
            r.forwarding();
            s.loopbackLan(SECOND_LAN_HOST + "/24");
            s.route("default", SECOND_LINK_R);

            SwanctlConfig one = dynamicPeer(t.right().wan(), t.right().lanSubnet(), "peer1", "peer1-secret-1");
            SwanctlConfig two = dynamicPeer(SECOND_WAN, SECOND_LAN, "peer2", "peer2-secret-2");
            StrongSwanPeer p1 = StrongSwanPeer.start(net, r, one);
            StrongSwanPeer p2 = StrongSwanPeer.start(net, s, two);
            for (StrongSwanPeer p : List.of(p1, p2)) {
                Lab.Result init = p.initiate(SwanctlConfig.CHILD, SwanctlConfig.IKE);
                assertTrue(StrongSwanPeer.succeeded(init), init.out() + "\n" + p.logTail(60) + "\n" + show(argate));
            }
            // both tunnels at once: the host behind argate pings each peer's LAN
            for (String lanHost : List.of(t.right().lanHost(), SECOND_LAN_HOST)) {
                Lab.Result ping = t.left().ns().ping(null, lanHost, PROBES);
                for (int round = 0; round < 5 && Netns.received(ping) < PROBES - 1; round++) {
                    ping = t.left().ns().ping(null, lanHost, PROBES);
                }
                assertTrue(Netns.received(ping) >= PROBES - 1, lanHost + ": " + ping.out() + "\n" + show(argate));
            }
            String isakmpSas = argate.show("show isakmp sa");
            assertTrue(isakmpSas.contains(t.right().wan()) && isakmpSas.contains(SECOND_WAN), isakmpSas);
            for (StrongSwanPeer p : List.of(p1, p2)) {
                SwanSa.Ike sa = p.ikeSa(SwanctlConfig.IKE);
                assertEquals("ESTABLISHED", sa.state(), p.logTail(40));
                assertEquals(t.left().wan(), sa.remoteHost());
                SwanSa.Child child = sa.child(SwanctlConfig.CHILD);
                assertTrue(child.installed() && child.packetsIn() >= PROBES - 1, "the echo requests came through argate's SA: " + child);
            }
            String ipsecSas = argate.show("show ipsec sa");
            assertTrue(ipsecSas.contains("v1") && ipsecSas.contains("v2"), ipsecSas);
        } finally {
            StrongSwanPeer.deleteTree(data);
        }
    }

    /** A dynamic-side strongSwan initiating Aggressive Mode to argate with its own ID and key. */
    private static SwanctlConfig dynamicPeer(String wan, String lan, String id, String psk) {
        return SwanctlConfig.of(SwanctlConfig.Kind.AGGRESSIVE_PSK)
                .set("LOCAL_ADDRS", wan)
                .set("REMOTE_ADDRS", Topology.LEFT_WAN)
                .ids(id, Topology.LEFT_WAN)
                .psk(psk)
                .set("LOCAL_TS", lan)
                .set("REMOTE_TS", "10.99.1.0/24")
                .proposals(SwanProposals.AES128_SHA1_MODP1024, SwanProposals.ESP_AES128_SHA1);
    }

    private static String show(ArgateSide a) {
        return a.show("show isakmp sa", "show isakmp exchange", "show isakmp counters", "show ipsec sa", "show ipsec counters",
                "show log module=isak");
    }
}
