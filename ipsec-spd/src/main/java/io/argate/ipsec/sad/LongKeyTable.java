package io.argate.ipsec.sad;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A hash table from primitive {@code long} keys to values, for the receive path's SA lookups by
 * (protocol, SPI) and (peer, CPI): a {@code Map<Long, V>} lookup boxes its key, 16 bytes of
 * garbage per packet (issue 15), this one makes nothing.
 *
 * <p>One writer at a time (the SAD changes it under its own lock); receive threads read it
 * without locks. Each install or removal costs O(1) amortized, so purging n bundles is O(n), not
 * the O(n^2) of rebuilding the whole table after every change. Open addressing with linear
 * probing, at most half the slots used. A slot's key is written once, while its value is still
 * null, and the value is then published with release semantics; a removal overwrites only the
 * value, with a tombstone. A reader that sees a value with acquire semantics therefore sees the
 * key that belongs to it, and a key never changes under a reader. Tombstones are only dropped
 * when the table is rebuilt into new arrays (growing, or shrinking after a purge), published with
 * one volatile write; a reader still on the old arrays sees the table as it was, as any lock-free
 * reader of a changing SAD may.
 *
 * @param <V> the value type
 */
final class LongKeyTable<V> {
    private static final Object GONE = new Object();
    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final int MIN_CAPACITY = 16;

    private static final class Slots {
        final long[] keys;
        final Object[] values;
        final int mask;

        Slots(int capacity) {
            keys = new long[capacity];
            values = new Object[capacity];
            mask = capacity - 1;
        }
    }

    private volatile Slots slots = new Slots(MIN_CAPACITY);
    /** Writer's bookkeeping: live entries, and slots ever written in the current arrays (live and tombstones). */
    private int live;
    private int used;
    /** Slots written since this table was made, rebuilds included: what a change costs, for tests. */
    private long slotWrites;

    private static int slot(long key, int mask) {
        // spread the bits: SPIs are random, but CPIs and manual SPIs are small sequential numbers
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** The value for {@code key}, or null. Any thread, no lock. */
    @SuppressWarnings("unchecked")
    V get(long key) {
        Slots s = slots;
        for (int i = slot(key, s.mask); ; i = (i + 1) & s.mask) {
            Object v = VALUES.getAcquire(s.values, i);
            if (v == null) {
                return null;
            }
            if (v != GONE && s.keys[i] == key) {
                return (V) v;
            }
        }
    }

    /** Maps {@code key} to {@code value} (not null), replacing what it had. Writer only. */
    void put(long key, V value) {
        Slots s = slots;
        int i = slot(key, s.mask);
        for (; ; i = (i + 1) & s.mask) {
            Object v = s.values[i];
            if (v == null) {
                break;
            }
            if (v != GONE && s.keys[i] == key) {
                VALUES.setRelease(s.values, i, value);
                slotWrites++;
                return;
            }
        }
        if ((used + 1) * 2 > s.values.length) {
            s = rebuild(capacityFor(live + 1));
            for (i = slot(key, s.mask); s.values[i] != null; i = (i + 1) & s.mask) {
                // the new arrays hold no tombstones and not this key: the first empty slot is its place
            }
        }
        s.keys[i] = key;
        VALUES.setRelease(s.values, i, value);
        slotWrites++;
        used++;
        live++;
    }

    /** Removes {@code key} if it maps to a value equal to {@code expected}, as {@code Map.remove(key, value)}; true when it did. Writer only. */
    boolean remove(long key, V expected) {
        Slots s = slots;
        for (int i = slot(key, s.mask); ; i = (i + 1) & s.mask) {
            Object v = s.values[i];
            if (v == null) {
                return false;
            }
            if (v != GONE && s.keys[i] == key) {
                if (!v.equals(expected)) {
                    return false;
                }
                VALUES.setRelease(s.values, i, GONE);
                slotWrites++;
                live--;
                if (s.values.length > MIN_CAPACITY && live * 8 < s.values.length) {
                    rebuild(capacityFor(live));
                }
                return true;
            }
        }
    }

    /** Entries mapped now. */
    int size() {
        return live;
    }

    long slotWrites() {
        return slotWrites;
    }

    /** Room for a quarter-full table, so at least a quarter of the slots can be taken before the next rebuild. */
    private static int capacityFor(int entries) {
        int capacity = MIN_CAPACITY;
        while (capacity < entries * 4L) {
            capacity <<= 1;
        }
        return capacity;
    }

    private Slots rebuild(int capacity) {
        Slots old = slots;
        Slots fresh = new Slots(capacity);
        for (int j = 0; j < old.values.length; j++) {
            Object v = old.values[j];
            if (v != null && v != GONE) {
                int i = slot(old.keys[j], fresh.mask);
                while (fresh.values[i] != null) {
                    i = (i + 1) & fresh.mask;
                }
                fresh.keys[i] = old.keys[j];
                fresh.values[i] = v;
                slotWrites++;
            }
        }
        used = live;
        slots = fresh;
        return fresh;
    }
}
