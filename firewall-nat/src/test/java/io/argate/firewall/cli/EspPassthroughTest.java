package io.argate.firewall.cli;

import io.argate.firewall.engine.FirewallCounter;
import io.argate.firewall.engine.Packets;
import io.argate.ip.forward.StageFilter.Verdict;
import io.argate.ip.packet.Ipv4;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.argate.firewall.cli.EspTimeoutTest.esp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ESP of several LAN hosts to one peer through ENAT (NAPT): each SA is a mapping keyed by its
 * SPI, the peer's SPI towards each host is learnt from its first reply, and an SPI no host waits
 * for is dropped and counted.
 */
class EspPassthroughTest {
    static final String PEER = "203.0.113.9";
    final CliRig r = new CliRig("add firewall policy=net int=vlan1 type=private", "add firewall policy=net int=ppp0 type=public",
            "add firewall policy=net nat=enhanced int=vlan1 gblint=ppp0");

    ByteBuf send(String in, String src, String dst, int spi, Verdict expected) {
        ByteBuf b = esp(src, dst, spi, 1);
        assertEquals(expected, r.forward(in, b), src + " > " + dst + " spi " + Integer.toHexString(spi));
        return b;
    }

    @Test
    void twoHostsToOnePeerEachGetTheirOwnReplies() {
        ByteBuf a = send("vlan1", "192.168.10.5", PEER, 0x1000, Verdict.PASS);
        assertEquals("1.1.1.1", Packets.src(a));
        assertEquals(0x1000, a.getInt(20), "the SPI is not touched");
        ByteBuf toA = send("ppp0", PEER, "1.1.1.1", 0xa0a0a0a0, Verdict.PASS);
        assertEquals("192.168.10.5", Packets.dst(toA));
        Packets.assertChecksums(toA);

        r.clock.advance(Duration.ofSeconds(3));
        ByteBuf b = send("vlan1", "192.168.10.6", PEER, 0x2000, Verdict.PASS);
        assertEquals("1.1.1.1", Packets.src(b), "a second host to the same peer shares the global address");
        ByteBuf toB = send("ppp0", PEER, "1.1.1.1", 0xb0b0b0b0, Verdict.PASS);
        assertEquals("192.168.10.6", Packets.dst(toB));

        // from now on each SPI finds its own host, in any order
        for (int i = 0; i < 3; i++) {
            assertEquals("192.168.10.5", Packets.dst(send("ppp0", PEER, "1.1.1.1", 0xa0a0a0a0, Verdict.PASS)));
            assertEquals("192.168.10.6", Packets.dst(send("ppp0", PEER, "1.1.1.1", 0xb0b0b0b0, Verdict.PASS)));
            assertEquals("1.1.1.1", Packets.src(send("vlan1", "192.168.10.6", PEER, 0x2000, Verdict.PASS)));
            assertEquals("1.1.1.1", Packets.src(send("vlan1", "192.168.10.5", PEER, 0x1000, Verdict.PASS)));
        }
        assertEquals(2, r.count(FirewallCounter.ESP_SPI_LEARNT));
        assertEquals(0, r.engine.counters(r.module.config().policy("net").orElseThrow().id()).drops());

        String sessions = r.show("show firewall session");
        assertTrue(sessions.contains("192.168.10.5 > 203.0.113.9 spi 4096"), sessions);
        assertTrue(sessions.contains("1.1.1.1 > 203.0.113.9 spi 4096"), sessions);
        assertTrue(sessions.contains("203.0.113.9 > 1.1.1.1 spi 2694881440"), sessions);
        assertTrue(sessions.contains("203.0.113.9 > 192.168.10.5 spi 2694881440"), sessions);
        assertTrue(sessions.contains("203.0.113.9 > 192.168.10.6 spi 2964369584"), sessions);
        assertTrue(r.show("show firewall").contains(FirewallViews.detail("ESP passthrough mappings", 2)));
    }

    @Test
    void anSpiNoHostWaitsForIsDroppedAndCounted() {
        send("vlan1", "192.168.10.5", PEER, 0x1000, Verdict.PASS);
        send("ppp0", PEER, "1.1.1.1", 0xa0a0a0a0, Verdict.PASS);
        ByteBuf stray = send("ppp0", PEER, "1.1.1.1", 0x0bad0bad, Verdict.DROP);
        assertEquals("1.1.1.1", Packets.dst(stray));
        assertEquals(1, r.count(FirewallCounter.ESP_SPI_UNKNOWN));
        assertTrue(r.show("show firewall policy=net counters")
                .contains(FirewallViews.detail("Dropped: ESP with an SPI no LAN host waits for", 1)));
        // ESP from a peer no LAN host talks to is the router's own IPsec, as before
        send("ppp0", "198.51.100.7", "1.1.1.1", 0x0bad0bad, Verdict.PASS);
        assertEquals(1, r.count(FirewallCounter.IPSEC_TO_ROUTER));
    }

    @Test
    void twoHostsWaitingForOnePeerWithinASecondAreNotGuessedBetween() {
        send("vlan1", "192.168.10.5", PEER, 0x1000, Verdict.PASS);
        r.clock.advance(Duration.ofMillis(300));
        send("vlan1", "192.168.10.6", PEER, 0x2000, Verdict.PASS);
        ByteBuf reply = send("ppp0", PEER, "1.1.1.1", 0xa0a0a0a0, Verdict.DROP);
        assertEquals("1.1.1.1", Packets.dst(reply));
        assertEquals(1, r.count(FirewallCounter.ESP_SPI_AMBIGUOUS));
        assertEquals(0, r.count(FirewallCounter.ESP_SPI_LEARNT));

        // the second host sends again after a pause: the next new SPI is its
        r.clock.advance(Duration.ofSeconds(2));
        send("vlan1", "192.168.10.6", PEER, 0x2000, Verdict.PASS);
        assertEquals("192.168.10.6", Packets.dst(send("ppp0", PEER, "1.1.1.1", 0xb0b0b0b0, Verdict.PASS)));
        // and the first host, the only one still waiting, gets the other
        assertEquals("192.168.10.5", Packets.dst(send("ppp0", PEER, "1.1.1.1", 0xa0a0a0a0, Verdict.PASS)));
    }

    @Test
    void theRoutersOwnTunnelWithThePeerKeepsItsSpisAndAHostGetsItsOwn() {
        r.engine.routerSpis(spi -> spi == 0x7777); // what the SAD holds as the router's inbound SAs
        assertEquals(Verdict.PASS, r.originate("ppp0", esp("1.1.1.1", PEER, 0x5555, 1)), "the router's own tunnel");
        send("vlan1", "192.168.10.5", PEER, 0x1000, Verdict.PASS);
        ByteBuf own = send("ppp0", PEER, "1.1.1.1", 0x7777, Verdict.PASS);
        assertEquals("1.1.1.1", Packets.dst(own), "the router's SPI stays the router's, though a host waits for that peer");
        ByteBuf toHost = send("ppp0", PEER, "1.1.1.1", 0xa0a0a0a0, Verdict.PASS);
        assertEquals("192.168.10.5", Packets.dst(toHost), "the host's SPI goes past the router's address-pair session");
        assertEquals("192.168.10.5", Packets.dst(send("ppp0", PEER, "1.1.1.1", 0xa0a0a0a0, Verdict.PASS)));
        assertEquals("1.1.1.1", Packets.dst(send("ppp0", PEER, "1.1.1.1", 0x7777, Verdict.PASS)));
    }

    @Test
    void anIcmpErrorAboutAHostsEspReachesTheHost() {
        r.ok("enable firewall policy=net icmp_f=all");
        ByteBuf out = send("vlan1", "192.168.10.5", PEER, 0x1000, Verdict.PASS);
        // fragmentation needed from a router on the way, quoting the translated packet (RFC 1191)
        ByteBuf err = Packets.error("198.51.100.1", "1.1.1.1", 3, 4, out);
        assertEquals(Verdict.PASS, r.forward("ppp0", err));
        assertEquals("192.168.10.5", Packets.dst(err));
        assertEquals("192.168.10.5", Packets.text(Ipv4.source(err, 28)), "the quoted packet as the host sent it");
        Packets.assertChecksums(err);
    }

    @Test
    void aTruncatedEspHeaderIsDroppedAndCounted() {
        ByteBuf b = Unpooled.buffer(24);
        Ipv4.write(b, 0, 0, 24, 1, 0, 64, Ipv4.PROTO_ESP, Packets.ip("192.168.10.5"), Packets.ip(PEER));
        b.writerIndex(24);
        assertEquals(Verdict.DROP, r.forward("vlan1", b));
        assertEquals(1, r.count(FirewallCounter.TRUNCATED));
    }
}
