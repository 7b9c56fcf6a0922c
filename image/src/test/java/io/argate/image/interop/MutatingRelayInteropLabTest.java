package io.argate.image.interop;

import io.argate.image.lab.Lab;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A damaging network between argate and strongSwan (issue 12, robustness): in the NAT namespace a
 * UDP relay (resources interop/relay/mutating-relay.py, python3) carries IKE both ways and damages
 * one ISAKMP message in three in each direction (truncated, or towards argate also its header length beyond the datagram).
 * argate counts what it drops and logs no internal error, strongSwan drops what it cannot parse,
 * and each side's retransmission carries the exchanges on: the tunnel still comes up and carries a
 * ping. ESP in UDP passes the relay untouched.
 */
class MutatingRelayInteropLabTest {
    private static final int RELAY_500 = 10500;
    private static final int RELAY_4500 = 14500;
    private static final long UP_WITHIN_MS = 90_000;

    @Test
    void theTunnelComesUpThroughARelayThatDamagesMessagesBothWaysAndArgateCountsItsDrops() throws Exception {
        Path data = Files.createTempDirectory("ia-argate-");
        try (InteropNet net = InteropNet.open()) {
            StrongSwanPeer.requireInstalled();
            Topology t = Topology.build(net, Topology.Layout.NAT, Topology.Kind.ARGATE, Topology.Kind.PEER);
            ArgateSide argate = ArgateSide.boot(net, t, data, StrongSwanInteropLabTest.argateVpn(t.right().seenAs(),
                    "ENCALG=AES128 HASHALG=SHA GROUP=2 RETRYIKEATTEMPTS=CONTINUOUS", "ENCALG=AES128 HASHALG=SHA", 2));
            Netns nat = t.nat();
            // argate's IKE to the peer goes to the relay; conntrack gives the relay's answers the peer's address and port
            for (int[] ports : new int[][]{{500, RELAY_500}, {4500, RELAY_4500}}) {
                nat.must("redirect IKE to the relay", "iptables", "-t", "nat", "-I", "PREROUTING", "-s", t.left().wan(), "-p", "udp",
                        "--dport", Integer.toString(ports[0]), "-j", "REDIRECT", "--to-ports", Integer.toString(ports[1]));
            }
            Path script = data.resolve("mutating-relay.py");
            try (InputStream in = MutatingRelayInteropLabTest.class.getResourceAsStream("/interop/relay/mutating-relay.py")) {
                Files.write(script, in.readAllBytes());
            }
            Path relayLog = data.resolve("relay.log");
            Process relay = new ProcessBuilder("ip", "netns", "exec", nat.name(), "python3", script.toString(), t.right().wan(),
                    t.left().seenAs(), "1130", "3", "150").redirectErrorStream(true).redirectOutput(relayLog.toFile()).start();
            net.onClose(relay::destroy);
            for (int i = 0; i < 100 && !Files.readString(relayLog).contains("relaying"); i++) {
                assertTrue(relay.isAlive(), "the relay exited: " + Files.readString(relayLog));
                Thread.sleep(100);
            }
            SwanctlConfig cfg = SwanctlConfig.gateway(SwanctlConfig.Kind.MAIN_PSK, t.right(), t.left())
                    .proposals(SwanProposals.AES128_SHA1_MODP1024, "aes128-sha1-modp1024").set("REMOTE_ADDRS", "%any");
            StrongSwanPeer sw = StrongSwanPeer.start(net, t.right().ns(), cfg);

            // argate initiates on the first ping; a user pings until the tunnel answers
            long end = System.currentTimeMillis() + UP_WITHIN_MS;
            Lab.Result ping = t.left().ns().ping(null, t.right().lanHost(), 3);
            while (Netns.received(ping) < 2 && System.currentTimeMillis() < end) {
                ping = t.left().ns().ping(null, t.right().lanHost(), 3);
            }
            String relayed = Files.readString(relayLog);
            String why = ping.out() + "\n--- relay:\n" + relayed + "\n--- strongSwan:\n" + sw.logTail(80) + "\n--- argate:\n"
                    + argate.show("show isakmp sa", "show isakmp exchange", "show isakmp counters", "show ipsec sa", "show log module=isak");
            assertTrue(Netns.received(ping) >= 2, "the tunnel came up through the damaging relay\n" + why);
            List<String> damaged = relayed.lines().filter(l -> l.startsWith("damaged ")).toList();
            assertTrue(damaged.stream().anyMatch(l -> l.startsWith("damaged to-argate")), why);
            assertTrue(damaged.stream().anyMatch(l -> l.startsWith("damaged to-peer")), why);
            // every damaged message that reached argate is a counted drop, and nothing threw
            long drops = 0;
            for (String name : List.of("dropMalformed", "dropPayloadRules", "dropDecryptFailed", "dropUnexpectedMessage", "dropUnknownCookie")) {
                drops += DpdInteropLabTest.counter(argate, name);
            }
            assertTrue(drops >= 1, "argate counted no drop for " + damaged + "\n" + why);
            assertTrue(!argate.show("show log").contains("internal error"), why);
            relay.destroy();
            relay.waitFor(5, TimeUnit.SECONDS);
        } finally {
            StrongSwanPeer.deleteTree(data);
        }
    }
}
