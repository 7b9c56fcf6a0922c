package io.argate.ip.port;

import io.argate.ip.forward.Forwarder;
import io.argate.ip.iface.Interfaces;
import io.argate.ip.packet.Ipv4;
import io.argate.ip.packet.Offloads;
import io.argate.ip.packet.Tcp;
import io.argate.ip.packet.Udp;
import io.argate.ip.packet.VirtioNetHeader;
import io.argate.ip.route.RouteTable;
import io.argate.shell.testing.StepClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.argate.ip.packet.OffloadsTest.DST;
import static io.argate.ip.packet.OffloadsTest.SRC;
import static io.argate.ip.packet.OffloadsTest.assertChecksumsVerify;
import static io.argate.ip.packet.OffloadsTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, egress GRO: what a receive thread sends on a TUN port that takes TCP super-packets
 * (TSO4) is held until the batch's end and consecutive segments of a flow leave as one
 * super-packet, by Linux GRO's rules; whatever may not merge leaves as it came and in order.
 * Each super-packet is cut back with {@link Offloads#segment} and must give the segments that
 * went in, byte for byte (checksums included).
 */
class TunCoalescerTest {
    static final int ACK = 0x10;
    static final int MSS = 1400;
    static final long SEQ0 = 0xfffff000L;

    /** A TUN queue that records every write with its header. */
    static final class RecordingTun implements TunDevice {
        final int offloads;
        final List<byte[]> written = new ArrayList<>();
        final List<VirtioNetHeader> headers = new ArrayList<>();

        RecordingTun(int offloads) {
            this.offloads = offloads;
        }

        @Override
        public int offloads() {
            return offloads;
        }

        @Override
        public boolean poll(int millis) {
            return false;
        }

        @Override
        public ByteBuf read(int headroom, VirtioNetHeader header) {
            return null;
        }

        @Override
        public void write(ByteBuf packet, VirtioNetHeader header) {
            written.add(bytes(packet));
            headers.add(header == null ? null : new VirtioNetHeader().copyFrom(header));
        }

        @Override
        public void close() {
        }
    }

    static final int TSO = TunFd.TUN_F_CSUM | TunFd.TUN_F_TSO4;
    RecordingTun tun = new RecordingTun(TSO);
    TunPort port = new TunPort("vlan1", "lan0", tun, 1500, new StepClock());

    @AfterEach
    void endBatch() {
        ReceiveBatch.end();
    }

    /** One TCP/IPv4 segment from SRC:40000 to DST:5001 as a sender makes it: checksums complete, DF, ACK 77. */
    static ByteBuf segment(long seq, int len, int flags, int id) {
        return segment(seq, len, flags, id, 0, null);
    }

    static ByteBuf segment(long seq, int len, int flags, int id, int sport, byte[] options) {
        int opt = options == null ? 0 : options.length;
        int total = 20 + 20 + opt + len;
        ByteBuf b = Unpooled.buffer(total).writerIndex(total);
        Ipv4.write(b, 0, 0, total, id, Ipv4.FLAG_DF, 64, Ipv4.PROTO_TCP, SRC, DST);
        b.setShort(20, sport == 0 ? 40000 : sport);
        b.setShort(22, 5001);
        b.setInt(24, (int) seq);
        b.setInt(28, 77);
        b.setByte(32, ((20 + opt) / 4) << 4);
        b.setByte(33, flags);
        b.setShort(34, 64240);
        if (options != null) {
            b.setBytes(40, options);
        }
        for (int i = 0; i < len; i++) {
            b.setByte(40 + opt + i, (int) (seq + i) * 13);
        }
        Tcp.checksum(b, 0);
        return b;
    }

    /** A UDP/IPv4 datagram SRC:4000 -> DST:53 with a complete checksum. */
    static ByteBuf datagram(int len, int id, int fill) {
        int total = 20 + 8 + len;
        ByteBuf b = Unpooled.buffer(total).writerIndex(total);
        Ipv4.write(b, 0, 0, total, id, Ipv4.FLAG_DF, 64, Ipv4.PROTO_UDP, SRC, DST);
        Udp.write(b, 20, 4000, 53, 8 + len);
        for (int i = 0; i < len; i++) {
            b.setByte(28 + i, fill + i);
        }
        Udp.checksum(b, 0);
        return b;
    }

    /** Sends the packets on the port inside a receive batch and ends the batch as the Forwarder does; copies of what went in. */
    List<byte[]> sendInBatch(ByteBuf... packets) {
        List<byte[]> in = new ArrayList<>();
        ReceiveBatch.begin();
        for (ByteBuf p : packets) {
            in.add(bytes(p));
            assertTrue(port.transmit(p));
        }
        port.flush();
        ReceiveBatch.end();
        return in;
    }

    /** The TCP segments a written packet stands for: itself, or its super-packet cut back as the kernel would. */
    List<byte[]> cutBack(int i) {
        return cutBack(tun, i);
    }

    /** The packets write {@code i} of {@code tun} stands for: itself, or its super-packet cut as the host cuts it. */
    static List<byte[]> cutBack(RecordingTun tun, int i) {
        VirtioNetHeader h = tun.headers.get(i);
        byte[] w = tun.written.get(i);
        if (h == null || !h.superPacket()) {
            return List.of(w);
        }
        List<ByteBuf> out = new ArrayList<>();
        assertTrue(Offloads.segment(Unpooled.wrappedBuffer(w.clone()), h, PacketBuffers.ALLOC, 0, out) > 0);
        List<byte[]> segs = new ArrayList<>();
        for (ByteBuf s : out) {
            segs.add(bytes(s));
            s.release();
        }
        return segs;
    }

    List<byte[]> allCutBack() {
        List<byte[]> all = new ArrayList<>();
        for (int i = 0; i < tun.written.size(); i++) {
            all.addAll(cutBack(i));
        }
        return all;
    }

    static void assertSame(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size(), "packets");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "packet " + i);
        }
    }

    ByteBuf[] run(int n, int len) {
        ByteBuf[] ps = new ByteBuf[n];
        for (int i = 0; i < n; i++) {
            ps[i] = segment(SEQ0 + (long) i * len, len, ACK, 100 + i);
        }
        return ps;
    }

    @Test
    void consecutiveSegmentsOfAFlowLeaveAsOneSuperPacketThatCutsBackIntoThem() {
        List<byte[]> in = sendInBatch(run(5, MSS));
        assertEquals(1, tun.written.size(), "one write for five segments");
        VirtioNetHeader h = tun.headers.get(0);
        assertEquals(VirtioNetHeader.GSO_TCPV4, h.gsoType());
        assertEquals(MSS, h.gsoSize());
        assertTrue(h.needsChecksum());
        assertEquals(20, h.csumStart());
        assertEquals(16, h.csumOffset());
        assertEquals(40, h.headerLength());
        byte[] sup = tun.written.get(0);
        assertEquals(40 + 5 * MSS, sup.length);
        assertEquals(40 + 5 * MSS, ((sup[2] & 0xff) << 8) | (sup[3] & 0xff), "total length of the whole");
        // the field holds the pseudo-header sum; completing it as the kernel does verifies
        ByteBuf done = Unpooled.wrappedBuffer(sup.clone());
        assertTrue(Offloads.completeChecksum(done, h));
        assertChecksumsVerify(bytes(done));
        assertSame(in, cutBack(0));
        assertEquals(1, port.counters().txCoalesced.sum());
        assertEquals(5, port.counters().txCoalescedSegments.sum());
        assertEquals(1, port.counters().txPackets.sum(), "one packet handed to the host");
    }

    @Test
    void aShorterLastSegmentWithPshJoinsAndEndsTheRun() {
        ByteBuf[] ps = {segment(SEQ0, MSS, ACK, 1), segment(SEQ0 + MSS, MSS, ACK, 2), segment(SEQ0 + 2 * MSS, 300, ACK | Tcp.PSH, 3),
            segment(SEQ0 + 2 * MSS + 300, MSS, ACK, 4), segment(SEQ0 + 3 * MSS + 300, MSS, ACK, 5)};
        List<byte[]> in = sendInBatch(ps);
        assertEquals(2, tun.written.size());
        assertEquals(3, cutBack(0).size(), "the run ends with the short PSH segment");
        assertEquals(VirtioNetHeader.GSO_TCPV4, tun.headers.get(1).gsoType(), "the next two start a run of their own");
        assertSame(in, allCutBack());
    }

    @Test
    void aGapInSequenceNumbersEndsTheRun() {
        List<byte[]> in = sendInBatch(segment(SEQ0, MSS, ACK, 1), segment(SEQ0 + MSS, MSS, ACK, 2), segment(SEQ0 + 3 * MSS, MSS, ACK, 3));
        assertEquals(2, tun.written.size());
        assertNull(tun.headers.get(1), "the segment after the gap leaves as it came");
        assertSame(in, allCutBack());
    }

    @Test
    void interleavedFlowsEachMergeAndNoFlowIsReordered() {
        ByteBuf a0 = segment(SEQ0, MSS, ACK, 1, 40000, null);
        ByteBuf b0 = segment(5000, MSS, ACK, 9, 40001, null);
        ByteBuf a1 = segment(SEQ0 + MSS, MSS, ACK, 2, 40000, null);
        ByteBuf b1 = segment(5000 + MSS, MSS, ACK, 10, 40001, null);
        List<byte[]> in = sendInBatch(a0, b0, a1, b1);
        assertEquals(2, tun.written.size(), "one super-packet per flow");
        assertSame(List.of(in.get(0), in.get(2)), cutBack(0));
        assertSame(List.of(in.get(1), in.get(3)), cutBack(1));
    }

    @ParameterizedTest(name = "flags {0}")
    @ValueSource(ints = {ACK | Tcp.FIN, 0x02, ACK | 0x04, ACK | 0x20, ACK | Tcp.CWR, ACK | 0x40})
    void finSynRstUrgCwrEceNeverMerge(int flags) {
        List<byte[]> in = sendInBatch(segment(SEQ0, MSS, ACK, 1), segment(SEQ0 + MSS, MSS, flags, 2), segment(SEQ0 + 2 * MSS, MSS, ACK, 3),
                segment(SEQ0 + 3 * MSS, MSS, ACK, 4));
        assertEquals(3, tun.written.size(), "run of one, the flagged segment, then a run of two after it");
        assertArrayEquals(in.get(1), tun.written.get(1), "the flagged segment unchanged, in its place");
        assertNull(tun.headers.get(1));
        assertSame(in, allCutBack());
    }

    @Test
    void aSegmentLargerThanTheFirstOrAShortOneMidRunEndsTheRun() {
        List<byte[]> in = sendInBatch(segment(SEQ0, 1000, ACK, 1), segment(SEQ0 + 1000, 1200, ACK, 2), segment(SEQ0 + 2200, 1200, ACK, 3),
                segment(SEQ0 + 3400, 500, ACK, 4), segment(SEQ0 + 3900, 1200, ACK, 5));
        assertEquals(3, tun.written.size(), "[1000] [1200 1200 500] [1200]");
        assertEquals(3, cutBack(1).size());
        assertSame(in, allCutBack());
    }

    @Test
    void tcpOptionsMustBeTheSameBytesTimestampsIncluded() {
        byte[] ts1 = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 9};
        byte[] ts2 = {1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 9};
        List<byte[]> in = sendInBatch(segment(SEQ0, MSS, ACK, 1, 0, ts1), segment(SEQ0 + MSS, MSS, ACK, 2, 0, ts1),
                segment(SEQ0 + 2 * MSS, MSS, ACK, 3, 0, ts2), segment(SEQ0 + 3 * MSS, MSS, ACK, 4, 0, null));
        assertEquals(3, tun.written.size(), "same timestamp merges; a new TSval or no options at all does not");
        assertEquals(52, tun.headers.get(0).headerLength());
        assertSame(in, allCutBack());
    }

    @Test
    void identificationIncrementsOrStaysFixedWithDf() {
        ByteBuf[] fixed = {segment(SEQ0, MSS, ACK, 7), segment(SEQ0 + MSS, MSS, ACK, 7), segment(SEQ0 + 2 * MSS, MSS, ACK, 7)};
        sendInBatch(fixed);
        assertEquals(1, tun.written.size(), "DF with one fixed ID (RFC 6864) merges");

        tun.written.clear();
        tun.headers.clear();
        ByteBuf[] mixed = {segment(SEQ0, MSS, ACK, 7), segment(SEQ0 + MSS, MSS, ACK, 8), segment(SEQ0 + 2 * MSS, MSS, ACK, 8)};
        List<byte[]> in = sendInBatch(mixed);
        assertEquals(2, tun.written.size(), "an ID that neither increments nor stays ends the run");
        assertSame(in, allCutBack());

        tun.written.clear();
        tun.headers.clear();
        ByteBuf noDf1 = segment(SEQ0, MSS, ACK, 7);
        ByteBuf noDf2 = segment(SEQ0 + MSS, MSS, ACK, 7);
        for (ByteBuf b : List.of(noDf1, noDf2)) {
            b.setShort(6, 0);
            Ipv4.updateChecksum(b, 0);
        }
        sendInBatch(noDf1, noDf2);
        assertEquals(2, tun.written.size(), "without DF a repeated ID is a different datagram's");
    }

    @Test
    void ipHeadersMustAgreeAndCarryNoOptions() {
        ByteBuf ttl = segment(SEQ0 + MSS, MSS, ACK, 2);
        ttl.setByte(8, 63);
        Ipv4.updateChecksum(ttl, 0);
        ByteBuf tos = segment(SEQ0 + 2 * MSS, MSS, ACK, 3);
        tos.setByte(1, 0x10);
        Ipv4.updateChecksum(tos, 0);
        ByteBuf ack = segment(SEQ0 + 3 * MSS, MSS, ACK, 4);
        ack.setInt(28, 78);
        Tcp.checksum(ack, 0);
        ByteBuf window = segment(SEQ0 + 4 * MSS, MSS, ACK, 5);
        window.setInt(28, 78); // as the segment before it: only the window differs
        window.setShort(34, 65000);
        Tcp.checksum(window, 0);
        List<byte[]> in = sendInBatch(segment(SEQ0, MSS, ACK, 1), ttl, tos, ack, window);
        assertEquals(5, tun.written.size(), "TTL, TOS, the acknowledgment number and the window each differ");
        assertSame(in, allCutBack());
    }

    @Test
    void aSegmentWithABadChecksumIsNotMergedButLeavesAsItCame() {
        ByteBuf bad = segment(SEQ0 + MSS, MSS, ACK, 2);
        bad.setByte(100, bad.getByte(100) ^ 1);
        List<byte[]> in = sendInBatch(segment(SEQ0, MSS, ACK, 1), bad, segment(SEQ0 + 2 * MSS, MSS, ACK, 3));
        assertEquals(3, tun.written.size(), "the host sees the bad segment and drops it, as it would have");
        assertArrayEquals(in.get(1), tun.written.get(1));
    }

    @Test
    void aRunStopsAt64KilobytesAndTheNextStartsAnother() {
        List<byte[]> in = sendInBatch(run(60, MSS));
        assertEquals(2, tun.written.size());
        assertTrue(tun.written.get(0).length <= Ipv4.MAX_LENGTH);
        assertEquals(46, cutBack(0).size(), "46 * 1400 + 40 fits 65535, 47 would not");
        assertSame(in, allCutBack());
    }

    @Test
    void whatAThreadHoldsIsBoundedInEntriesAndBytes() {
        ReceiveBatch.begin();
        for (int i = 0; i < TunCoalescer.MAX_ENTRIES; i++) {
            port.transmit(segment(SEQ0, MSS, ACK, 1, 1000 + i, null));
        }
        assertEquals(0, tun.written.size());
        port.transmit(segment(SEQ0, MSS, ACK, 1, 999, null));
        assertEquals(TunCoalescer.MAX_ENTRIES, tun.written.size(), "one flow more: the held ones leave first, in order");
        port.flush();

        tun.written.clear();
        tun.headers.clear();
        ByteBuf[] many = run(200, MSS);
        List<byte[]> in = new ArrayList<>();
        ReceiveBatch.begin();
        for (ByteBuf p : many) {
            in.add(bytes(p));
            port.transmit(p);
        }
        assertTrue(tun.written.size() >= 3, "no more than " + TunCoalescer.MAX_BYTES + " bytes wait for the batch's end");
        port.flush();
        assertSame(in, allCutBack());
    }

    @Test
    void outsideABatchOrFromAnotherThreadAPacketGoesAtOnce() throws Exception {
        assertTrue(port.transmit(segment(SEQ0, MSS, ACK, 1)));
        assertEquals(1, tun.written.size(), "no batch: no flush would ever come, so nothing is held");

        ReceiveBatch.begin();
        assertTrue(port.transmit(segment(SEQ0 + MSS, MSS, ACK, 2)));
        assertEquals(1, tun.written.size(), "held in the batch");
        AtomicBoolean sent = new AtomicBoolean();
        Thread control = new Thread(() -> sent.set(port.transmit(segment(9, 100, ACK | Tcp.PSH, 50, 22, null))));
        control.start();
        control.join();
        assertTrue(sent.get());
        assertEquals(2, tun.written.size(), "the control loop's packet did not wait for this thread's batch");
        port.flush();
        assertEquals(3, tun.written.size());
    }

    @Test
    void aPacketThatCannotMergeAndHasNothingHeldGoesAtOnce() {
        ReceiveBatch.begin();
        port.transmit(segment(SEQ0, 0, ACK, 1));
        assertEquals(1, tun.written.size(), "a pure ACK with nothing of its flow held is not delayed");
        port.transmit(segment(SEQ0, MSS, ACK, 2));
        port.transmit(segment(SEQ0 + MSS, 0, ACK | Tcp.FIN, 3));
        assertEquals(1, tun.written.size(), "a FIN behind held data of its flow waits its turn");
        port.flush();
        assertEquals(3, tun.written.size());
    }

    @Test
    void aForwardedSuperPacketWaitsBehindItsFlowsHeldSegments() {
        ReceiveBatch.begin();
        port.transmit(segment(SEQ0, MSS, ACK, 1));
        ByteBuf sup = segment(SEQ0 + MSS, 3 * MSS, ACK, 2);
        VirtioNetHeader h = new VirtioNetHeader().set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 40, MSS, 20, 16);
        assertTrue(port.transmit(sup, h));
        h.clear(); // the Forwarder reuses its header for the next packet
        assertEquals(0, tun.written.size());
        port.flush();
        assertEquals(2, tun.written.size());
        assertNull(tun.headers.get(0));
        assertEquals(MSS, tun.headers.get(1).gsoSize(), "the super-packet keeps its own header");
        assertEquals(1, port.counters().txSuperPackets.sum());
    }

    @Test
    void udpDatagramsMergeOnlyWhenThePortTakesUdpSuperPackets() {
        sendInBatch(datagram(1000, 1, 0), datagram(1000, 2, 1), datagram(1000, 3, 2));
        assertEquals(3, tun.written.size(), "TSO4 alone: UDP leaves datagram by datagram");

        tun = new RecordingTun(TSO | TunFd.TUN_F_USO4);
        port = new TunPort("vlan1", "lan0", tun, 1500, new StepClock());
        ByteBuf zero = datagram(1000, 5, 4);
        zero.setShort(26, 0);
        List<byte[]> in = sendInBatch(datagram(1000, 1, 0), datagram(1000, 2, 1), datagram(400, 3, 2), datagram(1000, 4, 3), zero);
        assertEquals(3, tun.written.size(), "[1000 1000 400] [1000] [no checksum]");
        VirtioNetHeader h = tun.headers.get(0);
        assertEquals(VirtioNetHeader.GSO_UDP_L4, h.gsoType());
        assertEquals(1000, h.gsoSize());
        assertEquals(6, h.csumOffset());
        assertEquals(28, h.headerLength());
        byte[] sup = tun.written.get(0);
        assertEquals(2428, ((sup[2] & 0xff) << 8) | (sup[3] & 0xff));
        assertEquals(2408, ((sup[24] & 0xff) << 8) | (sup[25] & 0xff), "UDP length of the whole");
        ByteBuf done = Unpooled.wrappedBuffer(sup.clone());
        assertTrue(Offloads.completeChecksum(done, h));
        assertChecksumsVerify(bytes(done));
        // cut back as USO does: each datagram the headers, its length, id + i, its own checksum
        for (int i = 0; i < 3; i++) {
            int len = i < 2 ? 1000 : 400;
            ByteBuf d = Unpooled.buffer(28 + len).writerIndex(28 + len);
            d.setBytes(0, sup, 0, 28);
            d.setBytes(28, sup, 28 + i * 1000, len);
            Ipv4.setTotalLength(d, 0, 28 + len);
            d.setShort(4, 1 + i);
            Ipv4.updateChecksum(d, 0);
            d.setShort(24, 8 + len);
            Udp.checksum(d, 0);
            assertArrayEquals(in.get(i), bytes(d), "datagram " + i);
        }
        assertArrayEquals(in.get(3), tun.written.get(3 - 2));
        assertArrayEquals(in.get(4), tun.written.get(2));
    }

    /**
     * What a TUN device hands over from its host's own sockets: the checksum left partial
     * (CHECKSUM_PARTIAL, the pseudo-header sum in the field) and NEEDS_CSUM in the header.
     */
    static VirtioNetHeader partial(ByteBuf p) {
        int proto = Ipv4.protocol(p, 0);
        return new VirtioNetHeader().set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 0, 20,
                proto == Ipv4.PROTO_UDP ? VirtioNetHeader.UDP_CSUM_OFFSET : Tcp.CHECKSUM);
    }

    @Test
    void datagramsWithPartialChecksumsFromTheHostMergeAsLinuxGroTrustsThem() {
        tun = new RecordingTun(TSO | TunFd.TUN_F_USO4);
        port = new TunPort("vlan1", "lan0", tun, 1500, new StepClock());
        List<byte[]> in = new ArrayList<>();
        ReceiveBatch.begin();
        for (int i = 0; i < 40; i++) {
            ByteBuf d = datagram(64, 1 + i, i);
            in.add(bytes(d));
            d.setShort(26, 0x1234); // whatever the host left there: argate fills in the pseudo-header sum
            assertTrue(port.transmit(d, partial(d)));
        }
        port.flush();
        assertEquals(1, tun.written.size(), "64-byte datagrams of one flow leave as one UDP super-packet");
        assertEquals(VirtioNetHeader.GSO_UDP_L4, tun.headers.get(0).gsoType());
        assertEquals(64, tun.headers.get(0).gsoSize());
        assertEquals(1, port.counters().txCoalesced.sum());
        assertEquals(40, port.counters().txCoalescedSegments.sum());
        byte[] sup = tun.written.get(0);
        for (int i = 0; i < 40; i++) {
            ByteBuf d = Unpooled.buffer(92).writerIndex(92);
            d.setBytes(0, sup, 0, 28);
            d.setBytes(28, sup, 28 + i * 64, 64);
            Ipv4.setTotalLength(d, 0, 92);
            d.setShort(4, 1 + i);
            Ipv4.updateChecksum(d, 0);
            d.setShort(24, 72);
            Udp.checksum(d, 0);
            assertArrayEquals(in.get(i), bytes(d), "datagram " + i);
        }
    }

    @Test
    void aLonePartialPacketLeavesWithItsChecksumStillToComplete() {
        tun = new RecordingTun(TSO | TunFd.TUN_F_USO4);
        port = new TunPort("vlan1", "lan0", tun, 1500, new StepClock());
        ByteBuf d = datagram(64, 1, 0);
        byte[] complete = bytes(d);
        ByteBuf s = segment(SEQ0, MSS, ACK, 2);
        byte[] completeSegment = bytes(s);
        ReceiveBatch.begin();
        assertTrue(port.transmit(d, partial(d)));
        assertTrue(port.transmit(s, partial(s)));
        port.flush();
        assertEquals(2, tun.written.size());
        for (int i = 0; i < 2; i++) {
            VirtioNetHeader h = tun.headers.get(i);
            assertTrue(h.needsChecksum() && !h.superPacket(), "the host completes the checksum: " + h);
            ByteBuf w = Unpooled.wrappedBuffer(tun.written.get(i).clone());
            assertTrue(Offloads.completeChecksum(w, h));
            // two flows: the order between them is not kept, only within each
            assertArrayEquals(w.readableBytes() == complete.length ? complete : completeSegment, bytes(w));
        }
    }

    @Test
    void aPortWithoutTsoHoldsNothing() {
        tun = new RecordingTun(TunFd.TUN_F_CSUM);
        port = new TunPort("vlan1", "lan0", tun, 1500, new StepClock());
        ReceiveBatch.begin();
        port.transmit(segment(SEQ0, MSS, ACK, 1));
        port.transmit(segment(SEQ0 + MSS, MSS, ACK, 2));
        assertEquals(2, tun.written.size());
    }

    /** A port that hands the test its sink, so the test is the receive thread the Forwarder serves. */
    static final class Ingress implements Port {
        final PortCounters counters = new PortCounters();
        PacketSink sink;

        @Override
        public String name() {
            return "vlan2";
        }

        @Override
        public String driver() {
            return "test";
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public boolean linkUp() {
            return true;
        }

        @Override
        public void start(PacketSink rx) {
            sink = rx;
        }

        @Override
        public boolean transmit(ByteBuf packet) {
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

    @Test
    void aPortThatAnnouncesNoBatchStartHasItsPacketsSentAtOnce() {
        Interfaces ifs = new Interfaces();
        ifs.add("vlan2", 0, 0xc0a80a01, 0xffffff00);
        ifs.add("vlan1", 0, 0xc0a81401, 0xffffff00);
        Forwarder fwd = new Forwarder(ifs, Clock.systemUTC(), PacketBuffers.ALLOC);
        fwd.routes(new RouteTable(ifs.connectedRoutes()));
        Ingress in = new Ingress();
        fwd.attach(in);
        fwd.attach(port);
        for (ByteBuf p : run(3, MSS)) {
            in.sink.receive(in, p);
        }
        assertEquals(3, tun.written.size(), "no batch was opened, so no flush would come: nothing is held");
        assertFalse(ReceiveBatch.open());
    }

    @Test
    void throughTheForwarderARunLeavesAtTheBatchsEndAndShowPortCountsIt() {
        Interfaces ifs = new Interfaces();
        ifs.add("vlan2", 0, 0xc0a80a01, 0xffffff00);
        ifs.add("vlan1", 0, 0xc0a81401, 0xffffff00);
        Forwarder fwd = new Forwarder(ifs, Clock.systemUTC(), PacketBuffers.ALLOC);
        fwd.routes(new RouteTable(ifs.connectedRoutes()));
        Ingress in = new Ingress();
        fwd.attach(in);
        fwd.attach(port);
        List<byte[]> sent = new ArrayList<>();
        in.sink.batchStart(in);
        for (ByteBuf p : run(8, MSS)) {
            byte[] b = bytes(p);
            b[8]--; // what the router forwards: TTL one less
            ByteBuf c = Unpooled.wrappedBuffer(b.clone());
            Ipv4.updateChecksum(c, 0);
            sent.add(bytes(c));
            in.sink.receive(in, p);
        }
        assertEquals(0, tun.written.size(), "held while the batch runs");
        in.sink.batchEnd(in);
        assertEquals(1, tun.written.size());
        assertSame(sent, cutBack(0));
        assertEquals(1, port.counters().txCoalesced.sum());
        assertEquals(8, port.counters().txCoalescedSegments.sum());
        assertTrue(!ReceiveBatch.open(), "the batch is over for this thread");
    }
}
