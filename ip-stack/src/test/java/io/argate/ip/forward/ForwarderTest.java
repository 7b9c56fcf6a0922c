package io.argate.ip.forward;

import io.argate.ip.iface.Interfaces;
import io.argate.ip.packet.Ipv4;
import io.argate.ip.port.MemPort;
import io.argate.ip.route.Route;
import io.argate.ip.route.RouteTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A router with vlan1 192.168.10.1/24 (MTU 1500) and eth0 192.168.20.1/24 (MTU 1280) on mem
 * links, host A on the vlan1 link and host B on the eth0 link.
 */
class ForwarderTest {
    static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;
    static final int R1 = 0xc0a80a01;
    static final int R2 = 0xc0a81401;
    static final int A = 0xc0a80a05;
    static final int B = 0xc0a81407;

    final Interfaces ifs = new Interfaces();
    Forwarder fwd;
    MemPort vlan1;
    MemPort eth0;
    MemPort hostA;
    MemPort hostB;
    final LinkedBlockingQueue<ByteBuf> atA = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<ByteBuf> atB = new LinkedBlockingQueue<>();
    static int links;

    @BeforeEach
    void build() {
        links++;
        ifs.add("vlan1", 0, R1, 0xffffff00);
        ifs.add("eth0", 0, R2, 0xffffff00);
        fwd = new Forwarder(ifs, Clock.systemUTC(), ALLOC);
        fwd.routes(new RouteTable(ifs.connectedRoutes()));
        vlan1 = new MemPort("vlan1", "fa" + links, 1500);
        hostA = new MemPort("hostA", "fa" + links, 1500);
        eth0 = new MemPort("eth0", "fb" + links, 1280);
        hostB = new MemPort("hostB", "fb" + links, 1280);
        hostA.start((p, b) -> atA.add(b));
        hostB.start((p, b) -> atB.add(b));
        fwd.attach(vlan1);
        fwd.attach(eth0);
    }

    @AfterEach
    void close() {
        for (MemPort p : List.of(vlan1, eth0, hostA, hostB)) {
            p.close();
        }
    }

    static ByteBuf icmpEcho(int src, int dst, int ttl, int data, boolean df) {
        ByteBuf b = ALLOC.buffer(28 + data).writerIndex(28 + data);
        Ipv4.write(b, 0, 0, 28 + data, 5, df ? Ipv4.FLAG_DF : 0, ttl, Ipv4.PROTO_ICMP, src, dst);
        b.setByte(20, 8);
        b.setShort(24, 77);
        b.setShort(26, 1);
        for (int i = 28; i < 28 + data; i++) {
            b.setByte(i, i);
        }
        b.setShort(22, Ipv4.checksum(b, 20, 8 + data));
        return b;
    }

    ByteBuf next(LinkedBlockingQueue<ByteBuf> q) throws InterruptedException {
        return q.poll(5, TimeUnit.SECONDS);
    }

    @Test
    void hostsPingTheRouter() throws Exception {
        hostA.transmit(icmpEcho(A, R1, 64, 56, false));
        ByteBuf reply = next(atA);
        assertNotNull(reply);
        assertEquals(R1, Ipv4.source(reply, 0));
        assertEquals(A, Ipv4.destination(reply, 0));
        assertEquals(0, reply.getUnsignedByte(20), "echo reply");
        assertEquals(0, Ipv4.checksum(reply, 20, reply.readableBytes() - 20), "ICMP checksum");
        hostB.transmit(icmpEcho(B, R1, 64, 8, false));
        assertEquals(R1, Ipv4.source(next(atB), 0), "the router answers for any of its addresses");
    }

    @Test
    void forwardsBetweenTheLansWithTtlDecremented() throws Exception {
        hostA.transmit(icmpEcho(A, B, 64, 56, false));
        ByteBuf p = next(atB);
        assertEquals(63, Ipv4.ttl(p, 0));
        assertTrue(Ipv4.checksumOk(p, 0), "incremental checksum update is right");
        hostB.transmit(icmpEcho(B, A, 2, 56, false));
        assertEquals(1, Ipv4.ttl(next(atA), 0));
        assertEquals(2, fwd.counters().forwarded.sum());
    }

    @Test
    void ttlOneGetsTimeExceededAndNoRouteGetsUnreachable() throws Exception {
        hostA.transmit(icmpEcho(A, B, 1, 56, false));
        ByteBuf e = next(atA);
        assertEquals(11, e.getUnsignedByte(20), "time exceeded");
        assertEquals(R1, Ipv4.source(e, 0));
        assertEquals(A, Ipv4.source(e, 28), "the original header is quoted");
        assertNull(atB.poll(200, TimeUnit.MILLISECONDS));
        hostA.transmit(icmpEcho(A, 0x08080808, 64, 56, false));
        ByteBuf u = next(atA);
        assertEquals(3, u.getUnsignedByte(20));
        assertEquals(0, u.getUnsignedByte(21), "net unreachable");
        assertEquals(1, fwd.counters().drops(DropReason.TTL_EXCEEDED));
        assertEquals(1, fwd.counters().drops(DropReason.NO_ROUTE));
    }

    @Test
    void aThreeThousandBytePingCrossesThe1280MtuLinkInFragments() throws Exception {
        // host A fragments to its 1500-byte link as Linux does; the router fragments again for 1280
        ByteBuf ping = icmpEcho(A, B, 64, 2972, false);
        byte[] original = io.netty.buffer.ByteBufUtil.getBytes(ping);
        List<ByteBuf> hostFrags = new ArrayList<>();
        io.argate.ip.frag.Fragmenter.fragment(ping, 1500, ALLOC, hostFrags);
        hostFrags.forEach(hostA::transmit);
        io.argate.ip.frag.Reassembler atHostB = new io.argate.ip.frag.Reassembler(Clock.systemUTC(), ALLOC);
        ByteBuf whole = null;
        int fragments = 0;
        while (whole == null) {
            ByteBuf f = next(atB);
            assertNotNull(f, "fragment " + fragments);
            assertTrue(Ipv4.totalLength(f, 0) <= 1280);
            fragments++;
            whole = atHostB.add(f);
        }
        assertEquals(5, fragments, "1480+1480+20 bytes from A become 1256+224, 1256+224, 20 on the 1280 link");
        ByteBuf expected = io.netty.buffer.Unpooled.wrappedBuffer(original);
        expected.setByte(8, 63);
        Ipv4.updateChecksum(expected, 0);
        assertEquals(io.netty.buffer.ByteBufUtil.hexDump(expected, 20, original.length - 20), io.netty.buffer.ByteBufUtil.hexDump(whole, 20, whole.readableBytes() - 20));

        hostA.transmit(icmpEcho(A, B, 64, 1372, true));
        ByteBuf need = next(atA);
        assertEquals(3, need.getUnsignedByte(20));
        assertEquals(4, need.getUnsignedByte(21), "fragmentation needed");
        assertEquals(1280, need.getUnsignedShort(26), "with the next-hop MTU (RFC 1191)");
    }

    @Test
    void fragmentsToTheRouterAreReassembledAndAnswered() throws Exception {
        ByteBuf big = icmpEcho(A, R2, 64, 2972, false);
        List<ByteBuf> frags = new ArrayList<>();
        io.argate.ip.frag.Fragmenter.fragment(big, 1000, ALLOC, frags);
        for (int i = frags.size() - 1; i >= 0; i--) {
            hostA.transmit(frags.get(i));
        }
        int bytes = 0;
        for (int i = 0; i < 3; i++) {
            ByteBuf f = next(atA);
            assertNotNull(f, "the 3000-byte reply comes back fragmented to vlan1's MTU");
            bytes += Ipv4.totalLength(f, 0) - 20;
        }
        assertEquals(2980, bytes);
        assertEquals(1, fwd.counters().reassembled.sum());
    }

    @Test
    void malformedPacketsAreCountedDrops() throws Exception {
        ByteBuf bad = icmpEcho(A, B, 64, 10, false);
        bad.setByte(10, bad.getByte(10) ^ 1);
        hostA.transmit(bad);
        ByteBuf v6 = icmpEcho(A, B, 64, 10, false);
        v6.setByte(0, 0x65);
        hostA.transmit(v6);
        hostA.transmit(ALLOC.buffer(10).writerIndex(10));
        ByteBuf longer = icmpEcho(A, B, 64, 10, false);
        longer.setShort(2, 500);
        Ipv4.updateChecksum(longer, 0);
        hostA.transmit(longer);
        ByteBuf ihl = icmpEcho(A, B, 64, 10, false);
        ihl.setByte(0, 0x44);
        hostA.transmit(ihl);
        long deadline = System.currentTimeMillis() + 5000;
        while (fwd.counters().received.sum() < 5 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(50);
        assertEquals(1, fwd.counters().drops(DropReason.BAD_CHECKSUM));
        assertEquals(1, fwd.counters().drops(DropReason.BAD_VERSION));
        assertEquals(1, fwd.counters().drops(DropReason.TRUNCATED));
        assertEquals(1, fwd.counters().drops(DropReason.BAD_TOTAL_LENGTH));
        assertEquals(1, fwd.counters().drops(DropReason.BAD_HEADER_LENGTH));
        assertNull(atB.poll(100, TimeUnit.MILLISECONDS));
        hostA.transmit(icmpEcho(A, B, 64, 10, false));
        assertNotNull(next(atB), "still forwarding");
    }

    /**
     * DESIGN.md section 4's order is the contract: every stage filled with a recorder, a
     * forwarded packet meets them in that order whatever order they were filled in, and a
     * packet LOCAL hands back (IPsec's inner packet) runs again from INPUT, marked, and meets the
     * egress stages like any other.
     */
    @Test
    void stagesRunInTheDesignOrder() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        fwd.fillSpd((c, p) -> {
            seen.add(Stage.SPD + " " + c.outInterface() + (c.decapsulatedBy() == null ? "" : " after " + c.decapsulatedBy()));
            return SpdStage.Verdict.PASS;
        });
        fwd.fill(Stage.FIREWALL_EGRESS, (c, p) -> {
            seen.add(Stage.FIREWALL_EGRESS + " " + c.outInterface());
            return Ipv4.destination(p, p.readerIndex()) == 0xc0a8140a ? StageFilter.Verdict.DROP : StageFilter.Verdict.PASS;
        });
        fwd.fill(Stage.FIREWALL_INGRESS, (c, p) -> {
            seen.add(Stage.FIREWALL_INGRESS + " " + c.inInterface());
            return StageFilter.Verdict.PASS;
        });
        fwd.fill(Stage.IPSEC_INGRESS, (c, p) -> {
            seen.add(Stage.IPSEC_INGRESS + " " + c.inInterface());
            return StageFilter.Verdict.PASS;
        });
        hostA.transmit(icmpEcho(A, B, 64, 8, false));
        next(atB);
        assertEquals(List.of("IPSEC_INGRESS vlan1", "FIREWALL_INGRESS vlan1", "FIREWALL_EGRESS eth0-0", "SPD eth0-0"), seen);
        hostA.transmit(icmpEcho(A, 0xc0a8140a, 64, 8, false));
        Thread.sleep(100);
        assertEquals(1, fwd.counters().drops(DropReason.FILTERED), "FIREWALL_EGRESS dropped it before SPD");

        // IP in IP to the router: the handler hands back the inner packet, which runs again
        seen.clear();
        fwd.onProtocol(Ipv4.PROTO_IPIP, (c, p) -> {
            seen.add(Stage.LOCAL + " " + c.inInterface());
            p.readerIndex(p.readerIndex() + Ipv4.headerLength(p, p.readerIndex()));
            c.decapsulated("vpn", c.inInterface());
            return p;
        });
        ByteBuf inner = icmpEcho(A, B, 64, 8, false);
        ByteBuf outer = ALLOC.buffer(20 + inner.readableBytes());
        outer.writerIndex(20).writeBytes(inner);
        Ipv4.write(outer, 0, 0, outer.readableBytes(), 9, 0, 64, Ipv4.PROTO_IPIP, A, R1);
        hostA.transmit(outer);
        next(atB);
        assertEquals(List.of("IPSEC_INGRESS vlan1", "FIREWALL_INGRESS vlan1", "LOCAL vlan1", "IPSEC_INGRESS vlan1",
                "FIREWALL_INGRESS vlan1", "FIREWALL_EGRESS eth0-0", "SPD eth0-0 after vpn"), seen);
    }

    /** A packet that keeps coming back from LOCAL (tunnels nested without end) is dropped, not looped on. */
    @Test
    void nestingIsBounded() throws Exception {
        fwd.onProtocol(Ipv4.PROTO_IPIP, (c, p) -> p);
        ByteBuf outer = ALLOC.buffer(28).writerIndex(28);
        Ipv4.write(outer, 0, 0, 28, 9, 0, 64, Ipv4.PROTO_IPIP, A, R1);
        hostA.transmit(outer);
        for (int i = 0; i < 50 && fwd.counters().drops(DropReason.TOO_MANY_PASSES) == 0; i++) {
            Thread.sleep(20);
        }
        assertEquals(1, fwd.counters().drops(DropReason.TOO_MANY_PASSES));
    }

    /** An echo request with a 24-byte header: the four option bytes given. */
    static ByteBuf withOptions(int src, int dst, int... option) {
        ByteBuf b = ALLOC.buffer(24 + 8).writerIndex(32);
        Ipv4.write(b, 0, 0, 32, 5, 0, 64, Ipv4.PROTO_ICMP, src, dst);
        b.setByte(0, 0x46);
        for (int i = 0; i < 4; i++) {
            b.setByte(20 + i, option[i]);
        }
        Ipv4.updateChecksum(b, 0);
        b.setByte(24, 8);
        b.setShort(26, Ipv4.checksum(b, 24, 8));
        return b;
    }

    /**
     * Issue 11 item 12: a directed broadcast to a connected subnet (RFC 2644), the router's own
     * address or a martian as source (RFC 1812 5.3.7), options that do not parse and source
     * routing (RFC 7126) are each dropped with a counter of their own; sound options pass.
     */
    @Test
    void inputRulesEachHaveTheirCounter() throws Exception {
        hostA.transmit(icmpEcho(A, 0xc0a814ff, 64, 8, false));
        hostA.transmit(icmpEcho(R2, B, 64, 8, false));
        hostA.transmit(icmpEcho(0x7f000001, B, 64, 8, false));
        hostA.transmit(icmpEcho(0xe0000001, B, 64, 8, false));
        hostA.transmit(withOptions(A, B, 7, 40, 4, 0));
        hostA.transmit(withOptions(A, B, 131, 3, 4, 0));
        hostA.transmit(withOptions(A, B, 1, 1, 1, 0));
        ByteBuf ok = next(atB);
        assertEquals(24, Ipv4.headerLength(ok, ok.readerIndex()), "NOPs and end of list are sound options");
        assertNull(atB.poll(200, TimeUnit.MILLISECONDS), "nothing else crossed");
        assertEquals(1, fwd.counters().drops(DropReason.DIRECTED_BROADCAST));
        assertEquals(1, fwd.counters().drops(DropReason.SPOOFED_OWN_SOURCE));
        assertEquals(2, fwd.counters().drops(DropReason.MARTIAN_SOURCE));
        assertEquals(1, fwd.counters().drops(DropReason.BAD_OPTIONS));
        assertEquals(1, fwd.counters().drops(DropReason.SOURCE_ROUTED));
    }

    @Test
    void localUdpPortsAndPortUnreachable() throws Exception {
        LinkedBlockingQueue<String> udp = new LinkedBlockingQueue<>();
        fwd.onUdpPort(500, (c, p) -> {
            udp.add(c.inInterface() + " " + p.readableBytes());
            p.release();
            return null;
        });
        ByteBuf isakmp = ALLOC.buffer(28 + 4).writerIndex(32);
        Ipv4.write(isakmp, 0, 0, 32, 1, 0, 64, Ipv4.PROTO_UDP, A, R1);
        isakmp.setShort(20, 500);
        isakmp.setShort(22, 500);
        isakmp.setShort(24, 12);
        ByteBuf other = isakmp.copy();
        other.setShort(22, 9999);
        hostA.transmit(isakmp);
        assertEquals("vlan1 32", udp.poll(5, TimeUnit.SECONDS));
        hostA.transmit(other);
        ByteBuf unreach = next(atA);
        assertEquals(3, unreach.getUnsignedByte(21), "port unreachable");
    }

    @Test
    void theRoutersOwnUdpPortReceivesAndSendsWithTheRightSource() throws Exception {
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        UdpEndpoint isakmp = UdpEndpoint.bind(fwd, ALLOC, 500, (src, sport, dst, dport, payload) -> {
            got.add(Integer.toHexString(src) + ":" + sport + " -> " + Integer.toHexString(dst) + ":" + dport + " " + payload.readableBytes());
            payload.release();
        });
        ByteBuf d = ALLOC.buffer(28 + 4).writerIndex(32);
        Ipv4.write(d, 0, 0, 32, 1, 0, 64, Ipv4.PROTO_UDP, A, R1);
        d.setShort(20, 500);
        d.setShort(22, 500);
        d.setShort(24, 12);
        hostA.transmit(d);
        assertEquals("c0a80a05:500 -> c0a80a01:500 4", got.poll(5, TimeUnit.SECONDS));
        assertTrue(isakmp.send(0, B, 500, new byte[]{1, 2, 3}));
        ByteBuf out = next(atB);
        assertEquals(R2, Ipv4.source(out, 0), "the egress interface's address");
        assertEquals(500, out.getUnsignedShort(20));
        assertEquals(11, out.getUnsignedShort(24));
        // a receiver adds the pseudo-header and the datagram and must get all ones
        long sum = (R2 >>> 16) + (R2 & 0xffff) + (B >>> 16) + (B & 0xffff) + 17 + 11;
        sum += ~Ipv4.checksum(out, 20, 11) & 0xffff;
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        assertEquals(0xffff, sum, "UDP checksum verifies");
    }

    @Test
    void unknownProtocolsGetProtocolUnreachable() throws Exception {
        ByteBuf gre = ALLOC.buffer(24).writerIndex(24);
        Ipv4.write(gre, 0, 0, 24, 1, 0, 64, 47, A, R1);
        hostA.transmit(gre);
        ByteBuf e = next(atA);
        assertEquals(3, e.getUnsignedByte(20));
        assertEquals(2, e.getUnsignedByte(21), "protocol unreachable");
        assertEquals(1, fwd.counters().drops(DropReason.UNKNOWN_PROTOCOL));
    }

    @Test
    void icmpErrorsAreRateLimited() {
        io.argate.ip.forward.IcmpLimiterProbe.check();
    }

    @Test
    void staticRoutesWithANextHop() throws Exception {
        List<Route> rs = new ArrayList<>(ifs.connectedRoutes());
        rs.add(new Route(0x0a000000, 8, "eth0-0", B, 1, false));
        fwd.routes(new RouteTable(rs));
        hostA.transmit(icmpEcho(A, 0x0a010203, 64, 8, false));
        assertEquals(0x0a010203, Ipv4.destination(next(atB), 0), "sent out of eth0 towards its next hop");
    }
}
