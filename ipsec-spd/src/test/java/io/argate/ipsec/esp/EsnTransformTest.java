package io.argate.ipsec.esp;

import io.argate.enco.soft.SoftwareDriver;
import io.argate.enco.spi.Algorithm;
import io.argate.ip.packet.Ipv4;
import io.argate.ipsec.replay.ReplayWindow;
import io.argate.ipsec.sad.Sa;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.ipsec.spec.IpsecProtocol;
import io.argate.ipsec.wire.EspLayout;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Extended sequence numbers end to end at the transform level: packets sealed around 2^32 by
 * an ESN sender are opened by a receiver that only sees the low 32 bits, infers the rest from
 * its window and checks the ICV with it (RFC 4303 section 2.2.1 and Appendix A2.2).
 */
class EsnTransformTest {
    static final SoftwareDriver SW = new SoftwareDriver();
    static final byte[] AES_KEY = HexFormat.of().parseHex("06a9214036b8a15b512e03d534120006");
    static final byte[] SHA_KEY = HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f1011121314");

    static EspTransform cbcSha() throws Exception {
        return new EspTransform(EncAlg.AES128, HashAlg.SHA, SW.cipher(Algorithm.AES_CBC_128, AES_KEY), SW.mac(Algorithm.HMAC_SHA1_96, SHA_KEY),
                "software");
    }

    static EspTransform gcm() throws Exception {
        return new EspTransform(EncAlg.AESGCM128, SW.aead(Algorithm.AES_GCM_128, AES_KEY, 16), new byte[]{1, 2, 3, 4}, "software");
    }

    /** The ESP packet (SPI to ICV) carrying {@code inner}. */
    static byte[] seal(EspTransform t, byte[] inner, long seq, boolean esn) throws Exception {
        int head = t.headerLength();
        ByteBuf b = Unpooled.buffer(head + inner.length + t.maxTrailer());
        b.setBytes(head, inner);
        t.seal(b, head, head + inner.length, Ipv4.PROTO_IPIP, 0x3001, seq, esn);
        return ByteBufUtil.getBytes(b, 0, b.writerIndex());
    }

    /** What the receiving data path does: infer, replay check, open with the inferred number, then record it. */
    static byte[] receive(Sa<EspTransform> sa, byte[] packet) throws Exception {
        ByteBuf b = Unpooled.wrappedBuffer(packet.clone());
        long seq = sa.inboundSequence(EspLayout.sequence(b, 0));
        if (sa.replay().check(seq) != ReplayWindow.Verdict.OK) {
            return null;
        }
        int start = sa.transform().open(b, 0, packet.length, seq, sa.esn());
        if (start < 0) {
            return null;
        }
        sa.received(seq);
        return ByteBufUtil.getBytes(b, start, b.writerIndex() - start);
    }

    /** A fresh transform per direction. */
    interface Suite {
        EspTransform make() throws Exception;
    }

    @Test
    void packetsAcrossTwoToThe32OpenWithTheInferredHighHalf() throws Exception {
        for (Suite suite : List.<Suite>of(EsnTransformTest::cbcSha, EsnTransformTest::gcm)) {
            EspTransform out = suite.make();
            EspTransform in = suite.make();
            Sa<EspTransform> rx = new Sa<>(1, IpsecProtocol.ESP, 0x3001, true, 1, in, new ReplayWindow(64), true);
            byte[] inner = EspTransformTest.ping(40);
            // in order up to the boundary, then across it with one late packet from below it
            for (long seq : new long[]{0xFFFF_FFF0L, 0xFFFF_FFFEL, 0x1_0000_0000L, 0x1_0000_0001L, 0xFFFF_FFFFL, 0x1_0000_0030L}) {
                byte[] wire = seal(out, inner, seq, true);
                assertEquals(seq & 0xFFFF_FFFFL, EspLayout.sequence(Unpooled.wrappedBuffer(wire), 0), "only the low half travels");
                assertArrayEquals(inner, receive(rx, wire), Long.toHexString(seq));
                assertEquals(null, receive(rx, wire), "a replay of " + Long.toHexString(seq) + " is refused");
            }
            assertEquals(0x1_0000_0030L, rx.replay().highest());
            // a packet from 2^32 earlier has the same low half; the window reads it as current and its ICV fails
            byte[] stale = seal(out, inner, 0x30L + 1, true);
            assertEquals(null, receive(rx, stale));
            assertEquals(EspTransform.Drop.BAD_ICV, in.lastDrop());
            assertEquals(0x1_0000_0030L, rx.replay().highest(), "a failed ICV does not move the window");
        }
    }

    @Test
    void theHighHalfIsCoveredByTheIcvButNotSent() throws Exception {
        for (EspTransform t : new EspTransform[]{cbcSha(), gcm()}) {
            byte[] inner = EspTransformTest.ping(16);
            long seq = 0x7_0000_0005L;
            byte[] esn = seal(t, inner, seq, true);
            ByteBuf wrongHigh = Unpooled.wrappedBuffer(esn.clone());
            assertEquals(-1, t.open(wrongHigh, 0, esn.length, 0x6_0000_0005L, true));
            assertEquals(EspTransform.Drop.BAD_ICV, t.lastDrop());
            assertEquals(-1, t.open(Unpooled.wrappedBuffer(esn.clone()), 0, esn.length), "a receiver without ESN cannot verify it");
            assertEquals(EspTransform.Drop.BAD_ICV, t.lastDrop());
            assertTrue(t.open(Unpooled.wrappedBuffer(esn.clone()), 0, esn.length, seq, true) > 0);
        }
    }

    /** The ESP HMAC with ESN, recomputed with javax.crypto: ESP header to trailer, then the high 32 bits (RFC 4303 3.3.2.1). */
    @Test
    void cbcHmacIcvWithEsnMatchesAnIndependentComputation() throws Exception {
        byte[] inner = EspTransformTest.ping(30);
        long seq = 0xABCD_0001_0000_0002L;
        byte[] packet = seal(cbcSha(), inner, seq, true);
        Mac m = Mac.getInstance("HmacSHA1");
        m.init(new SecretKeySpec(SHA_KEY, "HmacSHA1"));
        m.update(packet, 0, packet.length - 12);
        m.update(ByteBuffer.allocate(4).putInt((int) (seq >>> 32)).array());
        assertArrayEquals(Arrays.copyOf(m.doFinal(), 12), Arrays.copyOfRange(packet, packet.length - 12, packet.length));
        assertEquals(0x0000_0002L, EspLayout.sequence(Unpooled.wrappedBuffer(packet), 0));
        // without ESN the same number would give the ICV over the packet alone
        m.update(seal(cbcSha(), inner, seq & 0xFFFF_FFFFL, false), 0, packet.length - 12);
        assertFalse(Arrays.equals(Arrays.copyOf(m.doFinal(), 12), Arrays.copyOfRange(packet, packet.length - 12, packet.length)));
    }

    @Test
    void truncatedEsnPacketsAreCountedDropsNotExceptions() throws Exception {
        for (EspTransform t : List.of(cbcSha(), gcm())) {
            byte[] packet = seal(t, EspTransformTest.ping(8), 0x1_0000_0001L, true);
            for (int len = 0; len < packet.length; len++) {
                ByteBuf b = Unpooled.wrappedBuffer(Arrays.copyOf(packet, len));
                assertEquals(-1, t.open(b, 0, len, 0x1_0000_0001L, true), "length " + len);
            }
        }
    }
}
