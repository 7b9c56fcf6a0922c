package io.argate.isakmp.exchange;

import io.argate.enco.Enco;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.isakmp.Datagram;
import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.IsakmpLimits;
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.crypto.Phase1Cipher;
import io.argate.shell.loop.ControlLoop;
import io.argate.shell.loop.ManualClock;
import io.argate.store.EventLog;
import io.argate.store.Nvs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Robustness against what real peers send, not only argate's own messages ({@link MutationTest}):
 * the IKEv1 messages captured from strongSwan 5.9.8 and Libreswan 4.10 (resources ikev1-corpus/)
 * and thousands of seeded mutations of them ({@link Mutator}) are fed to argate's daemon in the
 * state they were sent for ({@link CapturedReplay}). Nothing escapes as an exception or an
 * internal error, every mutant is a counted drop with its reason or is handled as a message
 * (answered, or its failure logged), no exchange is left once the retries ran out, a flood of
 * mutants holds bounded state, and a clean negotiation completes afterwards.
 */
class CapturedMutationTest {
    /** Mutants per captured message of the peer: with 33 of them, over 2000 in all. */
    private static final int MUTANTS_PER_MESSAGE = 64;
    private static final List<IsakmpCounter> PARSE_DROPS = List.of(IsakmpCounter.DROP_MALFORMED, IsakmpCounter.DROP_BAD_PAYLOADS);

    @TempDir
    static Path dir;
    static Nvs nvs;
    /** One software ENCO for the whole class: making it costs seconds, thousands of replays share it. */
    static Enco enco;

    @BeforeAll
    static void open() {
        nvs = Nvs.open(dir);
        enco = Router.enco(new EventLog(nvs, java.time.Clock.systemUTC()));
    }

    @AfterAll
    static void close() {
        nvs.close();
    }

    @Test
    void everyCapturedMessageOfTheRealPeersIsTakenInTheStateItWasSentFor() throws Exception {
        for (CapturedCorpus.Scenario s : CapturedCorpus.load()) {
            try (CapturedReplay r = new CapturedReplay(s, enco, 7)) {
                int answered = 0;
                for (CapturedCorpus.Datagram d : s.fromPeer()) {
                    long parseDrops = parseDrops(r);
                    CapturedReplay.Effect e = r.deliver(d);
                    String where = s.name() + " exchange type " + d.exchangeType() + ": " + r.argate.log + " " + r.debug;
                    assertTrue(e.handled(), "neither dropped nor answered: " + where);
                    if (!d.encrypted()) {
                        // the real peers' clear messages pass the codecs and the payload rules
                        assertEquals(parseDrops, parseDrops(r), where);
                        answered += e.sent() > 0 ? 1 : 0;
                    }
                }
                // each clear phase 1 message is answered: with the next message, and Aggressive Mode message 2 to argate with
                // INVALID-HASH-INFORMATION, since its HASH_R covers the lab's DH values, not this daemon's (as a wrong key would)
                long clear = s.fromPeer().stream().filter(d -> !d.encrypted()).count();
                assertEquals(clear, answered, s.name() + ": " + r.argate.log);
                if (s.aggressive() && !s.peerInitiates()) {
                    assertTrue(r.argate.log.stream().anyMatch(l -> l.contains("HASH_R did not verify")), r.argate.log.toString());
                }
                noInternalError(r, s.name());
                r.runOut();
                assertEquals(List.of(), r.argate.daemon.exchanges(), s.name() + ": " + r.argate.log);
            }
        }
    }

    @Test
    void thousandsOfSeededMutantsOfTheRealPeersMessagesEndInACountedDropOrAHandledMessage() throws Exception {
        Mutator mutator = new Mutator(20261130);
        Map<String, Integer> kinds = new TreeMap<>();
        int total = 0;
        for (CapturedCorpus.Scenario s : CapturedCorpus.load()) {
            List<CapturedCorpus.Datagram> peer = s.fromPeer();
            for (int k = 0; k < peer.size(); k++) {
                for (int n = 0; n < MUTANTS_PER_MESSAGE; n++) {
                    try (CapturedReplay r = new CapturedReplay(s, enco, 100 + n)) {
                        for (int i = 0; i < k; i++) {
                            r.deliver(peer.get(i));
                        }
                        CapturedCorpus.Datagram d = peer.get(k);
                        Mutator.Mutant m = mutator.mutate(r.translate(d), d.offset());
                        String where = s.name() + " message " + (k + 1) + " (" + m.kind() + ") " + HexFormat.of().formatHex(m.datagram());
                        CapturedReplay.Effect e = r.deliver(m.datagram(), d.sourcePort(), d.destinationPort());
                        assertTrue(e.handled(), where + ": neither a counted drop nor handled; " + r.argate.log + " " + r.debug);
                        if (e.drops() > 0) {
                            assertTrue(e.dropReasons() > 0 || e.logged() > 0 || hasFailure(r),
                                    where + ": a drop without a reason; " + r.argate.log + " " + r.debug);
                        }
                        for (int i = k + 1; i < peer.size(); i++) {
                            r.deliver(peer.get(i));
                        }
                        noInternalError(r, where);
                        r.runOut();
                        assertEquals(List.of(), r.argate.daemon.exchanges(), where + ": an exchange is stuck; " + r.argate.log);
                        kinds.merge(m.kind(), 1, Integer::sum);
                        total++;
                    }
                }
            }
        }
        assertTrue(total >= 2000, "ran " + total + " mutants");
        assertEquals(Mutator.KINDS.length, kinds.size(), "every kind of mutation ran: " + kinds);
    }

    /**
     * One responder that stays up: a flood of mutants of every captured message from several
     * addresses leaves at most the half-open limit of exchanges, every datagram is counted, and
     * once the flood's exchanges time out a clean Main Mode + Quick Mode with it completes.
     */
    @Test
    void aFloodOfMutantsHoldsBoundedStateAndACleanNegotiationCompletesAfterwards() throws Exception {
        ControlLoop loop = new ControlLoop(new ManualClock(Instant.parse("2026-01-01T00:00:00Z")), "flood-loop");
        try {
            FakeWire wire = new FakeWire(loop);
            Router a = new Router("A", FakeWire.A, 0x0a010100, loop, wire, enco, 31);
            Router b = new Router("B", FakeWire.B, 0x0a020100, loop, wire, enco, 32);
            for (Router x : new Router[]{a, b}) {
                x.psk(CapturedReplay.PSK);
                IsakmpPolicy.Builder p = x.policy("i", FakeWire.peerOf(x.address));
                p.encAlg = Phase1Cipher.AES128;
                p.group = 2;
                p.natTraversal = true;
                x.put(p);
                x.ipsecPolicy("1", x == a ? b.lan : a.lan, 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
            }
            IsakmpPolicy.Builder any = b.policy("any", 0);
            any.encAlg = Phase1Cipher.AES128;
            any.group = 2;
            b.put(any);
            Mutator mutator = new Mutator(4242);
            int[] sources = {FakeWire.A, 0xc0000203, 0xc0000204, 0xc0000205};
            int sent = 0;
            long before = b.daemon.counters().get(IsakmpCounter.RX_DATAGRAMS);
            for (CapturedCorpus.Scenario s : CapturedCorpus.load()) {
                for (CapturedCorpus.Datagram d : s.datagrams()) {
                    for (int n = 0; n < 24; n++) {
                        Mutator.Mutant m = mutator.mutate(d.payload(), d.offset());
                        int from = sources[(sent++) % sources.length];
                        loop.run(() -> b.daemon.receive(new Datagram(from, d.sourcePort(), FakeWire.B, d.destinationPort(), m.datagram())));
                        wire.settle();
                        assertTrue(b.daemon.ikeSas().size() <= sources.length * IsakmpLimits.HALF_OPEN_PER_PEER, "state grew to " + b.daemon.ikeSas().size());
                    }
                }
            }
            assertEquals(sent, b.daemon.counters().get(IsakmpCounter.RX_DATAGRAMS) - before, "every datagram was counted");
            assertTrue(b.log.stream().noneMatch(l -> l.contains("internal error")), b.log.toString());
            for (int i = 0; i < 70; i++) {
                loop.advance(Duration.ofSeconds(5));
                wire.settle();
            }
            assertEquals(List.of(), b.daemon.exchanges(), "the flood's half-open exchanges timed out");
            loop.run(() -> a.daemon.initiate("vpn"));
            wire.settle();
            assertEquals(1, b.installed.size(), "a clean negotiation after the flood: " + b.log);
            assertEquals(1, a.installed.size(), a.log.toString());
        } finally {
            loop.close();
        }
    }

    private static long parseDrops(CapturedReplay r) {
        return PARSE_DROPS.stream().mapToLong(c -> r.argate.daemon.counters().get(c)).sum();
    }

    private static boolean hasFailure(CapturedReplay r) {
        return r.argate.daemon.exchanges().stream().anyMatch(x -> x.failure() != null);
    }

    private static void noInternalError(CapturedReplay r, String where) {
        assertTrue(r.argate.log.stream().noneMatch(l -> l.contains("internal error")), where + ": " + r.argate.log);
    }
}
