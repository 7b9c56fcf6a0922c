package io.argate.isakmp.exchange;

import io.argate.enco.Enco;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.IsakmpLimits;
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.config.RemoteAccessSettings;
import io.argate.isakmp.modecfg.AddressPool;
import io.argate.isakmp.wire.ExchangeType;
import io.argate.isakmp.xauth.XauthUsers;
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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * XAUTH and Mode Config between two daemons on the fake wire and clock: A is the client (XAUTH
 * CLIENT, initiator), B the gateway (XAUTH SERVER with a user table). What is asserted is what
 * a user sees: SAs installed or not, the counters, the log lines, the exchange states, the
 * address a client got.
 */
class TransactionExchangeTest {
    static final int POOL_FIRST = 0x0a010132; // 10.1.1.50, inside A's LAN so B's IPsec policy covers it
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
    void open() throws Exception {
        nvs = Nvs.open(dir);
        clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        loop = new ControlLoop(clock, "test-loop");
        wire = new FakeWire(loop);
        enco = Router.enco(new EventLog(nvs, clock));
        a = new Router("A", FakeWire.A, 0x0a010100, loop, wire, enco, 1);
        b = new Router("B", FakeWire.B, 0x0a020100, loop, wire, enco, 2);
        Map<String, String> users = Map.of("client1", "passclie1", "client2", "passclie2");
        b.daemon.xauthUsers((u, p, peer) -> new XauthUsers.Verdict(p.equals(users.get(u)) ? XauthUsers.Outcome.ACCEPTED
                : XauthUsers.Outcome.REFUSED, null));
        a.ipsecPolicy("1", b.lan, 0, Router.esp(1, EncAlg.DES, HashAlg.SHA));
        b.ipsecPolicy("1", a.lan, 0, Router.esp(1, EncAlg.DES, HashAlg.SHA));
    }

    @AfterEach
    void close() {
        loop.close();
        nvs.close();
    }

    void policies(IsakmpPolicy.Mode mode, RemoteAccessSettings client, RemoteAccessSettings server) {
        for (Router r : new Router[]{a, b}) {
            r.psk("pobaetrpnjkakdf");
            IsakmpPolicy.Builder p = r.policy("i", FakeWire.peerOf(r.address));
            p.mode = mode;
            p.sendNotify = true;
            p.access = r == a ? client : server;
            r.put(p);
        }
    }

    static RemoteAccessSettings client(String name, String password) {
        return RemoteAccessSettings.NONE.withXauth(RemoteAccessSettings.Xauth.CLIENT).withXauthName(name).withXauthPassword(password);
    }

    static final RemoteAccessSettings SERVER = RemoteAccessSettings.NONE.withXauth(RemoteAccessSettings.Xauth.SERVER);

    void negotiate() {
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
    }

    long count(Router r, IsakmpCounter c) {
        return r.daemon.counters().get(c);
    }

    @Test
    void aRightPasswordLetsPhase2StartAndTheUserIsShown() {
        policies(IsakmpPolicy.Mode.MAIN, client("client1", "passclie1"), SERVER);
        negotiate();
        assertEquals(1, a.installed.size(), "phase 2 ran after XAUTH: " + a.log + "\n" + b.log);
        assertEquals(1, b.installed.size());
        assertEquals(1, count(b, IsakmpCounter.XAUTH_ACCEPTED));
        assertEquals(1, count(a, IsakmpCounter.XAUTH_CLIENT_OK));
        // REQUEST/REPLY and SET/ACK: two Transaction exchanges, each completed on both sides
        assertEquals(2, count(b, IsakmpCounter.TRANS_COMPLETED));
        assertEquals(2, count(a, IsakmpCounter.TRANS_COMPLETED));
        int saId = loop.call(() -> b.daemon.sas().get(0).id());
        IsakmpDaemon.AccessView v = loop.call(() -> b.daemon.access(saId).orElseThrow());
        assertEquals("client1", v.user());
        assertEquals("DONE", v.xauth());
        assertTrue(v.peerXauthVid(), "the client announced the XAUTH vendor ID");
        assertTrue(b.log.stream().anyMatch(l -> l.contains("XAUTH: user client1 authenticated from 192.0.2.1")), b.log.toString());
    }

    @Test
    void aggressiveModeCarriesXauthToo() {
        policies(IsakmpPolicy.Mode.AGGRESSIVE, client("client2", "passclie2"), SERVER);
        negotiate();
        assertEquals(1, a.installed.size(), a.log + "\n" + b.log);
        assertEquals(1, count(b, IsakmpCounter.XAUTH_ACCEPTED));
    }

    @Test
    void aWrongPasswordIsFinalLoggedWithTheUserAndLeavesNoSa() {
        policies(IsakmpPolicy.Mode.MAIN, client("client1", "wrong"), SERVER);
        negotiate();
        assertEquals(0, a.installed.size());
        assertEquals(0, b.installed.size());
        assertEquals(1, count(b, IsakmpCounter.XAUTH_REFUSED));
        assertEquals(1, count(a, IsakmpCounter.XAUTH_CLIENT_FAILED));
        assertTrue(b.log.stream().anyMatch(l -> l.contains("XAUTH: authentication failed for user client1 from 192.0.2.1")), b.log.toString());
        assertTrue(a.log.stream().anyMatch(l -> l.contains("refused user client1")), a.log.toString());
        assertEquals(0, (int) loop.call(() -> a.daemon.sas().size()), "the client deleted its ISAKMP SA");
        assertEquals(0, (int) loop.call(() -> b.daemon.sas().size()), "the server deleted its ISAKMP SA");
    }

    @Test
    void phase2BeforeXauthIsRefusedAndCounted() {
        // A does no XAUTH and starts Quick Mode at once; B holds phase 2 until XAUTH passed
        policies(IsakmpPolicy.Mode.MAIN, RemoteAccessSettings.NONE, SERVER);
        negotiate();
        assertEquals(0, b.installed.size());
        assertTrue(count(b, IsakmpCounter.XAUTH_PHASE2_REFUSED) >= 1, b.log.toString());
        assertEquals(1, count(a, IsakmpCounter.XAUTH_UNCONFIGURED), "A says it was asked for XAUTH it has no answer for");
    }

    @Test
    void anUnansweredRequestShowsReqsentThenTimesOut() {
        policies(IsakmpPolicy.Mode.MAIN, client("client1", "passclie1"), SERVER);
        // the client's answers to Transaction messages are lost
        wire.filter = s -> s.from() == FakeWire.A && s.payload().length > 18 && s.payload()[18] == ExchangeType.TRANSACTION ? null : s;
        negotiate();
        List<IsakmpDaemon.ExchangeView> xs = loop.call(() -> b.daemon.exchanges());
        assertTrue(xs.stream().anyMatch(x -> x.type().equals("TRANSACTION") && x.state().equals("REQSENT") && x.phase().equals("1.5")),
                xs.toString());
        loop.advance(Duration.ofMinutes(5));
        wire.settle();
        assertEquals(0, (int) loop.call(() -> b.daemon.sas().size()), "the server gave up: " + b.log);
        assertEquals(1, count(b, IsakmpCounter.XAUTH_NO_ANSWER));
        assertEquals(0, b.installed.size());
    }

    @Test
    void aFloodOfWrongPasswordsIsCountedAndLeavesNothingBehind() {
        policies(IsakmpPolicy.Mode.MAIN, client("client1", "guess"), SERVER);
        for (int i = 0; i < 25; i++) {
            negotiate();
        }
        assertEquals(25, count(b, IsakmpCounter.XAUTH_REFUSED));
        assertEquals(0, (int) loop.call(() -> b.daemon.sas().size()));
        assertEquals(0, (int) loop.call(() -> b.daemon.exchanges().size()));
        assertEquals(0, b.installed.size());
    }

    void pool(RemoteAccessSettings.ModeCfg mode) {
        b.isakmp.putPool(new AddressPool("clients", POOL_FIRST, POOL_FIRST + 9, -1, List.of(0x0a020135), List.of(0x0a020136),
                List.of(new AddressPool.Subnet(0x0a020100, 0xffffff00))));
        policies(IsakmpPolicy.Mode.MAIN, client("client1", "passclie1").withModeCfg(RemoteAccessSettings.ModeCfg.CLIENT),
                SERVER.withPool("clients").withModeCfg(mode));
    }

    void assertAssigned() {
        assertEquals(1, a.installed.size(), a.log + "\n" + b.log);
        int bSa = loop.call(() -> b.daemon.sas().get(0).id());
        int aSa = loop.call(() -> a.daemon.sas().get(0).id());
        assertEquals(POOL_FIRST, loop.call(() -> b.daemon.access(bSa).orElseThrow().address()));
        assertEquals(POOL_FIRST, loop.call(() -> a.daemon.access(aSa).orElseThrow().address()), "the client took the address");
        assertEquals(1, loop.call(() -> b.daemon.leases().count("clients")));
        // B refuses a phase 2 whose IDci is not the leased address, so the bundle above proves the client used it
        // the SA goes, and the address returns to the pool
        loop.run(() -> b.daemon.deleteSas(FakeWire.A, "test"));
        assertEquals(0, loop.call(() -> b.daemon.leases().count("clients")));
        assertEquals(1, count(b, IsakmpCounter.MODECFG_RELEASED));
    }

    @Test
    void pullModeGivesTheClientAnAddressAfterXauth() {
        pool(RemoteAccessSettings.ModeCfg.PULL);
        negotiate();
        assertAssigned();
        assertEquals(1, count(a, IsakmpCounter.MODECFG_RECEIVED));
    }

    @Test
    void pushModeSetsTheAddressUnasked() {
        pool(RemoteAccessSettings.ModeCfg.PUSH);
        negotiate();
        assertAssigned();
    }

    @Test
    void aFullPoolRefusesTheClient() {
        b.isakmp.putPool(new AddressPool("clients", POOL_FIRST, POOL_FIRST, -1, List.of(), List.of(), List.of()));
        policies(IsakmpPolicy.Mode.MAIN, client("client1", "passclie1").withModeCfg(RemoteAccessSettings.ModeCfg.CLIENT),
                SERVER.withPool("clients").withModeCfg(RemoteAccessSettings.ModeCfg.PULL));
        loop.run(() -> b.daemon.leases().lease(b.isakmp.pool("clients").orElseThrow(), 1, "someone"));
        negotiate();
        assertEquals(0, a.installed.size());
        assertEquals(1, count(b, IsakmpCounter.MODECFG_POOL_EMPTY));
        assertFalse(b.log.isEmpty());
    }

    @Test
    void aCorruptedReplyIsDroppedAndCountedAndTheRetransmissionCompletesXauth() {
        policies(IsakmpPolicy.Mode.MAIN, client("client1", "passclie1"), SERVER);
        boolean[] corrupted = {false};
        wire.filter = s -> {
            if (!corrupted[0] && s.from() == FakeWire.A && s.payload().length > 40 && s.payload()[18] == ExchangeType.TRANSACTION) {
                corrupted[0] = true;
                byte[] p = s.payload().clone();
                p[p.length - 20] ^= 0x5a;
                return new FakeWire.Sent(s.from(), s.fromPort(), s.to(), s.toPort(), p);
            }
            return s;
        };
        negotiate();
        assertEquals(0, b.installed.size(), "XAUTH waits for a good reply");
        long dropped = count(b, IsakmpCounter.DROP_DECRYPT) + count(b, IsakmpCounter.TRANS_BAD_HASH) + count(b, IsakmpCounter.DROP_BAD_PAYLOADS);
        assertEquals(1, dropped, "the corrupted reply was counted as a drop");
        loop.advance(Duration.ofSeconds(5));
        wire.settle();
        assertEquals(1, b.installed.size(), "the server's retransmitted REQUEST drew the reply again: " + b.log);
        assertEquals(1, count(b, IsakmpCounter.XAUTH_ACCEPTED));
    }

    @Test
    void aPeerOpeningManyTransactionsIsBounded() {
        policies(IsakmpPolicy.Mode.MAIN, client("client1", "passclie1"), SERVER);
        // the client's answers are lost, so the server's exchange stays open; the client's side
        // holds what it answered; neither side keeps more than the limit
        wire.filter = s -> s.from() == FakeWire.A && s.payload().length > 18 && s.payload()[18] == ExchangeType.TRANSACTION ? null : s;
        negotiate();
        for (int i = 0; i < 3; i++) {
            loop.advance(Duration.ofSeconds(5));
            wire.settle();
        }
        int open = loop.call(() -> b.daemon.exchanges().size());
        assertTrue(open <= io.argate.isakmp.IsakmpLimits.TRANSACTIONS_IN_FLIGHT, "open exchanges: " + open);
        assertTrue(count(a, IsakmpCounter.DUPLICATES) >= 1, "the client answered the retransmissions by resending, not anew");
    }

    @Test
    void theTransactionStatesAreTheFactSheetsAndMoveOnlyAsTheTableSays() {
        List<String> names = java.util.Arrays.stream(ExchangeState.values()).filter(x -> x.kind() == ExchangeKind.TRANSACTION)
                .map(ExchangeState::display).toList();
        assertEquals(List.of("IDLE", "REQSENT", "REQRECV", "REPSENT", "REPRECV", "SETSENT", "SETRECV", "ACKSENT", "ACKRECV", "UP"), names);
        assertTrue(TransactionExchange.allowed(ExchangeState.TRANS_REQSENT, ExchangeState.TRANS_REPRECV));
        assertFalse(TransactionExchange.allowed(ExchangeState.TRANS_REQSENT, ExchangeState.TRANS_UP), "an answer must arrive first");
        assertFalse(TransactionExchange.allowed(ExchangeState.TRANS_UP, ExchangeState.TRANS_REQSENT), "a finished exchange is not reused");
        TransactionExchange t = new TransactionExchange(9, 1, true, TransactionExchange.Purpose.XAUTH, Instant.EPOCH);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> t.transition(ExchangeState.TRANS_ACKRECV, (x, f, to) -> {
        }));
        assertEquals("1.5", ExchangeKind.TRANSACTION.phase());
    }

    /**
     * A client that knows the group key but never answers XAUTH holds an ISAKMP SA on the server
     * until REMOTE_ACCESS_WAIT; many of them from one address hold at most XAUTH_PENDING_PER_PEER
     * (SHOW ISAKMP's "SAs waiting for XAUTH"), and each one beyond is deleted at once and counted.
     */
    @Test
    void saWaitingForXauthAreBoundedPerAddressAndEachRefusalIsCounted() {
        policies(IsakmpPolicy.Mode.MAIN, client("client1", "passclie1"), SERVER);
        // B's XAUTH requests never reach A: every SA A opens stays waiting on B
        wire.filter = m -> m.from() == FakeWire.B && m.payload().length > 18 && m.payload()[18] == ExchangeType.TRANSACTION ? null : m;
        int tries = IsakmpLimits.XAUTH_PENDING_PER_PEER + 3;
        for (int i = 0; i < tries; i++) {
            loop.run(() -> a.daemon.startPhase1(a.isakmp.policy("i").orElseThrow(), FakeWire.B));
            wire.settle();
        }
        assertEquals(IsakmpLimits.XAUTH_PENDING_PER_PEER, b.daemon.xauthPendingCount());
        assertEquals(3, count(b, IsakmpCounter.XAUTH_PENDING_LIMIT));
        assertEquals("xauthServerPendingLimit", IsakmpCounter.XAUTH_PENDING_LIMIT.display());
        assertTrue(b.log.stream().anyMatch(l -> l.contains("too many ISAKMP SAs are waiting for XAUTH")), String.join("\n", b.log));
        // they give up when REMOTE_ACCESS_WAIT runs out, and the room is free again
        loop.advance(IsakmpLimits.REMOTE_ACCESS_WAIT.plusSeconds(1));
        assertEquals(0, b.daemon.xauthPendingCount());
    }
}
