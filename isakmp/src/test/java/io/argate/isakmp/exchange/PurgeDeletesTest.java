package io.argate.isakmp.exchange;

import io.argate.enco.Enco;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.crypto.Phase1Cipher;
import io.argate.isakmp.wire.ExchangeType;
import io.argate.isakmp.wire.IsakmpHeader;
import io.argate.shell.loop.ControlLoop;
import io.argate.shell.loop.ManualClock;
import io.argate.store.EventLog;
import io.argate.store.Nvs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PURGE ISAKMP, DISABLE ISAKMP and DESTROY ISAKMP POLICY end the IPsec SAs ISAKMP keyed as well as
 * the ISAKMP SAs, and with SENDDELETES the peer is told of both: it sees the deletes, its SAD
 * loses the bundle and its ISAKMP SA goes, instead of sending into SAs that no longer exist.
 */
class PurgeDeletesTest {
    @TempDir
    Path dir;
    Nvs nvs;
    ControlLoop loop;
    FakeWire wire;
    Router a;
    Router b;

    @BeforeEach
    void open() {
        nvs = Nvs.open(dir);
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
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

    /** Both routers keyed: one ISAKMP SA, one ESP (+ IPComp when asked) bundle each side. */
    void up(boolean sendDeletes, String bundle, io.argate.ipsec.spec.SaSpecification... specs) throws Exception {
        for (Router r : new Router[]{a, b}) {
            r.psk("purge-tells-the-peer");
            IsakmpPolicy.Builder p = r.policy("i", FakeWire.peerOf(r.address));
            p.encAlg = Phase1Cipher.AES128;
            p.group = 2;
            p.sendDeletes = sendDeletes;
            r.put(p);
        }
        a.ipsecPolicy(bundle, b.lan, 0, specs);
        b.ipsecPolicy(bundle, a.lan, 0, specs);
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
        assertEquals(1, a.sad.bundles().size(), a.log.toString());
        assertEquals(1, b.sad.bundles().size(), b.log.toString());
        assertEquals(1, b.daemon.sas().size());
        wire.sent.clear();
    }

    /** The Informational messages A sent since the SAs came up. */
    List<FakeWire.Sent> informationals(Router from) throws Exception {
        List<FakeWire.Sent> out = new java.util.ArrayList<>();
        for (FakeWire.Sent s : wire.sent) {
            if (s.from() == from.address && IsakmpHeader.decode(s.payload()).exchangeType() == ExchangeType.INFO) {
                out.add(s);
            }
        }
        return out;
    }

    @Test
    void purgeIsakmpSendsDeletesForTheIpsecSasThenTheIsakmpSaAndThePeerDropsBoth() throws Exception {
        up(true, "1", Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        loop.run(() -> a.daemon.purge());
        wire.settle();

        assertEquals(2, informationals(a).size(), "one Informational for the IPsec SAs, one for the ISAKMP SA: " + a.log);
        assertEquals(2, a.daemon.counters().get(IsakmpCounter.DELETES_SENT));
        assertEquals(List.of(), a.sad.bundles(), "A's SAD keeps nothing ISAKMP keyed");
        assertEquals(List.of(), a.daemon.sas());
        assertTrue(a.log.stream().anyMatch(l -> l.matches("IPsec SA bundle \\d+ of policy vpn with 192\\.0\\.2\\.2 deleted: ISAKMP was purged")),
                a.log.toString());
        assertTrue(a.log.stream().anyMatch(l -> l.matches("ISAKMP SA 1 with 192\\.0\\.2\\.2 deleted: ISAKMP was purged")), a.log.toString());

        assertEquals(2, b.daemon.counters().get(IsakmpCounter.DELETES_RECEIVED), "the ESP delete and the ISAKMP delete: " + b.log);
        assertEquals(0, b.daemon.counters().get(IsakmpCounter.INFO_BAD_HASH));
        assertEquals(List.of(), b.sad.bundles(), "the peer removed the IPsec SA bundle A deleted: " + b.log);
        assertEquals(List.of(), b.daemon.sas(), "the peer removed the ISAKMP SA: " + b.log);
        assertEquals(1, b.daemon.counters().get(IsakmpCounter.SA_DELETED));
    }

    @Test
    void destroyIsakmpPolicyEndsItsSasWithDeletesAndLeavesOtherPoliciesAlone() throws Exception {
        up(true, "1", Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        IsakmpPolicy.Builder other = a.policy("other", 0x0a0b0c0d);
        a.put(other);
        loop.run(() -> a.daemon.policyDestroyed("other"));
        wire.settle();
        assertEquals(List.of(), informationals(a), "a policy without SAs sends nothing");
        assertEquals(1, a.sad.bundles().size());

        loop.run(() -> a.daemon.policyDestroyed("i"));
        wire.settle();
        assertEquals(2, informationals(a).size(), a.log.toString());
        assertTrue(a.log.stream().anyMatch(l -> l.endsWith("deleted: ISAKMP policy i was destroyed")), a.log.toString());
        assertEquals(List.of(), a.sad.bundles());
        assertEquals(List.of(), b.sad.bundles(), b.log.toString());
        assertEquals(List.of(), b.daemon.sas(), b.log.toString());
    }

    @Test
    void ipcompBundlesNameEveryProtocolsSpiAndThePeerStillDropsTheBundle() throws Exception {
        up(true, "1 AND 2", comp(1), Router.esp(2, EncAlg.AES128, HashAlg.SHA));
        loop.run(() -> a.daemon.purge());
        wire.settle();
        assertEquals(List.of(), b.sad.bundles(), b.log.toString());
        assertEquals(3, b.daemon.counters().get(IsakmpCounter.DELETES_RECEIVED), "ESP, IPComp and ISAKMP deletes: " + b.log);
    }

    static io.argate.ipsec.spec.SaSpecification comp(int n) {
        return io.argate.ipsec.spec.SaSpecification.defaults(n, io.argate.ipsec.spec.KeyManagement.ISAKMP, io.argate.ipsec.spec.IpsecProtocol.COMP)
                .withCompAlg(io.argate.ipsec.spec.CompAlg.DEFLATE);
    }

    @Test
    void purgeIpsecTellsThePeerOfEachIsakmpKeyedBundleAndKeepsTheIsakmpSa() throws Exception {
        up(true, "1", Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        a.sad.onEvent(a.daemon::sadEvent);
        // PURGE IPSEC clears the SAD on the loop, as the command does
        loop.run(() -> a.sad.clear());
        wire.settle();
        assertEquals(1, informationals(a).size(), a.log.toString());
        assertTrue(a.log.stream().anyMatch(l -> l.matches("IPsec SA bundle \\d+ of policy vpn with 192\\.0\\.2\\.2 deleted: IPsec was purged")),
                a.log.toString());
        assertEquals(List.of(), b.sad.bundles(), b.log.toString());
        assertEquals(1, b.daemon.sas().size(), "only the IPsec SAs were purged");
        assertEquals(1, a.daemon.sas().size());
    }

    @Test
    void withoutSendDeletesPurgeIsSilentButStillEmptiesTheLocalSad() throws Exception {
        up(false, "1", Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        loop.run(() -> a.daemon.purge());
        wire.settle();
        assertEquals(List.of(), informationals(a));
        assertEquals(List.of(), a.sad.bundles());
        assertEquals(1, b.sad.bundles().size(), "the peer was not told");
    }

    @Test
    void purgeWhileAResponderExchangeIsHalfOpenThrowsNothing() throws Exception {
        for (Router r : new Router[]{a, b}) {
            r.psk("half-open");
            IsakmpPolicy.Builder p = r.policy("i", FakeWire.peerOf(r.address));
            p.sendDeletes = true;
            r.put(p);
        }
        a.ipsecPolicy("1", b.lan, 0, Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        // only Main Mode message 1 reaches B: B holds a responder exchange that has chosen no policy yet
        wire.filter = s -> s.to() == FakeWire.B ? s : null;
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
        assertEquals(1, b.daemon.exchanges().size());
        loop.run(() -> b.daemon.purge());
        assertEquals(List.of(), b.daemon.exchanges());
        assertTrue(b.log.stream().noneMatch(l -> l.contains("internal error")), b.log.toString());
    }
}
