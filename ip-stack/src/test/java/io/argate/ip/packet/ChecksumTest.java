package io.argate.ip.packet;

import io.argate.ip.packet.Ipv4;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChecksumTest {
    @Test
    void rfc1624WorkedExampleGivesZeroNotMinusZero() {
        // RFC 1624 section 4: HC = 0xDD2F, m = 0x5555 -> m' = 0x3285 gives HC' = 0x0000 by eqn. 3
        assertEquals(0x0000, Checksum.update16(0xDD2F, 0x5555, 0x3285));
    }

    @Test
    void incrementalUpdatesMatchAFullRecomputation() {
        Random rnd = new Random(7);
        ByteBuf b = Unpooled.buffer(64);
        for (int round = 0; round < 10_000; round++) {
            b.clear();
            for (int i = 0; i < 40; i++) {
                b.writeByte(rnd.nextInt(256));
            }
            b.setShort(10, 0);
            b.setShort(10, Ipv4.checksum(b, 0, 40));
            int field = 4 * rnd.nextInt(9);
            if (field == 8) {
                field = 12;
            }
            int old = b.getInt(field);
            int now = rnd.nextInt();
            b.setInt(field, now);
            int updated = Checksum.update32(b.getUnsignedShort(10), old, now);
            b.setShort(10, updated);
            assertEquals(0, Ipv4.checksum(b, 0, 40), "the updated checksum verifies, round " + round);
            // a 16-bit field too
            int at = 20 + 2 * rnd.nextInt(10);
            int w = rnd.nextInt(65536);
            int before = b.getUnsignedShort(at);
            b.setShort(at, w);
            b.setShort(10, Checksum.update16(b.getUnsignedShort(10), before, w));
            assertEquals(0, Ipv4.checksum(b, 0, 40), "16-bit update verifies, round " + round);
        }
    }
}
