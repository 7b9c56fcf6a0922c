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
