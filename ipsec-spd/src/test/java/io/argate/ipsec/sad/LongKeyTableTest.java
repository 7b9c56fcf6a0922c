package io.argate.ipsec.sad;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The receive path's SPI table answers as the map it was built from, for present and absent keys. */
class LongKeyTableTest {
    @Test
    void answersAsItsMap() {
        Random r = new Random(4303);
        for (int size : new int[]{0, 1, 2, 3, 7, 100, 5000}) {
            Map<Long, String> m = new HashMap<>();
            while (m.size() < size) {
                // random SPIs and small sequential ones (manual SPIs, CPIs), under both protocols
                long k = r.nextBoolean() ? (50L << 32 | (r.nextInt() & 0xFFFF_FFFFL)) : (51L << 32 | m.size());
                m.put(k, "sa" + k);
            }
            LongKeyTable<String> t = LongKeyTable.of(m);
            for (Map.Entry<Long, String> e : m.entrySet()) {
                assertEquals(e.getValue(), t.get(e.getKey()));
            }
            for (int i = 0; i < 1000; i++) {
                long k = r.nextLong();
                if (!m.containsKey(k)) {
                    assertNull(t.get(k));
                }
            }
            assertNull(t.get(0));
        }
    }
}
