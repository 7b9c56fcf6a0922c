package io.argate.ipsec.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LayoutTest {

    @Test
    void espPaddingFillsBlocksAndFourByteAlignment() {
        assertEquals(2, EspLayout.padLength(84, 1), "NULL cipher: still 4-byte aligned");
        assertEquals(0, EspLayout.padLength(82, 4));
        assertEquals(2, EspLayout.padLength(84, 8), "DES/3DES block 8: 84+2+2 = 88");
        assertEquals(10, EspLayout.padLength(84, 16), "AES block 16: 84+10+2 = 96");
        assertEquals(0, EspLayout.padLength(14, 16));
        for (int len = 0; len < 300; len++) {
            for (int bs : new int[]{1, 4, 8, 16}) {
                int total = len + EspLayout.padLength(len, bs) + 2;
                assertEquals(0, total % Math.max(4, bs));
            }
        }
    }

    @Test
    void trailerRoundTripAndBadPaddingDetection() {
        ByteBuf b = Unpooled.buffer(64);
        b.writerIndex(64);
        int written = EspLayout.writeTrailer(b, 10, 6, 4);
        assertEquals("01020304050606" + "04", ByteBufUtil.hexDump(b, 10, written));
        assertEquals(6, EspLayout.checkTrailer(b, 0, 10 + written));
        assertEquals(4, EspLayout.nextHeader(b, 10 + written));
        b.setByte(12, 9);
        assertEquals(-1, EspLayout.checkTrailer(b, 0, 10 + written), "padding bytes must be 1,2,3,...");
        b.setByte(12, 3);
        b.setByte(16, 200);
        assertEquals(-1, EspLayout.checkTrailer(b, 8, 10 + written), "pad length longer than the plaintext");
        assertEquals(-1, EspLayout.checkTrailer(b, 0, 1));
    }

    @Test
    void espHeaderBytes() {
        ByteBuf b = Unpooled.buffer(8);
        b.writerIndex(8);
        EspLayout.writeHeader(b, 0, 0x00000111, 0x1_0000_0002L);
        assertEquals("0000011100000002", ByteBufUtil.hexDump(b));
        assertEquals(0x111, EspLayout.spi(b, 0));
        assertEquals(2, EspLayout.sequence(b, 0), "only the low 32 bits travel");
    }

    @Test
    void ahHeaderForNinetySixBitIcv() {
        ByteBuf b = Unpooled.buffer(24);
        b.writerIndex(24);
        b.setByte(20, 0x55);
        AhLayout.write(b, 0, 4, 0x1000, 7, 12);
        assertEquals(24, AhLayout.length(12));
        assertEquals("04040000" + "00001000" + "00000007" + "000000000000000000000000", ByteBufUtil.hexDump(b));
        assertEquals(24, AhLayout.lengthField(b, 0), "Payload Len 4 = 6 words - 2");
        assertEquals(0x1000, AhLayout.spi(b, 0));
        assertEquals(7, AhLayout.sequence(b, 0));
        assertEquals(28, AhLayout.length(16), "SHA2-256-128: 16-byte ICV");
    }

    @Test
    void ahZeroesOnlyTheMutableIpv4Fields() {
        ByteBuf ip = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("45b8005412344000fe01abcdc0a80a01c0a81401"));
        AhLayout.zeroMutableIpv4(ip, 0);
        assertEquals("4500005412340000" + "0001" + "0000" + "c0a80a01c0a81401", ByteBufUtil.hexDump(ip));
    }

    @Test
    void ipcompHeader() {
        ByteBuf b = Unpooled.buffer(4);
        b.writerIndex(4);
        IpcompLayout.write(b, 0, 4, IpcompLayout.CPI_LZS);
        assertEquals("04000003", ByteBufUtil.hexDump(b));
        assertEquals(3, IpcompLayout.cpi(b, 0));
        assertEquals(4, IpcompLayout.nextHeader(b, 0));
    }

    @Test
    void udpPayloadClassification() {
        assertEquals(UdpEncapsulation.Kind.KEEPALIVE, UdpEncapsulation.classify(Unpooled.wrappedBuffer(new byte[]{(byte) 0xff}), 0, 1));
        assertEquals(UdpEncapsulation.Kind.IKE, UdpEncapsulation.classify(Unpooled.wrappedBuffer(new byte[12]), 0, 12));
        assertEquals(UdpEncapsulation.Kind.ESP, UdpEncapsulation.classify(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("0000011100000001")), 0, 8));
        assertEquals(UdpEncapsulation.Kind.RUNT, UdpEncapsulation.classify(Unpooled.wrappedBuffer(new byte[]{1, 2, 3}), 0, 3));
    }
}
