package io.argate.ipsec.sad;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The receive path's SPI table answers as a map does through installs and removals, cheaply and without locks. */
class LongKeyTableTest {
    /** Random SPIs and small sequential ones (manual SPIs, CPIs), under two protocols. */
    private static long key(Random r, int n) {
        return r.nextBoolean() ? (50L << 32 | (r.nextInt() & 0xFFFF_FFFFL)) : (51L << 32 | n);
    }

    @Test
    void answersAsAMapThroughPutsAndRemovals() {
        Random r = new Random(4303);
        LongKeyTable<String> t = new LongKeyTable<>();
        Map<Long, String> m = new HashMap<>();
        List<Long> keys = new ArrayList<>();
        for (int step = 0; step < 60_000; step++) {
            int op = r.nextInt(10);
            if (op < 5 || keys.isEmpty()) {
                long k = key(r, step);
                String v = "sa" + step;
                t.put(k, v);
                if (m.put(k, v) == null) {
                    keys.add(k);
                }
            } else if (op < 9) {
                long k = keys.remove(r.nextInt(keys.size()));
                assertFalse(t.remove(k, "not its value"), "a removal names the SA it removes");
                assertTrue(t.remove(k, m.remove(k)));
                assertFalse(t.remove(k, "sa"), "removed once");
            } else {
                // a burst of removals, as a PURGE makes: the table shrinks and still answers
                while (keys.size() > 3) {
                    long k = keys.remove(keys.size() - 1);
                    assertTrue(t.remove(k, m.remove(k)));
                }
            }
            if (step % 997 == 0) {
                assertEquals(m.size(), t.size());
                for (Map.Entry<Long, String> e : m.entrySet()) {
                    assertEquals(e.getValue(), t.get(e.getKey()));
                }
                for (int i = 0; i < 200; i++) {
                    long k = r.nextLong();
                    if (!m.containsKey(k)) {
                        assertNull(t.get(k));
                    }
                }
            }
        }
        assertNull(new LongKeyTable<String>().get(0));
    }

    /**
     * Installing and then removing n SAs writes O(n) slots in all, rebuilds included. The table
     * this replaced was rebuilt whole after every change: n^2 / 2 writes, 200 million here.
     */
    @Test
    void installAndPurgeCostLinearWork() {
        int n = 20_000;
        LongKeyTable<Integer> t = new LongKeyTable<>();
        Random r = new Random(7);
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = key(r, i);
            t.put(keys[i], i);
        }
        for (int i = 0; i < n; i++) {
            t.remove(keys[i], i);
        }
        assertEquals(0, t.size());
        assertTrue(t.slotWrites() < 8L * n, "slot writes for " + n + " installs and removals: " + t.slotWrites());
    }

    /** Readers never see a wrong SA or lose a present one while the writer installs, removes and rebuilds. */
    @Test
    void readersSeeEveryStableEntryWhileTheWriterChurns() throws InterruptedException {
        LongKeyTable<Long> t = new LongKeyTable<>();
        int stable = 64;
        for (long k = 0; k < stable; k++) {
            t.put(k << 8, k << 8);
        }
        AtomicReference<String> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            for (int round = 0; round < 20_000 && failure.get() == null; round++) {
                for (long k = 0; k < stable; k++) {
                    Long v = t.get(k << 8);
                    if (v == null || v != k << 8) {
                        failure.set("key " + (k << 8) + " read " + v);
                    }
                }
                Long churned = t.get(round | 1L);
                if (churned != null && churned != (round | 1L)) {
                    failure.set("churned key " + (round | 1L) + " read " + churned);
                }
            }
        });
        reader.start();
        for (int round = 0; reader.isAlive(); round++) {
            // odd keys come and go in waves, growing and shrinking the table under the reader
            int wave = 1 + (round % 50) * 40;
            for (long k = 1; k < 2L * wave; k += 2) {
                t.put(k, k);
            }
            for (long k = 1; k < 2L * wave; k += 2) {
                t.remove(k, k);
            }
        }
        reader.join();
        assertNull(failure.get());
    }
}
