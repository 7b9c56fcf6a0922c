package io.argate.ipsec.replay;

import io.argate.ipsec.replay.ReplayWindow.Verdict;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayWindowTest {

    @Test
    void inOrderDuplicatesAndZero() {
        ReplayWindow w = new ReplayWindow(32);
        assertEquals(Verdict.ZERO, w.accept(0));
        for (long s = 1; s <= 100; s++) {
            assertEquals(Verdict.OK, w.accept(s));
            assertEquals(Verdict.DUPLICATE, w.check(s));
        }
        assertEquals(100, w.highest());
    }

    @Test
    void windowEdgeIsExactlyTheConfiguredSize() {
        for (int size : new int[]{32, 64, 128, 256}) {
            ReplayWindow w = new ReplayWindow(size);
            assertEquals(Verdict.OK, w.accept(1000));
            assertEquals(Verdict.OK, w.check(1000 - size + 1), "last number inside a window of " + size);
            assertEquals(Verdict.TOO_OLD, w.check(1000 - size), "first number below a window of " + size);
            assertEquals(Verdict.OK, w.accept(1000 - size + 1));
            assertEquals(Verdict.DUPLICATE, w.accept(1000 - size + 1));
        }
    }

    @Test
    void checkDoesNotMoveTheWindow() {
        ReplayWindow w = new ReplayWindow(64);
        w.accept(10);
        assertEquals(Verdict.OK, w.check(5000));
        assertEquals(10, w.highest(), "only accept() moves the window (after the ICV verified)");
        assertEquals(Verdict.OK, w.accept(9));
    }

    @Test
    void bigJumpClearsTheOldBits() {
        ReplayWindow w = new ReplayWindow(64);
        for (long s = 1; s <= 64; s++) {
            w.accept(s);
        }
        w.accept(1_000_000);
        for (long s = 1_000_000 - 63; s < 1_000_000; s++) {
            assertEquals(Verdict.OK, w.check(s), "stale ring bits must not show as duplicates: " + s);
        }
    }

    @Test
    void extendedSequenceNumbersAbove32Bits() {
        ReplayWindow w = new ReplayWindow(128);
        long base = 0xFFFF_FFF0L;
        for (long s = base; s < base + 40; s++) {
            assertEquals(Verdict.OK, w.accept(s));
        }
        assertEquals(Verdict.DUPLICATE, w.check(0x1_0000_0005L));
    }

    /** RFC 4303 Appendix A2.2, case A: Tl >= W - 1, the whole window inside subspace Th. */
    @Test
    void esnInferenceWithTheWindowInsideOneSubspace() {
        for (int size : new int[]{32, 64, 128, 256}) {
            ReplayWindow w = new ReplayWindow(size);
            long top = 0x5_FFFF_FF00L;
            w.accept(top);
            assertEquals(top, w.infer(0xFFFF_FF00L));
            assertEquals(top - size + 1, w.infer(0xFFFF_FF00L - size + 1), "the window's bottom stays in subspace 5");
            assertEquals(0x5_FFFF_FFFFL, w.infer(0xFFFF_FFFFL), "ahead, same subspace");
            assertEquals(0x6_0000_0000L, w.infer(0), "below the bottom: wrapped into subspace 6");
            assertEquals(0x6_0000_0010L, w.infer(0x10));
            assertEquals(0x6_0000_0000L + (0xFFFF_FF00L - size), w.infer(0xFFFF_FF00L - size),
                    "just below the window is read as far ahead, which the ICV will refute");
        }
    }

    /** RFC 4303 Appendix A2.2, case B: Tl < W - 1, the window spans the end of Th - 1 and the start of Th. */
    @Test
    void esnInferenceWithTheWindowSpanningTwoSubspaces() {
        for (int size : new int[]{32, 64, 128, 256}) {
            ReplayWindow w = new ReplayWindow(size);
            w.accept(0x2_FFFF_FFF0L);
            w.accept(0x3_0000_0004L);
            assertEquals(0x3_0000_0004L, w.highest());
            assertEquals(0x3_0000_0003L, w.infer(3), "inside the window, subspace 3");
            assertEquals(0x3_0000_9000L, w.infer(0x9000), "ahead, subspace 3");
            assertEquals(0x2_FFFF_FFFFL, w.infer(0xFFFF_FFFFL), "the window's old part: subspace 2");
            long bottomLow = (0x4 - size + 1) & 0xFFFF_FFFFL;
            assertEquals(0x2_0000_0000L | bottomLow, w.infer(bottomLow), "the window's bottom: subspace 2");
            assertEquals(0x3_0000_0000L | (bottomLow - 1), w.infer(bottomLow - 1), "below the bottom: subspace 3, far ahead");
        }
    }

    @Test
    void esnInferenceBeforeAnyPacketHasNoEarlierSubspace() {
        ReplayWindow w = new ReplayWindow(64);
        assertEquals(1, w.infer(1));
        assertEquals(0xFFFF_FFF0L, w.infer(0xFFFF_FFF0L), "no subspace below 0");
        w.accept(5);
        assertEquals(0xFFFF_FFF0L, w.infer(0xFFFF_FFF0L));
    }

    /** Duplicates and too-old packets across the 2^32 boundary, each low value inferred first. */
    @Test
    void esnDuplicatesAndTooOldAcrossTheBoundary() {
        for (int size : new int[]{32, 64, 128, 256}) {
            ReplayWindow w = new ReplayWindow(size);
            long start = 0x1_0000_0000L - size / 2;
            for (long s = start; s < start + size; s += 2) {
                assertEquals(Verdict.OK, w.accept(w.infer(s & 0xFFFF_FFFFL)), "even numbers around 2^32, size " + size);
            }
            long top = start + size - 2;
            assertEquals(top, w.highest());
            assertTrue(top >>> 32 == 1, "the window top is past 2^32");
            for (long s = start; s <= top; s++) {
                long seq = w.infer(s & 0xFFFF_FFFFL);
                assertEquals(s, seq, "inferred across the boundary, size " + size);
                assertEquals((s & 1) == 0 ? Verdict.DUPLICATE : Verdict.OK, w.check(seq), Long.toHexString(s));
            }
            assertEquals(Verdict.OK, w.accept(w.infer(0xFFFF_FFFFL & (start + 1))), "a late odd one from below 2^32");
            assertEquals(Verdict.DUPLICATE, w.accept(w.infer(0xFFFF_FFFFL & (start + 1))), "and its replay");
            w.accept(w.infer((top + size) & 0xFFFF_FFFFL));
            long old = top;
            assertEquals(Verdict.TOO_OLD, w.check(old), "now below the window");
            assertEquals(Verdict.TOO_OLD, w.check(0xFFFF_FFFFL), "the last number of subspace 0 is too old");
        }
    }

    @Test
    void theTopOfTheSixtyFourBitRangeIsComparedUnsigned() {
        ReplayWindow w = new ReplayWindow(64);
        assertEquals(Verdict.OK, w.accept(0x7FFF_FFFF_FFFF_FFFFL));
        assertEquals(Verdict.OK, w.accept(0x8000_0000_0000_0001L), "above 2^63 is ahead, not negative");
        assertEquals(Verdict.OK, w.accept(0xFFFF_FFFF_FFFF_FFFFL));
        assertEquals(Verdict.DUPLICATE, w.check(0xFFFF_FFFF_FFFF_FFFFL));
        assertEquals(Verdict.TOO_OLD, w.check(0x8000_0000_0000_0001L));
        assertEquals(0xFFFF_FFFF_FFFF_FFC1L, w.infer(0xFFFF_FFC1L), "the window's bottom");
    }

    @Test
    void agreesWithAReferenceModelOnRandomTraffic() {
        Random r = new Random(42);
        for (int size : new int[]{32, 64, 96, 128, 256}) {
            ReplayWindow w = new ReplayWindow(size);
            BitSet seen = new BitSet();
            long top = 0;
            for (int i = 0; i < 20000; i++) {
                long s = Math.max(0, top + r.nextInt(2 * size + 20) - size - 10);
                Verdict expected;
                if (s == 0) {
                    expected = Verdict.ZERO;
                } else if (s > top) {
                    expected = Verdict.OK;
                } else if (top - s >= size) {
                    expected = Verdict.TOO_OLD;
                } else {
                    expected = seen.get((int) s) ? Verdict.DUPLICATE : Verdict.OK;
                }
                assertEquals(expected, w.accept(s), "size " + size + " step " + i + " seq " + s + " top " + top);
                if (expected == Verdict.OK) {
                    seen.set((int) s);
                    top = Math.max(top, s);
                }
            }
        }
    }

    /**
     * Two receive threads open one SA's packets at once and both get every packet (a copy on
     * each port): each number must be accepted exactly once, never twice and never lost, while
     * the window slides through many ring turns. The threads start each round together, so they
     * race on the same numbers.
     */
    @Test
    void twoReceiversAcceptEachNumberExactlyOnce() throws Exception {
        for (int size : new int[]{32, 64, 256}) {
            ReplayWindow w = new ReplayWindow(size);
            int n = 200_000;
            java.util.concurrent.atomic.AtomicIntegerArray wins = new java.util.concurrent.atomic.AtomicIntegerArray(n + 1);
            java.util.concurrent.atomic.AtomicInteger tooOld = new java.util.concurrent.atomic.AtomicInteger();
            // each thread walks the numbers in blocks with a small local shuffle, as two ports reorder a little
            Runnable receiver = () -> {
                Random r = new Random(Thread.currentThread().getId());
                long[] block = new long[size / 4];
                for (long base = 1; base + block.length <= n; base += block.length) {
                    for (int i = 0; i < block.length; i++) {
                        block[i] = base + i;
                    }
                    for (int i = block.length - 1; i > 0; i--) {
                        int j = r.nextInt(i + 1);
                        long t = block[i];
                        block[i] = block[j];
                        block[j] = t;
                    }
                    for (long s : block) {
                        Verdict v = w.accept(s);
                        if (v == Verdict.OK) {
                            wins.incrementAndGet((int) s);
                        } else if (v == Verdict.TOO_OLD) {
                            tooOld.incrementAndGet();
                        }
                    }
                }
            };
            Thread a = new Thread(receiver);
            Thread b = new Thread(receiver);
            a.start();
            b.start();
            a.join();
            b.join();
            int accepted = 0;
            int lastBlockEnd = (n - 1) / (size / 4) * (size / 4);
            for (int s = 1; s <= lastBlockEnd; s++) {
                assertTrue(wins.get(s) <= 1, "number " + s + " accepted " + wins.get(s) + " times, window " + size);
                accepted += wins.get(s);
            }
            // a number can be lost only if the other thread ran a whole window ahead meanwhile,
            // and then it had accepted that number itself: so every number is accepted once
            assertEquals(lastBlockEnd, accepted, "every number accepted once, window " + size + ", too old " + tooOld.get());
        }
    }

    @Test
    void sizesOutsideTheReferenceRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(16));
        assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(512));
    }
}
