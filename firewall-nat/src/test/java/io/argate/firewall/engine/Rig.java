package io.argate.firewall.engine;

import io.argate.firewall.config.FirewallConfig;
import io.argate.ip.forward.PacketContext;
import io.argate.ip.forward.StageFilter.Verdict;
import io.argate.ip.route.Route;
import io.argate.shell.testing.StepClock;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The two firewall stages as the forwarder runs them: ingress on arrival, then (for a packet not
 * addressed to the router) egress after a route lookup that this rig answers from a tiny table.
 */
final class Rig {
    final StepClock clock = new StepClock();
    final Map<String, Integer> addresses = new HashMap<>(Map.of("ppp0", Packets.ip("1.1.1.1"), "vlan1", Packets.ip("192.168.10.1")));
    final FirewallEngine engine;
    final FirewallConfig config = new FirewallConfig();
    final List<String> log = new ArrayList<>();
    final PacketContext ctx = new PacketContext();

    Rig(int maxSessions) {
        engine = new FirewallEngine(maxSessions, clock, i -> addresses.getOrDefault(i, 0), 1);
        engine.logTo(log::add);
    }

    Rig() {
        this(1024);
    }

    void commit() {
        engine.install(CompiledFirewall.compile(config, engine::counters));
    }

    /** Where a destination routes: the LAN 192.168.10/24 to vlan1, everything else to ppp0. */
    static String routeOf(int dst) {
        return (dst & 0xffffff00) == Packets.ip("192.168.10.0") ? "vlan1" : "ppp0";
    }

    /** Forwards a packet arriving on {@code in}: PASS or DROP; a packet to the router stops after ingress. */
    Verdict forward(String in, ByteBuf b) {
        return forward(in, b, null);
    }

    Verdict forward(String in, ByteBuf b, String decapsulatedBy) {
        return forward(in, b, decapsulatedBy, null);
    }

    /** As a TUN port with offloads hands it over: {@code offload} says what its kernel left to finish. */
    Verdict forward(String in, ByteBuf b, String decapsulatedBy, io.argate.ip.packet.VirtioNetHeader offload) {
        ctx.reset(in, false);
        if (offload != null) {
            ctx.offload().copyFrom(offload);
        }
        if (decapsulatedBy != null) {
            ctx.decapsulated(decapsulatedBy, in);
        }
        Verdict v = engine.ingress().filter(ctx, b);
        if (v == Verdict.DROP) {
            return v;
        }
        int dst = io.argate.ip.packet.Ipv4.destination(b, 0);
        if (addresses.containsValue(dst)) {
            return v; // LOCAL
        }
        String out = routeOf(dst);
        ctx.route(new Route(0, 0, out, 0, 0, true));
        return engine.egress().filter(ctx, b);
    }

    /** A packet the router itself sends out of {@code out}. */
    Verdict originate(String out, ByteBuf b) {
        ctx.reset("lo", true);
        ctx.route(new Route(0, 0, out, 0, 0, true));
        return engine.egress().filter(ctx, b);
    }
}
