package io.argate.firewall.cli;

import io.argate.firewall.engine.FirewallCounter;
import io.argate.firewall.engine.FirewallEngine;
import io.argate.firewall.engine.Packets;
import io.argate.ip.forward.PacketContext;
import io.argate.ip.forward.StageFilter.Verdict;
import io.argate.ip.route.Route;
import io.argate.shell.testing.CommandRig;
import io.argate.shell.testing.StepClock;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The firewall module driven by commands, with packets put through its two stages as the
 * forwarder would: the LAN 192.168.10/24 on vlan1 (PRIVATE), everything else on ppp0 (PUBLIC,
 * 1.1.1.1). The clock is a {@link StepClock}; nothing sleeps.
 */
final class CliRig {
    final StepClock clock = new StepClock();
    final Map<String, Integer> addresses = Map.of("ppp0", Packets.ip("1.1.1.1"), "vlan1", Packets.ip("192.168.10.1"));
    final FirewallEngine engine = new FirewallEngine(256, clock, i -> addresses.getOrDefault(i, 0), 1);
    final List<String> log = new ArrayList<>();
    final FirewallModule module = new FirewallModule(engine, Set.of("ppp0", "vlan1", "eth1")::contains, log::add);
    final CommandRig rig = new CommandRig(List.of(module), clock);
    final PacketContext ctx = new PacketContext();

    /** The usual start: firewall on, policy "net" with vlan1 PRIVATE and ppp0 PUBLIC, and more lines. */
    CliRig(String... more) {
        ok("enable firewall");
        ok("create firewall policy=net");
        for (String line : more) {
            ok(line);
        }
    }

    void ok(String line) {
        assertTrue(rig.run(line), line + " -> " + rig.lastOutput());
        module.commit();
    }

    String fails(String line) {
        assertFalse(rig.run(line), line + " should fail");
        return rig.lastOutput();
    }

    String show(String line) {
        ok(line);
        return rig.lastOutput();
    }

    static String routeOf(int dst) {
        return (dst & 0xffffff00) == Packets.ip("192.168.10.0") ? "vlan1" : "ppp0";
    }

    /** A packet arriving on {@code in}, through ingress and (unless it is for the router) egress. */
    Verdict forward(String in, ByteBuf b) {
        ctx.reset(in, false);
        Verdict v = engine.ingress().filter(ctx, b);
        int dst = io.argate.ip.packet.Ipv4.destination(b, 0);
        if (v == Verdict.DROP || addresses.containsValue(dst)) {
            return v;
        }
        ctx.route(new Route(0, 0, routeOf(dst), 0, 0, true));
        return engine.egress().filter(ctx, b);
    }

    /** A packet the router itself sends out of {@code out}. */
    Verdict originate(String out, ByteBuf b) {
        ctx.reset("lo", true);
        ctx.route(new Route(0, 0, out, 0, 0, true));
        return engine.egress().filter(ctx, b);
    }

    long count(FirewallCounter c) {
        return engine.counters(module.config().policy("net").orElseThrow().id()).get(c);
    }

    List<String> config() {
        List<String> out = new ArrayList<>();
        module.writeConfig(out::add);
        return out;
    }

    /** The configuration written, run into a fresh module, writes itself the same way. */
    void assertRoundTrip() {
        List<String> first = config();
        FirewallModule again = new FirewallModule(new FirewallEngine(16, clock, i -> 0), Set.of("ppp0", "vlan1", "eth1")::contains, l -> { });
        CommandRig rig2 = new CommandRig(List.of(again), clock);
        for (String line : first) {
            assertTrue(rig2.run(line), line + " -> " + rig2.lastOutput());
        }
        List<String> second = new ArrayList<>();
        again.writeConfig(second::add);
        assertEquals(first, second);
    }
}
