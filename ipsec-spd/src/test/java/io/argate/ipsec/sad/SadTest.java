package io.argate.ipsec.sad;

import io.argate.ipsec.replay.ReplayWindow;
import io.argate.ipsec.spec.IpsecProtocol;
import org.junit.jupiter.api.Test;

import io.argate.shell.testing.StepClock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SadTest {

    final StepClock clock = new StepClock();
    final Sad<String> sad = new Sad<>(clock, new Random(3));
    final List<SadEvent> events = new ArrayList<>();

    {
        sad.onEvent(events::add);
    }

    SaBundle<String> bundle(String policy, int inSpi, int outSpi, Lifetime lt) {
        Sa<String> in = new Sa<>(7, IpsecProtocol.ESP, inSpi, true, 1, "in", new ReplayWindow(32));
        Sa<String> out = new Sa<>(7, IpsecProtocol.ESP, outSpi, false, 1, "out", null);
        return new SaBundle<>(sad.allocateId(), policy, 1, 0x02020202, true, List.of(out), List.of(in), clock.instant(), lt);
    }

    /**
     * Two threads sending through one SA at once take numbers from one atomic counter: no
     * number twice, none skipped, and near the end of the 32-bit space exactly the numbers up
     * to 2^32 - 1 are handed out, then only EXHAUSTED (RFC 4303 section 3.3.3: never wrap).
     */
    @Test
    void twoSendersNeverGetTheSameSequenceNumber() throws Exception {
        Sa<String> out = new Sa<>(7, IpsecProtocol.ESP, 2000, false, 1, "out", null);
        long start = Sa.LAST_SEQUENCE_32 - 300_000;
        out.sequenceForTest(start);
        java.util.concurrent.ConcurrentHashMap<Long, Boolean> seen = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger twice = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger exhausted = new java.util.concurrent.atomic.AtomicInteger();
        Runnable sender = () -> {
            for (int i = 0; i < 200_000; i++) {
                long s = out.nextSequence();
                if (s == Sa.EXHAUSTED) {
                    exhausted.incrementAndGet();
                } else if (seen.put(s, Boolean.TRUE) != null) {
                    twice.incrementAndGet();
                }
            }
        };
        Thread a = new Thread(sender);
        Thread b = new Thread(sender);
        a.start();
        b.start();
        a.join();
        b.join();
        assertEquals(0, twice.get(), "no sequence number handed out twice");
        assertEquals(300_000, seen.size(), "every number up to 2^32 - 1, once");
        assertTrue(seen.containsKey(Sa.LAST_SEQUENCE_32) && seen.containsKey(start + 1));
        assertEquals(100_000, exhausted.get(), "then the SA is used up");
        assertEquals(Sa.LAST_SEQUENCE_32, out.lastSequence(), "the counter stays at its last number");
    }

    /** Each thread gets its own copy of the transform, kept for its later packets; none gets the SA's own. */
    @Test
    void eachThreadHasItsOwnTransformAndOneThatCannotBeCopiedIsShared() throws Exception {
        java.util.concurrent.atomic.AtomicInteger forks = new java.util.concurrent.atomic.AtomicInteger();
        Sa<String> sa = new Sa<>(7, IpsecProtocol.ESP, 2000, false, 1, "out", null);
        Sa.Forker<String> forker = t -> t + "#" + forks.incrementAndGet();
        String mine = sa.local(forker);
        assertSame(mine, sa.local(forker), "kept for the thread's next packet");
        String[] theirs = new String[1];
        Thread other = new Thread(() -> theirs[0] = sa.local(forker));
        other.start();
        other.join();
        assertTrue(mine.startsWith("out#") && theirs[0].startsWith("out#") && !mine.equals(theirs[0]), mine + " " + theirs[0]);
        assertEquals(2, sa.locals().size());

        Sa<String> hardware = new Sa<>(8, IpsecProtocol.ESP, 2001, false, 1, "board", null);
        assertNull(hardware.local(t -> null), "channels that cannot be copied: the SA's own, under its lock");
    }

    @Test
    void installLookupAndDeleteBySpi() {
        SaBundle<String> b = bundle("vpn", 1000, 2000, Lifetime.UNLIMITED);
        sad.install(b);
        assertSame(b.inbound().get(0), sad.inbound(IpsecProtocol.ESP, 1000));
        assertNull(sad.inbound(IpsecProtocol.AH, 1000), "SPIs are per protocol");
        assertSame(b, sad.outbound("vpn"));
        assertTrue(sad.deleteBySpi(IpsecProtocol.ESP, 2000).isPresent(), "delete by the outbound SPI (peer's DELETE)");
        assertNull(sad.inbound(IpsecProtocol.ESP, 1000));
        assertNull(sad.outbound("vpn"));
        assertEquals(SaState.REMOVING, b.state());
    }

    @Test
    void duplicateInboundSpiIsRefused() {
        sad.install(bundle("a", 1000, 2000, Lifetime.UNLIMITED));
        assertThrows(IllegalStateException.class, () -> sad.install(bundle("b", 1000, 3000, Lifetime.UNLIMITED)));
        assertNull(sad.outbound("b"), "the refused bundle changed nothing");
    }

    @Test
    void reservedSpisAreAboveTheIanaRangeUniqueAndReleasedWhenStale() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            int spi = sad.reserveSpi(IpsecProtocol.ESP);
            assertTrue(Integer.compareUnsigned(spi, 256) >= 0);
            assertTrue(seen.add(spi));
            assertTrue(sad.spiInUse(IpsecProtocol.ESP, spi));
        }
        int spi = seen.iterator().next();
        clock.advanceSeconds(121);
        sad.tick();
        assertFalse(sad.spiInUse(IpsecProtocol.ESP, spi));
    }

    @Test
    void newestBundleSendsDuringARekey() {
        SaBundle<String> old = bundle("vpn", 1000, 2000, Lifetime.UNLIMITED);
        SaBundle<String> fresh = bundle("vpn", 1001, 2001, Lifetime.UNLIMITED);
        sad.install(old);
        sad.install(fresh);
        assertSame(fresh, sad.outbound("vpn"));
        assertSame(old.inbound().get(0), sad.inbound(IpsecProtocol.ESP, 1000), "the old SA still receives");
        sad.remove(fresh);
        assertSame(old, sad.outbound("vpn"));
    }

    @Test
    void softThenHardExpiryByTime() {
        SaBundle<String> b = bundle("vpn", 1000, 2000, Lifetime.of(1000, 0));
        sad.install(b);
        assertEquals(List.of(new SadEvent.Installed(b.id(), "vpn")), events, "installing tells the key manager");
        events.clear();
        clock.advanceSeconds(949);
        sad.tick();
        assertEquals(List.of(), events, "the reference's soft limit is 95% of the hard one");
        clock.advanceSeconds(1);
        sad.tick();
        sad.tick();
        assertEquals(List.of(new SadEvent.SoftExpiry(b.id(), "vpn", "95% of the 1000 s lifetime passed")), events);
        assertSame(b, sad.outbound("vpn"), "soft expiry keeps the bundle working");
        clock.advanceSeconds(50);
        sad.tick();
        assertEquals(new SadEvent.HardExpiry(b.id(), "vpn", "lifetime of 1000 s ended"), events.get(1));
        assertNull(sad.outbound("vpn"));
        assertNull(sad.inbound(IpsecProtocol.ESP, 1000));
    }

    @Test
    void softThenHardExpiryByVolume() {
        SaBundle<String> b = bundle("vpn", 1000, 2000, Lifetime.of(0, 10));
        sad.install(b);
        assertEquals(List.of(new SadEvent.Installed(b.id(), "vpn")), events, "installing tells the key manager");
        events.clear();
        Sa<String> out = b.outbound().get(0);
        assertTrue(sad.countBytes(b, out, 9000));
        assertEquals(0, events.size());
        assertTrue(sad.countBytes(b, out, 700));
        assertEquals(0, events.size(), "9,700 bytes is not yet 95% of 10 kbytes (9,728)");
        assertTrue(sad.countBytes(b, out, 100));
        assertEquals(1, events.size(), "9,800 bytes is past 95% of 10 kbytes");
        assertFalse(sad.countBytes(b, out, 1000));
        assertEquals(2, events.size());
        assertTrue(events.get(1) instanceof SadEvent.HardExpiry);
        assertFalse(sad.countBytes(b, out, 1000));
        assertEquals(2, events.size(), "one event per expiry");
    }

    @Test
    void sequenceNumbersNeverWrap() {
        Sa<String> out = new Sa<>(1, IpsecProtocol.ESP, 5, false, 1, "x", null);
        assertFalse(out.esn());
        assertEquals(1, out.nextSequence());
        out.sequenceForTest(Sa.LAST_SEQUENCE_32 - 1);
        assertEquals(Sa.LAST_SEQUENCE_32, out.nextSequence());
        assertEquals(Sa.EXHAUSTED, out.nextSequence(), "without ESN 2^32 - 1 is the last number");
        assertEquals(Sa.EXHAUSTED, out.nextSequence());
        assertEquals(Sa.LAST_SEQUENCE_32, out.lastSequence());
    }

    @Test
    void extendedSequenceNumbersCrossTwoToThe32AndStopAtTwoToThe64() {
        Sa<String> out = new Sa<>(1, IpsecProtocol.ESP, 5, false, 1, "x", null, true);
        assertTrue(out.esn());
        out.sequenceForTest(Sa.LAST_SEQUENCE_32 - 1);
        assertEquals(0xFFFF_FFFFL, out.nextSequence());
        assertEquals(0x1_0000_0000L, out.nextSequence(), "with ESN the counter goes on past 2^32 - 1");
        assertEquals(0x1_0000_0001L, out.nextSequence());
        out.sequenceForTest(Sa.LAST_SEQUENCE_64 - 2);
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, out.nextSequence());
        assertEquals(Sa.LAST_SEQUENCE_64, out.nextSequence(), "2^64 - 1 is still sent");
        assertEquals(Sa.EXHAUSTED, out.nextSequence(), "then the counter would wrap to 0: refused");
        assertEquals(Sa.EXHAUSTED, out.nextSequence());
        assertEquals("18446744073709551615", Long.toUnsignedString(out.lastSequence()));
    }

    @Test
    void inboundEsnSequencesAreInferredWithOrWithoutAntiReplay() {
        for (ReplayWindow w : new ReplayWindow[]{new ReplayWindow(64), null}) {
            Sa<String> in = new Sa<>(1, IpsecProtocol.ESP, 5, true, 1, "x", w, true);
            assertEquals(0xFFFF_FFF0L, in.inboundSequence(0xFFFF_FFF0L));
            in.received(0xFFFF_FFF0L);
            assertEquals(0x1_0000_0002L, in.inboundSequence(2), "low 2 after 2^32 - 16 is in the next subspace");
            assertEquals(0xFFFF_FFF0L, in.inboundSequence(0xFFFF_FFF0L), "nothing moves until received()");
            in.received(0x1_0000_0002L);
            assertEquals(0xFFFF_FFF8L, in.inboundSequence(0xFFFF_FFF8L), "a late packet of the old subspace");
            assertEquals(0x1_0000_0003L, in.inboundSequence(3));
        }
        Sa<String> plain = new Sa<>(1, IpsecProtocol.ESP, 5, true, 1, "x", new ReplayWindow(64));
        plain.received(0xFFFF_FFF0L);
        assertEquals(2, plain.inboundSequence(2), "without ESN the wire value is the sequence number");
    }

    @Test
    void bundleIdsAreDistinctWhileInstalled() {
        SaBundle<String> a = bundle("a", 1, 2, Lifetime.UNLIMITED);
        sad.install(a);
        SaBundle<String> b = bundle("b", 3, 4, Lifetime.UNLIMITED);
        sad.install(b);
        assertEquals(List.of(a.id(), b.id()), sad.bundles().stream().map(SaBundle::id).toList());
        assertTrue(a.id() != b.id());
    }

    @Test
    void ipcompSasAreFoundByPeerAndCpiSoManyPeersShareTheWellKnownCpi() {
        Sa<String> in1 = new Sa<>(1, IpsecProtocol.COMP, 3, true, 1, "lzs1", null);
        Sa<String> in2 = new Sa<>(2, IpsecProtocol.COMP, 3, true, 1, "lzs2", null);
        SaBundle<String> one = new SaBundle<>(sad.allocateId(), "one", 1, 0x02020202, true,
                List.of(new Sa<>(1, IpsecProtocol.COMP, 3, false, 1, "o1", null)), List.of(in1), clock.instant(), Lifetime.UNLIMITED);
        sad.install(one);
        SaBundle<String> two = new SaBundle<>(sad.allocateId(), "two", 1, 0x03030303, true,
                List.of(new Sa<>(2, IpsecProtocol.COMP, 3, false, 1, "o2", null)), List.of(in2), clock.instant(), Lifetime.UNLIMITED);
        sad.install(two);
        assertSame(in1, sad.inboundIpcomp(0x02020202, 3));
        assertSame(in2, sad.inboundIpcomp(0x03030303, 3));
        assertNull(sad.inboundIpcomp(0x04040404, 3));
        sad.remove(one);
        assertNull(sad.inboundIpcomp(0x02020202, 3));
        assertSame(in2, sad.inboundIpcomp(0x03030303, 3));
    }
}
