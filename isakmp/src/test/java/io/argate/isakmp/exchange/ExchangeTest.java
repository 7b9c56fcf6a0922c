package io.argate.isakmp.exchange;

import io.argate.ipsec.esp.Transform;

import io.argate.enco.Enco;
import io.argate.ipsec.sad.Sa;
import io.argate.ipsec.sad.SaBundle;
import io.argate.ipsec.esp.EspTransform;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.crypto.Phase1Cipher;
import io.argate.isakmp.crypto.PrfAlgorithm;
import io.argate.isakmp.sa.NegotiatedBundle;
import io.argate.isakmp.sa.NegotiatedSa;
import io.argate.shell.loop.ControlLoop;
import io.argate.shell.loop.ManualClock;
import io.argate.store.EventLog;
import io.argate.store.Nvs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExchangeTest {
    @TempDir
    Path dir;
    Nvs nvs;
    ControlLoop loop;
    ManualClock clock;
    FakeWire wire;
    Enco enco;
    Router a;
    Router b;

    @BeforeEach
    void open() {
        nvs = Nvs.open(dir);
        clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        loop = new ControlLoop(clock, "test-loop");
        wire = new FakeWire(loop);
        enco = Router.enco(new EventLog(nvs, clock));
        a = new Router("A", FakeWire.A, 0x0a010100, loop, wire, enco, 1);
        b = new Router("B", FakeWire.B, 0x0a020100, loop, wire, enco, 2);
    }

    @AfterEach
    void close() {
        loop.close();
        nvs.close();
    }

    void phase1(IsakmpPolicy.Mode mode, Phase1Cipher enc, PrfAlgorithm hash, int group) {
        for (Router r : new Router[]{a, b}) {
            r.psk("pobaetrpnjkakdf");
            IsakmpPolicy.Builder p = r.policy("i", FakeWire.peerOf(r.address));
            p.mode = mode;
            p.encAlg = enc;
            p.hashAlg = hash;
            p.group = group;
            p.sendNotify = true;
            r.put(p);
        }
    }

    void phase2(String string, int group, io.argate.ipsec.spec.SaSpecification... specs) throws Exception {
        a.ipsecPolicy(string, b.lan, group, specs);
        b.ipsecPolicy(string, a.lan, group, specs);
    }

    void negotiate() {
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
    }

    /** The bundles match: A's outbound SPI is B's inbound one with the same keys, both ways, and ESP sealed by one opens at the other. */
    void assertMatchingSas() throws Exception {
        assertEquals(1, a.installed.size(), "A installed one bundle: " + a.log);
        assertEquals(1, b.installed.size(), "B installed one bundle: " + b.log);
        NegotiatedBundle x = a.installed.get(0);
        NegotiatedBundle y = b.installed.get(0);
        assertEquals(x.sas().size(), y.sas().size());
        for (int i = 0; i < x.sas().size(); i++) {
            NegotiatedSa s = x.sas().get(i);
            NegotiatedSa t = y.sas().get(i);
            assertEquals(s.outboundSpi(), t.inboundSpi());
            assertEquals(s.inboundSpi(), t.outboundSpi());
            assertArrayEquals(s.outboundKeys(), t.inboundKeys());
            assertArrayEquals(s.inboundKeys(), t.outboundKeys());
        }
        assertTrue(x.initiator() && !y.initiator());
        SaBundle<Transform> out = a.sad.outbound("vpn");
        Sa<Transform> o = out.outbound().get(0);
        if (o.transform() instanceof EspTransform esp) {
            EspTransform in = (EspTransform) b.sad.inbound(o.protocol(), o.spi()).transform();
            ByteBuf buf = Unpooled.buffer(256);
            byte[] payload = "ping through the tunnel".getBytes();
            int start = esp.headerLength();
            buf.setBytes(start, payload);
            int at = esp.seal(buf, start, start + payload.length, 4, o.spi(), 1);
            int p = in.open(buf, at, buf.writerIndex());
            assertTrue(p > 0, "B opened A's ESP: " + in.lastDrop());
            byte[] back = new byte[payload.length];
            buf.getBytes(p, back);
            assertArrayEquals(payload, back);
        }
    }

    @Test
    void mainModeAndQuickModeInstallMatchingSasWithoutPfs() throws Exception {
        phase1(IsakmpPolicy.Mode.MAIN, Phase1Cipher.DES, PrfAlgorithm.SHA1, 1);
        phase2("1", 0, Router.esp(1, EncAlg.DES, HashAlg.SHA));
        negotiate();
        assertMatchingSas();
        assertTrue(a.log.contains("Exchange 1: Phase 1 [init] started with peer 192.0.2.2"), a.log.toString());
        assertTrue(a.log.contains("Exchange 1: Completed successfully"), a.log.toString());
        assertTrue(a.log.contains("Exchange 2: Phase 2 [init] started with peer 192.0.2.2"), a.log.toString());
        assertTrue(a.log.contains("Exchange 2: Completed successfully"), a.log.toString());
        assertEquals(1, a.daemon.sas().size());
        assertEquals(0, a.daemon.exchanges().size());
        assertEquals(1, b.daemon.counters().get(IsakmpCounter.QUICK_COMPLETED));
    }

    @Test
    void everyCipherHashAndGroupWithAndWithoutPfs() throws Exception {
        Object[][] cases = {
                {Phase1Cipher.AES128, PrfAlgorithm.SHA1, 2, EncAlg.AES128, HashAlg.SHA, 2},
                {Phase1Cipher.TDES, PrfAlgorithm.SHA1, 2, EncAlg.TDESOUTER, HashAlg.SHA, 0},
                {Phase1Cipher.AES256, PrfAlgorithm.SHA256, 14, EncAlg.AES256, HashAlg.SHA2256, 14},
                {Phase1Cipher.DES, PrfAlgorithm.MD5, 1, EncAlg.DES, HashAlg.MD5, 1},
                {Phase1Cipher.AES192, PrfAlgorithm.MD5, 5, EncAlg.AES192, HashAlg.MD5, 5},
        };
        for (Object[] c : cases) {
            open();
            phase1(IsakmpPolicy.Mode.MAIN, (Phase1Cipher) c[0], (PrfAlgorithm) c[1], (int) c[2]);
            phase2("1", (int) c[5], Router.esp(1, (EncAlg) c[3], (HashAlg) c[4]));
            negotiate();
            assertMatchingSas();
            close();
        }
        open();
    }

    @Test
    void aggressiveModeWithRemoteIdOnTheFixedSide() throws Exception {
        a.psk("secret-a");
        b.psk("secret-a");
        IsakmpPolicy.Builder pa = a.policy("i", FakeWire.B);
        pa.mode = IsakmpPolicy.Mode.AGGRESSIVE;
        pa.localId = "client";
        a.put(pa);
        IsakmpPolicy.Builder pb = b.policy("i", 0);
        pb.mode = IsakmpPolicy.Mode.AGGRESSIVE;
        pb.remoteId = "client";
        b.put(pb);
        phase2("1", 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        negotiate();
        assertMatchingSas();
        assertEquals(1, b.daemon.counters().get(IsakmpCounter.AGGR_COMPLETED));
    }

    @Test
    void deletingTheSasWithOnePeerMakesTheNextNegotiationAFreshMainMode() throws Exception {
        phase1(IsakmpPolicy.Mode.MAIN, Phase1Cipher.AES128, PrfAlgorithm.SHA1, 2);
        phase2("1", 2, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        negotiate();
        assertEquals(1, a.daemon.sas().size());
        loop.run(() -> a.daemon.deleteSas(0x0a0b0c0d, "not this peer"));
        assertEquals(1, a.daemon.sas().size());
        loop.run(() -> a.daemon.deleteSas(FakeWire.B, "test"));
        loop.run(() -> b.daemon.deleteSas(FakeWire.A, "test"));
        assertEquals(0, a.daemon.sas().size());
        assertEquals(0, b.daemon.sas().size());
        a.sad.removePolicy("vpn");
        b.sad.removePolicy("vpn");
        negotiate();
        assertEquals(2, a.daemon.counters().get(IsakmpCounter.MAIN_COMPLETED));
        assertEquals(2, b.daemon.counters().get(IsakmpCounter.QUICK_COMPLETED));
        assertEquals(2, a.installed.size());
        assertEquals(2, b.installed.size());
    }

    @Test
    void aWrongPreSharedKeyIsReportedAsSuchAtMessageFive() throws Exception {
        phase1(IsakmpPolicy.Mode.MAIN, Phase1Cipher.AES128, PrfAlgorithm.SHA1, 2);
        b.psk("another-key");
        phase2("1", 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        negotiate();
        assertEquals(0, a.installed.size());
        assertTrue(b.log.stream().anyMatch(l -> l.startsWith("Exchange 1: ISAKMP policy i: Main Mode message 5 did not decrypt to valid payloads;"
                + " the pre-shared key (KEY=1) differs from the peer's")), b.log.toString());
        assertTrue(a.log.stream().anyMatch(l -> l.contains("INVALID-HASH-INFORMATION: the peer could not verify us; check that both ends use the same pre-shared key")),
                a.log.toString());
        assertTrue(b.log.stream().noneMatch(l -> l.toLowerCase().contains("malformed")));
        // the initiator gives up after its retries, in the loop's time
        loop.advance(Duration.ofMinutes(10));
        assertTrue(a.log.stream().anyMatch(l -> l.contains("Failed - no answer from 192.0.2.2 in state AUTHSENT after 8 retransmissions")), a.log.toString());
        assertEquals(0, a.daemon.exchanges().size());
    }

    /**
     * The responder sends Main Mode message 4 before it derives the keys (so both sides compute g^xy
     * at once); a policy whose KEY is gone must still fail at message 3, before message 4 goes out.
     */
    @Test
    void aResponderWhoseKeyIsGoneFailsBeforeMessageFour() throws Exception {
        phase1(IsakmpPolicy.Mode.MAIN, Phase1Cipher.AES128, PrfAlgorithm.SHA1, 2);
        phase2("1", 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        b.keys.clear();
        negotiate();
        assertEquals(0, a.installed.size());
        assertTrue(b.log.stream().anyMatch(l -> l.contains("ISAKMP policy i: KEY=1 names no ENCO key")), b.log.toString());
        // B's Main Mode messages in the clear (exchange type 2, no encryption flag): message 2 only
        long clearFromB = wire.sent.stream().filter(m -> m.from() == FakeWire.B && m.payload().length > 19
                && m.payload()[18] == 2 && (m.payload()[19] & 1) == 0).count();
        assertEquals(1, clearFromB, "B sent message 2 and no message 4");
    }

    @Test
    void aLostMessageIsRetransmittedOnTheSteppedClockAndADuplicateIsAnswered() throws Exception {
        phase1(IsakmpPolicy.Mode.MAIN, Phase1Cipher.DES, PrfAlgorithm.SHA1, 1);
        phase2("1", 0, Router.esp(1, EncAlg.DES, HashAlg.SHA));
        int[] lost = {0};
        wire.filter = s -> s.from() == FakeWire.B && lost[0]++ == 1 ? null : s; // B's Main Mode message 4 is lost once
        negotiate();
        assertEquals(0, a.installed.size());
        assertEquals("KESENT", a.daemon.exchanges().get(0).state());
        loop.advance(Duration.ofSeconds(3));
        assertEquals(0, a.daemon.counters().get(IsakmpCounter.RETRANSMISSIONS));
        loop.advance(Duration.ofSeconds(1));
        wire.settle();
        assertEquals(1, a.daemon.counters().get(IsakmpCounter.RETRANSMISSIONS));
        assertEquals(1, b.daemon.counters().get(IsakmpCounter.RETRANSMISSIONS), "the responder repeats message 4 on its own timer too");
        assertTrue(b.daemon.counters().get(IsakmpCounter.DUPLICATES) >= 1, "B answered the repeated message 3 by resending message 4");
        assertTrue(wire.sent.size() < 20, "repeats are answered, never bounced back and forth: " + wire.sent.size());
        assertMatchingSas();
    }

    @Test
    void bundleGrammarAndOrCommaIsNegotiatedByPreference() throws Exception {
        phase1(IsakmpPolicy.Mode.MAIN, Phase1Cipher.AES128, PrfAlgorithm.SHA1, 2);
        // A prefers ESP 3DES AND AH, then ESP AES OR DES; B only knows the second combination's DES
        a.ipsecPolicy("1 AND 3, 2 OR 4", b.lan, 0, Router.esp(1, EncAlg.TDESOUTER, HashAlg.SHA), Router.esp(2, EncAlg.AES128, HashAlg.SHA),
                Router.ah(3, HashAlg.SHA), Router.esp(4, EncAlg.DES, HashAlg.MD5));
        b.ipsecPolicy("4", a.lan, 0, Router.esp(4, EncAlg.DES, HashAlg.MD5));
        negotiate();
        assertMatchingSas();
        assertEquals(EncAlg.DES, a.installed.get(0).sas().get(0).encAlg());
        assertEquals(4, a.installed.get(0).sas().get(0).specNumber());
    }

    @Test
    void noCommonProposalSaysWhatDiffered() throws Exception {
        phase1(IsakmpPolicy.Mode.MAIN, Phase1Cipher.AES128, PrfAlgorithm.SHA1, 2);
        IsakmpPolicy.Builder p = b.isakmp.policy("i").orElseThrow().toBuilder();
        p.encAlg = Phase1Cipher.TDES;
        p.hashAlg = PrfAlgorithm.MD5;
        b.isakmp.put(p.build());
        phase2("1", 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        negotiate();
        assertTrue(b.log.contains("Exchange 1: Failed - ISAKMP policy i: peer offered AES128/SHA/group 2, policy allows 3DESOUTER/MD5/group 2 (cipher differs)"),
                b.log.toString());
        assertTrue(a.log.stream().anyMatch(l -> l.contains("NO-PROPOSAL-CHOSEN")), a.log.toString());
    }
}
