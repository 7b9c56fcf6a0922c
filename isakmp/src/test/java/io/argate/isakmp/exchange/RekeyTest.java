package io.argate.isakmp.exchange;

import io.argate.enco.Enco;
import io.argate.ipsec.esp.EspTransform;
import io.argate.ipsec.esp.Transform;
import io.argate.ipsec.sad.Sa;
import io.argate.ipsec.sad.SaBundle;
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
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.crypto.Phase1Cipher;
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
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Phase 2 rekeying between two daemons on the fake clock, with traffic both ways every second
 * through the SAD as the data path uses it (the sending bundle seals, the receiver's inbound SA
 * of that SPI opens, both count bytes): no packet is lost across a rekey, the replaced bundle
 * goes once the new one carries traffic, and SENDDELETES tells the peer.
 */
class RekeyTest {
    @TempDir
    Path dir;
    Nvs nvs;
    ControlLoop loop;
    ManualClock clock;
    FakeWire wire;
    Router a;
    Router b;
    int lost;
    int carried;

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

    void configure(long seconds, long kbytes, Consumer<IsakmpPolicy.Builder> both) throws Exception {
        for (Router r : new Router[]{a, b}) {
            r.psk("rekey-without-loss");
            IsakmpPolicy.Builder p = r.policy("i", FakeWire.peerOf(r.address));
            p.encAlg = Phase1Cipher.AES128;
            p.group = 2;
            both.accept(p);
            r.put(p);
            r.ipsec.putSpec(Router.esp(1, EncAlg.AES128, HashAlg.SHA));
            BundleExpression e = BundleExpression.parse("1", KeyManagement.ISAKMP,
                    n -> r.ipsec.spec(n).map(s -> new BundleExpression.SpecInfo(s.protocol(), s.keyManagement())).orElse(null));
            r.ipsec.putBundle(new BundleSpecification(1, KeyManagement.ISAKMP, e, seconds, kbytes));
            Router peer = r == a ? b : a;
            r.ipsec.addPolicy(IpsecPolicy.builder("vpn", "eth0", PolicyAction.IPSEC).keyManagement(KeyManagement.ISAKMP).bundle(1)
                    .peer(PeerAddress.of(peer.address)).local(AddressSpec.address(r.lan).withMask(0xffffff00))
                    .remote(AddressSpec.address(peer.lan).withMask(0xffffff00)).build(), 0);
            // the data path's events reach the daemon as in the router
            r.sad.onEvent(r.daemon::sadEvent);
        }
    }

    /** One packet of {@code size} bytes from one router to the other, as the data path carries it. */
    void send(Router from, Router to, int size) throws Exception {
        SaBundle<Transform> out = from.sad.outbound("vpn");
        if (out == null) {
            lost++;
            return;
        }
        Sa<Transform> o = out.outbound().get(0);
        if (!from.sad.countBytes(out, o, size)) {
            lost++;
            return;
        }
        Sa<Transform> in = to.sad.inbound(o.protocol(), o.spi());
        if (in == null) {
            lost++;
            return;
        }
        EspTransform seal = (EspTransform) o.transform();
        ByteBuf buf = Unpooled.buffer(size + 128);
        int start = seal.headerLength();
        buf.setZero(start, size);
        int at = seal.seal(buf, start, start + size, 4, o.spi(), o.nextSequence());
        if (((EspTransform) in.transform()).open(buf, at, buf.writerIndex()) <= 0 || !to.sad.countBytes(in.bundle(), in, size)) {
            lost++;
            return;
        }
        carried++;
    }

    /** {@code seconds} of the loop's time with a packet each way every second. */
    void run(int seconds, int size) throws Exception {
        for (int i = 0; i < seconds; i++) {
            send(a, b, size);
            send(b, a, size);
            wire.settle();
            loop.advance(Duration.ofSeconds(1));
            loop.run(() -> {
                a.sad.tick();
                b.sad.tick();
            });
            wire.settle();
        }
    }

    @Test
    void timedRekeysLoseNoPacketAndTheReplacedBundleIsDeletedWithANotification() throws Exception {
        configure(600, 0, p -> p.sendDeletes = true);
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
        run(1300, 100);
        assertEquals(0, lost, "carried " + carried);
        assertEquals(3, a.installed.size(), "the first bundle and one rekey per lifetime: " + a.log);
        assertEquals(3, b.installed.size(), "the responder did not rekey the same bundle again: " + b.log);
        assertEquals(1, a.sad.bundles().size(), "replaced bundles are gone before their lifetime ends");
        assertEquals(1, b.sad.bundles().size());
        assertTrue(a.daemon.counters().get(IsakmpCounter.DELETES_SENT) >= 2);
        assertTrue(b.daemon.counters().get(IsakmpCounter.DELETES_RECEIVED) >= 2);
        assertTrue(a.log.stream().anyMatch(l -> l.matches("IPsec SA bundle \\d+ of policy vpn was replaced by bundle \\d+ and deleted")), a.log.toString());
        assertEquals(0, a.daemon.counters().get(IsakmpCounter.EXCHANGE_TIMEOUTS));
    }

    /** {@code seconds} of the loop's time with no traffic at all: only the SAD's lifetime ticks. */
    void idle(int seconds) {
        for (int i = 0; i < seconds; i++) {
            loop.advance(Duration.ofSeconds(1));
            loop.run(() -> {
                a.sad.tick();
                b.sad.tick();
            });
            wire.settle();
        }
    }

    /**
     * On an idle tunnel the new bundle never carries traffic, which used to leave the replaced
     * one in the SAD until its hard expiry. A replaced bundle on which nothing arrives now goes a
     * bounded time (DELETEDELAY + REPLACED_QUIET) after its successor started sending, with a
     * delete notification when SENDDELETES.
     */
    @Test
    void anIdleTunnelsReplacedBundleGoesABoundedTimeAfterTheRekeyWithADelete() throws Exception {
        configure(600, 0, p -> {
            p.sendDeletes = true;
            p.deleteDelay = 5;
        });
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
        // the soft limit is at 570 s at the latest: the rekey has run by 575 s
        idle(575);
        assertEquals(2, a.installed.size(), a.log.toString());
        assertEquals(2, a.sad.bundles().size(), "just after the rekey the replaced bundle still receives");
        idle((int) (5 + io.argate.isakmp.IsakmpLimits.REPLACED_QUIET.toSeconds() + 2));
        assertEquals(1, a.sad.bundles().size(), "the replaced bundle is gone long before its hard limit: " + a.log);
        assertEquals(1, b.sad.bundles().size(), b.log.toString());
        assertTrue(a.log.stream().anyMatch(l -> l.matches("IPsec SA bundle \\d+ of policy vpn was replaced by bundle \\d+ and deleted")), a.log.toString());
        assertTrue(a.daemon.counters().get(IsakmpCounter.DELETES_SENT) >= 1);
        assertTrue(b.daemon.counters().get(IsakmpCounter.DELETES_RECEIVED) >= 1);
        // and the tunnel still carries traffic, on the new bundle
        run(5, 100);
        assertEquals(0, lost);
    }

    /** A replaced bundle the peer still sends on is kept while it does (packets in flight, or a peer that has not switched). */
    @Test
    void aReplacedBundleThatStillReceivesIsKept() throws Exception {
        configure(600, 0, p -> p.deleteDelay = 0);
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
        idle(560);
        SaBundle<Transform> old = b.sad.outbound("vpn");
        idle(15);
        assertEquals(2, a.sad.bundles().size(), a.log.toString());
        // B keeps sending on the bundle the rekey replaced, A sends nothing, until just before that bundle's hard limit (600 s)
        for (int i = 0; i < 20; i++) {
            Sa<Transform> o = old.outbound().get(0);
            Sa<Transform> in = a.sad.inbound(o.protocol(), o.spi());
            assertTrue(in != null, "the replaced bundle was removed while the peer still sent on it, after " + i + " s: " + a.log);
            assertTrue(a.sad.countBytes(in.bundle(), in, 100));
            idle(1);
        }
    }

    @Test
    void deleteDelayKeepsTheReplacedBundleThatLong() throws Exception {
        configure(600, 0, p -> p.deleteDelay = 30);
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
        // the soft limit is at 570 s; the new bundle carries traffic within a second
        run(575, 100);
        assertEquals(2, a.installed.size());
        assertEquals(2, a.sad.bundles().size(), "the replaced bundle still receives during DELETEDELAY");
        run(30, 100);
        assertEquals(1, a.sad.bundles().size());
        assertEquals(0, lost);
        assertEquals(0, a.daemon.counters().get(IsakmpCounter.DELETES_SENT), "SENDDELETES is off");
    }

    @Test
    void aVolumeLimitRekeysBeforeTheHardLimitDropsAnything() throws Exception {
        configure(0, 100, p -> p.sendDeletes = true);
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
        // 100 kbytes at 1000 bytes a packet each way: a rekey every ~100 seconds
        run(350, 1000);
        assertEquals(0, lost, "carried " + carried);
        assertTrue(a.installed.size() >= 4, a.installed.size() + " bundles: " + a.log);
        assertTrue(a.sad.bundles().size() <= 2);
    }

    @Test
    void aPhaseOneRekeyReplacesTheOldIsakmpSaWithoutTouchingTheTraffic() throws Exception {
        configure(28800, 0, p -> {
            p.expirySeconds = 600;
            p.sendDeletes = true;
        });
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
        run(700, 100);
        assertEquals(0, lost);
        assertEquals(1, a.daemon.sas().size(), "the replaced ISAKMP SA is gone: " + a.log);
        assertEquals(2, a.daemon.sas().get(0).id());
        assertTrue(a.log.stream().anyMatch(l -> l.equals("ISAKMP SA 1 with 192.0.2.2 deleted: replaced by ISAKMP SA 2")), a.log.toString());
        assertEquals(1, b.daemon.sas().size(), "the peer dropped it on our delete notification: " + b.log);
        assertEquals(1, a.installed.size(), "the IPsec SAs were not renegotiated");
    }
}
