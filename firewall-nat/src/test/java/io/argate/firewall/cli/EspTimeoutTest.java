package io.argate.firewall.cli;

import io.argate.firewall.engine.FirewallCounter;
import io.argate.firewall.engine.Packets;
import io.argate.ip.forward.StageFilter.Verdict;
import io.argate.ip.packet.Ipv4;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SET FIREWALL POLICY ESPTIMEOUT ([C:S40]): ESP through the firewall (a LAN host's own IPsec
 * client, "VPN passthrough") has its own idle timeout; behind NAPT each SA is a mapping of its
 * own (see {@link EspPassthroughTest}), each on ESPTIMEOUT.
 */
class EspTimeoutTest {
    final CliRig r = new CliRig("add firewall policy=net int=vlan1 type=private", "add firewall policy=net int=ppp0 type=public",
            "add firewall policy=net nat=enhanced int=vlan1 gblint=ppp0");

    static ByteBuf esp(String src, String dst, int spi, int seq) {
        ByteBuf b = Unpooled.buffer(60);
        Ipv4.write(b, 0, 0, 60, 1, 0, 64, Ipv4.PROTO_ESP, Packets.ip(src), Packets.ip(dst));
        b.setInt(20, spi);
        b.setInt(24, seq);
        b.writerIndex(60);
        return b;
    }

    void sweep() {
        for (int i = 0; i < 5; i++) {
            r.engine.sweep();
        }
    }

    @Test
    void eachEspMappingIdlesOutByEsptimeout() {
        r.ok("set firewall policy=net esptimeout=5");
        ByteBuf out = esp("192.168.10.5", "203.0.113.9", 0x1000, 1);
        assertEquals(Verdict.PASS, r.forward("vlan1", out));
        assertEquals("1.1.1.1", Packets.src(out), "translated: the address only, the SPI is kept");
        ByteBuf back = esp("203.0.113.9", "1.1.1.1", 0xc0ffee, 1);
        assertEquals(Verdict.PASS, r.forward("ppp0", back), "the peer's SA has its own SPI: learnt from this first reply");
        assertEquals("192.168.10.5", Packets.dst(back));
        Packets.assertChecksums(back);
        assertEquals(2, r.engine.sessions().size(), "one mapping per SA: outbound and inbound");

        r.clock.advance(Duration.ofMinutes(4).plusSeconds(59));
        sweep();
        ByteBuf again = esp("203.0.113.9", "1.1.1.1", 0xc0ffee, 2);
        assertEquals(Verdict.PASS, r.forward("ppp0", again));
        assertEquals("192.168.10.5", Packets.dst(again), "traffic restarts the idle time");
        r.clock.advance(Duration.ofMinutes(5));
        sweep();
        assertEquals(0, r.engine.sessions().size(), "five idle minutes end it");
        assertEquals(2, r.count(FirewallCounter.SESSIONS_EXPIRED));
        assertEquals(0, r.engine.espMappings(), "the passthrough mapping is forgotten with its session");
        ByteBuf late = esp("203.0.113.9", "1.1.1.1", 0xc0ffee, 3);
        r.forward("ppp0", late);
        assertEquals("1.1.1.1", Packets.dst(late), "no mapping: nothing sends it to the LAN host any more");
    }

    @Test
    void otherProtocolsKeepOthertimeout() {
        r.ok("set firewall policy=net esptimeout=1 othertimeout=30");
        ByteBuf gre = Unpooled.buffer(40);
        Ipv4.write(gre, 0, 0, 40, 1, 0, 64, 47, Packets.ip("192.168.10.5"), Packets.ip("203.0.113.9"));
        gre.writerIndex(40);
        assertEquals(Verdict.PASS, r.forward("vlan1", gre));
        r.clock.advance(Duration.ofMinutes(2));
        sweep();
        assertEquals(1, r.engine.sessions().size(), "GRE is on OTHERTIMEOUT, not ESPTIMEOUT");
    }

    @Test
    void showAndConfigCarryEsptimeout() {
        assertTrue(r.show("show firewall policy=net").contains(FirewallViews.detail("ESP timeout (minutes)", 20)), "default [I] 20");
        assertFalse(r.config().stream().anyMatch(l -> l.contains("esptimeout")), "the default is not written");
        r.ok("set firewall policy=net esptimeout=0");
        assertTrue(r.show("show firewall policy=net").contains(FirewallViews.detail("ESP timeout (minutes)", 0)));
        assertTrue(r.config().contains("set firewall policy=net esptimeout=0"), r.config().toString());
        r.assertRoundTrip();
        assertTrue(r.fails("set firewall policy=net esptimeout=43201").contains("Error"));
        assertTrue(r.fails("set firewall policy=net esptimeout=5 rule=1").contains("not both"));
    }
}
