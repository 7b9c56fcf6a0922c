package io.argate.isakmp.exchange;

import io.argate.enco.Enco;
import io.argate.ipsec.spd.AddressSpec;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spd.PeerAddress;
import io.argate.ipsec.spd.PolicyAction;
import io.argate.ipsec.spec.BundleExpression;
import io.argate.ipsec.spec.BundleSpecification;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.ipsec.spec.KeyManagement;
import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.IsakmpDebug;
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.crypto.Phase1Cipher;
import io.argate.isakmp.wire.ExchangeType;
import io.argate.shell.loop.ControlLoop;
import io.argate.shell.loop.ManualClock;
import io.argate.store.EventLog;
import io.argate.store.Nvs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ISAKMP policy parameters that change what goes on the wire: SENDIDALWAYS, SRCINTERFACE, RETRYIKEATTEMPTS, PRENEGOTIATE. */
class PolicyBehaviourTest {
    @TempDir
    Path dir;
    Nvs nvs;
    ControlLoop loop;
    ManualClock clock;
    FakeWire wire;
    Router a;
    Router b;

    @BeforeEach
    void open() {
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

    void phase1(Consumer<IsakmpPolicy.Builder> onA) {
        for (Router r : new Router[]{a, b}) {
            r.psk("policy-behaviour");
            IsakmpPolicy.Builder p = r.policy("i", FakeWire.peerOf(r.address));
            p.encAlg = Phase1Cipher.AES128;
            p.group = 2;
            if (r == a) {
                onA.accept(p);
            }
            r.put(p);
        }
    }

    /** An IPsec policy protecting only the traffic between the two gateways' own addresses. */
    static void hostToHost(Router r) throws Exception {
        r.ipsec.putSpec(Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        BundleExpression e = BundleExpression.parse("1", KeyManagement.ISAKMP,
                n -> r.ipsec.spec(n).map(s -> new BundleExpression.SpecInfo(s.protocol(), s.keyManagement())).orElse(null));
        r.ipsec.putBundle(new BundleSpecification(1, KeyManagement.ISAKMP, e, BundleSpecification.DEFAULT_EXPIRY_SECONDS, 0));
        int peer = FakeWire.peerOf(r.address);
        r.ipsec.addPolicy(IpsecPolicy.builder("vpn", "eth0", PolicyAction.IPSEC).keyManagement(KeyManagement.ISAKMP).bundle(1)
                .peer(PeerAddress.of(peer)).local(AddressSpec.address(r.address)).remote(AddressSpec.address(peer)).build(), 0);
    }

    /** The ID payloads in the Quick Mode messages a router's DEBUG=PKT decoded or showed before encryption. */
    static int quickModeIds(List<String> debug) {
        int ids = 0;
        boolean quick = false;
        for (String l : debug) {
            if (l.startsWith("ISAKMP Rx Message") || l.startsWith("ISAKMP Tx Message")) {
                quick = false;
            }
            if (l.contains("Xchg Type: QUICK")) {
                quick = true;
            }
            if (quick && l.contains("ID Type:")) {
                ids++;
            }
        }
        return ids;
    }

    List<String> negotiateWithDebugOnB() {
        List<String> lines = new ArrayList<>();
        loop.run(() -> {
            b.daemon.debug().enable(IsakmpDebug.option("PKT"), lines::add);
            a.daemon.initiate("vpn");
        });
        wire.settle();
        return lines;
    }

    @Test
    void hostToHostSelectorsLeaveTheIdsOutUnlessSendIdAlways() throws Exception {
        phase1(p -> {
        });
        hostToHost(a);
        hostToHost(b);
        List<String> lines = negotiateWithDebugOnB();
        assertEquals(1, b.installed.size(), b.log.toString());
        assertEquals(0, quickModeIds(lines), "RFC 2409 5.5: the phase 1 addresses stand for themselves\n" + String.join("\n", lines));

        open();
        phase1(p -> p.sendIdAlways = true);
        hostToHost(a);
        hostToHost(b);
        lines = negotiateWithDebugOnB();
        assertEquals(1, b.installed.size(), b.log.toString());
        // IDci and IDcr in message 1, echoed in message 2
        assertEquals(4, quickModeIds(lines), String.join("\n", lines));
    }

    @Test
    void subnetSelectorsAlwaysTravelAsIds() throws Exception {
        phase1(p -> {
        });
        a.ipsecPolicy("1", b.lan, 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        b.ipsecPolicy("1", a.lan, 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        assertEquals(4, quickModeIds(negotiateWithDebugOnB()));
    }

    @Test
    void srcInterfaceIsWhereTheIkeMessagesComeFrom() throws Exception {
        int loopback = 0x0a090901;
        wire.interfaces.put(FakeWire.A + "/lo0", loopback);
        wire.attach(loopback, a.daemon);
        phase1(p -> p.srcInterface = "lo0");
        // B knows A by its loopback address
        IsakmpPolicy.Builder pb = b.isakmp.policy("i").orElseThrow().toBuilder();
        pb.peer = loopback;
        b.isakmp.put(pb.build());
        a.ipsecPolicy("1", b.lan, 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
        assertTrue(wire.sent.stream().filter(s -> s.to() == FakeWire.B).allMatch(s -> s.from() == loopback), "every message to B left from lo0");
        assertEquals(1, b.daemon.sas().size(), b.log.toString());
        assertEquals(loopback, b.daemon.sas().get(0).peer());
    }

    @Test
    void anUnknownSrcInterfaceFallsBackToTheRoutesInterface() throws Exception {
        phase1(p -> p.srcInterface = "ppp9");
        a.ipsecPolicy("1", b.lan, 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        b.ipsecPolicy("1", a.lan, 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
        assertEquals(FakeWire.A, wire.sent.get(0).from());
        assertEquals(1, a.installed.size());
    }

    /** Initiator cookies of the Main Mode message 1s A sent: one per phase 1 attempt. */
    List<Long> attempts() {
        List<Long> cookies = new ArrayList<>();
        for (FakeWire.Sent s : wire.sent) {
            ByteBuffer p = ByteBuffer.wrap(s.payload());
            if (s.from() == FakeWire.A && (s.payload()[18] & 0xff) == ExchangeType.IDPROT && p.getLong(8) == 0 && !cookies.contains(p.getLong(0))) {
                cookies.add(p.getLong(0));
            }
        }
        return cookies;
    }

    void silentPeer() {
        wire.filter = s -> s.to() == FakeWire.B ? null : s;
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
        for (int i = 0; i < 60; i++) {
            loop.advance(Duration.ofMinutes(1));
            wire.settle();
        }
    }

    @Test
    void retryIkeAttemptsStartsPhaseOneOverThatManyTimes() throws Exception {
        phase1(p -> p.retryIkeAttempts = 2);
        a.ipsecPolicy("1", b.lan, 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        silentPeer();
        assertEquals(3, attempts().size(), "the first phase 1 and two retries, each with a fresh cookie");
        assertEquals(2, a.daemon.counters().get(IsakmpCounter.RETRY_IKE_PH1));
        assertTrue(a.log.stream().anyMatch(l -> l.endsWith("is retried (attempt 2 of 2)")), a.log.toString());
        assertEquals(3, a.log.stream().filter(l -> l.contains("Failed - no answer from 192.0.2.2 in state SASENT after 8 retransmissions")).count());
        assertEquals(0, a.daemon.exchanges().size());
        // each attempt sent message 1 and its 8 retransmissions
        assertEquals(27, wire.sent.stream().filter(s -> s.from() == FakeWire.A).count());
    }

    @Test
    void withoutRetryIkeAttemptsPhaseOneIsTriedOnce() throws Exception {
        phase1(p -> {
        });
        a.ipsecPolicy("1", b.lan, 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        silentPeer();
        assertEquals(1, attempts().size());
        assertEquals(0, a.daemon.counters().get(IsakmpCounter.RETRY_IKE_PH1));
    }

    @Test
    void continuousRetriesUntilThePeerAnswersAndThenKeysThePolicy() throws Exception {
        phase1(p -> p.retryIkeAttempts = -1);
        a.ipsecPolicy("1", b.lan, 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        b.ipsecPolicy("1", a.lan, 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        silentPeer();
        assertTrue(attempts().size() > 5, "still trying: " + attempts().size());
        wire.filter = s -> s;
        loop.advance(Duration.ofMinutes(4));
        wire.settle();
        assertNotNull(a.sad.outbound("vpn"), "the policy that waited got its SAs once the peer answered: " + a.log);
    }

    @Test
    void prenegotiateKeysThePolicyWithoutAPacketAndAgainWhenItsBundleExpires() throws Exception {
        phase1(p -> p.prenegotiate = true);
        a.ipsecPolicy("1", b.lan, 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        b.ipsecPolicy("1", a.lan, 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        a.sad.onEvent(a.daemon::sadEvent);
        loop.run(() -> a.daemon.commit());
        wire.settle();
        assertNotNull(a.sad.outbound("vpn"), a.log.toString());
        assertEquals(1, a.installed.size());
        // later commands do not negotiate again while the bundle is there
        loop.run(() -> a.daemon.commit());
        wire.settle();
        assertEquals(1, a.installed.size());
        // the bundle's lifetime ends (no soft rekey on the way): a new one is negotiated at once
        clock.advance(Duration.ofSeconds(BundleSpecification.DEFAULT_EXPIRY_SECONDS + 1));
        loop.run(() -> a.sad.tick());
        wire.settle();
        assertEquals(2, a.installed.size(), a.log.toString());
        assertNotNull(a.sad.outbound("vpn"));
    }

    @Test
    void withoutPrenegotiateNothingIsSentUntilAPacketNeedsTheSas() throws Exception {
        phase1(p -> {
        });
        a.ipsecPolicy("1", b.lan, 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        loop.run(() -> a.daemon.commit());
        wire.settle();
        assertEquals(0, wire.sent.size());
        assertNull(a.sad.outbound("vpn"));
    }

    @Test
    void retryIkeAttemptsStartsAQuickModeThatGotNoAnswerOver() throws Exception {
        phase1(p -> p.retryIkeAttempts = 1);
        a.ipsecPolicy("1", b.lan, 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        b.ipsecPolicy("1", a.lan, 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        // B's Quick Mode answers are lost until A gave up once
        boolean[] lose = {true};
        wire.filter = s -> lose[0] && s.from() == FakeWire.B && (s.payload()[18] & 0xff) == ExchangeType.QUICK ? null : s;
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
        for (int i = 0; i < 4 && a.daemon.counters().get(IsakmpCounter.RETRY_IKE_PH2) == 0; i++) {
            loop.advance(Duration.ofMinutes(1));
            wire.settle();
        }
        assertEquals(1, a.daemon.counters().get(IsakmpCounter.RETRY_IKE_PH2), a.log.toString());
        assertTrue(a.log.stream().anyMatch(l -> l.endsWith("Phase 2 with peer 192.0.2.2 is retried (attempt 1 of 1)")), a.log.toString());
        assertEquals(0, a.daemon.counters().get(IsakmpCounter.RETRY_IKE_PH1), "phase 1 was up; only Quick Mode started over");
        lose[0] = false;
        loop.advance(Duration.ofSeconds(5));
        wire.settle();
        assertNotNull(a.sad.outbound("vpn"), a.log.toString());
        assertEquals(1, a.daemon.counters().get(IsakmpCounter.MAIN_INITIATED));
    }
}
