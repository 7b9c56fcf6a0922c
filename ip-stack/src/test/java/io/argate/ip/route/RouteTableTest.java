package io.argate.ip.route;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RouteTableTest {
    static int ip(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    @Test
    void longestPrefixThenLowestMetric() {
        RouteTable t = new RouteTable(List.of(
                new Route(0, 0, "ppp0", ip(203, 0, 113, 1), 1, false),
                new Route(ip(192, 168, 10, 0), 24, "vlan1", 0, 1, true),
                new Route(ip(192, 168, 0, 0), 16, "eth0", ip(10, 0, 0, 1), 5, false),
                new Route(ip(192, 168, 0, 0), 16, "eth1", ip(10, 0, 1, 1), 2, false),
                new Route(ip(192, 168, 10, 77), 32, "eth0", ip(10, 0, 0, 9), 1, false)));
        assertEquals("vlan1", t.lookup(ip(192, 168, 10, 5)).iface());
        assertEquals("eth0", t.lookup(ip(192, 168, 10, 77)).iface(), "a host route beats the /24");
        assertEquals("eth1", t.lookup(ip(192, 168, 99, 1)).iface(), "metric 2 beats metric 5 for the same /16");
        assertEquals("ppp0", t.lookup(ip(8, 8, 8, 8)).iface(), "the default route");
        assertNull(new RouteTable(List.of(new Route(ip(10, 0, 0, 0), 8, "eth0", 0, 1, true))).lookup(ip(11, 0, 0, 1)));
        assertNull(RouteTable.empty().lookup(1));
    }

    @Test
    void agreesWithALinearScanOnRandomTables() {
        Random r = new Random(8);
        for (int round = 0; round < 20; round++) {
            List<Route> routes = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                int len = r.nextInt(33);
                int net = (0x0A000000 | r.nextInt(1 << 16) << 8) & Route.mask(len);
                routes.add(new Route(net, len, "if" + i, 0, 1 + r.nextInt(16), false));
            }
            RouteTable t = new RouteTable(routes);
            for (int k = 0; k < 2000; k++) {
                int a = 0x0A000000 | r.nextInt(1 << 24);
                Route best = null;
                for (Route x : routes) {
                    if (x.matches(a) && (best == null || x.length() > best.length()
                            || x.length() == best.length() && x.metric() < best.metric())) {
                        best = x;
                    }
                }
                Route got = t.lookup(a);
                assertEquals(best == null ? null : best.length() + "/" + best.metric(), got == null ? null : got.length() + "/" + got.metric());
            }
        }
    }

    @Test
    void badRoutesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Route(ip(10, 0, 0, 1), 24, "x", 0, 1, false));
        assertThrows(IllegalArgumentException.class, () -> new Route(0, 33, "x", 0, 1, false));
    }
}
