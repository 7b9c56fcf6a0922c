package io.argate.firewall.cli;

import io.argate.firewall.engine.FirewallCounter;
import io.argate.firewall.engine.Packets;
import io.argate.firewall.wire.IcmpHeader;
import io.argate.ip.forward.StageFilter.Verdict;
import io.argate.ip.packet.Ipv4;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ENABLE/DISABLE FIREWALL POLICY FRAGMENT={UDP|ICMP} ([C:S27]): a fragmented UDP or ICMP datagram
 * whose transport part reaches past 1780 bytes is dropped and counted unless FRAGMENT names its
 * protocol.
 */
class FragmentOptionTest {
    final CliRig r = new CliRig("add firewall policy=net int=vlan1 type=private", "add firewall policy=net int=ppp0 type=public",
            "add firewall policy=net nat=enhanced int=vlan1 gblint=ppp0", "enable firewall policy=net icmp_f=ping");

    /**
     * One fragment of datagram {@code id}: {@code l4Bytes} of its transport part starting at
     * {@code offset} bytes; the first carries a UDP header or an ICMP echo header.
     */
    static ByteBuf fragment(int proto, String src, String dst, int id, int offset, boolean more, int l4Bytes) {
        ByteBuf b = Unpooled.buffer(20 + l4Bytes);
        Ipv4.write(b, 0, 0, 20 + l4Bytes, id, (more ? Ipv4.FLAG_MF : 0) | offset / 8, 64, proto, Packets.ip(src), Packets.ip(dst));
        if (offset == 0 && proto == Ipv4.PROTO_UDP) {
            io.argate.firewall.wire.UdpHeader.write(b, 20, 40000, 5001, 3000);
        } else if (offset == 0 && proto == Ipv4.PROTO_TCP) {
            io.argate.firewall.wire.TcpHeader.write(b, 20, 40001, 80, 1, 0, io.argate.firewall.wire.TcpHeader.SYN, 65535);
        } else if (offset == 0 && proto == Ipv4.PROTO_ICMP) {
            IcmpHeader.writeQuery(b, 20, IcmpHeader.ECHO_REQUEST, 7, 1);
        }
        b.writerIndex(20 + l4Bytes);
        return b;
    }

    /** A datagram of {@code total} transport bytes in 1480-byte fragments from the LAN host: how many fragments passed. */
    int send(int proto, int id, int total) {
        int passed = 0;
        for (int off = 0; off < total; off += 1480) {
            int len = Math.min(1480, total - off);
            ByteBuf f = fragment(proto, "192.168.10.5", "93.184.216.34", id, off, off + len < total, len);
            if (r.forward("vlan1", f) == Verdict.PASS) {
                passed++;
            }
        }
        return passed;
    }

    @Test
    void bigFragmentedUdpAndIcmpAreDroppedUntilFragmentLetsTheirProtocolThrough() {
        assertEquals(2, send(Ipv4.PROTO_UDP, 1, 1780), "1780 bytes reassembled is still allowed");
        assertEquals(1, send(Ipv4.PROTO_UDP, 2, 3000), "the fragment that reaches past 1780 bytes is dropped, and the datagram with it");
        assertEquals(1, send(Ipv4.PROTO_ICMP, 3, 2000));
        assertEquals(3, r.count(FirewallCounter.FRAGMENT_TOO_BIG), "every fragment past the limit is counted");
        assertEquals(3, send(Ipv4.PROTO_TCP, 4, 3000), "only UDP and ICMP are limited (FRAGMENT can only lift it for them)");
        assertEquals(1, send(Ipv4.PROTO_UDP, 99, 1480), "a whole packet is not a reassembled one");

        r.ok("enable firewall policy=net fragment=icmp");
        assertEquals(2, send(Ipv4.PROTO_ICMP, 5, 2000));
        assertEquals(1, send(Ipv4.PROTO_UDP, 6, 3000), "UDP is still limited");
        r.ok("enable firewall policy=net fragment=udp");
        assertEquals(3, send(Ipv4.PROTO_UDP, 7, 3000));
        assertEquals(5, r.count(FirewallCounter.FRAGMENT_TOO_BIG));

        String show = r.show("show firewall policy=net");
        assertTrue(show.contains(FirewallViews.detail("Fragments over 1780 bytes", "ICMP,UDP allowed")), show);
        assertTrue(r.config().contains("enable firewall policy=net fragment=icmp,udp"), r.config().toString());
        r.assertRoundTrip();

        r.ok("disable firewall policy=net fragment=icmp,udp");
        assertEquals(1, send(Ipv4.PROTO_ICMP, 8, 2000));
        assertTrue(r.show("show firewall policy=net").contains(FirewallViews.detail("Fragments over 1780 bytes", "dropped")));
        String counters = r.show("show firewall policy=net counters");
        assertTrue(counters.contains(FirewallViews.detail("Dropped: fragmented datagram over 1780 bytes", 6)), counters);
    }

    @Test
    void aBigFragmentFromOutsideIsDroppedBeforeItsSessionIsLookedUp() {
        // a reply datagram to a flow the LAN host opened, in fragments past the limit
        ByteBuf out = Packets.udp("192.168.10.5", 40000, "93.184.216.34", 5001, 8);
        assertEquals(Verdict.PASS, r.forward("vlan1", out));
        ByteBuf big = fragment(Ipv4.PROTO_UDP, "93.184.216.34", "1.1.1.1", 50, 1480, false, 1480);
        assertEquals(Verdict.DROP, r.forward("ppp0", big));
        assertEquals(1, r.count(FirewallCounter.FRAGMENT_TOO_BIG));
    }

    @Test
    void fragmentTakesOnlyUdpAndIcmp() {
        assertTrue(r.fails("enable firewall policy=net fragment=tcp").contains("Error"), r.rig.lastOutput());
        assertTrue(r.fails("enable firewall policy=nosuch fragment=udp").contains("does not exist"));
    }
}
