package io.argate.firewall.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Routes name the IP interface (eth0-0, vlan1-1); policies name the interface (eth0, vlan1). */
class RouteInterfaceTest {
    @Test
    void aRoutesIpInterfaceNameIsThePoliciesInterface() {
        assertEquals("eth0", FirewallEngine.interfaceOf("eth0-0"));
        assertEquals("vlan1", FirewallEngine.interfaceOf("vlan1-1"));
        assertEquals("ppp0", FirewallEngine.interfaceOf("ppp0"));
        assertEquals("lo", FirewallEngine.interfaceOf("lo"));
        assertEquals("a-b", FirewallEngine.interfaceOf("a-b"));
        assertEquals("eth0-", FirewallEngine.interfaceOf("eth0-"));
        assertNull(FirewallEngine.interfaceOf(null));
    }
}
