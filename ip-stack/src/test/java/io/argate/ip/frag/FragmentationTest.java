package io.argate.ip.frag;

import io.argate.ip.packet.Ipv4;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import io.argate.shell.testing.StepClock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FragmentationTest {
    static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;


    /** A 3000-byte ICMP datagram, the fragmentation example. */
    static ByteBuf datagram(int total, int id, boolean df) {
        ByteBuf b = ALLOC.buffer(total).writerIndex(total);
        Ipv4.write(b, 0, 0, total, id, df ? Ipv4.FLAG_DF : 0, 64, Ipv4.PROTO_ICMP, 0x0a000001, 0x0a000002);
        for (int i = 20; i < total; i++) {
            b.setByte(i, i * 7);
        }
        return b;
    }

    @Test
    void threeThousandBytesOverA1280MtuAndBackInAnyOrder() {
        ByteBuf d = datagram(3000, 42, false);
        List<ByteBuf> frags = new ArrayList<>();
        assertEquals(Fragmenter.Outcome.FRAGMENTED, Fragmenter.fragment(d, 1280, ALLOC, frags));
        assertEquals(3, frags.size());
        assertEquals(List.of(1276, 1276, 488), frags.stream().map(f -> Ipv4.totalLength(f, 0)).toList());
        assertEquals(List.of(Ipv4.FLAG_MF, Ipv4.FLAG_MF | 157, 314), frags.stream().map(f -> Ipv4.flagsAndOffset(f, 0)).toList());
        assertTrue(frags.stream().allMatch(f -> Ipv4.checksumOk(f, 0)));
        Collections.reverse(frags);
        Reassembler r = new Reassembler(new StepClock(), ALLOC);
        assertNull(r.add(frags.get(0)));
        assertNull(r.add(frags.get(1)));
        ByteBuf whole = r.add(frags.get(2));
        assertNotNull(whole);
        assertArrayEquals(ByteBufUtil.getBytes(d), ByteBufUtil.getBytes(whole));
        assertEquals(0, r.inProgress());
    }

    @Test
    void dfMeansFragmentationNeededAndSmallPacketsFit() {
        assertEquals(Fragmenter.Outcome.NEEDS_FRAGMENTATION, Fragmenter.fragment(datagram(1500, 1, true), 1400, ALLOC, new ArrayList<>()));
        assertEquals(Fragmenter.Outcome.FITS, Fragmenter.fragment(datagram(1400, 1, true), 1400, ALLOC, new ArrayList<>()));
    }

    @Test
    void overlapsOversizeAndGarbageAreDroppedAndCounted() {
        Reassembler r = new Reassembler(new StepClock(), ALLOC);
        List<ByteBuf> frags = new ArrayList<>();
        Fragmenter.fragment(datagram(3000, 7, false), 1280, ALLOC, frags);
        assertNull(r.add(frags.get(0)));
        ByteBuf overlapping = frags.get(1).copy();
        overlapping.setShort(6, Ipv4.FLAG_MF | 100);
        Ipv4.updateChecksum(overlapping, 0);
        assertNull(r.add(overlapping));
        assertEquals(1, r.drops(Reassembler.Drop.OVERLAP));
        assertEquals(0, r.inProgress(), "the whole datagram is gone");
        ByteBuf huge = datagram(1020, 8, false);
        huge.setShort(6, 8189);
        assertNull(r.add(huge));
        assertEquals(1, r.drops(Reassembler.Drop.OVERSIZE));
        ByteBuf odd = datagram(1021, 9, false);
        odd.setShort(6, Ipv4.FLAG_MF);
        assertNull(r.add(odd));
        assertEquals(1, r.drops(Reassembler.Drop.BAD_FRAGMENT), "a middle fragment must carry a multiple of 8 bytes");
    }

    @Test
    void neverCompletedDatagramsTimeOutAndMemoryIsBounded() {
        StepClock clock = new StepClock();
        Reassembler r = new Reassembler(clock, ALLOC);
        List<ByteBuf> frags = new ArrayList<>();
        Fragmenter.fragment(datagram(3000, 11, false), 1280, ALLOC, frags);
        r.add(frags.get(0));
        clock.advanceSeconds(31);
        r.expire();
        assertEquals(1, r.drops(Reassembler.Drop.TIMEOUT));
        for (int id = 0; id < Reassembler.MAX_DATAGRAMS + 10; id++) {
            List<ByteBuf> f = new ArrayList<>();
            Fragmenter.fragment(datagram(3000, 1000 + id, false), 1280, ALLOC, f);
            r.add(f.get(0));
        }
        assertEquals(Reassembler.MAX_DATAGRAMS, r.inProgress());
        assertEquals(10, r.drops(Reassembler.Drop.MEMORY));
    }

    @Test
    void randomFragmentSizesAndOrders() {
        Random rnd = new Random(6);
        for (int round = 0; round < 200; round++) {
            int total = 28 + rnd.nextInt(9000);
            int mtu = 68 + rnd.nextInt(1500);
            ByteBuf d = datagram(total, round, false);
            List<ByteBuf> frags = new ArrayList<>();
            Fragmenter.Outcome o = Fragmenter.fragment(d, mtu, ALLOC, frags);
            if (o == Fragmenter.Outcome.FITS) {
                continue;
            }
            Collections.shuffle(frags, rnd);
            Reassembler r = new Reassembler(new StepClock(), ALLOC);
            ByteBuf whole = null;
            for (ByteBuf f : frags) {
                assertTrue(Ipv4.totalLength(f, 0) <= mtu);
                ByteBuf w = r.add(f);
                if (w != null) {
                    whole = w;
                }
            }
            assertNotNull(whole, "round " + round);
            assertArrayEquals(ByteBufUtil.getBytes(d), ByteBufUtil.getBytes(whole));
        }
    }

    /** A fragment of datagram {@code id} with a header of {@code headerLength} bytes (NOP options) and {@code dataLength} bytes. */
    static ByteBuf fragment(int id, int headerLength, int offset, int dataLength, boolean more) {
        int total = headerLength + dataLength;
        ByteBuf b = ALLOC.buffer(total).writerIndex(total);
        Ipv4.write(b, 0, 0, total, id, (more ? Ipv4.FLAG_MF : 0) | offset / 8, 64, Ipv4.PROTO_UDP, 0x0a000001, 0x0a000002);
        b.setByte(0, 0x40 | headerLength / 4);
        for (int i = Ipv4.MIN_HEADER; i < headerLength; i++) {
            b.setByte(i, 1);
        }
        Ipv4.updateChecksum(b, 0);
        return b;
    }

    @Test
    void aFirstFragmentWithALongHeaderCannotMakeADatagramOver65535Bytes() {
        // issue 11 item 10: 60 + 65,515 bytes wrapped the total length to 39
        Reassembler r = new Reassembler(new StepClock(), ALLOC);
        assertNull(r.add(fragment(5, 60, 0, 1480, true)));
        for (int off = 1480; off + 1480 < 65_515; off += 1480) {
            assertNull(r.add(fragment(5, 20, off, 1480, true)));
        }
        int last = 65_515 / 1480 * 1480;
        assertNull(r.add(fragment(5, 20, last, 65_515 - last, false)), "the datagram would be 65,575 bytes");
        assertEquals(1, r.drops(Reassembler.Drop.OVERSIZE));
        assertEquals(0, r.inProgress());

        // the same refusal when the long first fragment comes last
        assertNull(r.add(fragment(6, 20, last, 65_515 - last, false)));
        assertNull(r.add(fragment(6, 60, 0, 1480, true)));
        assertEquals(2, r.drops(Reassembler.Drop.OVERSIZE));
        assertEquals(0, r.inProgress());

        // and 60 + 65,475 = 65,535 bytes is the largest datagram there is
        assertNull(r.add(fragment(7, 60, 0, 1480, true)));
        for (int off = 1480; off + 1480 < 65_475; off += 1480) {
            assertNull(r.add(fragment(7, 20, off, 1480, true)));
        }
        int end = 65_475 / 1480 * 1480;
        ByteBuf whole = r.add(fragment(7, 20, end, 65_475 - end, false));
        assertNotNull(whole);
        assertEquals(65_535, Ipv4.totalLength(whole, 0));
        assertEquals(65_535, whole.readableBytes());
        assertTrue(Ipv4.checksumOk(whole, 0));
    }
}
