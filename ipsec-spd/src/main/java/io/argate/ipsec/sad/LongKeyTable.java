package io.argate.ipsec.sad;

import java.util.Map;

/**
 * An immutable hash table from primitive {@code long} keys to values, for the receive path's SA
 * lookups by (protocol, SPI) and (peer, CPI): a {@code Map<Long, V>} lookup boxes its key, 16
 * bytes of garbage per packet (issue 15), this one makes nothing. The SAD builds a new table
 * from its maps after every install or removal (rare, on the control plane) and publishes it
 * with one volatile write; receive threads read it without locks. Open addressing with linear
 * probing, at most half full.
 *
 * @param <V> the value type
 */
final class LongKeyTable<V> {
    private static final LongKeyTable<?> EMPTY = new LongKeyTable<>(Map.of());

    private final long[] keys;
    private final Object[] values;
    private final int mask;

    private LongKeyTable(Map<Long, V> from) {
        int capacity = 2;
        while (capacity < from.size() * 2) {
            capacity <<= 1;
        }
        keys = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        for (Map.Entry<Long, V> e : from.entrySet()) {
            int i = slot(e.getKey());
            while (values[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = e.getKey();
            values[i] = e.getValue();
        }
    }

    @SuppressWarnings("unchecked")
    static <V> LongKeyTable<V> empty() {
        return (LongKeyTable<V>) EMPTY;
    }

    /** A table with the entries of {@code from} as they are now (null values are not allowed there). */
    static <V> LongKeyTable<V> of(Map<Long, V> from) {
        return from.isEmpty() ? empty() : new LongKeyTable<>(from);
    }

    private int slot(long key) {
        // spread the bits: SPIs are random, but CPIs and manual SPIs are small sequential numbers
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** The value for {@code key}, or null. */
    @SuppressWarnings("unchecked")
    V get(long key) {
        for (int i = slot(key); ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == key) {
                return (V) v;
            }
        }
    }
}
