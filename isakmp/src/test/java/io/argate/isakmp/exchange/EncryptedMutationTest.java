package io.argate.isakmp.exchange;

import io.argate.enco.Enco;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.IsakmpDebug;
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.config.Liveness;
import io.argate.isakmp.crypto.Phase1Cipher;
import io.argate.isakmp.crypto.PrfAlgorithm;
import io.argate.isakmp.wire.ExchangeType;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutations behind encryption. {@link MutationTest} and {@link CapturedMutationTest} change
 * encrypted messages on the wire, which only ever reaches the decryption or HASH check. Here a
 * man in the middle holding both daemons' keys ({@link CleartextTap}) decrypts Main Mode 5 and 6,
 * Aggressive Mode 3, Quick Mode 1-3 and the Informational deletes, mutates the plaintext
 * ({@link PlaintextMutator}), encrypts it again in the receiver's IV chain and recomputes the
 * phase 2 HASH, so the mutant reaches the payload parsers and the state machine of the daemon in
 * the state the message was sent for. For each mutant: no exception escapes (to the loop or as
 * the daemon's "internal error"), the receiver does something a user can see with it (a counted
 * drop with its reason, an answer, a log line, a counter of what it acted on), no exchange is
 * left once the injected clock ran the retries out, and the pair negotiates a fresh tunnel
 * afterwards.
 */
class EncryptedMutationTest {
    private static final int MUTANTS_PER_KIND = 3;

    @TempDir
    static Path dir;
    static Nvs nvs;
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

    enum Scenario {
        /** Main Mode, AES-128/SHA1 group 2, Quick Mode with PFS, no NAT-T. */
        MAIN_PFS,
        /** Aggressive Mode, 3DES/MD5 group 2, Quick Mode without PFS, NAT-T on (messages after the first two on 4500 with the marker). */
        AGGRESSIVE_NAT_T,
        /**
         * Main Mode, DES/MD5 group 1; B sets the commit bit (Quick Mode message 4, CONNECTED with
         * HASH(4), RFC 2408 section 3.1); A asks R-U-THERE once the tunnel idles (RFC 3706).
         */
        MAIN_COMMIT_DPD,
        /** Main Mode AES-128/SHA1 group 2, then XAUTH (draft-beaulieu-ike-xauth-02) in Transaction exchanges, A the client. */
        MAIN_XAUTH
    }

    /** Counters that say nothing about what the daemon made of a message: every datagram and every Informational raises them. */
    private static final EnumSet<IsakmpCounter> RECEIPT_ONLY = EnumSet.of(IsakmpCounter.RX_DATAGRAMS, IsakmpCounter.INFO_RECEIVED);

    final class Run implements AutoCloseable {
        final ControlLoop loop = new ControlLoop(new ManualClock(Instant.parse("2026-01-01T00:00:00Z")), "encrypted-mutation-loop");
        final FakeWire wire = new FakeWire(loop);
        final Router a = new Router("A", FakeWire.A, 0x0a010100, loop, wire, enco, 51);
        final Router b = new Router("B", FakeWire.B, 0x0a020100, loop, wire, enco, 52);
        final CleartextTap tap = new CleartextTap(Map.of(FakeWire.A, a.daemon, FakeWire.B, b.daemon));
        final List<String> failures = new ArrayList<>();
        /** After the retries ran out: exchanges that neither completed nor failed with a log line. */
        final List<String> unended = new ArrayList<>();
        final List<String> debugA = new ArrayList<>();
        final List<String> debugB = new ArrayList<>();
        String kind;
        /** What delivering the mutant did at its receiver: counters raised (beyond the receipt), datagrams sent, log lines. */
        Map<IsakmpCounter, Long> raised;
        int answered;
        int logged;
        int reasons;

        Run(Scenario s) throws Exception {
            loop.onFailure((what, e) -> failures.add(what + ": " + e));
            for (Router r : new Router[]{a, b}) {
                r.psk("behind-the-cipher");
                IsakmpPolicy.Builder p = r.policy("i", FakeWire.peerOf(r.address));
                p.sendNotify = true;
                p.sendDeletes = true;
                p.group = 2;
                p.retryIkeAttempts = 0;
                if (s == Scenario.MAIN_PFS) {
                    p.encAlg = Phase1Cipher.AES128;
                    p.hashAlg = PrfAlgorithm.SHA1;
                } else if (s == Scenario.MAIN_COMMIT_DPD) {
                    p.encAlg = Phase1Cipher.DES;
                    p.hashAlg = PrfAlgorithm.MD5;
                    p.group = 1;
                    p.setCommitBit = r == b;
                    p.liveness = r == a ? Liveness.DEFAULTS.withDpd(Liveness.DpdMode.BOTH).withIdleTimeout(200) : Liveness.DEFAULTS;
                } else if (s == Scenario.MAIN_XAUTH) {
                    p.encAlg = Phase1Cipher.AES128;
                    p.hashAlg = PrfAlgorithm.SHA1;
                    p.access = r == a ? TransactionExchangeTest.client("client1", "passclie1") : TransactionExchangeTest.SERVER;
                } else {
                    p.mode = IsakmpPolicy.Mode.AGGRESSIVE;
                    p.encAlg = Phase1Cipher.TDES;
                    p.hashAlg = PrfAlgorithm.MD5;
                    p.natTraversal = true;
                }
                r.put(p);
                r.ipsecPolicy("1", r == a ? b.lan : a.lan, s == Scenario.MAIN_PFS ? 2 : 0,
                        switch (s) {
                            case MAIN_PFS, MAIN_XAUTH -> Router.esp(1, EncAlg.AES128, HashAlg.SHA);
                            case AGGRESSIVE_NAT_T -> Router.esp(1, EncAlg.TDESOUTER, HashAlg.MD5);
                            case MAIN_COMMIT_DPD -> Router.esp(1, EncAlg.DES, HashAlg.MD5);
                        });
            }
            b.daemon.xauthUsers((user, password, peer) -> new io.argate.isakmp.xauth.XauthUsers.Verdict(
                    user.equals("client1") && password.equals("passclie1") ? io.argate.isakmp.xauth.XauthUsers.Outcome.ACCEPTED
                            : io.argate.isakmp.xauth.XauthUsers.Outcome.REFUSED, null));
            a.daemon.debug().enable(EnumSet.of(IsakmpDebug.Output.STATE), debugA::add);
            b.daemon.debug().enable(EnumSet.of(IsakmpDebug.Output.STATE), debugB::add);
            wire.filter = tap;
            wire.delivery = (sent, task) -> {
                if (raised != null || tap.mutant == null || !Arrays.equals(sent.payload(), tap.mutant)) {
                    task.run();
                    return;
                }
                Router to = sent.to() == FakeWire.A ? a : b;
                Map<IsakmpCounter, Long> before = snapshot(to);
                int sentBefore = wire.sent.size();
                int logBefore = to.log.size();
                List<String> debug = to == a ? debugA : debugB;
                int debugBefore = debug.size();
                task.run();
                Map<IsakmpCounter, Long> after = snapshot(to);
                raised = new TreeMap<>();
                after.forEach((c, n) -> {
                    if (n > before.get(c) && !RECEIPT_ONLY.contains(c)) {
                        raised.put(c, n - before.get(c));
                    }
                });
                answered = wire.sent.size() - sentBefore;
                logged = to.log.size() - logBefore;
                reasons = (int) debug.subList(debugBefore, debug.size()).stream().filter(l -> l.startsWith("ISAKMP dropped a message: ")).count();
            };
        }

        private Map<IsakmpCounter, Long> snapshot(Router r) {
            Map<IsakmpCounter, Long> m = new EnumMap<>(IsakmpCounter.class);
            for (IsakmpCounter c : IsakmpCounter.values()) {
                m.put(c, r.daemon.counters().get(c));
            }
            return m;
        }

        /** Main or Aggressive Mode and Quick Mode, the retries run out, then A ends the tunnel (deletes, SENDDELETES) and B's retries run out. */
        void negotiateAndEnd() {
            loop.run(() -> a.daemon.initiate("vpn"));
            settle();
            runOut();
            unended.addAll(unended(a));
            unended.addAll(unended(b));
            loop.run(() -> a.daemon.purge());
            settle();
            runOut();
        }

        /** Exchanges the log says started that it never says completed or failed (with the reason), as "name: Exchange n". */
        List<String> unended(Router r) {
            java.util.Set<String> open = new java.util.TreeSet<>();
            java.util.regex.Pattern started = java.util.regex.Pattern.compile("Exchange (\\d+): Phase \\d \\[(init|resp)\\] started.*");
            java.util.regex.Pattern ended = java.util.regex.Pattern.compile("Exchange (\\d+): (Completed successfully|Failed - .+)");
            for (String l : r.log) {
                java.util.regex.Matcher m = started.matcher(l);
                if (m.matches()) {
                    open.add(m.group(1));
                }
                m = ended.matcher(l);
                if (m.matches()) {
                    open.remove(m.group(1));
                }
            }
            return open.stream().map(n -> r.name + ": Exchange " + n).toList();
        }

        void settle() {
            wire.settle();
        }

        void runOut() {
            for (int i = 0; i < 70; i++) {
                loop.advance(Duration.ofSeconds(5));
                wire.settle();
            }
        }

        /** With no more mutation: A negotiates a new tunnel with B. */
        boolean freshTunnel() {
            tap.target = -1;
            tap.mutation = null;
            int ia = a.installed.size();
            int ib = b.installed.size();
            loop.run(() -> a.daemon.initiate("vpn"));
            settle();
            return a.installed.size() > ia && b.installed.size() > ib;
        }

        @Override
        public void close() {
            loop.close();
        }
    }

    @Test
    void cleanRunsCrossTheTapUnchangedAndNegotiate() throws Exception {
        for (Scenario s : Scenario.values()) {
            try (Run run = new Run(s)) {
                run.negotiateAndEnd();
                assertEquals(1, run.a.installed.size(), s + " " + run.a.log);
                assertEquals(1, run.b.installed.size(), s + " " + run.b.log);
                List<Integer> types = run.tap.seen.stream().map(CleartextTap.Seen::exchangeType).toList();
                assertTrue(types.contains(ExchangeType.QUICK) && types.contains(ExchangeType.INFO), s + ": " + types);
                assertTrue(run.tap.seen.stream().noneMatch(CleartextTap.Seen::mutated));
                assertEquals(List.of(), run.unended);
                if (s == Scenario.MAIN_XAUTH) {
                    assertTrue(types.contains(ExchangeType.TRANSACTION), s + ": " + types);
                }
                if (s == Scenario.MAIN_COMMIT_DPD) {
                    assertTrue(run.tap.seen.stream().filter(x -> x.exchangeType() == ExchangeType.QUICK).count() >= 4, "CONNECTED: " + run.b.log);
                    assertTrue(run.a.daemon.counters().get(IsakmpCounter.DPD_ACKS_RECEIVED) >= 1, "an R-U-THERE-ACK: " + run.a.log);
                }
                assertTrue(run.freshTunnel(), s + " " + run.b.log);
            }
        }
    }

    /**
     * RFC 2409 section 5.7: an Informational exchange carries HASH and a Notification or Delete
     * payload. One with its HASH alone (found by the mutants: the delete removed, the HASH
     * recomputed) is refused by the payload rule with its reason, not taken silently.
     */
    @Test
    void anInformationalWithNothingButItsHashIsACountedDropWithItsReason() throws Exception {
        try (Run run = new Run(Scenario.MAIN_PFS)) {
            run.tap.mutation = (body, type) -> {
                int hashLength = (body.chain()[2] & 0xff) << 8 | body.chain()[3] & 0xff;
                byte[] only = Arrays.copyOf(body.chain(), hashLength);
                only[0] = 0;
                return new CleartextTap.Body(body.nextPayload(), only);
            };
            run.loop.run(() -> run.a.daemon.initiate("vpn"));
            run.settle();
            run.tap.target = run.tap.seen.size();
            long before = run.b.daemon.counters().get(IsakmpCounter.DROP_BAD_PAYLOADS);
            run.loop.run(() -> run.a.daemon.purge());
            run.settle();
            assertEquals(ExchangeType.INFO, run.tap.mutated().exchangeType());
            assertEquals(before + 1, run.b.daemon.counters().get(IsakmpCounter.DROP_BAD_PAYLOADS), run.debugB.toString());
            assertTrue(run.debugB.contains("ISAKMP dropped a message: Informational carries neither a NOTIFY payload nor a DELETE payload"),
                    run.debugB.toString());
        }
    }

    /**
     * A Main Mode message 5 that decrypts to a well-formed payload chain without its ID payload
     * (found by the mutants) is a malformed message, refused by the payload rule with its reason:
     * not reported as a pre-shared key that differs, which is what a body that does not decrypt
     * to payloads at all means (a wrong key yields noise, never a valid chain).
     */
    @Test
    void aMainModeMessage5WithoutItsIdIsRefusedAsMalformedNotAsAWrongKey() throws Exception {
        try (Run run = new Run(Scenario.MAIN_PFS)) {
            run.tap.target = 0;
            run.tap.mutation = (body, type) -> {
                List<int[]> chain = PlaintextMutator.chain(body);
                assertEquals(io.argate.isakmp.wire.PayloadType.ID, chain.get(0)[0]);
                int idLength = chain.get(0)[2];
                return new CleartextTap.Body(body.chain()[0] & 0xff, Arrays.copyOfRange(body.chain(), idLength, body.chain().length));
            };
            run.loop.run(() -> run.a.daemon.initiate("vpn"));
            run.settle();
            assertTrue(run.tap.mutated().mutated());
            assertEquals(1, run.raised.getOrDefault(IsakmpCounter.DROP_BAD_PAYLOADS, 0L), run.raised + " " + run.debugB);
            assertTrue(run.debugB.contains("ISAKMP dropped a message: Main Mode message 5 carries 0 ID payloads; exactly 1 allowed"),
                    run.debugB.toString());
            assertTrue(run.b.log.stream().noneMatch(l -> l.contains("pre-shared key")), run.b.log.toString());
            assertEquals(0, run.b.daemon.counters().get(IsakmpCounter.MAIN_AUTH_FAILED));
        }
    }

    /**
     * RFC 3706 section 7: an R-U-THERE-ACK whose sequence number answers nothing we asked is
     * dropped; the mutants found it counted (DPD_ACKS_UNEXPECTED) without saying why. It now
     * gives its reason like every other drop.
     */
    @Test
    void anAckThatAnswersNoRuThereOfOursIsADropWithItsReason() throws Exception {
        int ack;
        try (Run clean = new Run(Scenario.MAIN_COMMIT_DPD)) {
            clean.negotiateAndEnd();
            ack = -1;
            for (int i = 0; i < clean.tap.seen.size() && ack < 0; i++) {
                CleartextTap.Seen x = clean.tap.seen.get(i);
                byte[] n = CleartextTap.payloadBody(x.plain(), io.argate.isakmp.wire.PayloadType.NOTIFY);
                if (x.from() == FakeWire.B && n != null && ((n[6] & 0xff) << 8 | n[7] & 0xff) == io.argate.isakmp.wire.NotifyType.R_U_THERE_ACK) {
                    ack = i;
                }
            }
            assertTrue(ack >= 0, "B answered A's R-U-THERE: " + clean.a.log);
        }
        try (Run run = new Run(Scenario.MAIN_COMMIT_DPD)) {
            run.tap.target = ack;
            run.tap.mutation = (body, type) -> {
                byte[] b = body.chain().clone();
                b[b.length - 1] ^= 0x55;
                return new CleartextTap.Body(body.nextPayload(), b);
            };
            run.negotiateAndEnd();
            assertEquals(1, run.raised.getOrDefault(IsakmpCounter.DPD_ACKS_UNEXPECTED, 0L), run.raised.toString());
            assertTrue(run.debugA.stream().anyMatch(l -> l.startsWith("ISAKMP dropped a message: R-U-THERE-ACK with sequence number ")
                    && l.endsWith(" answers no R-U-THERE of ours")), run.debugA.toString());
        }
    }

    @Test
    void mutantsBehindEncryptionReachTheParsersAndEndInACountedDropOrAHandledMessage() throws Exception {
        Map<String, Integer> kinds = new TreeMap<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        int total = 0;
        List<String> problems = new ArrayList<>();
        for (Scenario s : Scenario.values()) {
            int encrypted;
            try (Run clean = new Run(s)) {
                clean.negotiateAndEnd();
                encrypted = clean.tap.seen.size();
            }
            PlaintextMutator mutator = new PlaintextMutator(20261130L + s.ordinal());
            for (int k = 0; k < encrypted; k++) {
                for (int n = 0; n < MUTANTS_PER_KIND * PlaintextMutator.KINDS.length; n++) {
                    int kind = n % PlaintextMutator.KINDS.length;
                    try (Run run = new Run(s)) {
                        run.tap.target = k;
                        run.tap.mutation = (body, type) -> {
                            PlaintextMutator.Mutant m = mutator.mutate(body, kind);
                            run.kind = m.kind();
                            return m.body();
                        };
                        run.negotiateAndEnd();
                        CleartextTap.Seen seen = run.tap.mutated();
                        assertTrue(seen != null && seen.mutated(), s + " message " + k + " was not mutated");
                        String where = s + " encrypted message " + k + " (" + run.kind + ") " + seen.describe();
                        List<String> found = new ArrayList<>();
                        if (!run.failures.isEmpty()) {
                            found.add("an exception escaped to the loop " + run.failures);
                        }
                        for (Router r : new Router[]{run.a, run.b}) {
                            r.log.stream().filter(l -> l.contains("internal error")).findFirst().ifPresent(l -> found.add(r.name + ": " + l));
                            if (!r.daemon.exchanges().isEmpty()) {
                                found.add("an exchange is stuck at " + r.name + " " + r.daemon.exchanges());
                            }
                        }
                        if (!run.unended.isEmpty()) {
                            found.add("exchanges that neither completed nor failed with a log line " + run.unended);
                        }
                        if (run.raised == null) {
                            found.add("the mutant was never delivered");
                        } else {
                            if (run.raised.isEmpty() && run.answered == 0 && run.logged == 0) {
                                found.add("the receiver neither counted, answered nor logged it");
                            }
                            if (run.raised.keySet().stream().anyMatch(c -> Arrays.asList(CapturedReplay.DROPS).contains(c)) && run.reasons == 0 && run.logged == 0) {
                                found.add("a drop without a reason " + run.raised);
                            }
                        }
                        if (!run.freshTunnel()) {
                            found.add("no fresh tunnel afterwards");
                        }
                        if (!found.isEmpty()) {
                            problems.add(where + ": " + found + "; A " + run.a.log + run.debugA + "; B " + run.b.log + run.debugB);
                        }
                        kinds.merge(run.kind, 1, Integer::sum);
                        outcomes.merge(String.valueOf(run.raised == null ? null : run.raised.keySet()), 1, Integer::sum);
                        total++;
                    }
                }
            }
        }
        problems.forEach(p -> System.out.println("PROBLEM " + p));
        System.out.println("EncryptedMutationTest: " + total + " mutants; kinds " + kinds + "; counters raised " + outcomes);
        assertEquals(List.of(), problems.subList(0, Math.min(5, problems.size())), problems.size() + " mutants found a defect");
        assertEquals(PlaintextMutator.KINDS.length, kinds.size(), "every kind of mutation ran: " + kinds);
        assertTrue(total >= 400, "ran " + total + " mutants");
    }
}
