package io.argate.isakmp.exchange;

import io.argate.enco.Enco;
import io.argate.ipsec.esp.Transform;
import io.argate.ipsec.sad.Sa;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.IsakmpLimits;
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.config.Liveness;
import io.argate.isakmp.crypto.Phase1Cipher;
import io.argate.isakmp.crypto.PrfAlgorithm;
import io.argate.shell.loop.ControlLoop;
import io.argate.shell.loop.ManualClock;
import io.argate.store.EventLog;
import io.argate.store.Nvs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two in-process routers on a manual clock: RFC 3706 DPD asked only of an idle peer and always
 * answered, the argate heartbeat, and what a dead peer leads to (SAs cleared with the reason,
 * re-initiation with backoff, INITIAL-CONTACT replacing the survivor's stale SAs).
 */
class LivenessTest {
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

    void configure(Liveness la, Liveness lb) throws Exception {
        for (Router r : new Router[]{a, b}) {
            r.psk("pobaetrpnjkakdf");
            IsakmpPolicy.Builder p = r.policy("i", FakeWire.peerOf(r.address));
            p.encAlg = Phase1Cipher.AES128;
            p.hashAlg = PrfAlgorithm.SHA1;
            p.group = 2;
            p.liveness = r == a ? la : lb;
            r.put(p);
        }
        a.ipsecPolicy("1", b.lan, 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        b.ipsecPolicy("1", a.lan, 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
        assertEquals(1, a.daemon.sas().size(), a.log.toString());
        assertEquals(1, a.sad.bundles().size());
    }

    /** The peer's daemon stops: nothing it would send or receive crosses any more. */
    void silence(int who) {
        wire.filter = s -> s.from() == who || s.to() == who ? null : s;
    }

    void revive() {
        wire.filter = UnaryOperator.identity();
    }

    long count(Router r, IsakmpCounter c) {
        return r.daemon.counters().get(c);
    }

    @Test
    void anIdlePeerIsAskedAndItsAnswerKeepsTheTunnel() throws Exception {
        configure(Liveness.DEFAULTS.withDpd(Liveness.DpdMode.BOTH).withIdleTimeout(10), Liveness.DEFAULTS);
        loop.advance(Duration.ofSeconds(9));
        assertEquals(0, count(a, IsakmpCounter.DPD_SENT), "not asked before DPDIDLETIMEOUT");
        loop.advance(Duration.ofSeconds(2));
        wire.settle();
        assertEquals(1, count(a, IsakmpCounter.DPD_SENT));
        assertEquals(1, count(b, IsakmpCounter.DPD_RECEIVED), "B (DPDMODE=RECEIVE) answers");
        assertEquals(1, count(b, IsakmpCounter.DPD_ACKS_SENT));
        assertEquals(1, count(a, IsakmpCounter.DPD_ACKS_RECEIVED));
        assertEquals(0, count(a, IsakmpCounter.DPD_ACKS_UNEXPECTED));
        assertEquals(0, count(b, IsakmpCounter.DPD_SENT), "RECEIVE never asks");
        loop.advance(Duration.ofMinutes(5));
        wire.settle();
        assertEquals(1, a.daemon.sas().size());
        assertEquals(0, count(a, IsakmpCounter.DPD_PEERS_DEAD));
        int id = a.daemon.sas().get(0).id();
        IsakmpDaemon.LivenessView v = a.daemon.liveness(id).orElseThrow();
        assertTrue(v.lastHeardSecondsAgo() <= 10, v.toString());
    }

    @Test
    void trafficFromThePeerMeansNoQuestions() throws Exception {
        configure(Liveness.DEFAULTS.withDpd(Liveness.DpdMode.BOTH).withIdleTimeout(10), Liveness.DEFAULTS);
        for (int i = 0; i < 60; i++) {
            // an ESP packet arrives on A's inbound SA every 5 s
            for (Sa<Transform> sa : a.sad.inboundSas()) {
                sa.count(100);
            }
            loop.advance(Duration.ofSeconds(5));
        }
        assertEquals(0, count(a, IsakmpCounter.DPD_SENT), "R-U-THERE only when the tunnel is idle (RFC 3706 section 5.3)");
    }

    @Test
    void aDeadPeerIsClearedWithTheReasonAndReachedAgainWhenItComesBack() throws Exception {
        configure(Liveness.DEFAULTS.withDpd(Liveness.DpdMode.BOTH).withIdleTimeout(10), Liveness.DEFAULTS);
        int id = a.daemon.sas().get(0).id();
        silence(FakeWire.B);
        // idle timeout, then DPD_MAX_UNANSWERED questions DPD_RETRY_INTERVAL apart
        loop.advance(Duration.ofSeconds(10).plus(IsakmpLimits.DPD_RETRY_INTERVAL.multipliedBy(IsakmpLimits.DPD_MAX_UNANSWERED)).plusSeconds(1));
        assertEquals(IsakmpLimits.DPD_MAX_UNANSWERED, count(a, IsakmpCounter.DPD_SENT));
        assertEquals(1, count(a, IsakmpCounter.DPD_PEERS_DEAD));
        assertEquals(0, a.daemon.sas().size(), "the ISAKMP SA is cleared");
        assertEquals(0, a.sad.bundles().size(), "and the IPsec SAs with it");
        IsakmpDaemon.ClearedView c = a.daemon.cleared(id).orElseThrow();
        assertTrue(c.why().contains("dead peer") && c.why().contains("R-U-THERE"), c.why());
        assertTrue(a.log.stream().anyMatch(l -> l.contains("Peer 192.0.2.2: dead peer")), a.log.toString());
        // re-initiation with backoff while the peer stays away: 5 s, 10 s, 20 s ...
        long initiated = count(a, IsakmpCounter.MAIN_INITIATED);
        loop.advance(IsakmpLimits.REINITIATE_FIRST);
        assertEquals(initiated + 1, count(a, IsakmpCounter.MAIN_INITIATED));
        assertEquals(1, count(a, IsakmpCounter.DEAD_PEER_REINITIATIONS));
        loop.advance(IsakmpLimits.REINITIATE_FIRST.multipliedBy(2).plusMillis(1));
        assertEquals(2, count(a, IsakmpCounter.DEAD_PEER_REINITIATIONS), "the second try after twice the wait");
        // the peer comes back: the next attempt reaches it, and A's INITIAL-CONTACT replaces B's stale SAs
        revive();
        loop.advance(IsakmpLimits.REINITIATE_FIRST.multipliedBy(4).plusSeconds(1));
        wire.settle();
        assertEquals(1, a.daemon.sas().size(), a.log.toString());
        assertEquals(1, b.daemon.sas().size(), "B kept only the new SA: " + b.log);
        assertTrue(count(b, IsakmpCounter.INITIAL_CONTACT_REPLACED) >= 1);
        assertEquals(1, a.sad.bundles().size(), "the policy is keyed again");
        assertEquals(1, b.sad.bundles().size(), "B's stale bundle went with INITIAL-CONTACT");
        long tries = count(a, IsakmpCounter.DEAD_PEER_REINITIATIONS);
        loop.advance(Duration.ofMinutes(10));
        assertEquals(tries, count(a, IsakmpCounter.DEAD_PEER_REINITIATIONS), "no more re-initiations once the peer is reached");
    }

    @Test
    void heartbeatsBetweenTwoArgateRoutersAndTheirSilenceClearsTheSas() throws Exception {
        Liveness both = Liveness.DEFAULTS.withHeartbeat(Liveness.HeartbeatMode.BOTH);
        configure(both, both);
        loop.advance(Duration.ofSeconds(35));
        wire.settle();
        assertEquals(3, count(a, IsakmpCounter.HEARTBEATS_SENT));
        assertEquals(3, count(b, IsakmpCounter.HEARTBEATS_RECEIVED));
        assertEquals(0, count(b, IsakmpCounter.HEARTBEATS_MALFORMED));
        assertEquals(1, b.daemon.sas().size());
        silence(FakeWire.A);
        loop.advance(IsakmpLimits.HEARTBEAT_INTERVAL.multipliedBy(IsakmpLimits.HEARTBEAT_MISSES).plusSeconds(2));
        assertEquals(1, count(b, IsakmpCounter.HEARTBEAT_PEERS_DEAD));
        assertEquals(0, b.daemon.sas().size());
        assertEquals(0, b.sad.bundles().size());
        assertTrue(b.log.stream().anyMatch(l -> l.contains("no ISAKMP heartbeat for 30 s")), b.log.toString());
    }

    @Test
    void aReceiveOnlyHeartbeatNeverDeclaresAPeerThatNeverSendsOne() throws Exception {
        configure(Liveness.DEFAULTS.withHeartbeat(Liveness.HeartbeatMode.RECEIVE), Liveness.DEFAULTS);
        loop.advance(Duration.ofMinutes(10));
        assertEquals(0, count(a, IsakmpCounter.HEARTBEAT_PEERS_DEAD));
        assertEquals(0, count(a, IsakmpCounter.HEARTBEATS_SENT));
        assertEquals(1, a.daemon.sas().size());
    }

    @Test
    void dpdModeNoneLeavesTheVendorIdOut() throws Exception {
        configure(Liveness.DEFAULTS.withDpd(Liveness.DpdMode.NONE), Liveness.DEFAULTS.withDpd(Liveness.DpdMode.BOTH).withIdleTimeout(5));
        // B would ask, but A never announced DPD, so B must not (RFC 3706 section 5.1)
        loop.advance(Duration.ofMinutes(2));
        assertEquals(0, count(b, IsakmpCounter.DPD_SENT));
        String view = b.daemon.liveness(b.daemon.sas().get(0).id()).orElseThrow().dpd();
        assertEquals("peer did not announce DPD", view);
    }

    @Test
    void twoPeersAskingAtOnceEachCountTheAnswerToTheirQuestion() throws Exception {
        Liveness asks = Liveness.DEFAULTS.withDpd(Liveness.DpdMode.BOTH).withIdleTimeout(10);
        configure(asks, asks);
        loop.advance(Duration.ofSeconds(11));
        wire.settle();
        // each side's R-U-THERE reaches the other before its ACK: the ACK still answers this round
        assertEquals(1, count(a, IsakmpCounter.DPD_ACKS_RECEIVED));
        assertEquals(1, count(b, IsakmpCounter.DPD_ACKS_RECEIVED));
        assertEquals(0, count(a, IsakmpCounter.DPD_ACKS_UNEXPECTED) + count(b, IsakmpCounter.DPD_ACKS_UNEXPECTED));
    }

    @Test
    void aFloodOfFirstMessagesFromManyAddressesStaysBoundedAndTheTunnelKeepsAnswering() throws Exception {
        configure(Liveness.DEFAULTS.withDpd(Liveness.DpdMode.BOTH).withIdleTimeout(10), Liveness.DEFAULTS);
        // B answers anyone (a PEER=ANY policy, as a remote-access gateway has)
        IsakmpPolicy.Builder any = b.policy("any", 0);
        any.encAlg = Phase1Cipher.AES128;
        any.group = 2;
        b.put(any);
        byte[] first = wire.sent.get(0).payload();
        int flood = 1000;
        loop.run(() -> {
            for (int i = 0; i < flood; i++) {
                byte[] m = first.clone();
                java.nio.ByteBuffer.wrap(m).putLong(0, 0x5a5a000000000000L + i);
                b.daemon.receive(new io.argate.isakmp.Datagram(0x0b000000 + i, 500, FakeWire.B, 500, m));
            }
            // and one address trying many at once
            for (int i = 0; i < 20; i++) {
                byte[] m = first.clone();
                java.nio.ByteBuffer.wrap(m).putLong(0, 0x6b6b000000000000L + i);
                b.daemon.receive(new io.argate.isakmp.Datagram(0x0c000001, 500, FakeWire.B, 500, m));
            }
        });
        assertEquals(IsakmpLimits.HALF_OPEN_TOTAL, b.daemon.exchanges().size(), "at most HALF_OPEN_TOTAL exchanges are held");
        // beyond the bound each newcomer took the place of the oldest exchange nobody answered
        // (HalfOpenEviction), and the one busy address still got only its own HALF_OPEN_PER_PEER
        assertEquals(flood - IsakmpLimits.HALF_OPEN_TOTAL + IsakmpLimits.HALF_OPEN_PER_PEER, count(b, IsakmpCounter.HALF_OPEN_EVICTED));
        assertEquals(20 - IsakmpLimits.HALF_OPEN_PER_PEER, count(b, IsakmpCounter.DROP_HALF_OPEN_PEER));
        assertEquals(0, count(b, IsakmpCounter.DROP_HALF_OPEN_TOTAL));
        // the established tunnel still answers DPD at once
        loop.advance(Duration.ofSeconds(11));
        wire.settle();
        assertEquals(1, count(a, IsakmpCounter.DPD_ACKS_RECEIVED));
        assertEquals(1, b.sad.bundles().size());
        // the half-open exchanges give up after MSGRETRYLIMIT (4 s x (1 + 2 + ... + 9) with INCREMENTAL backoff) and the room is free again
        loop.advance(Duration.ofMinutes(4));
        assertEquals(0, b.daemon.exchanges().size());
        loop.run(() -> {
            for (int i = 0; i < 20; i++) {
                byte[] m = first.clone();
                java.nio.ByteBuffer.wrap(m).putLong(0, 0x7c7c000000000000L + i);
                b.daemon.receive(new io.argate.isakmp.Datagram(0x0c000001, 500, FakeWire.B, 500, m));
            }
        });
        assertEquals(2 * (20 - IsakmpLimits.HALF_OPEN_PER_PEER), count(b, IsakmpCounter.DROP_HALF_OPEN_PEER), "one address holds at most HALF_OPEN_PER_PEER");
        assertEquals(1, b.daemon.sas().size(), "the tunnel's ISAKMP SA survived: " + b.log.subList(0, 5));
    }
}
