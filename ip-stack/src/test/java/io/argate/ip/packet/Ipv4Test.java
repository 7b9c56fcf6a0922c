package io.argate.ip.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4Test {
    /** The header of RFC 1071's classic example, checked against a well-known capture's checksum (0xb861). */
    @Test
    void checksumOfAKnownHeader() {
        ByteBuf b = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("450000730000400040110000c0a80001c0a800c7"));
        assertEquals(0xb861, Ipv4.checksum(b, 0, 20));
        b.setShort(10, 0xb861);
        assertTrue(Ipv4.checksumOk(b, 0));
        b.setByte(8, 63);
        assertFalse(Ipv4.checksumOk(b, 0));
        Ipv4.updateChecksum(b, 0);
        assertTrue(Ipv4.checksumOk(b, 0));
    }

    /** Summing 32-bit words must give what RFC 1071's 16-bit sum gives, for every length and alignment. */
    @Test
    void checksumOfEveryLengthMatchesTheSixteenBitSum() {
        java.util.Random r = new java.util.Random(1071);
        for (int length = 0; length <= 70; length++) {
            for (int offset = 0; offset < 4; offset++) {
                byte[] data = new byte[offset + length];
                r.nextBytes(data);
                long sum = 0;
                for (int i = 0; i < length; i += 2) {
                    sum += (data[offset + i] & 0xff) << 8 | (i + 1 < length ? data[offset + i + 1] & 0xff : 0);
                }
                while ((sum >>> 16) != 0) {
                    sum = (sum & 0xffff) + (sum >>> 16);
                }
                assertEquals((int) (~sum & 0xffff), Ipv4.checksum(Unpooled.wrappedBuffer(data), offset, length), "length " + length);
            }
        }
    }

    @Test
    void writeAndReadBack() {
        ByteBuf b = Unpooled.buffer(20).writerIndex(20);
        Ipv4.write(b, 0, 0, 84, 0x1234, Ipv4.FLAG_DF, 64, Ipv4.PROTO_ESP, 0xc0000201, 0xc0000202);
        assertEquals(4, Ipv4.version(b, 0));
        assertEquals(20, Ipv4.headerLength(b, 0));
        assertEquals(84, Ipv4.totalLength(b, 0));
        assertEquals(0x1234, Ipv4.identification(b, 0));
        assertEquals(Ipv4.FLAG_DF, Ipv4.flagsAndOffset(b, 0));
        assertEquals(64, Ipv4.ttl(b, 0));
        assertEquals(50, Ipv4.protocol(b, 0));
        assertEquals(0xc0000201, Ipv4.source(b, 0));
        assertEquals(0xc0000202, Ipv4.destination(b, 0));
        assertTrue(Ipv4.checksumOk(b, 0));
        assertEquals(1, Ipv4.checksum(Unpooled.wrappedBuffer(new byte[]{(byte) 0xff, (byte) 0xfe}), 0, 2));
        assertEquals(0xfeff, Ipv4.checksum(Unpooled.wrappedBuffer(new byte[]{1}), 0, 1), "an odd byte is the high half of a word");
    }
}
