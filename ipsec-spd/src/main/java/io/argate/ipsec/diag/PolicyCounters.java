package io.argate.ipsec.diag;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;

/**
 * Per-policy packet counters the data path bumps and SHOW IPSEC POLICY COUNTERS prints.
 * LongAdders, so RX threads never contend.
 */
public final class PolicyCounters {

    /** One policy's counters. */
    public static final class Counters {
        public final LongAdder outMatched = new LongAdder();
        public final LongAdder outProcessed = new LongAdder();
        public final LongAdder outDenied = new LongAdder();
        public final LongAdder outNoSa = new LongAdder();
        public final LongAdder inMatched = new LongAdder();
        public final LongAdder inProcessed = new LongAdder();
        public final LongAdder inDenied = new LongAdder();
        public final LongAdder inWrongPolicy = new LongAdder();
        public final LongAdder inNotProtected = new LongAdder();

        /** Each counter by its SHOW name, in SHOW's order. */
        Map<String, Long> values() {
            Map<String, Long> v = new java.util.LinkedHashMap<>();
            v.put("outMatched", outMatched.sum());
            v.put("outProcessed", outProcessed.sum());
            v.put("outDenied", outDenied.sum());
            v.put("outNoSa", outNoSa.sum());
            v.put("inMatched", inMatched.sum());
            v.put("inProcessed", inProcessed.sum());
            v.put("inDenied", inDenied.sum());
            v.put("inWrongPolicy", inWrongPolicy.sum());
            v.put("inNotProtected", inNotProtected.sum());
            return v;
        }

        public void reset() {
            for (LongAdder a : List.of(outMatched, outProcessed, outDenied, outNoSa, inMatched, inProcessed, inDenied,
                    inWrongPolicy, inNotProtected)) {
                a.reset();
            }
        }
    }

    private final Map<String, Counters> byPolicy = new ConcurrentHashMap<>();
    /**
     * The same counters by the name exactly as the data path spells it, so a packet makes no
     * lower-case copy. Entries are never removed (DESTROY zeroes a policy's counters instead), so
     * this can never point at counters that no longer count.
     */
    private final Map<String, Counters> bySpelling = new ConcurrentHashMap<>();

    /** Packets waiting for a policy's SA right now; the data path tells how to count them. */
    private volatile ToIntFunction<String> held = policy -> 0;

    /** The data path's count of packets held for a policy while ISAKMP negotiates its SA. */
    public void heldBy(ToIntFunction<String> count) {
        this.held = count;
    }

    /** SHOW IPSEC POLICY COUNTERS: the policy's counters, then how many packets wait for its SA. */
    public Map<String, Long> values(String policy) {
        Map<String, Long> v = of(policy).values();
        v.put("heldForSa", (long) held.applyAsInt(policy));
        return v;
    }

    public Counters of(String policy) {
        Counters c = bySpelling.get(policy);
        if (c == null) {
            c = byPolicy.computeIfAbsent(policy.toLowerCase(Locale.ROOT), p -> new Counters());
            bySpelling.put(policy, c);
        }
        return c;
    }

    /** DESTROY IPSEC POLICY: a policy created again under that name starts from zero. */
    public void forget(String policy) {
        Counters c = byPolicy.get(policy.toLowerCase(Locale.ROOT));
        if (c != null) {
            c.reset();
        }
    }

    public void resetAll() {
        byPolicy.values().forEach(Counters::reset);
    }
}
