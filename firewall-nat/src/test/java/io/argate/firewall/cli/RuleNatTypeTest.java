package io.argate.firewall.cli;

import io.argate.firewall.engine.Packets;
import io.argate.ip.forward.StageFilter.Verdict;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NATTYPE={DOUBLE|ENHANCED|REVERSE|STANDARD} and NATMASK on ACTION=NAT rules ([C:S39] syntax;
 * the reading of each type is [I], see RuleNat): what each translates, whole subnets by mask, the
 * replies coming back, SHOW and the script, and the combinations that make no sense.
 */
class RuleNatTypeTest {
    final CliRig r = new CliRig("add firewall policy=net int=vlan1 type=private", "add firewall policy=net int=ppp0 type=public",
            "add firewall policy=net nat=enhanced int=vlan1 gblint=ppp0");

    @Test
    void standardWithNatmaskMapsTheSubnetOneToOneAndKeepsPorts() {
        r.ok("add firewall policy=net rule=1 ac=nat int=vlan1 prot=all ip=192.168.10.0 gblip=10.9.1.0 nattype=standard natmask=255.255.255.0");
        ByteBuf a = Packets.udp("192.168.10.5", 40000, "93.184.216.34", 53, 10);
        ByteBuf b = Packets.udp("192.168.10.77", 40000, "93.184.216.34", 53, 10);
        assertEquals(Verdict.PASS, r.forward("vlan1", a));
        assertEquals(Verdict.PASS, r.forward("vlan1", b));
        assertEquals("10.9.1.5", Packets.src(a));
        assertEquals("10.9.1.77", Packets.src(b));
        assertEquals(40000, Packets.sport(a), "STANDARD translates the address only");
        assertEquals(40000, Packets.sport(b));
        Packets.assertChecksums(a);
        ByteBuf back = Packets.udp("93.184.216.34", 53, "10.9.1.77", 40000, 20);
        assertEquals(Verdict.PASS, r.forward("ppp0", back));
        assertEquals("192.168.10.77", Packets.dst(back));
        Packets.assertChecksums(back);

        String show = r.show("show firewall policy=net");
        assertTrue(show.contains("rule=1 ac=nat int=vlan1 prot=all ip=192.168.10.0 gblip=10.9.1.0 nattype=standard natmask=255.255.255.0"), show);
        r.assertRoundTrip();
    }

    @Test
    void standardWithoutMaskTakesAddressesFromTheGblipPool() {
        r.ok("add firewall policy=net rule=1 ac=nat int=vlan1 prot=udp gblip=1.1.1.10-1.1.1.11 nattype=standard");
        ByteBuf a = Packets.udp("192.168.10.5", 40000, "93.184.216.34", 53, 10);
        ByteBuf b = Packets.udp("192.168.10.6", 40000, "93.184.216.34", 53, 10);
        r.forward("vlan1", a);
        r.forward("vlan1", b);
        assertEquals("1.1.1.10", Packets.src(a));
        assertEquals("1.1.1.11", Packets.src(b), "the same port to the same server: the next address");
        assertEquals(40000, Packets.sport(b));
    }

    @Test
    void doubleTranslatesSourceAndDestinationBetweenOverlappingNetworks() {
        // the far site also numbers 192.168.10/24: the LAN reaches it as 172.16.0/24, it sees the LAN as 10.9.1/24
        r.ok("add firewall policy=net rule=1 ac=nat int=vlan1 prot=all ip=192.168.10.0 remoteip=172.16.0.0 gblip=10.9.1.0 "
                + "gblremoteip=10.200.0.0 nattype=double natmask=255.255.255.0");
        ByteBuf out = Packets.udp("192.168.10.5", 40000, "172.16.0.7", 5060, 10);
        assertEquals(Verdict.PASS, r.forward("vlan1", out));
        assertEquals("10.9.1.5", Packets.src(out));
        assertEquals("10.200.0.7", Packets.dst(out));
        Packets.assertChecksums(out);
        ByteBuf back = Packets.udp("10.200.0.7", 5060, "10.9.1.5", 40000, 10);
        assertEquals(Verdict.PASS, r.forward("ppp0", back));
        assertEquals("172.16.0.7", Packets.src(back));
        assertEquals("192.168.10.5", Packets.dst(back));
        Packets.assertChecksums(back);
        ByteBuf other = Packets.udp("192.168.10.5", 40001, "93.184.216.34", 53, 10);
        r.forward("vlan1", other);
        assertEquals("1.1.1.1", Packets.src(other), "REMOTEIP outside the rule's subnet: interface ENAT");
        assertTrue(r.config().contains("add firewall policy=net rule=1 ac=nat int=vlan1 prot=all ip=192.168.10.0 remoteip=172.16.0.0 "
                + "gblip=10.9.1.0 nattype=double natmask=255.255.255.0 gblremoteip=10.200.0.0")
                || r.config().stream().anyMatch(l -> l.contains("nattype=double natmask=255.255.255.0 gblremoteip=10.200.0.0")), r.config().toString());
        r.assertRoundTrip();
    }

    @Test
    void reverseTranslatesTheDestinationOfFlowsFromOutside() {
        r.ok("add firewall policy=net rule=1 ac=nat int=ppp0 prot=tcp gblip=10.9.1.0 ip=192.168.10.0 nattype=reverse natmask=255.255.255.0");
        ByteBuf in = Packets.tcp("7.7.7.7", 5555, "10.9.1.20", 22, 1, 0, io.argate.firewall.wire.TcpHeader.SYN, 0);
        assertEquals(Verdict.PASS, r.forward("ppp0", in));
        assertEquals("192.168.10.20", Packets.dst(in));
        assertEquals(22, Packets.dport(in));
        Packets.assertChecksums(in);
        ByteBuf reply = Packets.tcp("192.168.10.20", 22, "7.7.7.7", 5555, 900, 2,
                io.argate.firewall.wire.TcpHeader.SYN | io.argate.firewall.wire.TcpHeader.ACK, 0);
        assertEquals(Verdict.PASS, r.forward("vlan1", reply));
        assertEquals("10.9.1.20", Packets.src(reply));
        assertEquals(Verdict.DROP, r.forward("ppp0", Packets.tcp("7.7.7.7", 5556, "10.9.2.20", 22, 1, 0,
                io.argate.firewall.wire.TcpHeader.SYN, 0)), "outside the GBLIP subnet: the base rule blocks it");
        r.assertRoundTrip();
    }

    @Test
    void enhancedIsTheDefaultNapt() {
        r.ok("add firewall policy=net rule=1 ac=nat int=vlan1 prot=udp gblip=1.1.1.10 nattype=enhanced");
        ByteBuf a = Packets.udp("192.168.10.5", 40000, "93.184.216.34", 53, 10);
        ByteBuf b = Packets.udp("192.168.10.6", 40000, "93.184.216.34", 53, 10);
        r.forward("vlan1", a);
        r.forward("vlan1", b);
        assertEquals("1.1.1.10", Packets.src(b));
        assertTrue(Packets.sport(a) != Packets.sport(b), "one address shared by port");
    }

    @Test
    void meaninglessCombinationsAreRefused() {
        String rule = "add firewall policy=net rule=1 ac=nat int=vlan1 prot=all ip=192.168.10.0 gblip=10.9.1.0 ";
        assertTrue(r.fails(rule + "nattype=enhanced natmask=255.255.255.0").contains("NATMASK maps subnets one to one"), r.rig.lastOutput());
        assertTrue(r.fails("add firewall policy=net rule=1 ac=allow int=vlan1 prot=all nattype=standard").contains("need ACTION=NAT"));
        assertTrue(r.fails(rule + "nattype=reverse").contains("must be PUBLIC"));
        assertTrue(r.fails("add firewall policy=net rule=1 ac=nat int=ppp0 prot=all gblip=10.9.1.0 ip=192.168.10.0 nattype=standard")
                .contains("must be PRIVATE"));
        assertTrue(r.fails(rule + "nattype=double remoteip=172.16.0.0").contains("GBLREMOTEIP"), r.rig.lastOutput());
        assertTrue(r.fails(rule + "nattype=standard gblremoteip=10.200.0.0").contains("GBLREMOTEIP applies to NATTYPE=DOUBLE"));
        assertTrue(r.fails(rule + "nattype=standard natmask=255.0.255.0").contains("contiguous"), r.rig.lastOutput());
        assertTrue(r.fails("add firewall policy=net rule=1 ac=nat int=vlan1 prot=all ip=192.168.10.0-192.168.10.9 gblip=10.9.1.0 "
                + "nattype=standard natmask=255.255.255.0").contains("network address"));
        assertTrue(r.fails("add firewall policy=net rule=1 ac=nat int=vlan1 prot=all nattype=standard").contains("needs GBLIP"));
        assertTrue(r.module.config().policy("net").orElseThrow().rules().isEmpty());
        r.ok(rule + "nattype=standard natmask=255.255.255.0");
        assertTrue(r.fails("add firewall policy=net rule=2 ac=nat int=vlan1 prot=all ip=192.168.10.0 gblip=10.9.1.0 nattype=standard "
                + "natmask=255.255.255.0").contains("would be the same as rule 1"));
    }
}
