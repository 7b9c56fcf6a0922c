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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ADD FIREWALL POLICY UDPPORTTIMEOUT ([C:S41]): a remote UDP port's own timeout from the first
 * packet, instead of the fixed five minutes before a UDP flow is established; TIMEOUT=DEFAULT
 * means UDPTIMEOUT. What is watched is whether the WAN server's late answer still gets back in.
 */
class UdpPortTimeoutTest {
    final StepClock clock = new StepClock();
    final Map<String, Integer> addresses = Map.of("ppp0", Packets.ip("1.1.1.1"), "vlan1", Packets.ip("192.168.10.1"));
    final FirewallEngine engine = new FirewallEngine(256, clock, i -> addresses.getOrDefault(i, 0), 1);
    final FirewallModule module = new FirewallModule(engine, Set.of("ppp0", "vlan1")::contains, new ArrayList<String>()::add);
    final CommandRig rig = new CommandRig(List.of(module), clock);
    final PacketContext ctx = new PacketContext();

    void ok(String line) {
        assertTrue(rig.run(line), line + " -> " + rig.lastOutput());
        module.commit();
    }

    String fails(String line) {
        assertFalse(rig.run(line), line + " should fail");
        return rig.lastOutput();
    }

    Verdict forward(String in, ByteBuf b, String out) {
        ctx.reset(in, false);
        if (engine.ingress().filter(ctx, b) == Verdict.DROP) {
            return Verdict.DROP;
        }
        if (addresses.containsValue(b.getInt(16))) {
            return Verdict.PASS;
        }
        ctx.route(new Route(0, 0, out, 0, 0, true));
        return engine.egress().filter(ctx, b);
    }

    /** The LAN host asks the server on {@code port}; returns the global port it left from. */
    int ask(int sport, int port) {
        ByteBuf b = Packets.udp("192.168.10.5", sport, "8.8.8.8", port, 8);
        assertEquals(Verdict.PASS, forward("vlan1", b, "ppp0"));
        return Packets.sport(b);
    }

    Verdict answer(int port, int global) {
        return forward("ppp0", Packets.udp("8.8.8.8", port, "1.1.1.1", global, 8), "vlan1");
    }

    @Test
    void aRemotePortsTimeoutHoldsFromTheFirstPacketAndDefaultMeansUdptimeout() {
        ok("enable firewall");
        ok("create firewall policy=net");
        ok("add firewall policy=net int=vlan1 type=private");
        ok("add firewall policy=net int=ppp0 type=public");
        ok("add firewall policy=net nat=enhanced int=vlan1 gblint=ppp0");
        ok("set firewall policy=net udptimeout=30");
        ok("add firewall policy=net udpporttimeout=1194 timeout=60");
        ok("add firewall policy=net udpporttimeout=53 timeout=0");
        ok("add firewall policy=net udpporttimeout=4569");

        int vpn = ask(40000, 1194);
        int dns = ask(40001, 53);
        int iax = ask(40002, 4569);
        int plain = ask(40003, 7000);
        clock.advance(Duration.ofSeconds(30));
        assertEquals(Verdict.DROP, answer(53, dns), "TIMEOUT=0 is 30 seconds");
        clock.advance(Duration.ofMinutes(5));
        assertEquals(Verdict.DROP, answer(7000, plain), "a port without its own timeout has the five minutes of a new flow");
        clock.advance(Duration.ofMinutes(24).minusSeconds(40));
        assertEquals(Verdict.PASS, answer(4569, iax), "DEFAULT: UDPTIMEOUT (30 min) from the first packet");
        clock.advance(Duration.ofMinutes(31));
        assertEquals(Verdict.PASS, answer(1194, vpn), "59 minutes 50 seconds after the question: still in");
        clock.advance(Duration.ofMinutes(60));
        assertEquals(Verdict.DROP, answer(1194, vpn), "60 minutes idle");

        ok("show firewall policy=net");
        assertTrue(rig.lastOutput().contains("53 0 min, 1194 60 min, 4569 DEFAULT"), rig.lastOutput());
        List<String> cfg = new ArrayList<>();
        module.writeConfig(cfg::add);
        assertTrue(cfg.containsAll(List.of("add firewall policy=net udpporttimeout=53 timeout=0",
                "add firewall policy=net udpporttimeout=1194 timeout=60", "add firewall policy=net udpporttimeout=4569 timeout=default")),
                cfg.toString());

        assertTrue(fails("add firewall policy=net udpporttimeout=53 timeout=5").contains("already has a timeout for UDP port 53"));
        assertTrue(fails("add firewall policy=net udpporttimeout=0").contains("1..65535"), rig.lastOutput());
        assertTrue(fails("add firewall policy=net udpporttimeout=99 timeout=43201").contains("43200"), rig.lastOutput());
        assertTrue(fails("add firewall policy=net timeout=5").contains("Give TYPE"));
        assertTrue(fails("add firewall policy=net udpporttimeout=99 rule=1 ac=allow int=vlan1 prot=udp").contains("Give TYPE"));
        ok("delete firewall policy=net udpporttimeout=53");
        assertTrue(fails("delete firewall policy=net udpporttimeout=53").contains("has no timeout for UDP port 53"));
        cfg.clear();
        module.writeConfig(cfg::add);
        assertFalse(cfg.contains("add firewall policy=net udpporttimeout=53 timeout=0"));
    }
}
