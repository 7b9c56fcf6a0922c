package io.argate.ipsec.spd;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.argate.ipsec.spd.ClassifierTest.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompiledSpdTest {
    record P(String name, Rule rule) {
    }

    final P isa = new P("isa", new Rule(AddressSelector.ANY, AddressSelector.ANY, 500, 500, 17));
    final P vpn = new P("vpn", new Rule(AddressSelector.masked(ip("192.168.10.0"), ip("255.255.255.0")),
            AddressSelector.masked(ip("192.168.20.0"), ip("255.255.255.0")), -1, -1, -1));
    final P web = new P("web", new Rule(AddressSelector.ANY, AddressSelector.masked(ip("203.0.113.80"), -1), -1, 80, 6));

    @Test
    void localAndRemoteSwapBetweenDirections() {
        CompiledSpd<P> spd = CompiledSpd.compile(Map.of("ppp0", List.of(isa, vpn, web)), P::rule);
        // leaving: local = source
        assertEquals("vpn", spd.lookup("ppp0", Direction.OUTBOUND, ip("192.168.10.5"), ip("192.168.20.7"), 1, -2, -2).policy().name());
        // arriving: local = destination
        assertEquals("vpn", spd.lookup("ppp0", Direction.INBOUND, ip("192.168.20.7"), ip("192.168.10.5"), 1, -2, -2).policy().name());
        assertTrue(spd.lookup("ppp0", Direction.INBOUND, ip("192.168.10.5"), ip("192.168.20.7"), 1, -2, -2).implicitDeny(),
                "the outbound view of the same packet does not match inbound");
        // remote port 80: destination port leaving, source port arriving
        assertEquals("web", spd.lookup("ppp0", Direction.OUTBOUND, ip("1.1.1.1"), ip("203.0.113.80"), 6, 40000, 80).policy().name());
        assertEquals("web", spd.lookup("ppp0", Direction.INBOUND, ip("203.0.113.80"), ip("1.1.1.1"), 6, 80, 40000).policy().name());
    }

    /**
     * Issue 11 item 8: 100,000 policies for mirrored /32 pairs (10.x.y.z to 172.16.y.z, the
     * usual site-to-site numbering) took minutes to compile because their keys' hashes all
     * collided; they compile in well under the guard's bound now, and every one is found.
     */
    @Test
    void mirroredAddressPairsCompileWithoutCollidingAndAreAllFound() {
        int n = 100_000;
        List<P> policies = new java.util.ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            int l = 10 << 24 | i;
            int r = 172 << 24 | 16 << 16 | (i & 0xffff);
            policies.add(new P("p" + i, new Rule(AddressSelector.masked(l, -1), AddressSelector.masked(r, -1), -1, -1, -1)));
        }
        CompiledSpd<P> spd = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                () -> CompiledSpd.compile(Map.of("eth0", policies), P::rule), "compiling must not go quadratic");
        for (int i = 1; i <= n; i += 997) {
            int l = 10 << 24 | i;
            int r = 172 << 24 | 16 << 16 | (i & 0xffff);
            assertEquals("p" + i, spd.lookup("eth0", Direction.OUTBOUND, l, r, 1, -2, -2).policy().name());
        }
    }

    @Test
    void implicitDenyOnlyWhereAnInterfaceHasPolicies() {
        CompiledSpd<P> spd = CompiledSpd.compile(Map.of("ppp0", List.of(vpn)), P::rule);
        CompiledSpd.Match<P> m = spd.lookup("ppp0", Direction.OUTBOUND, ip("8.8.8.8"), ip("9.9.9.9"), 6, 1, 2);
        assertTrue(m.implicitDeny());
        assertNull(m.policy());
        CompiledSpd.Match<P> other = spd.lookup("eth0", Direction.OUTBOUND, ip("8.8.8.8"), ip("9.9.9.9"), 6, 1, 2);
        assertTrue(other.noPolicies());
        assertTrue(CompiledSpd.<P>empty().lookup("ppp0", Direction.INBOUND, 1, 2, 3, 4, 5).noPolicies());
    }

    @Test
    void positionPlacesPoliciesAndFirstMatchDecides() {
        PolicyOrder order = new PolicyOrder();
        order.insert("vpn", 0);
        order.insert("inet", 0);
        order.insert("isa", 1);
        assertEquals(List.of("isa", "vpn", "inet"), order.names());
        order.move("inet", 2);
        assertEquals(List.of("isa", "inet", "vpn"), order.names());
        order.insert("late", 100);
        assertEquals(4, order.positionOf("late"));
        order.remove("isa");
        assertEquals(1, order.positionOf("inet"));
        assertEquals(0, order.positionOf("isa"));
    }
}
