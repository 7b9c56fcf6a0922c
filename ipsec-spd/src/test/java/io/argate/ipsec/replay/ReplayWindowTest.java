package io.argate.ipsec.replay;

import io.argate.ipsec.replay.ReplayWindow.Verdict;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    @Test
    void sizesOutsideTheReferenceRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(16));
        assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(512));
    }
}
