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
    private final List<Map<Integer, Route>> byLength;

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
            byLength.add(Map.copyOf(tmp.get(l)));
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
