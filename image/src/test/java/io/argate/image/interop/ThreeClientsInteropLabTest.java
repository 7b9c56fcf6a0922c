package io.argate.image.interop;

import io.argate.image.lab.Lab;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference's three-client example (seed 003: "複数のVPNクライアントと通信するとき", policies
 * v1, v2, v3 with PEER=DYNAMIC, one per client client1..3, one bundle for all) with three real
 * clients at once: three strongSwan charons in three namespaces, each with its own LAN, against
 * one argate gateway.
 *
 * <p>One adaptation, forced by the clients: the example names each client's network by its
 * phase 2 ID (RNAME=clientN, the client's LNAME), but strongSwan's IKEv1 Quick Mode IDs are
 * always addresses (it has no name IDs in phase 2). So the name goes where strongSwan can carry
 * it, its phase 1 ID (Aggressive Mode, REMOTEID=clientN, each with its own key, as the
 * reference's several-dynamic-peers setup has it), and each IPsec policy names its client's LAN
 * (RAD) instead of RNAME. Everything else is the example as written, with the lab's addresses.
 *
 * <pre>
 * argate (left, 192.0.2.1, LAN 10.99.1.0/24)
 *   == TUN ==  r: client1 192.0.2.2, LAN 10.99.2.1; routes on to
 *   == veth == s: client2 192.0.3.2, LAN 10.99.3.1
 *   == veth == u: client3 192.0.4.2, LAN 10.99.4.1
 * </pre>
 *
 * All three are up at once; argate's LAN reaches each client's LAN through that client's SA, and
 * SHOW ISAKMP SA / SHOW IPSEC SA show the three peers bound. A client that claims another
 * client's network as its own (client1 asking for a tunnel for client2's LAN) is refused: that
 * policy is bound to client2's address while its SAs live, the refusal is logged and counted, and
 * client2's LAN is still reached through client2's SA only.
 */
class ThreeClientsInteropLabTest {
    private static final int PROBES = 4;
    private static final String[] WAN = {Topology.RIGHT_WAN, "192.0.3.2", "192.0.4.2"};
    private static final String[] LINK_R = {null, "192.0.3.1", "192.0.4.1"};
    private static final String[] LAN = {"10.99.2.0/24", "10.99.3.0/24", "10.99.4.0/24"};
    private static final String[] LAN_HOST = {"10.99.2.1", "10.99.3.1", "10.99.4.1"};

    static List<String> gateway() {
        List<String> l = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            l.add("CREATE ENCO KEY=" + n + " TYPE=GENERAL VALUE=\"client" + n + "-secret\"");
            l.add("CREATE ISAKMP POLICY=c" + n + " PEER=ANY KEY=" + n + " REMOTEID=client" + n
                    + " MODE=AGGRESSIVE SENDN=TRUE NATTRAVERSAL=TRUE ENCALG=AES128 HASHALG=SHA GROUP=2");
        }
        l.add("CREATE IPSEC SASPEC=1 KEYMAN=ISAKMP PROT=ESP ENCALG=AES128 HASHALG=SHA");
        l.add("CREATE IPSEC BUNDLE=1 KEYMAN=ISAKMP STRING=\"1\"");
        l.add("CREATE IPSEC POLICY=isa INT=eth1 ACTION=PERMIT LPORT=500 RPORT=500 TRANSPORT=UDP");
        // the lab's kernel carries ESP only in UDP (lab README), so the clients force NAT-T
        l.add("CREATE IPSEC POLICY=natt INT=eth1 ACTION=PERMIT LPORT=4500 TRANSPORT=UDP");
        for (int n = 1; n <= 3; n++) {
            // seed 003: CREATE IPSEC POLICY=vN INT=ppp0 ACTION=IPSEC KEYMAN=ISAKMP BUNDLE=1 PEER=DYNAMIC
            l.add("CREATE IPSEC POLICY=v" + n + " INT=eth1 ACTION=IPSEC KEYMAN=ISAKMP BUNDLE=1 PEER=DYNAMIC");
            l.add("SET IPSEC POLICY=v" + n + " LAD=10.99.1.0 LMA=255.255.255.0 RAD=" + LAN[n - 1].replace("/24", "") + " RMA=255.255.255.0");
        }
        l.add("CREATE IPSEC POLICY=inet INT=eth1 ACTION=PERMIT");
        l.add("ENABLE IPSEC");
        l.add("ENABLE ISAKMP");
        return l;
    }

    @Test
    void threeStrongSwanClientsAreUpAtOnceAndEachReachesOnlyWhatItsPolicyAllows() throws Exception {
        Path data = Files.createTempDirectory("ia-argate-");
        try (InteropNet net = InteropNet.open()) {
            StrongSwanPeer.requireInstalled();
            Topology t = Topology.build(net, Topology.Layout.DIRECT, Topology.Kind.ARGATE, Topology.Kind.PEER);
            ArgateSide argate = ArgateSide.boot(net, t, data, gateway());
            Netns r = t.right().ns();
            r.forwarding();
            List<Netns> ns = new ArrayList<>(List.of(r));
            for (int n = 1; n < 3; n++) {
                Netns c = net.namespace("c" + (n + 1));
                net.veth(r, "rc" + (n + 1), LINK_R[n] + "/24", c, "cr" + (n + 1), WAN[n] + "/24");
                c.loopbackLan(LAN_HOST[n] + "/24");
                c.route("default", LINK_R[n]);
                ns.add(c);
            }
            List<StrongSwanPeer> clients = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                clients.add(StrongSwanPeer.start(net, ns.get(n), client(n)));
            }
            for (StrongSwanPeer p : clients) {
                Lab.Result init = p.initiate(SwanctlConfig.CHILD, SwanctlConfig.IKE);
                assertTrue(StrongSwanPeer.succeeded(init), init.out() + "\n" + p.logTail(60) + "\n" + show(argate));
            }
            // all three at once: argate's LAN reaches each client's LAN, each through that client's SA
            for (int n = 0; n < 3; n++) {
                Lab.Result ping = t.left().ns().ping(null, LAN_HOST[n], PROBES);
                for (int round = 0; round < 5 && Netns.received(ping) < PROBES - 1; round++) {
                    ping = t.left().ns().ping(null, LAN_HOST[n], PROBES);
                }
                assertTrue(Netns.received(ping) >= PROBES - 1, LAN_HOST[n] + ": " + ping.out() + "\n" + show(argate));
                SwanSa.Child child = clients.get(n).ikeSa(SwanctlConfig.IKE).child(SwanctlConfig.CHILD);
                assertTrue(child.installed() && child.packetsIn() >= PROBES - 1, "client" + (n + 1) + "'s own SA carried its pings: " + child);
            }
            String isakmpSas = argate.show("show isakmp sa");
            String ipsecSas = argate.show("show ipsec sa");
            for (int n = 0; n < 3; n++) {
                assertTrue(isakmpSas.contains(WAN[n]), isakmpSas);
                assertTrue(ipsecSas.contains(" v" + (n + 1) + " "), ipsecSas);
                assertEquals("ESTABLISHED", clients.get(n).ikeSa(SwanctlConfig.IKE).state());
            }

            // client1 claims client2's LAN as its own side: the policy for that LAN (v2) is bound to
            // client2's address while its SAs live, so argate refuses the Quick Mode, and client2's
            // tunnel keeps carrying what is for its LAN
            String quickFailedBefore = argate.show("show isakmp counters=quick");
            clients.get(0).load(client(0).set("LOCAL_TS", LAN[1]));
            Lab.Result claim = clients.get(0).initiate(SwanctlConfig.CHILD, SwanctlConfig.IKE);
            String why = claim.out() + "\n" + clients.get(0).logTail(40) + "\n" + show(argate);
            assertTrue(!StrongSwanPeer.succeeded(claim), why);
            String log = argate.show("show log module=isak").replaceAll("\\s+", " ");
            assertTrue(log.contains("no KEYMAN=ISAKMP IPsec policy for peer " + WAN[0] + " has LOCAL 10.99.1.0") && log.contains("REMOTE 10.99.3.0"), why);
            assertTrue(counter(argate.show("show isakmp counters=quick"), "quickFailed") > counter(quickFailedBefore, "quickFailed"), why);
            long client2In = clients.get(1).ikeSa(SwanctlConfig.IKE).child(SwanctlConfig.CHILD).packetsIn();
            Lab.Result ping = t.left().ns().ping(null, LAN_HOST[1], PROBES);
            assertTrue(Netns.received(ping) >= PROBES - 1, ping.out() + "\n" + show(argate));
            assertTrue(clients.get(1).ikeSa(SwanctlConfig.IKE).child(SwanctlConfig.CHILD).packetsIn() >= client2In + PROBES - 1,
                    "client2's LAN is still reached through client2's own SA");
        } finally {
            StrongSwanPeer.deleteTree(data);
        }
    }

    /** Client n+1 (strongSwan, Aggressive Mode) with its ID clientN, its key, its LAN and argate's. */
    private static SwanctlConfig client(int n) {
        return SwanctlConfig.of(SwanctlConfig.Kind.AGGRESSIVE_PSK)
                .set("LOCAL_ADDRS", WAN[n])
                .set("REMOTE_ADDRS", Topology.LEFT_WAN)
                .ids("client" + (n + 1), Topology.LEFT_WAN)
                .psk("client" + (n + 1) + "-secret")
                .natTraversal(true)
                .set("LOCAL_TS", LAN[n])
                .set("REMOTE_TS", "10.99.1.0/24")
                .proposals(SwanProposals.AES128_SHA1_MODP1024, SwanProposals.ESP_AES128_SHA1);
    }

    static long counter(String out, String name) {
        Matcher m = Pattern.compile(Pattern.quote(name) + "\\D+(\\d+)").matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String show(ArgateSide a) {
        return a.show("show isakmp sa", "show isakmp exchange", "show isakmp counters", "show ipsec sa", "show ipsec counters",
                "show log module=isak");
    }
}
