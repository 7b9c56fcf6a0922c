package io.argate.firewall.cli;

import io.argate.firewall.engine.FirewallEngine;
import io.argate.firewall.engine.Packets;
import io.argate.ip.forward.PacketContext;
import io.argate.ip.forward.StageFilter.Verdict;
import io.argate.ip.route.Route;
import io.argate.shell.testing.CommandRig;
import io.argate.shell.testing.StepClock;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A policy names an interface, and covers every logical interface of it, as the SPD does: the
 * reference's multihoming example routes through ppp0-1 and adds addresses to vlan1-0 and
 * vlan1-1. A name typed with its suffix means its interface, so no policy is left that packets
 * never meet (which would leave the firewall open).
 */
class LogicalInterfaceTest {
    final StepClock clock = new StepClock();
    final Map<String, Integer> addresses = Map.of("ppp0", Packets.ip("1.1.1.1"), "vlan1", Packets.ip("192.168.10.1"));
    final FirewallEngine engine = new FirewallEngine(64, clock, i -> addresses.getOrDefault(i, 0), 1);
    final FirewallModule module = new FirewallModule(engine, Set.of("ppp0-0", "ppp0-1", "vlan1-0", "vlan1-1", "ppp0", "vlan1")::contains,
            new ArrayList<String>()::add);
    final CommandRig rig = new CommandRig(List.of(module), clock);
    final PacketContext ctx = new PacketContext();

    void ok(String line) {
        assertTrue(rig.run(line), line + " -> " + rig.lastOutput());
        module.commit();
    }

    Verdict forward(String in, ByteBuf b, String routeIface) {
        ctx.reset(in, false);
        if (engine.ingress().filter(ctx, b) == Verdict.DROP) {
            return Verdict.DROP;
        }
        ctx.route(new Route(0, 0, routeIface, 0, 0, true));
        return engine.egress().filter(ctx, b);
    }

    @Test
    void aPolicyOnALogicalInterfaceNameCoversItsInterfaceAndWritesItsInterfaceName() {
        ok("enable firewall");
        ok("create firewall policy=net");
        ok("add firewall policy=net int=vlan1-1 type=private");
        ok("add firewall policy=net int=ppp0-1 type=public");
        ok("add firewall policy=net nat=enhanced int=vlan1-0 gblint=ppp0-1");
        ok("add firewall policy=net rule=1 ac=deny int=vlan1-1 prot=udp port=53");
        assertFalse(rig.run("add firewall policy=net int=ppp0-0 type=public"), "ppp0-0 is ppp0, which is in the policy already");
        assertFalse(rig.run("add firewall policy=net int=ppp0-7 type=public"));
        assertTrue(rig.lastOutput().contains("Interface ppp0-7 does not exist"), rig.lastOutput());

        List<String> cfg = new ArrayList<>();
        module.writeConfig(cfg::add);
        assertEquals(List.of("enable firewall", "create firewall policy=net", "add firewall policy=net int=vlan1 type=private",
                "add firewall policy=net int=ppp0 type=public", "add firewall policy=net nat=enhanced int=vlan1 gblint=ppp0",
                "add firewall policy=net rule=1 ac=deny int=vlan1 prot=udp port=53"), cfg);

        // a LAN packet routed out of ppp0-1 meets the policy: NAPT to ppp0's address
        ByteBuf out = Packets.udp("192.168.10.5", 4000, "8.8.8.8", 123, 8);
        assertEquals(Verdict.PASS, forward("vlan1", out, "ppp0-1"));
        assertEquals("1.1.1.1", Packets.src(out));
        // the rule on vlan1-1 is the rule on vlan1
        assertEquals(Verdict.DROP, forward("vlan1", Packets.udp("192.168.10.5", 4001, "8.8.8.8", 53, 8), "ppp0-1"));
        // and the WAN side is PUBLIC: nothing unasked gets in
        assertEquals(Verdict.DROP, forward("ppp0", Packets.udp("8.8.8.8", 5000, "192.168.10.5", 7, 8), "vlan1-1"));

        ok("delete firewall policy=net rule=1");
        ok("delete firewall policy=net nat=enhanced int=vlan1-1 gblint=ppp0-0");
        ok("delete firewall policy=net int=ppp0-1");
        cfg.clear();
        module.writeConfig(cfg::add);
        assertEquals(List.of("enable firewall", "create firewall policy=net", "add firewall policy=net int=vlan1 type=private"), cfg);
    }
}
