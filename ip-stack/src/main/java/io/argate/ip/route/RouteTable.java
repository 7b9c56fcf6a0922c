package io.argate.ip.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routing table: longest prefix wins, then the lowest metric. Built immutable from the
 * route list and swapped by the router with one volatile write (DESIGN.md section 5), so the
 * forwarding threads read it without locks. A lookup probes one hash map per prefix length that
 * is present, longest first, and allocates nothing.
 */
public final class RouteTable {
    private final List<Route> routes;
    /** For each prefix length present (longest first), network -> best route. */
    private final int[] lengths;
    private final List<IntTable> byLength;

    /** network -> route, open addressing on int keys: a lookup boxes nothing. */
    private static final class IntTable {
        final int[] keys;
        final Route[] values;
        final int mask;

        IntTable(Map<Integer, Route> m) {
            int cap = Integer.highestOneBit(Math.max(4, m.size() * 2 - 1)) << 1;
            keys = new int[cap];
            values = new Route[cap];
            mask = cap - 1;
            for (Map.Entry<Integer, Route> e : m.entrySet()) {
                int i = slot(e.getKey());
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = e.getKey();
                values[i] = e.getValue();
            }
        }

        int slot(int k) {
            int h = k * 0x9E3779B9;
            return (h ^ (h >>> 16)) & mask;
        }

        Route get(int k) {
            int i = slot(k);
            while (true) {
                Route v = values[i];
                if (v == null || keys[i] == k) {
                    return v;
                }
                i = (i + 1) & mask;
            }
        }
    }

    public RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
        Map<Integer, Map<Integer, Route>> tmp = new HashMap<>();
        for (Route r : routes) {
            tmp.computeIfAbsent(r.length(), l -> new HashMap<>()).merge(r.network(), r,
                    (a, b) -> b.metric() < a.metric() ? b : a);
        }
        List<Integer> ls = new ArrayList<>(tmp.keySet());
        ls.sort(Comparator.reverseOrder());
        this.lengths = ls.stream().mapToInt(Integer::intValue).toArray();
        this.byLength = new ArrayList<>();
        for (int l : lengths) {
            byLength.add(new IntTable(tmp.get(l)));
        }
    }

    public static RouteTable empty() {
        return new RouteTable(List.of());
    }

    /** The route for {@code destination}, or null when none matches (ICMP net unreachable). */
    public Route lookup(int destination) {
        for (int i = 0; i < lengths.length; i++) {
            Route r = byLength.get(i).get(destination & Route.mask(lengths[i]));
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /** Every route as configured, for SHOW IP ROUTE. */
    public List<Route> routes() {
        return routes;
    }
}
