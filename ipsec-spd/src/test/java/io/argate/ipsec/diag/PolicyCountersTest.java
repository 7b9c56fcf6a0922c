package io.argate.ipsec.diag;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyCountersTest {
    /** Names are case-insensitive however the data path spells them; a destroyed policy's name starts again at zero. */
    @Test
    void oneSetOfCountersPerNameAndDestroyStartsItAgain() {
        PolicyCounters pc = new PolicyCounters();
        PolicyCounters.Counters vpn = pc.of("VPN");
        assertSame(vpn, pc.of("vpn"));
        assertSame(vpn, pc.of("Vpn"));
        vpn.outMatched.increment();
        pc.heldBy(name -> name.equalsIgnoreCase("vpn") ? 3 : 0);
        java.util.Map<String, Long> v = pc.values("vpn");
        assertEquals(1L, v.get("outMatched"));
        assertEquals(3L, v.get("heldForSa"));
        assertEquals("heldForSa", List.copyOf(v.keySet()).get(v.size() - 1), "held packets come last, after the policy's counters");

        pc.forget("vPN");
        assertEquals(0, pc.of("VPN").outMatched.sum(), "a policy created again under the name counts from zero");
        pc.of("VPN").inProcessed.increment();
        assertEquals(1, pc.of("vpn").inProcessed.sum(), "and every spelling still counts into it");
    }
}
