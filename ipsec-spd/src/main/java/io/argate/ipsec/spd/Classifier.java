package io.argate.ipsec.spd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * First-match classifier over an ordered rule list by tuple-space search.
 *
 * <p>A linear scan costs about 1.3 ns per rule (ANCHORS.md), so 100,000 policies would cost
 * more than the crypto. Here every rule is expanded to prefix form (ranges become a few
 * prefixes) and filed under its <em>tuple</em>: the prefix lengths of both addresses and which of
 * protocol/local port/remote port it names. Within a tuple every rule is an exact-match key
 * on the masked fields, so one hash probe answers "the first rule of this shape that matches".
 * Tuples are visited in order of the first rule they hold and the search stops once a tuple
 * cannot beat the best rule found, so first-match order is kept exactly.
 *
 * <p>Immutable once built; the SPD swaps whole classifiers with one volatile write. Lookups
 * allocate nothing.
 */
public final class Classifier {
    private static final int NO_MATCH = Integer.MAX_VALUE;

    private final TupleTable[] tables;
    private final int ruleCount;

    public Classifier(List<Rule> rules) {
        Map<Long, TupleBuilder> byShape = new HashMap<>();
        for (int index = 0; index < rules.size(); index++) {
            Rule r = rules.get(index);
            for (int[] lp : r.local().prefixes()) {
                for (int[] rp : r.remote().prefixes()) {
                    long shape = (long) lp[1] << 32 | (long) rp[1] << 16
                            | (r.protocol() != PortSelector.ANY ? 4 : 0)
                            | (r.localPort() != PortSelector.ANY ? 2 : 0)
                            | (r.remotePort() != PortSelector.ANY ? 1 : 0);
                    TupleBuilder b = byShape.computeIfAbsent(shape, s -> new TupleBuilder(lp[1], rp[1],
                            r.protocol() != PortSelector.ANY, r.localPort() != PortSelector.ANY, r.remotePort() != PortSelector.ANY));
                    b.add(lp[0], rp[0], r.protocol(), r.localPort(), r.remotePort(), index);
                }
            }
        }
        List<TupleTable> built = new ArrayList<>();
        for (TupleBuilder b : byShape.values()) {
            built.add(b.build());
        }
        built.sort((a, b) -> Integer.compare(a.firstIndex, b.firstIndex));
        this.tables = built.toArray(new TupleTable[0]);
        this.ruleCount = rules.size();
    }

    public int ruleCount() {
        return ruleCount;
    }

    /** Number of distinct rule shapes (what a lookup may have to probe). */
    public int tupleCount() {
        return tables.length;
    }

    /**
     * Index of the first rule matching the packet's local/remote view, or -1 when none does
     * (the SPD's implicit DENY). Ports are {@link PortSelector#NONE} for packets without them.
     */
    public int lookup(int localAddr, int remoteAddr, int proto, int lport, int rport) {
        int best = NO_MATCH;
        for (TupleTable t : tables) {
            if (t.firstIndex >= best) {
                break;
            }
            int hit = t.probe(localAddr, remoteAddr, proto, lport, rport);
            if (hit < best) {
                best = hit;
            }
        }
        return best == NO_MATCH ? -1 : best;
    }

    /** Collects one shape's entries before sizing its hash table. */
    private static final class TupleBuilder {
        final int lLen;
        final int rLen;
        final boolean proto;
        final boolean lport;
        final boolean rport;
        final Map<Key, Integer> entries = new HashMap<>();

        TupleBuilder(int lLen, int rLen, boolean proto, boolean lport, boolean rport) {
            this.lLen = lLen;
            this.rLen = rLen;
            this.proto = proto;
            this.lport = lport;
            this.rport = rport;
        }

        void add(int l, int r, int p, int lp, int rp, int index) {
            Key k = new Key(TupleTable.addresses(l, r), TupleTable.extras(proto ? p : 0, lport ? lp : 0, rport ? rp : 0));
            entries.merge(k, index, Math::min);
        }

        TupleTable build() {
            return new TupleTable(lLen, rLen, proto, lport, rport, entries);
        }
    }

    private record Key(long addresses, long extras) {
        /**
         * Mixed like the table's own slots: the record's default hash XORs the two addresses'
         * halves, so mirrored pairs (10.1.x.y to 10.2.x.y, the usual site-to-site numbering) all
         * collided and loading 100,000 such policies went quadratic.
         */
        @Override
        public int hashCode() {
            long h = addresses * 0x9E3779B97F4A7C15L ^ extras * 0xC2B2AE3D27D4EB4FL;
            return (int) (h ^ (h >>> 32));
        }
    }

    /** One shape: an open-addressing table from masked fields to the first rule index. */
    private static final class TupleTable {
        final int lMask;
        final int rMask;
        final boolean proto;
        final boolean lport;
        final boolean rport;
        final long[] keyA;
        final long[] keyB;
        final int[] value;
        final int mask;
        final int firstIndex;

        TupleTable(int lLen, int rLen, boolean proto, boolean lport, boolean rport, Map<Key, Integer> entries) {
            this.lMask = lLen == 0 ? 0 : -1 << (32 - lLen);
            this.rMask = rLen == 0 ? 0 : -1 << (32 - rLen);
            this.proto = proto;
            this.lport = lport;
            this.rport = rport;
            int cap = Integer.highestOneBit(Math.max(4, entries.size() * 2 - 1)) << 1;
            this.keyA = new long[cap];
            this.keyB = new long[cap];
            this.value = new int[cap];
            Arrays.fill(value, -1);
            this.mask = cap - 1;
            int first = Integer.MAX_VALUE;
            for (Map.Entry<Key, Integer> e : entries.entrySet()) {
                int slot = slot(e.getKey().addresses(), e.getKey().extras());
                while (value[slot] != -1) {
                    slot = (slot + 1) & mask;
                }
                keyA[slot] = e.getKey().addresses();
                keyB[slot] = e.getKey().extras();
                value[slot] = e.getValue();
                first = Math.min(first, e.getValue());
            }
            this.firstIndex = first;
        }

        static long addresses(int l, int r) {
            return (long) l << 32 | (r & 0xFFFF_FFFFL);
        }

        static long extras(int p, int lp, int rp) {
            // 9 bits of protocol, 18 bits per port (room for the NONE marker)
            return (long) (p & 0x1FF) << 36 | (long) (lp & 0x3FFFF) << 18 | (rp & 0x3FFFF);
        }

        private int slot(long a, long b) {
            long h = a * 0x9E3779B97F4A7C15L ^ b * 0xC2B2AE3D27D4EB4FL;
            return (int) (h ^ (h >>> 29)) & mask;
        }

        int probe(int l, int r, int p, int lp, int rp) {
            if ((lport && lp < 0) || (rport && rp < 0)) {
                return NO_MATCH;
            }
            long a = addresses(l & lMask, r & rMask);
            long b = extras(proto ? p : 0, lport ? lp : 0, rport ? rp : 0);
            int slot = slot(a, b);
            while (true) {
                int v = value[slot];
                if (v == -1) {
                    return NO_MATCH;
                }
                if (keyA[slot] == a && keyB[slot] == b) {
                    return v;
                }
                slot = (slot + 1) & mask;
            }
        }
    }
}
