package io.argate.isakmp.exchange;

import io.argate.enco.Enco;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.isakmp.Datagram;
import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.IsakmpDebug;
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.config.RemoteAccessSettings;
import io.argate.isakmp.crypto.Phase1Cipher;
import io.argate.isakmp.crypto.PrfAlgorithm;
import io.argate.shell.loop.ControlLoop;
import io.argate.shell.loop.ManualClock;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * One argate daemon put in the state a captured scenario had it in, as far as that can be
 * without the lab's random values: configured as in the lab (same key, algorithms, mode),
 * starting the exchange itself when argate initiated, and fed the peer's captured messages in
 * order with the cookies rewritten to its own (its responder cookie when the peer initiated, its
 * initiator cookie when it did). Clear messages are then processed in the state they were sent
 * for (proposals, KE, nonces, IDs, NAT-D, vendor IDs); from the first encrypted one on its keys
 * differ from the lab's, so those reach a daemon holding an exchange with their cookies.
 */
final class CapturedReplay implements AutoCloseable {
    static final String PSK = "ia-secret-123";

    final CapturedCorpus.Scenario scenario;
    final ControlLoop loop = new ControlLoop(new ManualClock(Instant.parse("2026-01-01T00:00:00Z")), "replay-loop");
    final FakeWire wire = new FakeWire(loop);
    /** argate's part, at address B; the peer (address A) has no daemon: its messages come from the capture. */
    final Router argate;
    /** What DEBUG=STATE said: every drop's reason. */
    final List<String> debug = new ArrayList<>();
    private long daemonCookie;

    CapturedReplay(CapturedCorpus.Scenario s, Enco enco, long seed) throws Exception {
        this.scenario = s;
        this.argate = new Router("argate", FakeWire.B, 0x0a630100, loop, wire, enco, seed);
        argate.psk(PSK);
        IsakmpPolicy.Builder p = argate.policy("i", FakeWire.A);
        p.encAlg = Phase1Cipher.AES128;
        p.hashAlg = PrfAlgorithm.SHA1;
        p.group = s.group();
        p.natTraversal = true;
        p.sendNotify = true;
        p.retryIkeAttempts = 0;
        if (s.aggressive()) {
            p.mode = IsakmpPolicy.Mode.AGGRESSIVE;
            p.localId = s.peerInitiates() ? null : "argate-left";
        }
        if (s.xauth()) {
            p.access = new RemoteAccessSettings(RemoteAccessSettings.Xauth.SERVER, null, null, false, null, RemoteAccessSettings.ModeCfg.NONE);
        }
        argate.put(p);
        argate.ipsecPolicy("1", 0x0a630200, s.pfs(), Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        argate.daemon.debug().enable(EnumSet.of(IsakmpDebug.Output.STATE), debug::add);
        if (!s.peerInitiates()) {
            loop.run(() -> argate.daemon.initiate("vpn"));
            wire.settle();
            daemonCookie = cookieOf(wire.sent.get(0), 0);
        }
    }

    /** The peer's captured datagram as this daemon must see it: the exchange's cookie replaced by the daemon's. */
    byte[] translate(CapturedCorpus.Datagram d) {
        byte[] x = d.payload().clone();
        int which = scenario.peerInitiates() ? 1 : 0;
        int at = d.offset() + 8 * which;
        if (daemonCookie != 0 && x.length >= at + 8 && ByteBuffer.wrap(x, at, 8).getLong() == scenario.capturedCookie(which)) {
            ByteBuffer.wrap(x, at, 8).putLong(daemonCookie);
        }
        return x;
    }

    /** What one delivery did to the daemon. */
    record Effect(long drops, long duplicates, int sent, int logged, int dropReasons) {
        /** A counted drop, a counted duplicate, or a message the daemon answered. */
        boolean handled() {
            return drops > 0 || duplicates > 0 || sent > 0;
        }
    }

    /** Delivers a datagram from the peer to argate's port and lets everything it causes run. */
    Effect deliver(byte[] payload, int sourcePort, int destinationPort) {
        long drops = drops();
        long dups = argate.daemon.counters().get(IsakmpCounter.DUPLICATES);
        int sent = wire.sent.size();
        int logged = argate.log.size();
        int reasons = (int) debug.stream().filter(l -> l.startsWith("ISAKMP dropped a message: ")).count();
        loop.run(() -> argate.daemon.receive(new Datagram(FakeWire.A, sourcePort, FakeWire.B, destinationPort, payload)));
        wire.settle();
        if (daemonCookie == 0 && scenario.peerInitiates()) {
            for (FakeWire.Sent s : wire.sent) {
                if (cookieOf(s, 1) != 0) {
                    daemonCookie = cookieOf(s, 1);
                    break;
                }
            }
        }
        return new Effect(drops() - drops, argate.daemon.counters().get(IsakmpCounter.DUPLICATES) - dups, wire.sent.size() - sent,
                argate.log.size() - logged, (int) debug.stream().filter(l -> l.startsWith("ISAKMP dropped a message: ")).count() - reasons);
    }

    Effect deliver(CapturedCorpus.Datagram d) {
        return deliver(translate(d), d.sourcePort(), d.destinationPort());
    }

    /** Lets every retransmission and timeout run out (the policy's MSGRETRYLIMIT at its MSGTIMEOUT, with backoff). */
    void runOut() {
        for (int i = 0; i < 70; i++) {
            loop.advance(Duration.ofSeconds(5));
            wire.settle();
        }
    }

    /**
     * The counters a refused message raises: the DROP_ ones, the failures and refusals of each
     * exchange kind, bad hashes, unexpected or over-limit transactions, malformed heartbeats and
     * unexpected DPD acks.
     */
    static final IsakmpCounter[] DROPS = java.util.Arrays.stream(IsakmpCounter.values())
            .filter(c -> c.name().startsWith("DROP_") || c == IsakmpCounter.RX_NOT_IKE_ON_4500 || c.name().endsWith("_FAILED")
                    || c.name().endsWith("_NO_PROPOSAL") || c.name().endsWith("_BAD_HASH") || c.name().endsWith("_UNEXPECTED")
                    || c == IsakmpCounter.TRANS_LIMIT || c == IsakmpCounter.XAUTH_PHASE2_REFUSED || c == IsakmpCounter.HEARTBEATS_MALFORMED
                    || c == IsakmpCounter.POLICY_BY_PEER_FAILED)
            .toArray(IsakmpCounter[]::new);

    long drops() {
        long n = 0;
        for (IsakmpCounter c : DROPS) {
            n += argate.daemon.counters().get(c);
        }
        return n;
    }

    private static long cookieOf(FakeWire.Sent s, int which) {
        byte[] p = s.payload();
        int off = s.fromPort() == 4500 && p.length > 4 ? 4 : 0;
        return p.length >= off + 16 ? ByteBuffer.wrap(p, off + 8 * which, 8).getLong() : 0;
    }

    @Override
    public void close() {
        loop.close();
    }
}
