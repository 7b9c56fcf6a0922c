package io.argate.firewall.cli;

import io.argate.firewall.engine.Packets;
import io.argate.firewall.wire.TcpHeader;
import io.argate.ip.forward.StageFilter.Verdict;
import io.argate.shell.loop.ControlLoop;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TTL=hh:mm of a rule ([C:S39] gives the syntax; deletion when it runs out is [I]): the rule
 * stops matching at that instant of the injected clock and the module deletes it on its next
 * tick; SHOW and CREATE CONFIG give what is left of it.
 */
class RuleTtlTest {
    final CliRig r = new CliRig("add firewall policy=net int=vlan1 type=private", "add firewall policy=net int=ppp0 type=public",
            "add firewall policy=net nat=enhanced int=vlan1 gblint=ppp0");
    int port = 3000;

    Verdict web() {
        return r.forward("vlan1", Packets.tcp("192.168.10.5", port++, "93.184.216.34", 80, 1, 0, TcpHeader.SYN, 0));
    }

    @Test
    void aRuleWithTtlIsDeletedWhenItRunsOut() {
        try (ControlLoop loop = new ControlLoop(r.clock)) {
            r.module.attach(loop);
            r.ok("add firewall policy=net rule=1 ac=deny int=vlan1 prot=tcp port=80 ttl=01:30");
            assertTrue(r.rig.lastOutput().contains("Rule 1 of firewall policy net will be deleted in 01:30"), r.rig.lastOutput());
            assertEquals(Verdict.DROP, web());
            assertTrue(r.show("show firewall policy=net").contains("rule=1 ac=deny int=vlan1 prot=tcp port=80 ttl=01:30"));

            loop.advance(Duration.ofMinutes(30));
            assertEquals(Verdict.DROP, web());
            assertTrue(r.config().contains("add firewall policy=net rule=1 ac=deny int=vlan1 prot=tcp port=80 ttl=01:00"),
                    "the script carries what is left: " + r.config());
            r.assertRoundTrip();
            loop.advance(Duration.ofMinutes(59).plusSeconds(30));
            assertTrue(r.show("show firewall policy=net").contains("ttl=00:01"), "a part of a minute left reads as one");

            loop.advance(Duration.ofSeconds(30));
            assertEquals(Verdict.PASS, web(), "deleted: the base rule lets it out");
            assertFalse(r.module.config().policy("net").orElseThrow().rules().containsKey(1));
            assertTrue(r.log.stream().anyMatch(l -> l.contains("Rule 1 of firewall policy net has been deleted: its TTL ran out")), r.log.toString());
            assertFalse(r.config().stream().anyMatch(l -> l.contains("rule=1")));
            assertFalse(r.show("show firewall policy=net").contains("rule=1"));
        }
    }

    @Test
    void theDataPathStopsMatchingAtTheInstantEvenBeforeTheTick() {
        // not attached to a loop: nothing deletes the rule, yet it no longer matches
        r.ok("add firewall policy=net rule=1 ac=deny int=vlan1 prot=tcp port=80 ttl=00:10");
        r.clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertEquals(Verdict.DROP, web());
        r.clock.advance(Duration.ofSeconds(1));
        assertEquals(Verdict.PASS, web());
    }

    @Test
    void setRestartsTheTtlAndOtherFieldsKeepIt() {
        r.ok("add firewall policy=net rule=1 ac=deny int=vlan1 prot=tcp port=80 ttl=00:10");
        r.clock.advance(Duration.ofMinutes(8));
        r.ok("set firewall policy=net rule=1 port=443");
        assertTrue(r.show("show firewall policy=net").contains("port=443 ttl=00:02"), r.rig.lastOutput());
        r.ok("set firewall policy=net rule=1 ttl=02:00");
        assertTrue(r.show("show firewall policy=net").contains("port=443 ttl=02:00"), r.rig.lastOutput());
    }

    @Test
    void badTtlsAreRefused() {
        assertTrue(r.fails("add firewall policy=net rule=1 ac=deny int=vlan1 prot=tcp ttl=00:00").contains("at least 00:01"), r.rig.lastOutput());
        assertTrue(r.fails("add firewall policy=net rule=1 ac=deny int=vlan1 prot=tcp ttl=1:60").contains("minutes are 0..59"));
        assertTrue(r.fails("add firewall policy=net rule=1 ac=deny int=vlan1 prot=tcp ttl=90").contains("hh:mm"), r.rig.lastOutput());
        assertTrue(r.fails("add firewall policy=net rule=1 ac=deny int=vlan1 prot=tcp ttl=100:00").contains("hh:mm"), r.rig.lastOutput());
        assertTrue(r.module.config().policy("net").orElseThrow().rules().isEmpty());
    }
}
