package io.argate.isakmp.cli;

import io.argate.ipsec.config.IpsecConfig;
import io.argate.ipsec.spec.EncoKeys;
import io.argate.ipsec.spec.IpsecProtocol;
import io.argate.isakmp.Datagram;
import io.argate.isakmp.IkeNetwork;
import io.argate.isakmp.config.IsakmpConfig;
import io.argate.isakmp.crypto.RandomSource;
import io.argate.isakmp.exchange.IsakmpDaemon;
import io.argate.isakmp.sa.NegotiatedBundle;
import io.argate.isakmp.sa.SaInstaller;
import io.argate.isakmp.wire.MessageDump;
import io.argate.isakmp.wire.WireCodecTest;
import io.argate.shell.loop.ControlLoop;
import io.argate.shell.loop.ManualClock;
import io.argate.shell.tap.Tap;
import io.argate.shell.testing.CommandRig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IsakmpCommandsTest {
    static final EncoKeys KEYS = new EncoKeys() {
        final Map<Integer, KeyInfo> keys = Map.of(1, new KeyInfo("GENERAL", 15), 2, new KeyInfo("GENERAL", 8), 3, new KeyInfo("DES", 8));

        public Optional<KeyInfo> info(int n) {
            return Optional.ofNullable(keys.get(n));
        }

        public Optional<byte[]> value(int n) {
            return Optional.empty();
        }
    };

    final ControlLoop loop = new ControlLoop(new ManualClock(Instant.parse("2026-01-01T00:00:00Z")), "cli-test");
    final IsakmpConfig config = new IsakmpConfig();
    final List<String> log = new ArrayList<>();
    final IsakmpDaemon daemon = new IsakmpDaemon(config, new IpsecConfig(), new SaInstaller() {
        public int reserveSpi(IpsecProtocol p) {
            return 1000;
        }

        public int install(NegotiatedBundle b) {
            return 0;
        }

        public boolean delete(IpsecProtocol p, int spi) {
            return false;
        }

        public int installInbound(NegotiatedBundle b) {
            return 0;
        }

        public boolean activate(int id) {
            return false;
        }

        public boolean sending(String policy) {
            return false;
        }

        public List<io.argate.isakmp.sa.InstalledBundle> bundles(String policy) {
            return List.of();
        }

        public boolean remove(int id) {
            return false;
        }

        public java.util.Map<Integer, Long> inboundPackets() {
            return java.util.Map.of();
        }

        public int clearPeer(int peer) {
            return 0;
        }

        public void followPeerPort(int peer, int port) {
        }

        public java.util.OptionalInt boundPeer(String policy) {
            return java.util.OptionalInt.empty();
        }
    }, KEYS, new IkeNetwork() {
        public void send(int l, int lp, int r, int rp, byte[] payload) {
        }

        public int sourceFor(int r) {
            return 0x01010101;
        }
    }, loop, RandomSource.seeded(1), (st, m) -> log.add(m));
    final IsakmpModule module = new IsakmpModule(config, daemon, KEYS, (st, m) -> log.add(m));
    final CommandRig rig = new CommandRig(List.of(module));

    @AfterEach
    void close() {
        loop.close();
    }

    void ok(String line) {
        assertTrue(rig.run(line), line + " -> " + rig.lastOutput());
    }

    String fails(String line) {
        assertFalse(rig.run(line), line + " should fail");
        return rig.lastOutput();
    }

    List<String> config() {
        List<String> out = new ArrayList<>();
        module.writeConfig(out::add);
        return out;
    }

    @Test
    void theSeedsIsakmpPoliciesRoundTripThroughTheConfiguration() {
        ok("CREATE ISAKMP POLICY=i PEER=2.2.2.2 KEY=1 SENDN=TRUE");
        ok("CREATE ISAKMP POLICY=c1 PEER=ANY KEY=1 REMOTEID=peer1 MODE=AGGRESSIVE SENDN=TRUE");
        ok("CREATE ISAKMP POLICY=x PEER=3.3.3.3 KEY=2 ENCALG=AES256 HASHALG=SHA2-256 GROUP=14 EXPIRYSECONDS=3600 NATTRAVERSAL=ON MSGTIMEOUT=2");
        ok("SET ISAKMP POLICY=i GROUP=2");
        ok("ENABLE ISAKMP");
        assertTrue(rig.lastOutput().contains("Info (182006): ISAKMP module has been enabled"), rig.lastOutput());
        assertTrue(log.contains("ISAKMP has been enabled"));
        List<String> written = config();
        assertEquals(List.of(
                "create isakmp policy=i peer=2.2.2.2 key=1 group=2 sendnotify=true",
                "create isakmp policy=c1 peer=any key=1 mode=aggressive remoteid=peer1 sendnotify=true",
                "create isakmp policy=x peer=3.3.3.3 key=2 encalg=aes256 hashalg=sha2-256 group=14 expiryseconds=3600 nattraversal=true msgtimeout=2",
                "enable isakmp"), written);
        ok("PURGE ISAKMP");
        assertEquals(List.of(), config());
        written.forEach(this::ok);
        assertEquals(written, config());
    }

    @Test
    void livenessParametersRoundTripAndShow() {
        ok("CREATE ISAKMP POLICY=gw PEER=2.2.2.2 KEY=1 DPDMODE=BOTH DPDIDLETIMEOUT=20 HEARTBEATMODE=SEND");
        ok("CREATE ISAKMP POLICY=plain PEER=3.3.3.3 KEY=1");
        ok("SET ISAKMP POLICY=plain HEARTBEATMODE=RECEIVE DPDMODE=NONE");
        List<String> written = config();
        assertEquals(List.of(
                "create isakmp policy=gw peer=2.2.2.2 key=1 dpdmode=both dpdidletimeout=20 heartbeatmode=send",
                "create isakmp policy=plain peer=3.3.3.3 key=1 dpdmode=none heartbeatmode=receive"), written);
        ok("SHOW ISAKMP POLICY=gw");
        assertTrue(rig.lastOutput().lines().anyMatch(l -> l.matches("DPD Mode \\.+ +BOTH")), rig.lastOutput());
        assertTrue(rig.lastOutput().lines().anyMatch(l -> l.matches("DPD Idle Timeout \\.+ +20")), rig.lastOutput());
        assertTrue(rig.lastOutput().lines().anyMatch(l -> l.matches("Heartbeat Mode \\.+ +SEND")), rig.lastOutput());
        assertFalse(rig.run("SET ISAKMP POLICY=gw DPDIDLETIMEOUT=0"));
        assertFalse(rig.run("SET ISAKMP POLICY=gw DPDMODE=SEND"), "DPDMODE has no SEND (fact sheet 2.5)");
        ok("PURGE ISAKMP");
        written.forEach(this::ok);
        assertEquals(written, config());
        ok("SHOW ISAKMP COUNTERS=HEARTBEAT");
        assertTrue(rig.lastOutput().contains("ISAKMP Heartbeat Counters"), rig.lastOutput());
        assertTrue(rig.lastOutput().contains("dpdPeersDead"), rig.lastOutput());
        ok("SHOW ISAKMP COUNTERS=NETWORK");
        assertTrue(rig.lastOutput().contains("dropHalfOpenTotal"), rig.lastOutput());
    }

    @Test
    void badPoliciesAreRefusedInTheConfigurationsTerms() {
        assertTrue(fails("CREATE ISAKMP POLICY=i PEER=2.2.2.2 KEY=9").contains("KEY=9 names no ENCO key"), rig.lastOutput());
        assertTrue(fails("CREATE ISAKMP POLICY=i PEER=2.2.2.2 KEY=3").contains("TYPE=DES; a pre-shared key needs TYPE=GENERAL"), rig.lastOutput());
        assertTrue(fails("CREATE ISAKMP POLICY=i PEER=2.2.2.2 KEY=1 GROUP=3").contains("GROUP=3 is not a MODP group"), rig.lastOutput());
        assertTrue(fails("CREATE ISAKMP POLICY=i PEER=ANY KEY=1 REMOTEID=x").contains("needs MODE=AGGRESSIVE"), rig.lastOutput());
        assertTrue(fails("SET ISAKMP POLICY=nope GROUP=2").contains("ISAKMP policy nope does not exist"), rig.lastOutput());
        ok("CREATE ISAKMP POLICY=i PEER=2.2.2.2 KEY=1");
        assertTrue(fails("CREATE ISAKMP POLICY=I PEER=2.2.2.3 KEY=1").contains("already exists"), rig.lastOutput());
        assertEquals(1, config.policies().size());
    }

    @Test
    void showCommandsUseTheReferencesLayouts() {
        ok("CREATE ISAKMP POLICY=i PEER=2.2.2.2 KEY=1");
        ok("SHOW ISAKMP");
        assertTrue(rig.lastOutput().contains("Module Status"), rig.lastOutput());
        assertTrue(rig.lastOutput().contains("DISABLED"));
        ok("SHOW ISAKMP POLICY");
        assertTrue(rig.lastOutput().contains("i                        2.2.2.2          MAIN       DES        SHA       1"), rig.lastOutput());
        ok("SHOW ISAKMP POLICY=i");
        assertTrue(rig.lastOutput().contains("Encryption Algorithm"), rig.lastOutput());
        ok("SHOW ISAKMP SA");
        assertTrue(rig.lastOutput().contains("SA Id  PeerAddress      EncA.  HashA.  Bytes      Seconds"), rig.lastOutput());
        ok("SHOW ISAKMP EXCHANGE");
        assertTrue(rig.lastOutput().contains("Id   Phase  State"), rig.lastOutput());
        ok("SHOW ISAKMP COUNTERS=SPD");
        assertTrue(rig.lastOutput().contains("ISAKMP Policy Counters"), rig.lastOutput());
        assertTrue(rig.lastOutput().contains("getPolicyByPeerGood"), rig.lastOutput());
        ok("ENABLE ISAKMP DEBUG=PKT");
        assertTrue(rig.lastOutput().contains("Info (182057): ISAKMP Debugging has been enabled."), rig.lastOutput());
        ok("RESET ISAKMP COUNTERS");
    }

    /**
     * Receives the reference's Main Mode message 1 and returns how many lines the daemon offered
     * to the session's tap meanwhile (the tap's own thread writes them to the terminal, so the
     * count, not the terminal, is what a test can read without waiting).
     */
    long receiveReferenceMessageOne() {
        Tap tap = rig.session().tap();
        long before = tap.offered();
        byte[] mm1 = HexFormat.of().parseHex(WireCodecTest.MM1);
        loop.run(() -> daemon.receive(new Datagram(0x02020202, 500, 0x01010101, 500, mm1)));
        return tap.offered() - before;
    }

    @Test
    void debugPktOffersEachMessagesDecodeToTheEnablingSessionsTap() {
        byte[] mm1 = HexFormat.of().parseHex(WireCodecTest.MM1);
        String title = "ISAKMP Rx Message from 2.2.2.2:500";
        ok("ENABLE ISAKMP");
        assertEquals(0, receiveReferenceMessageOne(), "no debugging yet");
        ok("ENABLE ISAKMP DEBUG=PKT");
        assertEquals(MessageDump.message(title, mm1, false).size(), receiveReferenceMessageOne());

        ok("ENABLE ISAKMP DEBUG=PKTRAW");
        assertEquals(MessageDump.message(title, mm1, true).size(), receiveReferenceMessageOne(), "PKTRAW adds the bytes");

        ok("DISABLE ISAKMP DEBUG=PKTRAW");
        ok("ENABLE ISAKMP DEBUG=PKT");
        assertEquals(MessageDump.message(title, mm1, false).size(), receiveReferenceMessageOne());

        ok("DISABLE ISAKMP DEBUG");
        assertEquals(0, receiveReferenceMessageOne(), "DISABLE ISAKMP DEBUG stops every option");
    }
}
