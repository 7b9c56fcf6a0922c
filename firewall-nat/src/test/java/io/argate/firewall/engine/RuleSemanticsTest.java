package io.argate.firewall.engine;

import io.argate.firewall.config.AddressRange;
import io.argate.firewall.config.Encapsulation;
import io.argate.firewall.config.FirewallPolicy;
import io.argate.firewall.config.FirewallRule;
import io.argate.firewall.config.InterfaceNat;
import io.argate.firewall.config.InterfaceType;
import io.argate.firewall.config.NatType;
import io.argate.firewall.config.PortRange;
import io.argate.firewall.config.RuleAction;
import io.argate.firewall.wire.IcmpHeader;
import io.argate.firewall.wire.TcpHeader;
import io.argate.ip.forward.StageFilter.Verdict;
import io.argate.ip.packet.Ipv4;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import static io.argate.firewall.engine.Packets.dst;
import static io.argate.firewall.engine.Packets.ip;
import static io.argate.firewall.engine.Packets.src;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The AR rule semantics ([C:S37][C:S39][C:S44]) and the reference's IPsec and firewall example. */
class RuleSemanticsTest {
    final Rig rig = new Rig();
    final FirewallPolicy net;

    RuleSemanticsTest() {
        rig.config.enabled(true);
        net = rig.config.create("net");
        net.interfaces().put("vlan1", InterfaceType.PRIVATE);
        net.interfaces().put("ppp0", InterfaceType.PUBLIC);
        net.nats().add(new InterfaceNat(NatType.ENHANCED, "vlan1", "ppp0", null, null));
        rig.commit();
    }

    static FirewallRule rule(int n, RuleAction a, String iface, int proto, AddressRange ip, PortRange port, AddressRange gblIp,
                             PortRange gblPort, AddressRange remote, Encapsulation e) {
        return new FirewallRule(n, a, iface, proto, ip, port, gblIp, gblPort, remote, null, e);
    }

    static AddressRange range(String a, String b) {
        return new AddressRange(ip(a), ip(b));
    }

    void add(FirewallRule r) {
        net.rules().put(r.number(), r);
        rig.commit();
    }

    long count(FirewallCounter c) {
        return rig.engine.counters(net.id()).get(c);
    }

    @Test
    void theFirewallDoesNothingUntilEnabled() {
        rig.config.enabled(false);
        rig.commit();
        assertEquals(Verdict.PASS, rig.forward("ppp0", Packets.udp("9.9.9.9", 1, "192.168.10.5", 2, 4)));
        ByteBuf out = Packets.udp("192.168.10.5", 40000, "8.8.8.8", 53, 4);
        rig.forward("vlan1", out);
        assertEquals("192.168.10.5", src(out), "no NAT either");
    }

    @Test
    void rulesAreCheckedInNumberOrderAndTheFirstMatchWins() {
        add(rule(20, RuleAction.ALLOW, "vlan1", Ipv4.PROTO_TCP, null, new PortRange(25, 25), null, null, null, Encapsulation.NONE));
        add(rule(10, RuleAction.DENY, "vlan1", Ipv4.PROTO_TCP, null, new PortRange(20, 30), null, null, null, Encapsulation.NONE));
        assertEquals(Verdict.DROP, rig.forward("vlan1", Packets.tcp("192.168.10.5", 3000, "8.8.8.8", 25, 1, 0, TcpHeader.SYN, 0)));
        assertEquals(1, count(FirewallCounter.DENIED_BY_RULE));
        assertEquals(Verdict.PASS, rig.forward("vlan1", Packets.tcp("192.168.10.5", 3000, "8.8.8.8", 443, 1, 0, TcpHeader.SYN, 0)),
                "no rule matches: the base rule lets private traffic out");
    }

    @Test
    void ruleNatComesBeforeInterfaceNat() {
        add(rule(1, RuleAction.NAT, "vlan1", FirewallRule.ALL_PROTOCOLS, AddressRange.of(ip("192.168.10.7")), null,
                AddressRange.of(ip("1.1.1.9")), null, null, Encapsulation.NONE));
        ByteBuf seven = Packets.udp("192.168.10.7", 5000, "8.8.8.8", 53, 4);
        ByteBuf five = Packets.udp("192.168.10.5", 5000, "8.8.8.8", 53, 4);
        rig.forward("vlan1", seven);
        rig.forward("vlan1", five);
        assertEquals("1.1.1.9", src(seven));
        assertEquals("1.1.1.1", src(five));
    }

    @Test
    void trafficBetweenPrivateInterfacesOfOnePolicyIsNotFiltered() {
        net.interfaces().put("eth0", InterfaceType.PRIVATE);
        rig.commit();
        rig.addresses.put("eth0", ip("10.0.0.1"));
        ByteBuf b = Packets.udp("192.168.10.5", 5000, "10.0.0.9", 53, 4);
        rig.ctx.reset("vlan1", false);
        assertEquals(Verdict.PASS, rig.engine.ingress().filter(rig.ctx, b));
        rig.ctx.route(new io.argate.ip.route.Route(0, 0, "eth0", 0, 0, true));
        assertEquals(Verdict.PASS, rig.engine.egress().filter(rig.ctx, b));
        assertEquals("192.168.10.5", src(b));
        assertEquals(0, rig.engine.sessions().size());
    }

    @Test
    void staticNatTranslatesOneHostAndAGblipRuleLetsTheOutsideIn() {
        net.nats().clear();
        net.nats().add(new InterfaceNat(NatType.STANDARD, "vlan1", "ppp0", AddressRange.of(ip("192.168.10.30")),
                AddressRange.of(ip("1.1.1.30"))));
        add(rule(1, RuleAction.ALLOW, "ppp0", Ipv4.PROTO_TCP, null, new PortRange(22, 22), AddressRange.of(ip("1.1.1.30")), null, null,
                Encapsulation.NONE));
        ByteBuf out = Packets.tcp("192.168.10.30", 4000, "8.8.8.8", 443, 1, 0, TcpHeader.SYN, 0);
        rig.forward("vlan1", out);
        assertEquals("1.1.1.30", src(out));
        assertEquals(4000, Packets.sport(out), "STANDARD NAT keeps ports");
        ByteBuf in = Packets.tcp("7.7.7.7", 999, "1.1.1.30", 22, 1, 0, TcpHeader.SYN, 0);
        assertEquals(Verdict.PASS, rig.forward("ppp0", in));
        assertEquals("192.168.10.30", dst(in), "GBLIP without IP follows the static NAT");
        assertEquals(Verdict.DROP, rig.forward("ppp0", Packets.tcp("7.7.7.7", 999, "1.1.1.30", 23, 1, 0, TcpHeader.SYN, 0)));
    }

    /** The reference's "IPsecとファイアウォールの併用" rules 1-5 (seed 003), router A = 1.1.1.1, LAN 192.168.10/24, remote LAN 192.168.20/24. */
    void referenceRules() {
        AddressRange router = AddressRange.of(ip("1.1.1.1"));
        for (int[] r : new int[][]{{1, 500}, {2, 2746}, {3, 4500}}) {
            add(rule(r[0], RuleAction.ALLOW, "ppp0", Ipv4.PROTO_UDP, router, new PortRange(r[1], r[1]), router, new PortRange(r[1], r[1]),
                    null, Encapsulation.NONE));
        }
        add(rule(4, RuleAction.NONAT, "vlan1", FirewallRule.ALL_PROTOCOLS, range("192.168.10.1", "192.168.10.254"), null, null, null,
                range("192.168.20.1", "192.168.20.254"), Encapsulation.NONE));
        add(rule(5, RuleAction.NONAT, "ppp0", FirewallRule.ALL_PROTOCOLS, range("192.168.10.1", "192.168.10.254"), null, null, null, null,
                Encapsulation.IPSEC));
    }

    @Test
    void theReferenceIpsecExampleLetsIkeInKeepsVpnTrafficUntranslatedAndNatsTheRest() {
        referenceRules();
        // ISAKMP, ESP over UDP and NAT-T to the router
        for (int port : new int[]{500, 2746, 4500}) {
            assertEquals(Verdict.PASS, rig.forward("ppp0", Packets.udp("2.2.2.2", port, "1.1.1.1", port, 40)), "UDP " + port);
        }
        assertEquals(Verdict.DROP, rig.forward("ppp0", Packets.udp("2.2.2.2", 500, "1.1.1.1", 501, 40)));
        // ESP itself reaches the IPsec module
        ByteBuf esp = Packets.udp("2.2.2.2", 1, "1.1.1.1", 1, 40);
        esp.setByte(9, Ipv4.PROTO_ESP);
        Ipv4.updateChecksum(esp, 0);
        assertEquals(Verdict.PASS, rig.forward("ppp0", esp));
        // LAN to remote LAN: no NAT (the SPD then protects it)
        ByteBuf vpn = Packets.tcp("192.168.10.5", 3000, "192.168.20.9", 80, 1, 0, TcpHeader.SYN, 0);
        assertEquals(Verdict.PASS, rig.forward("vlan1", vpn));
        assertEquals("192.168.10.5", src(vpn));
        // its reply comes out of the tunnel
        ByteBuf vpnReply = Packets.tcp("192.168.20.9", 80, "192.168.10.5", 3000, 7, 2, TcpHeader.SYN | TcpHeader.ACK, 0);
        assertEquals(Verdict.PASS, rig.forward("ppp0", vpnReply, "vpn"));
        // the remote LAN starts a flow through the tunnel: rule 5
        ByteBuf fromRemote = Packets.udp("192.168.20.9", 7000, "192.168.10.5", 7000, 4);
        assertEquals(Verdict.PASS, rig.forward("ppp0", fromRemote, "vpn"));
        assertEquals("192.168.10.5", dst(fromRemote));
        // the same packet in the clear is not rule 5's
        assertEquals(Verdict.DROP, rig.forward("ppp0", Packets.udp("192.168.20.9", 7001, "192.168.10.5", 7000, 4)));
        // Internet traffic is ENAT'd
        ByteBuf web = Packets.tcp("192.168.10.5", 3001, "93.184.216.34", 80, 1, 0, TcpHeader.SYN, 0);
        rig.forward("vlan1", web);
        assertEquals("1.1.1.1", src(web));
        assertTrue(count(FirewallCounter.ALLOWED_BY_RULE) >= 5);
        assertEquals(1, count(FirewallCounter.IPSEC_TO_ROUTER));
    }

    @Test
    void pingToTheRouterNeedsPingAndPingThroughNeedsIcmpForwarding() {
        ByteBuf toRouter = Packets.echo("7.7.7.7", "1.1.1.1", IcmpHeader.ECHO_REQUEST, 1, 1);
        assertEquals(Verdict.DROP, rig.forward("ppp0", toRouter));
        net.ping(true);
        rig.commit();
        assertEquals(Verdict.PASS, rig.forward("ppp0", Packets.echo("7.7.7.7", "1.1.1.1", IcmpHeader.ECHO_REQUEST, 1, 1)));
        assertEquals(Verdict.DROP, rig.forward("ppp0", Packets.echo("7.7.7.7", "192.168.10.5", IcmpHeader.ECHO_REQUEST, 1, 1)));
        assertEquals(1, count(FirewallCounter.ICMP_NOT_FORWARDED));
    }

    @Test
    void theRoutersOwnTrafficOpensSessionsSoRepliesReturn() {
        assertEquals(Verdict.PASS, rig.originate("ppp0", Packets.echo("1.1.1.1", "8.8.8.8", IcmpHeader.ECHO_REQUEST, 42, 1)));
        assertEquals(Verdict.PASS, rig.forward("ppp0", Packets.echo("8.8.8.8", "1.1.1.1", IcmpHeader.ECHO_REPLY, 42, 1)));
        assertEquals(Verdict.DROP, rig.forward("ppp0", Packets.echo("8.8.8.8", "1.1.1.1", IcmpHeader.ECHO_REPLY, 43, 1)));
    }

    @Test
    void logDenyWritesAnEntryPerDeniedPacket() {
        net.log().add(FirewallPolicy.LogOption.DENY);
        rig.commit();
        rig.forward("ppp0", Packets.udp("9.9.9.9", 1234, "1.1.1.1", 53, 4));
        assertEquals(1, rig.log.size());
        assertEquals("Firewall net: DENY ppp0 UDP 9.9.9.9:1234 > 1.1.1.1:53 (base rule: unsolicited from public)",
                rig.log.get(0));
    }
}
