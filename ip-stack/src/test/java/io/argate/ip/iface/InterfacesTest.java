package io.argate.ip.iface;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterfacesTest {
    static int ip(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    static final int M24 = 0xffffff00;
    static final int M29 = 0xfffffff8;

    /** Seed 003: with ppp0 unnumbered, the first address added is the source of IPsec/ISAKMP packets. */
    @Test
    void unnumberedEgressUsesTheFirstAddressConfigured() {
        Interfaces wrongOrder = new Interfaces();
        wrongOrder.add("ppp0", 0, 0, 0);
        wrongOrder.add("vlan1", 1, ip(192, 168, 10, 1), M24);
        wrongOrder.add("vlan1", 0, ip(4, 4, 4, 1), M29);
        assertEquals(ip(192, 168, 10, 1), wrongOrder.sourceFor("ppp0"), "the private address goes out: the seed's warning");

        Interfaces rightOrder = new Interfaces();
        rightOrder.add("ppp0", 0, 0, 0);
        rightOrder.add("vlan1", 0, ip(4, 4, 4, 1), M29);
        rightOrder.add("vlan1", 1, ip(192, 168, 10, 1), M24);
        assertEquals(ip(4, 4, 4, 1), rightOrder.sourceFor("ppp0"));
        assertEquals(ip(192, 168, 10, 1), rightOrder.sourceFor("vlan1-1"), "a numbered egress uses its own address");
    }

    /** Seed 003, PPPoE LAN type: ppp0-0 unnumbered, ppp0-1 holds the usable host address. */
    @Test
    void multihomedWanInterfaceCarriesTheSource() {
        Interfaces i = new Interfaces();
        i.add("ppp0", 0, 0, 0);
        i.add("ppp0", 1, ip(4, 4, 4, 6), 0xffffffff);
        i.add("vlan1", 0, ip(4, 4, 4, 1), M29);
        i.add("vlan1", 1, ip(192, 168, 10, 1), M24);
        assertEquals(ip(4, 4, 4, 6), i.sourceFor("ppp0-1"));
        assertEquals(ip(4, 4, 4, 6), i.sourceFor("ppp0-0"), "ppp0-1 was the first address added");
        assertTrue(i.isLocal(ip(4, 4, 4, 6)));
        assertFalse(i.isLocal(0));
        assertEquals(3, i.connectedRoutes().size(), "unnumbered interfaces have no connected route");
    }

    /** SET IP INTERFACE: a new address in one step, the interface keeping its place in the creation order. */
    @Test
    void settingAnAddressKeepsTheCreationOrder() {
        Interfaces i = new Interfaces();
        i.add("ppp0", 0, 0, 0);
        i.add("vlan1", 0, ip(4, 4, 4, 1), M29);
        i.add("vlan1", 1, ip(192, 168, 10, 1), M24);
        assertTrue(i.set("vlan1-0", ip(5, 5, 5, 1), M29));
        assertEquals(ip(5, 5, 5, 1), i.sourceFor("ppp0"), "still the first address added");
        assertTrue(i.isLocal(ip(5, 5, 5, 1)));
        assertFalse(i.isLocal(ip(4, 4, 4, 1)), "the old address is no longer the router's");
        assertEquals(java.util.List.of("ppp0-0", "vlan1-0", "vlan1-1"), i.all().stream().map(IpInterface::name).toList());
        assertFalse(i.set("eth0-0", ip(1, 1, 1, 1), M24));
        assertTrue(i.remove("vlan1-0"));
        assertEquals(ip(192, 168, 10, 1), i.sourceFor("ppp0"));
    }

    @Test
    void namesAndDuplicates() {
        Interfaces i = new Interfaces();
        assertTrue(i.add("eth0", 0, ip(10, 0, 0, 1), M24));
        assertFalse(i.add("eth0", 0, ip(10, 0, 1, 1), M24));
        assertEquals("eth0-0", i.get("ETH0").orElseThrow().name(), "no suffix means -0, names are case-insensitive");
        assertTrue(i.get("eth0-16").isEmpty());
        assertNull(IpInterface.parseName("eth"));
        assertNull(IpInterface.parseName("eth0-x"));
        assertEquals(0, new Interfaces().sourceFor("eth0"));
    }
}
