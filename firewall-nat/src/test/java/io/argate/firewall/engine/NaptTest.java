package io.argate.firewall.engine;

import io.argate.firewall.FirewallLimits;
import io.argate.firewall.config.AddressRange;
import io.argate.firewall.config.Encapsulation;
import io.argate.firewall.config.FirewallPolicy;
import io.argate.firewall.config.FirewallRule;
import io.argate.firewall.config.InterfaceNat;
import io.argate.firewall.config.InterfaceType;
import io.argate.firewall.config.NatType;
import io.argate.firewall.config.PortRange;
import io.argate.firewall.config.RuleAction;
import io.argate.ip.packet.Checksum;
import io.argate.firewall.wire.IcmpHeader;
import io.argate.firewall.wire.TcpHeader;
import io.argate.ip.forward.StageFilter.Verdict;
import io.argate.ip.packet.Ipv4;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import static io.argate.firewall.engine.Packets.assertChecksums;
import static io.argate.firewall.engine.Packets.dport;
import static io.argate.firewall.engine.Packets.dst;
import static io.argate.firewall.engine.Packets.ip;
import static io.argate.firewall.engine.Packets.sport;
import static io.argate.firewall.engine.Packets.src;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** ENAT of hand-built packets through the two stages: addresses, ports and every checksum. */
class NaptTest {
    final Rig rig = new Rig();
    final FirewallPolicy net;

    NaptTest() {
        rig.config.enabled(true);
        net = rig.config.create("net");
        net.icmpForwarding().addAll(java.util.EnumSet.allOf(FirewallPolicy.IcmpForwarding.class));
        net.interfaces().put("vlan1", InterfaceType.PRIVATE);
        net.interfaces().put("ppp0", InterfaceType.PUBLIC);
        net.nats().add(new InterfaceNat(NatType.ENHANCED, "vlan1", "ppp0", null, null));
        rig.commit();
    }

    long count(FirewallCounter c) {
        return rig.engine.counters(net.id()).get(c);
    }

    @Test
    void espPassthroughMappingsAreBoundedAndTheOneTooManyIsACountedDrop() {
        for (int i = 0; i < FirewallLimits.ESP_PASSTHROUGH_MAPPINGS; i++) {
            assertEquals(Verdict.PASS, rig.forward("vlan1", esp("192.168.10.5", "8.8.8.8", 0x1000 + i)), "SA " + i);
        }
        ByteBuf more = esp("192.168.10.5", "8.8.8.8", 0x9999);
        assertEquals(Verdict.DROP, rig.forward("vlan1", more));
        assertEquals("192.168.10.5", src(more), "not translated");
        assertEquals(1, count(FirewallCounter.ESP_MAPPINGS_FULL));
        assertEquals(FirewallLimits.ESP_PASSTHROUGH_MAPPINGS, count(FirewallCounter.SESSIONS_OPENED));
    }

    static ByteBuf esp(String src, String dst, int spi) {
        ByteBuf b = io.netty.buffer.Unpooled.buffer(40);
        Ipv4.write(b, 0, 0, 40, 1, 0, 64, Ipv4.PROTO_ESP, ip(src), ip(dst));
        b.setInt(20, spi);
        b.setInt(24, 1);
        b.writerIndex(40);
        return b;
    }

    @Test
    void udpLeavesWithTheGlobalAddressAndItsReplyComesBackToTheHost() {
        ByteBuf out = Packets.udp("192.168.10.5", 40000, "8.8.8.8", 53, 30);
        assertEquals(Verdict.PASS, rig.forward("vlan1", out));
        assertEquals("1.1.1.1", src(out));
        assertEquals(40000, sport(out), "the host's port is kept while it is free");
        assertEquals("8.8.8.8", dst(out));
        assertChecksums(out);

        ByteBuf back = Packets.udp("8.8.8.8", 53, "1.1.1.1", 40000, 50);
        assertEquals(Verdict.PASS, rig.forward("ppp0", back));
        assertEquals("192.168.10.5", dst(back));
        assertEquals(40000, dport(back));
        assertEquals("8.8.8.8", src(back));
        assertChecksums(back);
        assertEquals(2, count(FirewallCounter.PACKETS_TRANSLATED));
    }

    @Test
    void twoHostsOnOnePortGetTwoGlobalPortsAndEachReplyFindsItsHost() {
        ByteBuf a = Packets.udp("192.168.10.5", 40000, "8.8.8.8", 53, 10);
        ByteBuf b = Packets.udp("192.168.10.6", 40000, "8.8.8.8", 53, 10);
        rig.forward("vlan1", a);
        rig.forward("vlan1", b);
        assertNotEquals(sport(a), sport(b));
        assertChecksums(b);
        ByteBuf toB = Packets.udp("8.8.8.8", 53, "1.1.1.1", sport(b), 10);
        rig.forward("ppp0", toB);
        assertEquals("192.168.10.6", dst(toB));
        assertEquals(40000, dport(toB));
        assertChecksums(toB);
        // and the flow keeps its mapping
        ByteBuf b2 = Packets.udp("192.168.10.6", 40000, "8.8.8.8", 53, 10);
        rig.forward("vlan1", b2);
        assertEquals(sport(b), sport(b2));
    }

    @Test
    void aZeroUdpChecksumStaysZero() {
        ByteBuf out = Packets.udp("192.168.10.5", 40000, "8.8.8.8", 53, 4);
        out.setShort(26, 0);
        rig.forward("vlan1", out);
        assertEquals(0, out.getUnsignedShort(26));
        assertEquals(0, Ipv4.checksum(out, 0, 20));
    }

    @Test
    void unsolicitedTrafficFromPublicIsDroppedAndCounted() {
        assertEquals(Verdict.DROP, rig.forward("ppp0", Packets.udp("9.9.9.9", 1234, "1.1.1.1", 40000, 4)));
        assertEquals(Verdict.DROP, rig.forward("ppp0", Packets.tcp("9.9.9.9", 1234, "192.168.10.5", 22, 1, 0, TcpHeader.SYN, 0)));
        assertEquals(2, count(FirewallCounter.DENIED_UNSOLICITED));
    }

    @Test
    void pingGetsItsIdentifierTranslatedAndTheReplyComesBack() {
        ByteBuf req = Packets.echo("192.168.10.5", "8.8.4.4", IcmpHeader.ECHO_REQUEST, 7, 1);
        ByteBuf req2 = Packets.echo("192.168.10.6", "8.8.4.4", IcmpHeader.ECHO_REQUEST, 7, 1);
        assertEquals(Verdict.PASS, rig.forward("vlan1", req));
        assertEquals(Verdict.PASS, rig.forward("vlan1", req2));
        assertEquals("1.1.1.1", src(req2));
        int id2 = req2.getUnsignedShort(24);
        assertNotEquals(req.getUnsignedShort(24), id2, "two hosts' identifiers cannot share one global address");
        assertChecksums(req2);
        ByteBuf reply = Packets.echo("8.8.4.4", "1.1.1.1", IcmpHeader.ECHO_REPLY, id2, 1);
        assertEquals(Verdict.PASS, rig.forward("ppp0", reply));
        assertEquals("192.168.10.6", dst(reply));
        assertEquals(7, reply.getUnsignedShort(24));
        assertChecksums(reply);
    }

    @Test
    void anIcmpErrorAboutATranslatedPacketReachesTheHostWithItsOwnPacketQuoted() {
        ByteBuf out = Packets.udp("192.168.10.5", 40000, "8.8.8.8", 53, 10);
        rig.forward("vlan1", Packets.udp("192.168.10.9", 40000, "8.8.8.8", 53, 10)); // takes port 40000 first
        rig.forward("vlan1", out);
        int global = sport(out);
        ByteBuf err = Packets.error("5.5.5.5", "1.1.1.1", IcmpHeader.TIME_EXCEEDED, 0, out);
        assertEquals(Verdict.PASS, rig.forward("ppp0", err));
        assertEquals("192.168.10.5", dst(err));
        assertEquals("5.5.5.5", src(err));
        assertEquals(ip("192.168.10.5"), err.getInt(28 + 12), "quoted source");
        assertEquals(40000, err.getUnsignedShort(48), "quoted source port, was " + global);
        assertEquals(0, Ipv4.checksum(err, 28, 20), "quoted IP header checksum");
        assertChecksums(err);
        assertEquals(1, count(FirewallCounter.ICMP_ERRORS_TRANSLATED));
        ByteBuf stray = Packets.error("5.5.5.5", "1.1.1.1", IcmpHeader.UNREACHABLE, 3,
                Packets.udp("1.1.1.1", 555, "8.8.8.8", 53, 10));
        assertEquals(Verdict.DROP, rig.forward("ppp0", stray));
        assertEquals(1, count(FirewallCounter.ICMP_ERROR_UNMATCHED));
    }

    @Test
    void aPortForwardRuleReachesTheInsideHostAndItsRepliesLeaveAsTheGlobalPort() {
        net.rules().put(10, new FirewallRule(10, RuleAction.ALLOW, "ppp0", Ipv4.PROTO_TCP, AddressRange.of(ip("192.168.10.20")),
                new PortRange(80, 80), AddressRange.of(ip("1.1.1.1")), new PortRange(8080, 8080), null, null, Encapsulation.NONE));
        rig.commit();
        ByteBuf syn = Packets.tcp("7.7.7.7", 5555, "1.1.1.1", 8080, 1000, 0, TcpHeader.SYN, 0);
        assertEquals(Verdict.PASS, rig.forward("ppp0", syn));
        assertEquals("192.168.10.20", dst(syn));
        assertEquals(80, dport(syn));
        assertChecksums(syn);
        ByteBuf synAck = Packets.tcp("192.168.10.20", 80, "7.7.7.7", 5555, 9000, 1001, TcpHeader.SYN | TcpHeader.ACK, 0);
        assertEquals(Verdict.PASS, rig.forward("vlan1", synAck));
        assertEquals("1.1.1.1", src(synAck));
        assertEquals(8080, sport(synAck));
        assertChecksums(synAck);
        assertEquals(1, count(FirewallCounter.ALLOWED_BY_RULE));
        // the same port without the rule's GBLPORT stays closed
        assertEquals(Verdict.DROP, rig.forward("ppp0", Packets.tcp("7.7.7.7", 5555, "1.1.1.1", 80, 1, 0, TcpHeader.SYN, 0)));
    }

    /** A fragment of UDP datagram {@code id}: the first carries the UDP header, a later one only data. */
    static ByteBuf fragment(String src, String dst, int id, int offsetUnits, boolean more, int sport, int dport) {
        ByteBuf b = io.netty.buffer.Unpooled.buffer(48);
        Ipv4.write(b, 0, 0, 48, id, (more ? Ipv4.FLAG_MF : 0) | offsetUnits, 64, Ipv4.PROTO_UDP, ip(src), ip(dst));
        if (offsetUnits == 0) {
            io.argate.firewall.wire.UdpHeader.write(b, 20, sport, dport, 8 + 28 + 40);
            b.setShort(26, 0x1234); // covers the whole datagram, so only an incremental update can be right
        }
        b.writerIndex(48);
        return b;
    }

    @Test
    void laterFragmentsFollowTheirFirstFragmentsTranslationBothWays() {
        ByteBuf first = fragment("192.168.10.5", "8.8.8.8", 77, 0, true, 40000, 53);
        assertEquals(Verdict.PASS, rig.forward("vlan1", first));
        assertEquals("1.1.1.1", src(first));
        assertEquals(Checksum.update16(Checksum.update32(0x1234, ip("192.168.10.5"), ip("1.1.1.1")), 40000, sport(first)),
                first.getUnsignedShort(26), "the UDP checksum covers the whole datagram: updated, not recomputed");
        ByteBuf later = fragment("192.168.10.5", "8.8.8.8", 77, 3, false, 0, 0);
        assertEquals(Verdict.PASS, rig.forward("vlan1", later));
        assertEquals("1.1.1.1", src(later));
        assertEquals(0, Ipv4.checksum(later, 0, 20));
        assertEquals(Verdict.DROP, rig.forward("vlan1", fragment("192.168.10.5", "8.8.8.8", 78, 3, false, 0, 0)),
                "a later fragment whose first never passed would leak the private address");
        ByteBuf backFirst = fragment("8.8.8.8", "1.1.1.1", 900, 0, true, 53, sport(first));
        assertEquals(Verdict.PASS, rig.forward("ppp0", backFirst));
        ByteBuf backLater = fragment("8.8.8.8", "1.1.1.1", 900, 3, false, 0, 0);
        assertEquals(Verdict.PASS, rig.forward("ppp0", backLater));
        assertEquals("192.168.10.5", dst(backLater));
        assertEquals(Verdict.DROP, rig.forward("ppp0", fragment("8.8.8.8", "1.1.1.1", 901, 3, false, 0, 0)));
        assertEquals(2, count(FirewallCounter.FRAGMENT));
    }

    @Test
    void anInsideHostsErrorAboutAForwardedPacketLeavesWithTheGlobalAddressAndPort() {
        net.rules().put(10, new FirewallRule(10, RuleAction.ALLOW, "ppp0", Ipv4.PROTO_UDP, AddressRange.of(ip("192.168.10.20")),
                new PortRange(69, 69), AddressRange.of(ip("1.1.1.1")), new PortRange(6969, 6969), null, null, Encapsulation.NONE));
        rig.commit();
        ByteBuf in = Packets.udp("7.7.7.7", 5555, "1.1.1.1", 6969, 12);
        assertEquals(Verdict.PASS, rig.forward("ppp0", in));
        ByteBuf err = Packets.error("192.168.10.20", "7.7.7.7", IcmpHeader.UNREACHABLE, 3, in);
        assertEquals(Verdict.PASS, rig.forward("vlan1", err));
        assertEquals("1.1.1.1", src(err), "the inside host hides behind the global address");
        assertEquals("7.7.7.7", dst(err));
        assertEquals(ip("1.1.1.1"), err.getInt(28 + 16), "quoted destination as the outside host sent it");
        assertEquals(6969, err.getUnsignedShort(50), "quoted destination port as sent");
        assertEquals(0, Ipv4.checksum(err, 28, 20));
        assertChecksums(err);
    }

    @Test
    void aSourceTranslationWaitsForEgressSoAPacketThatDiesAtRouteIsQuotedAsItsSenderSentIt() {
        rig.forward("vlan1", Packets.udp("192.168.10.5", 40000, "8.8.8.8", 53, 10));
        ByteBuf second = Packets.udp("192.168.10.5", 40000, "8.8.8.8", 53, 10);
        rig.ctx.reset("vlan1", false);
        assertEquals(Verdict.PASS, rig.engine.ingress().filter(rig.ctx, second));
        assertEquals("192.168.10.5", src(second), "what ROUTE sees (and an ICMP error from it would quote)");
        rig.ctx.route(new io.argate.ip.route.Route(0, 0, "ppp0", 0, 0, true));
        assertEquals(Verdict.PASS, rig.engine.egress().filter(rig.ctx, second));
        assertEquals("1.1.1.1", src(second));
        assertChecksums(second);
        // a reply's destination changes at ingress, before the route lookup needs it
        ByteBuf reply = Packets.udp("8.8.8.8", 53, "1.1.1.1", 40000, 10);
        rig.ctx.reset("ppp0", false);
        assertEquals(Verdict.PASS, rig.engine.ingress().filter(rig.ctx, reply));
        assertEquals("192.168.10.5", dst(reply));
    }
}
