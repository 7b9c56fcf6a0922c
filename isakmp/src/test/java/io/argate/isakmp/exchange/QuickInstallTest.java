package io.argate.isakmp.exchange;

import io.argate.enco.Enco;
import io.argate.ipsec.esp.EspTransform;
import io.argate.ipsec.esp.Transform;
import io.argate.ipsec.sad.Sa;
import io.argate.ipsec.sad.SaBundle;
import io.argate.ipsec.sad.SaState;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.crypto.Phase1Cipher;
import io.argate.isakmp.crypto.PrfAlgorithm;
import io.argate.isakmp.wire.ExchangeType;
import io.argate.isakmp.wire.IsakmpHeader;
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
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When each side's SAs start receiving and sending (RFC 2409 section 5.5): the responder
 * receives on its new SAs from the moment it sends message 2 and sends on them after message 3;
 * with the commit bit (RFC 2408 section 4.6.2) the initiator sends only after CONNECTED.
 */
class QuickInstallTest {
    @TempDir
    Path dir;
    Nvs nvs;
    ControlLoop loop;
    ManualClock clock;
    FakeWire wire;
    Router a;
    Router b;

    @BeforeEach
    void open() throws Exception {
        nvs = Nvs.open(dir);
        clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        loop = new ControlLoop(clock, "test-loop");
        wire = new FakeWire(loop);
        Enco enco = Router.enco(new EventLog(nvs, clock));
        a = new Router("A", FakeWire.A, 0x0a010100, loop, wire, enco, 1);
        b = new Router("B", FakeWire.B, 0x0a020100, loop, wire, enco, 2);
    }

    @AfterEach
    void close() {
        loop.close();
        nvs.close();
    }

    void configure(Consumer<IsakmpPolicy.Builder> responder) throws Exception {
        for (Router r : new Router[]{a, b}) {
            r.psk("commit-and-race");
            IsakmpPolicy.Builder p = r.policy("i", FakeWire.peerOf(r.address));
            p.encAlg = Phase1Cipher.AES128;
            p.group = 2;
            if (r == b) {
                responder.accept(p);
            }
            r.put(p);
        }
        a.ipsecPolicy("1", b.lan, 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        b.ipsecPolicy("1", a.lan, 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
    }

    static boolean quick(FakeWire.Sent s) {
        return s.payload().length > 18 && (s.payload()[18] & 0xff) == ExchangeType.QUICK;
    }

    /** The n-th (from 1) Quick Mode message {@code from} sent, or null. */
    FakeWire.Sent quickMessage(int from, int n) {
        List<FakeWire.Sent> q = wire.sent.stream().filter(s -> s.from() == from && quick(s)).toList();
        return q.size() >= n ? q.get(n - 1) : null;
    }

    /** ESP that {@code from} seals on its sending bundle opens at {@code to}'s inbound SA of that SPI. */
    static void assertCarries(Router from, Router to) throws Exception {
        SaBundle<Transform> out = from.sad.outbound("vpn");
        assertNotNull(out, from.name + " has a sending bundle");
        Sa<Transform> o = out.outbound().get(0);
        Sa<Transform> in = to.sad.inbound(o.protocol(), o.spi());
        assertNotNull(in, to.name + " receives on " + from.name + "'s outbound SPI " + o.spiUnsigned());
        EspTransform seal = (EspTransform) o.transform();
        EspTransform open = (EspTransform) in.transform();
        ByteBuf buf = Unpooled.buffer(256);
        byte[] payload = "the first packet after Quick Mode".getBytes();
        int start = seal.headerLength();
        buf.setBytes(start, payload);
        int at = seal.seal(buf, start, start + payload.length, 4, o.spi(), 1);
        int p = open.open(buf, at, buf.writerIndex());
        assertTrue(p > 0, to.name + " opened " + from.name + "'s ESP: " + open.lastDrop());
        byte[] back = new byte[payload.length];
        buf.getBytes(p, back);
        assertArrayEquals(payload, back);
    }

    @Test
    void theResponderReceivesOnTheNewSasBeforeMessageThreeArrives() throws Exception {
        configure(p -> {
        });
        // A's Quick Mode message 3 is late: everything A sends after message 1 in Quick Mode is held back
        wire.filter = s -> s.from() == FakeWire.A && quick(s) && quickMessage(FakeWire.A, 1) != s ? null : s;
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
        // A has message 2, so it sends; B already receives what A sends
        assertCarries(a, b);
        assertNull(b.sad.outbound("vpn"), "B does not send before message 3 proves A has the SAs");
        assertEquals(SaState.CREATING, b.sad.bundlesOf("vpn").get(0).state(), "SHOW IPSEC SA shows B's bundle as Creating");
        assertEquals("WAIT_HASH", b.daemon.exchanges().get(0).state());
        // message 3 gets through when B repeats message 2 and A answers the repeat
        wire.filter = s -> s;
        loop.advance(Duration.ofSeconds(4));
        wire.settle();
        assertEquals(SaState.VALID, b.sad.bundlesOf("vpn").get(0).state());
        assertCarries(b, a);
        assertEquals(1, b.daemon.counters().get(IsakmpCounter.QUICK_COMPLETED));
        assertEquals(1, b.sad.bundles().size(), "one bundle, installed once");
    }

    @Test
    void aResponderThatNeverHearsMessageThreeRemovesItsReceivingSas() throws Exception {
        configure(p -> {
        });
        wire.filter = s -> s.from() == FakeWire.A && quick(s) && quickMessage(FakeWire.A, 1) != s ? null : s;
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
        assertEquals(1, b.sad.bundles().size());
        loop.advance(Duration.ofMinutes(10));
        wire.settle();
        assertTrue(b.log.stream().anyMatch(l -> l.contains("Failed - no answer from 192.0.2.1 in state WAIT_HASH")), b.log.toString());
        assertEquals(0, b.sad.bundles().size(), "the receiving-only bundle went with the failed exchange");
    }

    @Test
    void withSetCommitBitTheResponderSaysConnectedAndTheInitiatorWaitsForIt() throws Exception {
        configure(p -> p.setCommitBit = true);
        // B's CONNECTED (its second Quick Mode message) is lost once
        int[] lost = {0};
        wire.filter = s -> s.from() == FakeWire.B && quick(s) && quickMessage(FakeWire.B, 2) == s && lost[0]++ == 0 ? null : s;
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
        FakeWire.Sent qm2 = quickMessage(FakeWire.B, 1);
        assertTrue((qm2.payload()[19] & IsakmpHeader.FLAG_COMMIT) != 0, "B's message 2 has the commit bit");
        assertTrue((quickMessage(FakeWire.A, 1).payload()[19] & IsakmpHeader.FLAG_COMMIT) == 0, "A's message 1 does not");
        assertNotNull(quickMessage(FakeWire.B, 2), "B sent message 4 after installing");
        assertCarries(b, a);
        assertNull(a.sad.outbound("vpn"), "A waits for CONNECTED before sending");
        assertEquals("WAIT_HASH", a.daemon.exchanges().get(0).state());
        assertEquals(0, a.daemon.counters().get(IsakmpCounter.QUICK_COMPLETED));
        // A repeats message 3; B answers the repeat with CONNECTED again
        loop.advance(Duration.ofSeconds(4));
        wire.settle();
        assertCarries(a, b);
        assertEquals(1, a.daemon.counters().get(IsakmpCounter.QUICK_COMPLETED));
        assertTrue(a.log.contains("Exchange 2: Completed successfully"), a.log.toString());
        assertEquals(0, a.daemon.exchanges().size());
        assertEquals(0, a.daemon.counters().get(IsakmpCounter.DROP_UNEXPECTED) + a.daemon.counters().get(IsakmpCounter.QUICK_BAD_HASH));
    }
}
