package io.argate.ip.forward;

import io.argate.ip.iface.Interfaces;
import io.argate.ip.packet.Ipv4;
import io.argate.ip.packet.OffloadsTest;
import io.argate.ip.packet.Tcp;
import io.argate.ip.packet.VirtioNetHeader;
import io.argate.ip.port.PacketBuffers;
import io.argate.ip.port.PacketSink;
import io.argate.ip.port.Port;
import io.argate.ip.port.PortCounters;
import io.argate.ip.route.RouteTable;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static io.argate.ip.packet.OffloadsTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15: a TCP super-packet from a TUN port with offloads crosses the router in one piece
 * when the egress port takes super-packets too, and is segmented in software (checksums
 * complete) when it does not; a partial checksum is completed for a port without offloads.
 */
class OffloadForwardingTest {
    /** A port that records what it was asked to send, with or without offloads. */
    static final class RecordingPort implements Port {
        final String name;
        final int mtu;
        final boolean offload;
        boolean up = true;
        final PortCounters counters = new PortCounters();
        final List<byte[]> sent = new ArrayList<>();
        final List<VirtioNetHeader> headers = new ArrayList<>();

        RecordingPort(String name, int mtu, boolean offload) {
            this.name = name;
            this.mtu = mtu;
            this.offload = offload;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String driver() {
            return "test";
        }

        @Override
        public int mtu() {
            return mtu;
        }

        @Override
        public boolean linkUp() {
            return up;
        }

        @Override
        public void start(PacketSink rx) {
        }

        @Override
        public boolean transmit(ByteBuf packet) {
            return record(packet, null);
        }

        @Override
        public boolean takes(ByteBuf packet, VirtioNetHeader header) {
            // as TunPort: segments (headers + gso size) must fit the MTU
            return offload && (header.superPacket() ? header.headerLength() + header.gsoSize() <= mtu : packet.readableBytes() <= mtu);
        }

        @Override
        public boolean transmit(ByteBuf packet, VirtioNetHeader header) {
            return record(packet, new VirtioNetHeader().copyFrom(header));
        }

        private boolean record(ByteBuf packet, VirtioNetHeader header) {
            sent.add(bytes(packet));
            headers.add(header);
            packet.release();
            return true;
        }

        @Override
        public PortCounters counters() {
            return counters;
        }

        @Override
        public void close() {
        }
    }

    final Interfaces ifs = new Interfaces();
    final RecordingPort vlan1 = new RecordingPort("vlan1", 1500, true);
    RecordingPort eth0;
    Forwarder fwd;

    void router(int eth0Mtu, boolean eth0Offload) {
        ifs.add("vlan1", 0, 0xc0a80a01, 0xffffff00);
        ifs.add("eth0", 0, 0xc0a81401, 0xffffff00);
        fwd = new Forwarder(ifs, Clock.systemUTC(), PacketBuffers.ALLOC);
        fwd.routes(new RouteTable(ifs.connectedRoutes()));
        eth0 = new RecordingPort("eth0", eth0Mtu, eth0Offload);
        fwd.attach(vlan1);
        fwd.attach(eth0);
    }

    static final VirtioNetHeader TSO = new VirtioNetHeader().set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 40, 1448, 20, 16);

    @Test
    void aSuperPacketPassesWholeBetweenPortsThatBothTakeThem() {
        router(1500, true);
        fwd.receive(vlan1, OffloadsTest.tcp(OffloadsTest.payload(4000), 0x18), TSO);
        assertEquals(1, eth0.sent.size());
        byte[] pkt = eth0.sent.get(0);
        assertEquals(4040, pkt.length);
        assertEquals(63, pkt[8] & 0xff, "routed: TTL one less");
        assertEquals(0xffff, OffloadsTest.sum16(pkt, 0, 20, 0), "IP header checksum after the TTL change");
        VirtioNetHeader h = eth0.headers.get(0);
        assertEquals(VirtioNetHeader.GSO_TCPV4, h.gsoType());
        assertEquals(1448, h.gsoSize());
        assertTrue(h.needsChecksum());
        assertEquals(1, fwd.counters().forwarded.sum(), "one route decision for the whole super-packet");
        assertEquals(0, eth0.counters.txSegmented.sum());
    }

    @Test
    void aSuperPacketIsSegmentedForAPortWithoutOffloads() {
        router(1500, false);
        fwd.receive(vlan1, OffloadsTest.tcp(OffloadsTest.payload(4000), 0x18), TSO);
        assertEquals(3, eth0.sent.size());
        int seq = 0;
        for (int i = 0; i < 3; i++) {
            byte[] pkt = eth0.sent.get(i);
            assertNull(eth0.headers.get(i), "ordinary packets");
            assertEquals(i < 2 ? 1488 : 1144, pkt.length);
            assertEquals(63, pkt[8] & 0xff);
            OffloadsTest.assertChecksumsVerify(pkt);
            assertEquals(i == 2, (pkt[33] & Tcp.PSH) != 0, "PSH on the last segment only");
            seq += pkt.length - 40;
        }
        assertEquals(4000, seq);
        assertEquals(1, eth0.counters.txSegmented.sum());
        assertEquals(1, fwd.counters().forwarded.sum());
    }

    @Test
    void segmentsTooBigForASmallerEgressMtuGetFragmentationNeeded() {
        router(1280, true);
        fwd.receive(vlan1, OffloadsTest.tcp(OffloadsTest.payload(2896), 0x10), TSO);
        assertEquals(0, eth0.sent.size(), "1488-byte segments with DF do not fit 1280");
        assertEquals(2, fwd.counters().drops(DropReason.FRAGMENTATION_NEEDED));
        assertTrue(vlan1.sent.stream().anyMatch(p -> p[9] == Ipv4.PROTO_ICMP && p[20] == 3 && p[21] == 4
                && (((p[26] & 0xff) << 8) | (p[27] & 0xff)) == 1280), "the sender is told the MTU");
    }

    @Test
    void aSuperPacketForAPortThatIsDownIsOneDrop() {
        router(1500, false);
        eth0.up = false;
        fwd.receive(vlan1, OffloadsTest.tcp(OffloadsTest.payload(4000), 0x18), TSO);
        assertEquals(0, eth0.sent.size());
        assertEquals(1, fwd.counters().drops(DropReason.PORT_DOWN));
    }

    @Test
    void aPartialChecksumIsCompletedForAPortWithoutOffloads() {
        router(1500, false);
        ByteBuf p = OffloadsTest.tcp(OffloadsTest.payload(500), 0x18);
        fwd.receive(vlan1, p, new VirtioNetHeader().set(VirtioNetHeader.F_NEEDS_CSUM, 0, 0, 0, 20, 16));
        assertEquals(1, eth0.sent.size());
        OffloadsTest.assertChecksumsVerify(eth0.sent.get(0));
        assertEquals(1, eth0.counters.txChecksummed.sum());
    }

    @Test
    void aHeaderThatDoesNotFitItsPacketIsACountedDrop() {
        router(1500, false);
        fwd.receive(vlan1, OffloadsTest.tcp(OffloadsTest.payload(10), 0x18), new VirtioNetHeader().set(VirtioNetHeader.F_NEEDS_CSUM, 0, 0, 0, 20, 60));
        assertEquals(0, eth0.sent.size());
        assertEquals(1, fwd.counters().drops(DropReason.BAD_OFFLOAD));
    }
}
