package io.argate.ipsec.esp;

import io.argate.enco.soft.SoftwareDriver;
import io.argate.enco.spi.Algorithm;
import io.argate.ip.packet.Ipv4;
import io.argate.ipsec.oracle.PcapFile;
import io.argate.ipsec.oracle.Tshark;
import io.argate.ipsec.spec.CompAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.ipsec.wire.IpcompLayout;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AhIpcompTest {
    static final byte[] KEY = HexFormat.of().parseHex("431d62cd3cb76fb8101dacaf43aa4dbfb919e957");

    /** Tunnel-mode AH packet: outer IPv4 (TOS 0x10, TTL 64, DF) | AH | inner ping. */
    static byte[] ahPacket(AhTransform ah, byte[] inner) throws Exception {
        int len = 20 + ah.length() + inner.length;
        ByteBuf b = Unpooled.buffer(len).writerIndex(len);
        Ipv4.write(b, 0, 0x10, len, 99, Ipv4.FLAG_DF, 64, Ipv4.PROTO_AH, 0xc0000201, 0xc0000202);
        b.setBytes(20 + ah.length(), inner);
        ah.seal(b, 0, 20, len, Ipv4.PROTO_IPIP, 0x2001, 5);
        return ByteBufUtil.getBytes(b);
    }

    /**
     * The AH ICV assembled by hand from RFC 4302 3.3.3.1: the IPv4 header with TOS, flags and
     * offset, TTL and checksum zero, the AH header with a zero ICV, then the payload, under
     * HMAC-SHA1 truncated to 96 bits (RFC 2404).
     */
    @Test
    void ahIcvIsHmacSha1OverTheImmutableFields() throws Exception {
        AhTransform ah = new AhTransform(HashAlg.SHA, new SoftwareDriver().mac(Algorithm.HMAC_SHA1_96, KEY), "software");
        byte[] inner = EspTransformTest.ping(56);
        byte[] pkt = ahPacket(ah, inner);
        byte[] zeroed = pkt.clone();
        zeroed[1] = 0;
        zeroed[6] = 0;
        zeroed[7] = 0;
        zeroed[8] = 0;
        zeroed[10] = 0;
        zeroed[11] = 0;
        Arrays.fill(zeroed, 20 + 12, 20 + 24, (byte) 0);
        Mac m = Mac.getInstance("HmacSHA1");
        m.init(new SecretKeySpec(KEY, "HmacSHA1"));
        byte[] expected = Arrays.copyOf(m.doFinal(zeroed), 12);
        assertArrayEquals(expected, Arrays.copyOfRange(pkt, 32, 44));
        assertEquals("040400000000200100000005", HexFormat.of().formatHex(pkt, 20, 32), "next header 4, length 4 words-2, SPI, sequence 5");

        ByteBuf b = Unpooled.wrappedBuffer(pkt.clone());
        assertTrue(ah.verify(b, 0, 20, pkt.length));
        b.setByte(8, 1);
        Ipv4.updateChecksum(b, 0);
        assertTrue(ah.verify(b, 0, 20, pkt.length), "TTL and checksum change in transit and are not covered");
        b.setByte(60, b.getByte(60) ^ 1);
        assertFalse(ah.verify(b, 0, 20, pkt.length), "a changed payload byte fails the ICV");
        ByteBuf src = Unpooled.wrappedBuffer(pkt.clone());
        src.setByte(15, 9);
        assertFalse(ah.verify(src, 0, 20, pkt.length), "the source address is covered");
    }

    @Test
    void ipcompCompressesWhenItPaysAndOtherwiseLeavesTheDatagramAlone() throws Exception {
        SoftwareDriver sw = new SoftwareDriver();
        for (CompAlg alg : CompAlg.values()) {
            IpcompTransform t = new IpcompTransform(alg, sw.compression(alg == CompAlg.LZS ? Algorithm.LZS : Algorithm.DEFLATE), alg.wellKnownCpi());
            byte[] inner = EspTransformTest.ping(1372);
            ByteBuf b = Unpooled.buffer(4 + inner.length);
            b.writerIndex(4).writeBytes(inner);
            int at = t.compress(b, 4, b.writerIndex(), Ipv4.PROTO_IPIP);
            assertEquals(0, at);
            assertTrue(b.writerIndex() < 1400 / 2, alg + " shrank the ping to " + b.writerIndex());
            assertEquals(alg.wellKnownCpi(), IpcompLayout.cpi(b, 0));
            ByteBuf back = Unpooled.buffer(1500);
            assertEquals(Ipv4.PROTO_IPIP, t.decompress(b, 0, b.writerIndex(), back, 1500));
            assertArrayEquals(inner, ByteBufUtil.getBytes(back));

            byte[] random = new byte[1000];
            new java.util.Random(4).nextBytes(random);
            ByteBuf r = Unpooled.buffer(1004).writerIndex(4).writeBytes(random);
            assertEquals(-1, t.compress(r, 4, 1004, Ipv4.PROTO_IPIP), "incompressible: sent as it is");
            assertEquals(1004, r.writerIndex());
            ByteBuf small = Unpooled.buffer(64).writerIndex(4).writeBytes(new byte[40]);
            assertEquals(-1, t.compress(small, 4, 44, Ipv4.PROTO_IPIP), "below the 90-byte threshold");
        }
    }

    @Test
    void tsharkDissectsArgatesAhAndIpcomp(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Tshark.available(), "skipped: tshark is not installed (.ci/run installs it)");
        AhTransform ah = new AhTransform(HashAlg.SHA, new SoftwareDriver().mac(Algorithm.HMAC_SHA1_96, KEY), "software");
        byte[] ahPkt = ahPacket(ah, EspTransformTest.ping(56));
        IpcompTransform c = new IpcompTransform(CompAlg.DEFLATE, new SoftwareDriver().compression(Algorithm.DEFLATE), 2);
        byte[] inner = EspTransformTest.ping(1000);
        ByteBuf b = Unpooled.buffer(24 + inner.length);
        b.writerIndex(24).writeBytes(inner);
        int at = c.compress(b, 24, b.writerIndex(), Ipv4.PROTO_IPIP);
        Ipv4.write(b, at - 20, 0, b.writerIndex() - at + 20, 3, 0, 64, Ipv4.PROTO_IPCOMP, 0xc0000201, 0xc0000202);
        byte[] compPkt = ByteBufUtil.getBytes(b, at - 20, b.writerIndex() - at + 20);
        Path pcap = dir.resolve("ah.pcap");
        PcapFile.write(pcap, List.of(ahPkt, compPkt));
        String out = Tshark.dissect(pcap, List.of());
        assertTrue(out.contains("Authentication Header"), out);
        assertTrue(out.contains("AH SPI: 0x00002001"), out);
        assertTrue(out.contains("Echo (ping) request"), "the inner packet after AH is dissected:\n" + out);
        assertTrue(out.contains("IP Payload Compression"), out);
        assertTrue(out.contains("DEFLATE"), "CPI 2 is named DEFLATE:\n" + out);
        assertFalse(out.contains("Malformed"), out);
    }
}
