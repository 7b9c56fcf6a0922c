package io.argate.firewall.engine;

import io.argate.firewall.config.FirewallPolicy;
import io.argate.firewall.config.InterfaceNat;
import io.argate.firewall.config.InterfaceType;
import io.argate.firewall.config.NatType;
import io.argate.ip.forward.StageFilter.Verdict;
import io.argate.ip.packet.Ipv4;
import io.argate.ip.packet.Offloads;
import io.argate.ip.packet.VirtioNetHeader;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import static io.argate.firewall.engine.Packets.assertChecksums;
import static io.argate.firewall.engine.Packets.sport;
import static io.argate.firewall.engine.Packets.src;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A host behind a TUN port with checksum offload sends TCP and UDP with a partial checksum (the
 * field holds the pseudo-header's sum; the receiving side or a NIC finishes it from csum_start).
 * NAT must leave a field that, finished that way, is the right checksum for the translated packet.
 */
class PartialChecksumNatTest {
    final Rig rig = new Rig();

    PartialChecksumNatTest() {
        rig.config.enabled(true);
        FirewallPolicy net = rig.config.create("net");
        net.interfaces().put("vlan1", InterfaceType.PRIVATE);
        net.interfaces().put("ppp0", InterfaceType.PUBLIC);
        net.nats().add(new InterfaceNat(NatType.ENHANCED, "vlan1", "ppp0", null, null));
        rig.commit();
    }

    /** The packet made partial as the host's kernel hands it over: NEEDS_CSUM from the transport header on. */
    static VirtioNetHeader partial(ByteBuf b, int checksumOffset) {
        VirtioNetHeader h = new VirtioNetHeader().set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 0, 20, checksumOffset);
        Offloads.preparePartial(b, h);
        return h;
    }

    /** What a device does with a partial checksum: sums from csum_start to the end, field included, and writes the complement. */
    static void finishAsTheHostDoes(ByteBuf b, VirtioNetHeader h) {
        int len = Ipv4.totalLength(b, 0) - h.csumStart();
        b.setShort(h.csumStart() + h.csumOffset(), Ipv4.checksum(b, h.csumStart(), len));
    }

    @Test
    void tcpWithAPartialChecksumLeavesWithOneTheHostFinishesRight() {
        ByteBuf out = Packets.tcp("192.168.10.5", 40000, "8.8.8.8", 80, 1000, 0, 0x02, 0);
        VirtioNetHeader h = partial(out, 16);
        // a second host on the same port forces a new global port too, so ports change as well as addresses
        rig.forward("vlan1", Packets.tcp("192.168.10.6", 40000, "8.8.8.8", 80, 1, 0, 0x02, 0));
        assertEquals(Verdict.PASS, rig.forward("vlan1", out, null, h));
        assertEquals("1.1.1.1", src(out));
        assertNotEquals(40000, sport(out), "the port was translated");
        finishAsTheHostDoes(out, h);
        assertChecksums(out);
    }

    @Test
    void udpWithAPartialChecksumLeavesWithOneTheHostFinishesRight() {
        rig.forward("vlan1", Packets.udp("192.168.10.6", 5000, "8.8.8.8", 53, 40));
        ByteBuf out = Packets.udp("192.168.10.5", 5000, "8.8.8.8", 53, 40);
        VirtioNetHeader h = partial(out, 6);
        assertEquals(Verdict.PASS, rig.forward("vlan1", out, null, h));
        assertEquals("1.1.1.1", src(out));
        assertNotEquals(5000, sport(out));
        finishAsTheHostDoes(out, h);
        assertChecksums(out);
    }

    @Test
    void aReplyWithAPartialChecksumIsTranslatedBackRight() {
        ByteBuf out = Packets.tcp("192.168.10.5", 40000, "8.8.8.8", 80, 1000, 0, 0x02, 0);
        rig.forward("vlan1", out);
        ByteBuf back = Packets.tcp("8.8.8.8", 80, "1.1.1.1", sport(out), 5000, 1001, 0x12, 0);
        VirtioNetHeader h = partial(back, 16);
        assertEquals(Verdict.PASS, rig.forward("ppp0", back, null, h));
        assertEquals("192.168.10.5", Packets.dst(back));
        finishAsTheHostDoes(back, h);
        assertChecksums(back);
    }
}
