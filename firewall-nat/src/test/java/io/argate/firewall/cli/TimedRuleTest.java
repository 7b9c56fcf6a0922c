package io.argate.firewall.cli;

import io.argate.firewall.engine.FirewallEngine;
import io.argate.firewall.engine.Packets;
import io.argate.firewall.wire.TcpHeader;
import io.argate.ip.forward.PacketContext;
import io.argate.ip.forward.StageFilter.Verdict;
import io.argate.ip.route.Route;
import io.argate.shell.testing.CommandRig;
import io.argate.shell.testing.StepClock;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AFTER, BEFORE and DAYS of a rule ([C:S39]) on the fake clock, which starts on Monday 2026-11-23 00:00 UTC. */
class TimedRuleTest {
    final StepClock clock = new StepClock();
    final Map<String, Integer> addresses = Map.of("ppp0", Packets.ip("1.1.1.1"), "vlan1", Packets.ip("192.168.10.1"));
    final FirewallEngine engine = new FirewallEngine(256, clock, i -> addresses.getOrDefault(i, 0), 1);
    final FirewallModule module = new FirewallModule(engine, Set.of("ppp0", "vlan1")::contains, new ArrayList<String>()::add);
    final CommandRig rig = new CommandRig(List.of(module), clock);
    final PacketContext ctx = new PacketContext();
    int port = 2000;

    void ok(String line) {
        assertTrue(rig.run(line), line + " -> " + rig.lastOutput());
        module.commit();
    }

    String fails(String line) {
        assertFalse(rig.run(line), line + " should fail");
        return rig.lastOutput();
    }

    /** A new TCP connection from the LAN host to the web (a fresh source port each time): PASS or DROP. */
    Verdict web(int dport) {
        ByteBuf b = Packets.tcp("192.168.10.5", port++, "93.184.216.34", dport, 1, 0, TcpHeader.SYN, 0);
        ctx.reset("vlan1", false);
        if (engine.ingress().filter(ctx, b) == Verdict.DROP) {
            return Verdict.DROP;
        }
        ctx.route(new Route(0, 0, "ppp0", 0, 0, true));
        return engine.egress().filter(ctx, b);
    }

    Verdict nightUdp() {
        ByteBuf b = Packets.udp("192.168.10.5", port++, "93.184.216.34", 6881, 8);
        ctx.reset("vlan1", false);
        engine.ingress().filter(ctx, b);
        ctx.route(new Route(0, 0, "ppp0", 0, 0, true));
        return engine.egress().filter(ctx, b);
    }

    /** Moves the clock (forward only) to {@code days} after Monday 00:00, at hour:minute. */
    void at(String day, int days, int hour, int minute) {
        java.time.Instant target = java.time.Instant.parse("2026-11-23T00:00:00Z").plus(Duration.ofDays(days).plusHours(hour).plusMinutes(minute));
        clock.advance(Duration.between(clock.instant(), target));
    }

    @Test
    void aRuleMatchesOnlyInItsHoursAndDaysAndWritesThemBack() {
        ok("enable firewall");
        ok("create firewall policy=net");
        ok("add firewall policy=net int=vlan1 type=private");
        ok("add firewall policy=net int=ppp0 type=public");
        ok("add firewall policy=net nat=enhanced int=vlan1 gblint=ppp0");
        ok("add firewall policy=net rule=1 ac=deny int=vlan1 prot=tcp port=80 after=09:00 before=17:30 days=weekday");
        ok("add firewall policy=net rule=2 ac=deny int=vlan1 prot=udp after=22:00 before=6:00");

        at("Monday", 0, 8, 59);
        assertEquals(Verdict.PASS, web(80), "before office hours");
        at("Monday", 0, 9, 0);
        assertEquals(Verdict.DROP, web(80), "from AFTER on");
        assertEquals(Verdict.PASS, web(443), "only what the rule names");

        at("Tuesday", 1, 23, 0);
        assertEquals(Verdict.DROP, nightUdp(), "a window across midnight, before it");
        at("Wednesday", 2, 5, 59);
        assertEquals(Verdict.DROP, nightUdp(), "a window across midnight, after it");
        at("Wednesday", 2, 6, 0);
        assertEquals(Verdict.PASS, nightUdp());
        at("Wednesday", 2, 21, 59);
        assertEquals(Verdict.PASS, nightUdp());

        at("Friday", 4, 17, 29);
        assertEquals(Verdict.DROP, web(80));
        at("Friday", 4, 17, 30);
        assertEquals(Verdict.PASS, web(80), "BEFORE is not included");
        at("Saturday", 5, 10, 0);
        assertEquals(Verdict.PASS, web(80), "not a weekday");

        ok("set firewall policy=net rule=1 days=sat,sun");
        at("Saturday", 5, 10, 0);
        assertEquals(Verdict.DROP, web(80), "SET changed the days and kept the hours");
        ok("show firewall policy=net");
        assertTrue(rig.lastOutput().contains("rule=1 ac=deny int=vlan1 prot=tcp port=80 after=09:00 before=17:30 days=weekend"),
                rig.lastOutput());

        List<String> cfg = new ArrayList<>();
        module.writeConfig(cfg::add);
        assertTrue(cfg.contains("add firewall policy=net rule=1 ac=deny int=vlan1 prot=tcp port=80 after=09:00 before=17:30 days=weekend"),
                cfg.toString());
        assertTrue(cfg.contains("add firewall policy=net rule=2 ac=deny int=vlan1 prot=udp after=22:00 before=06:00"), cfg.toString());

        // the same rule at another time is another rule, not a duplicate
        ok("add firewall policy=net rule=3 ac=deny int=vlan1 prot=udp after=12:00 before=13:00");
        assertTrue(fails("add firewall policy=net rule=4 ac=deny int=vlan1 prot=udp after=12:00 before=13:00").contains("would be the same as rule 3"));
        assertTrue(fails("add firewall policy=net rule=5 ac=deny int=vlan1 prot=udp after=24:00").contains("hours are 0..23"));
        assertTrue(fails("add firewall policy=net rule=5 ac=deny int=vlan1 prot=udp after=9").contains("hh:mm"));
        assertTrue(fails("add firewall policy=net rule=5 ac=deny int=vlan1 prot=udp after=09:00 before=09:00").contains("must differ"));
        assertTrue(fails("add firewall policy=net rule=5 ac=deny int=vlan1 prot=udp days=mon,funday").contains("MON"));
    }
}
