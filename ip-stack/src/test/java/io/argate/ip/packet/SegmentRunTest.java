package io.argate.ip.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The sum every checksum of the data path is made with (egress GRO's verification too), against the byte-wise RFC 1071 sum. */
class SegmentRunTest {
    @Test
    void theEightBytesAtATimeSumIsTheRfc1071Sum() {
        Random r = new Random(1071);
        for (int n = 0; n < 300; n++) {
            int len = r.nextInt(1600);
            int at = r.nextInt(9);
            byte[] a = new byte[at + len + 3];
            r.nextBytes(a);
            ByteBuf heap = Unpooled.wrappedBuffer(a, 0, a.length);
            ByteBuf direct = Unpooled.directBuffer(a.length).writeBytes(a);
            int expected = OffloadsTest.sum16(a, at, len, 0);
            assertEquals(expected, Checksum.sum(heap, at, len), "heap, " + len + " bytes at " + at);
            assertEquals(expected, Checksum.sum(direct, at, len), "direct, " + len + " bytes at " + at);
            direct.release();
        }
    }
}
