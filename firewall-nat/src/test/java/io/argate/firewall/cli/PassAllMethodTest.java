package io.argate.firewall.cli;

import io.argate.firewall.engine.FirewallCounter;
import io.argate.firewall.engine.Packets;
import io.argate.firewall.wire.TcpHeader;
import io.argate.ip.forward.StageFilter.Verdict;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ADD FIREWALL POLICY INTERFACE METHOD={DYNAMIC|PASSALL} ([C:S37]): DYNAMIC, the default, is the
 * stateful filter; on a PASSALL interface nothing is refused (no base-rule block, no rules, no
 * "not a SYN"), while sessions are still kept so interface NAT goes on working.
 */
class PassAllMethodTest {
    final CliRig r = new CliRig();

    ByteBuf syn(String src, int sport, String dst, int dport) {
        return Packets.tcp(src, sport, dst, dport, 100, 0, TcpHeader.SYN, 0);
    }

    @Test
    void unsolicitedTrafficPassesAPassallPublicInterfaceAndADynamicOneBlocksIt() {
        r.ok("add firewall policy=net int=vlan1 type=private");
        r.ok("add firewall policy=net int=ppp0 type=public");
        assertEquals(Verdict.DROP, r.forward("ppp0", syn("7.7.7.7", 5555, "192.168.10.5", 22)), "DYNAMIC by default");
        assertEquals(1, r.count(FirewallCounter.DENIED_UNSOLICITED));

        r.ok("delete firewall policy=net int=ppp0");
        r.ok("add firewall policy=net int=ppp0 type=public method=passall");
        assertEquals(Verdict.PASS, r.forward("ppp0", syn("7.7.7.7", 5555, "192.168.10.5", 22)));
        assertEquals(Verdict.PASS, r.forward("vlan1", Packets.tcp("192.168.10.5", 22, "7.7.7.7", 5555, 900, 101,
                TcpHeader.SYN | TcpHeader.ACK, 0)), "the LAN host's answer goes back out");
        assertEquals(Verdict.PASS, r.forward("ppp0", Packets.tcp("7.7.7.7", 5556, "192.168.10.5", 22, 1, 1, TcpHeader.ACK, 0)),
                "not even a stray ACK is refused");
        assertEquals(3, r.count(FirewallCounter.PASSED_PASSALL));
        assertEquals(1, r.count(FirewallCounter.DENIED_UNSOLICITED), "nothing more was denied");

        String show = r.show("show firewall policy=net");
        assertTrue(show.contains("vlan1 PRIVATE, ppp0 PUBLIC PASSALL"), show);
        assertTrue(r.config().contains("add firewall policy=net int=ppp0 type=public method=passall"), r.config().toString());
        assertTrue(r.config().contains("add firewall policy=net int=vlan1 type=private"), "DYNAMIC is not written");
        r.assertRoundTrip();

        r.ok("delete firewall policy=net int=ppp0");
        r.ok("add firewall policy=net int=ppp0 type=public method=dynamic");
        assertEquals(Verdict.DROP, r.forward("ppp0", syn("7.7.7.7", 5557, "192.168.10.5", 22)), "deleting the interface forgot PASSALL");
    }

    @Test
    void natStillTranslatesThroughAPassallInterface() {
        r.ok("add firewall policy=net int=vlan1 type=private");
        r.ok("add firewall policy=net int=ppp0 type=public method=passall");
        r.ok("add firewall policy=net nat=enhanced int=vlan1 gblint=ppp0");
        ByteBuf out = syn("192.168.10.5", 40000, "93.184.216.34", 80);
        assertEquals(Verdict.PASS, r.forward("vlan1", out));
        assertEquals("1.1.1.1", Packets.src(out));
        ByteBuf back = Packets.tcp("93.184.216.34", 80, "1.1.1.1", Packets.sport(out), 500, 101, TcpHeader.SYN | TcpHeader.ACK, 0);
        assertEquals(Verdict.PASS, r.forward("ppp0", back));
        assertEquals("192.168.10.5", Packets.dst(back));
        Packets.assertChecksums(back);
    }

    @Test
    void aPassallPrivateInterfaceSkipsItsRulesAndTheSynCheck() {
        r.ok("add firewall policy=net int=vlan1 type=private method=passall");
        r.ok("add firewall policy=net int=ppp0 type=public");
        r.ok("add firewall policy=net rule=1 ac=deny int=vlan1 prot=tcp port=25");
        assertEquals(Verdict.PASS, r.forward("vlan1", syn("192.168.10.5", 40000, "93.184.216.34", 25)));
        assertEquals(Verdict.PASS, r.forward("vlan1", Packets.tcp("192.168.10.5", 40001, "93.184.216.34", 80, 1, 1, TcpHeader.ACK, 0)));
        assertEquals(0, r.count(FirewallCounter.DENIED_BY_RULE));
        assertEquals(0, r.count(FirewallCounter.TCP_NOT_SYN));
    }

    @Test
    void methodNeedsAnInterfaceToAdd() {
        r.ok("add firewall policy=net int=vlan1 type=private");
        assertTrue(r.fails("add firewall policy=net int=ppp0 method=passall").contains("Give TYPE"), r.rig.lastOutput());
        assertTrue(r.fails("add firewall policy=net int=ppp0 type=public method=sometimes").contains("Error"));
        assertTrue(r.fails("add firewall policy=net rule=1 ac=allow int=vlan1 prot=tcp method=passall").contains("do not belong to a rule"),
                r.rig.lastOutput());
        assertFalse(r.module.config().policy("net").orElseThrow().interfaces().containsKey("ppp0"));
    }
}
