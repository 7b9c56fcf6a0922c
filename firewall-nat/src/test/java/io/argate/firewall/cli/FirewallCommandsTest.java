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

class FirewallCommandsTest {
    /** Seed 003, "IPsecとファイアウォールの併用": the base firewall with ENAT, then rules 1-5 for IPsec. */
    static final List<String> REFERENCE = List.of(
            "ENABLE FIREWALL",
            "CREATE FIREWALL POLICY=net",
            "ENABLE FIREWALL POLICY=net ICMP_F=ALL",
            "DISABLE FIREWALL POLICY=net IDENTPROXY",
            "ADD FIREWALL POLICY=net INT=vlan1 TYPE=PRIVATE",
            "ADD FIREWALL POLICY=net INT=ppp0 TYPE=PUBLIC",
            "ADD FIREWALL POLICY=net NAT=ENHANCED INT=vlan1 GBLINT=ppp0",
            "ADD FIREWALL POLICY=net RULE=1 ACTION=ALLOW INT=ppp0 PROT=UDP GBLPORT=500 GBLIP=1.1.1.1 PORT=500 IP=1.1.1.1",
            "ADD FIREWALL POLICY=net RULE=2 ACTION=ALLOW INT=ppp0 PROT=UDP GBLPORT=2746 GBLIP=1.1.1.1 PORT=2746 IP=1.1.1.1",
            "ADD FIREWALL POLICY=net RULE=3 ACTION=ALLOW INT=ppp0 PROT=UDP GBLPORT=4500 GBLIP=1.1.1.1 PORT=4500 IP=1.1.1.1",
            "ADD FIREWALL POLICY=net RULE=4 ACTION=NONAT INT=vlan1 PROT=ALL IP=192.168.10.1-192.168.10.254",
            "SET FIREWALL POLICY=net RULE=4 REMOTEIP=192.168.20.1-192.168.20.254",
            "ADD FIREWALL POLICY=net RULE=5 ACTION=NONAT INT=ppp0 PROT=ALL IP=192.168.10.1-192.168.10.254 ENCAP=IPSEC");

    final StepClock clock = new StepClock();
    final Map<String, Integer> addresses = Map.of("ppp0", Packets.ip("1.1.1.1"), "vlan1", Packets.ip("192.168.10.1"));
    final List<String> log = new ArrayList<>();
    final FirewallEngine engine = new FirewallEngine(1024, clock, i -> addresses.getOrDefault(i, 0), 1);
    final FirewallModule module = new FirewallModule(engine, Set.of("ppp0", "vlan1", "eth0")::contains, log::add);
    final CommandRig rig = new CommandRig(List.of(module), clock);
    final PacketContext ctx = new PacketContext();

    void ok(String line) {
        assertTrue(rig.run(line), line + " -> " + rig.lastOutput());
        module.commit();
    }

    String fails(String line) {
        assertFalse(rig.run(line), line + " should fail");
        module.commit();
        return rig.lastOutput();
    }

    String show(String line) {
        ok(line);
        return rig.lastOutput();
    }

    Verdict forward(String in, ByteBuf b, String decapsulatedBy) {
        ctx.reset(in, false);
        if (decapsulatedBy != null) {
            ctx.decapsulated(decapsulatedBy, in);
        }
        if (engine.ingress().filter(ctx, b) == Verdict.DROP) {
            return Verdict.DROP;
        }
        int dst = b.getInt(16);
        if (addresses.containsValue(dst)) {
            return Verdict.PASS;
        }
        ctx.route(new Route(0, 0, (dst & 0xffffff00) == Packets.ip("192.168.10.0") ? "vlan1" : "ppp0", 0, 0, true));
        return engine.egress().filter(ctx, b);
    }

    @Test
    void theReferenceConfigurationTypedAsCommandsBehavesAsTheReferenceSays() {
        REFERENCE.forEach(this::ok);
        String policy = show("show firewall policy=net");
        assertTrue(policy.contains("vlan1 PRIVATE, ppp0 PUBLIC"), policy);
        assertTrue(policy.contains("ENHANCED vlan1 -> ppp0 as address of ppp0"), policy);
        assertTrue(policy.contains("rule=4 ac=nonat int=vlan1 prot=all ip=192.168.10.1-192.168.10.254 remoteip=192.168.20.1-192.168.20.254"),
                policy);
        assertTrue(policy.contains(FirewallViews.detail("Ident proxy", "DISABLED")), policy);

        assertEquals(Verdict.PASS, forward("ppp0", Packets.udp("2.2.2.2", 500, "1.1.1.1", 500, 40), null), "ISAKMP to the router");
        ByteBuf vpn = Packets.tcp("192.168.10.5", 3000, "192.168.20.9", 80, 1, 0, TcpHeader.SYN, 0);
        assertEquals(Verdict.PASS, forward("vlan1", vpn, null));
        assertEquals("192.168.10.5", Packets.src(vpn), "VPN traffic is not translated");
        ByteBuf web = Packets.tcp("192.168.10.5", 3001, "93.184.216.34", 80, 1, 0, TcpHeader.SYN, 0);
        assertEquals(Verdict.PASS, forward("vlan1", web, null));
        assertEquals("1.1.1.1", Packets.src(web), "Internet traffic is ENAT'd");
        assertEquals(Verdict.PASS, forward("ppp0", Packets.udp("192.168.20.9", 9, "192.168.10.5", 9, 4), "vpn"), "rule 5");
        assertEquals(Verdict.DROP, forward("ppp0", Packets.udp("192.168.20.9", 10, "192.168.10.5", 9, 4), null), "not in the clear");

        String sessions = show("show firewall session");
        assertTrue(sessions.contains("192.168.10.5:3001 > 93.184.216.34:80"), sessions);
        assertTrue(sessions.contains("1.1.1.1:3001 > 93.184.216.34:80"), sessions);
        assertTrue(sessions.contains("SYN_SENT"), sessions);
        String counters = show("show firewall policy=net counters");
        assertTrue(counters.contains(FirewallViews.detail("Dropped: unsolicited from public", 1)), counters);
    }

    @Test
    void theConfigurationWritesItselfAndRebuildsTheSameBytes() {
        REFERENCE.forEach(this::ok);
        ok("set firewall policy=net tcptimeout=30 udptimeout=0");
        ok("enable firewall policy=net log=deny ping");
        ok("add firewall policy=net rule=6 ac=allow int=ppp0 prot=tcp gblip=1.1.1.1 gblport=8080-8081 ip=192.168.10.20 port=80-81 remoteip=7.7.7.0-7.7.7.255 sourceport=1024-65535");
        ok("add firewall policy=net rule=7 ac=deny int=vlan1 prot=17 port=53");
        List<String> first = new ArrayList<>();
        module.writeConfig(first::add);
        FirewallModule again = new FirewallModule(new FirewallEngine(16, clock, i -> 0), Set.of("ppp0", "vlan1")::contains, l -> { });
        CommandRig rig2 = new CommandRig(List.of(again), clock);
        for (String line : first) {
            assertTrue(rig2.run(line), line + " -> " + rig2.lastOutput());
        }
        List<String> second = new ArrayList<>();
        again.writeConfig(second::add);
        assertEquals(first, second);
        assertTrue(first.contains("add firewall policy=net rule=7 ac=deny int=vlan1 prot=udp port=53"), first.toString());
        assertTrue(first.contains("enable firewall policy=net icmp_f=all"), first.toString());
    }

    @Test
    void badInputGetsClearErrorsAndChangesNothing() {
        ok("create firewall policy=net");
        ok("add firewall policy=net int=vlan1 type=private");
        ok("add firewall policy=net int=ppp0 type=public");
        assertTrue(fails("add firewall policy=net rule=1 ac=allow int=vlan1 prot=all ip=192.168.10.254-192.168.10.1")
                .contains("must not be above the last"));
        assertTrue(fails("add firewall policy=net rule=1 ac=allow int=vlan1 prot=tcp port=90-80")
                .contains("the first port of a range must not be above the last"));
        assertTrue(fails("add firewall policy=net int=ppp9 type=public").contains("Interface ppp9 does not exist"));
        assertTrue(fails("add firewall policy=net rule=1 ac=allow int=eth0 prot=all").contains("is not in the policy"));
        ok("add firewall policy=net rule=1 ac=deny int=vlan1 prot=tcp port=25");
        assertTrue(fails("add firewall policy=net rule=1 ac=allow int=vlan1 prot=udp").contains("Rule 1 already exists"));
        assertTrue(fails("add firewall policy=net rule=2 ac=deny int=vlan1 prot=tcp port=25").contains("would be the same as rule 1"));
        assertTrue(fails("add firewall policy=net rule=2 ac=allow int=vlan1 prot=icmp port=25").contains("need PROTOCOL=TCP or UDP"));
        assertTrue(fails("add firewall policy=net rule=2 ac=allow int=vlan1 prot=tcp gblport=80").contains("GBLPORT applies to rules on a PUBLIC"));
        ok("create firewall policy=other");
        assertTrue(fails("add firewall policy=other int=vlan1 type=private").contains("Interface vlan1 is already PRIVATE in firewall policy net"));
        ok("add firewall policy=other int=ppp0 type=public");
        assertTrue(fails("add firewall policy=net nat=standard int=vlan1 gblint=ppp0").contains("NAT=STANDARD needs GBLIP"));
        assertTrue(fails("set firewall policy=net tcptimeout=43201").contains("TCPTIMEOUT"));
        assertTrue(fails("set firewall policy=net rule=9 ac=allow").contains("Rule 9 does not exist"));
        assertTrue(fails("delete firewall policy=net int=vlan1").contains("used by rule 1"));
        assertTrue(fails("destroy firewall policy=nope").contains("Firewall policy nope does not exist"));
        assertTrue(fails("create firewall policy=bad-name").contains("letters, digits and _"));
        assertTrue(fails("add firewall policy=net int=vlan1").contains("Give TYPE"));
        List<String> cfg = new ArrayList<>();
        module.writeConfig(cfg::add);
        assertEquals(List.of("create firewall policy=net", "add firewall policy=net int=vlan1 type=private",
                "add firewall policy=net int=ppp0 type=public", "add firewall policy=net rule=1 ac=deny int=vlan1 prot=tcp port=25",
                "create firewall policy=other", "add firewall policy=other int=ppp0 type=public"), cfg);
    }

    /** Events run in order after the loop's tasks: once a marker event ran, every earlier one has. */
    static void eventsDelivered(io.argate.shell.loop.ControlLoop loop) throws InterruptedException {
        java.util.concurrent.CountDownLatch marker = new java.util.concurrent.CountDownLatch(1);
        assertTrue(loop.post(marker::countDown));
        assertTrue(marker.await(30, java.util.concurrent.TimeUnit.SECONDS), "the control loop stopped taking events");
    }

    @Test
    void logEntriesForDeniedPacketsAndTheSweepOnTheControlLoop() throws Exception {
        REFERENCE.forEach(this::ok);
        ok("enable firewall policy=net log=deny");
        try (io.argate.shell.loop.ControlLoop loop = new io.argate.shell.loop.ControlLoop(clock)) {
            module.attach(loop);
            forward("ppp0", Packets.udp("9.9.9.9", 1234, "1.1.1.1", 53, 4), null);
            eventsDelivered(loop);
            assertEquals(List.of("Firewall net: DENY ppp0 UDP 9.9.9.9:1234 > 1.1.1.1:53 (base rule: unsolicited from public)"), log);
            ok("enable firewall policy=net debug=process");
            forward("vlan1", Packets.udp("192.168.10.5", 4000, "8.8.8.8", 53, 4), null);
            eventsDelivered(loop);
            assertEquals(1, engine.sessions().size());
            loop.advance(Duration.ofMinutes(5).plusSeconds(6));
            assertEquals(0, engine.sessions().size(), "expired and swept without any packet");
            assertEquals(List.of("Firewall net: ALLOW vlan1 UDP 192.168.10.5:4000 > 8.8.8.8:53 (base rule: session 0 opened)",
                    "Firewall net: session 0 expired (UNREPLIED)"), log.subList(1, log.size()));
        }
        assertTrue(show("show firewall policy=net counters").contains(FirewallViews.detail("Sessions expired", 1)));
    }

    @Test
    void disableFirewallLetsEverythingThroughAndShowFirewallSaysSo() {
        REFERENCE.forEach(this::ok);
        ok("disable firewall");
        assertEquals(Verdict.PASS, forward("ppp0", Packets.udp("9.9.9.9", 1, "192.168.10.5", 2, 4), null));
        assertTrue(show("show firewall").contains(FirewallViews.detail("Status", "DISABLED")), rig.lastOutput());
        assertTrue(rig.run("enable firewall"));
        assertTrue(rig.run("create firewall policy=half"));
        assertTrue(rig.run("disable firewall"));
        assertTrue(rig.run("enable firewall"));
        assertTrue(rig.lastOutput().contains("Firewall policy half has no PRIVATE interface yet"), rig.lastOutput());
    }

    @Test
    void inSecurityModeOnlyTheSecurityOfficerChangesTheFirewallButAnyManagerLooks() {
        ok("create firewall policy=net");
        rig.securityMode(true);
        assertFalse(rig.run("add firewall policy=net int=vlan1 type=private"), rig.lastOutput());
        assertFalse(rig.run("enable firewall"), rig.lastOutput());
        assertTrue(rig.run("show firewall policy"), rig.lastOutput());
        rig.as(io.argate.shell.cmd.Privilege.SECURITY_OFFICER);
        ok("add firewall policy=net int=vlan1 type=private");
    }
}
