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

    /** RFC 2202 test case 1's key, the HMAC-SHA1 key RFC 2404 points to for HMAC-SHA1-96. */
    static final byte[] RFC2202_KEY = HexFormat.of().parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    /** Outer IPv4 192.0.2.1 -> 192.0.2.2, TOS 0x10, id 0x1234, DF, TTL 64, protocol 51, checksum a433. */
    static final String AH_OUTER = "45100050123440004033a433c0000201c0000202";
    /** Inner ICMP echo request 192.168.10.5 -> 192.168.20.7, id 0x1234, sequence 1, data 00..07. */
    static final String AH_INNER = "45000024000700004001db75c0a80a05c0a814070800d9ba123400010001020304050607";
    /*
     * The expected ICVs were computed with python3's hmac module (hmac.new(key, m, hashlib.sha1),
     * first 12 bytes) over m = the outer header with TOS, flags/offset, TTL and checksum zero, the
     * AH header with a zero ICV, and the inner packet; for ESN with 00000001 (the high half of
     * sequence number 0x1_00000005) appended (RFC 4302 section 2.5.1).
     */
    static final String AH_ICV = "cdec6d46b2133fae86c50b4a";
    static final String AH_ICV_ESN = "2794c5227d9c7492fbab7835";

    static byte[] fixedAhPacket(AhTransform ah, long seq, boolean esn) throws Exception {
        byte[] outer = HexFormat.of().parseHex(AH_OUTER);
        byte[] inner = HexFormat.of().parseHex(AH_INNER);
        ByteBuf b = Unpooled.buffer(80).writerIndex(80);
        b.setBytes(0, outer);
        b.setBytes(44, inner);
        ah.seal(b, 0, 20, 80, Ipv4.PROTO_IPIP, 0x2001, seq, esn);
        return ByteBufUtil.getBytes(b);
    }

    @Test
    void ahHmacSha1KnownAnswerOnAFixedPacket() throws Exception {
        AhTransform ah = new AhTransform(HashAlg.SHA, new SoftwareDriver().mac(Algorithm.HMAC_SHA1_96, RFC2202_KEY), "software");
        byte[] pkt = fixedAhPacket(ah, 5, false);
        assertEquals(AH_OUTER + "04040000" + "00002001" + "00000005" + AH_ICV + AH_INNER, HexFormat.of().formatHex(pkt));

        // the same ICV from javax.crypto, mutable fields zeroed per RFC 4302 section 3.3.3.1
        Mac m = Mac.getInstance("HmacSHA1");
        m.init(new SecretKeySpec(RFC2202_KEY, "HmacSHA1"));
        byte[] zeroed = pkt.clone();
        zeroed[1] = 0;
        zeroed[6] = 0;
        zeroed[7] = 0;
        zeroed[8] = 0;
        zeroed[10] = 0;
        zeroed[11] = 0;
        Arrays.fill(zeroed, 32, 44, (byte) 0);
        assertEquals(AH_ICV, HexFormat.of().formatHex(m.doFinal(zeroed), 0, 12));
        assertTrue(ah.verify(Unpooled.wrappedBuffer(pkt.clone()), 0, 20, pkt.length));

        // ESN: the wire still says 5, the ICV covers the high half 1 appended after the packet
        long seq = 0x1_0000_0005L;
        byte[] esn = fixedAhPacket(ah, seq, true);
        assertEquals(AH_OUTER + "04040000" + "00002001" + "00000005" + AH_ICV_ESN + AH_INNER, HexFormat.of().formatHex(esn));
        m.update(zeroed);
        assertEquals(AH_ICV_ESN, HexFormat.of().formatHex(m.doFinal(new byte[]{0, 0, 0, 1}), 0, 12));
        assertTrue(ah.verify(Unpooled.wrappedBuffer(esn.clone()), 0, 20, esn.length, seq, true));
        assertFalse(ah.verify(Unpooled.wrappedBuffer(esn.clone()), 0, 20, esn.length, 0x2_0000_0005L, true), "a wrong high half fails");
        assertFalse(ah.verify(Unpooled.wrappedBuffer(esn.clone()), 0, 20, esn.length), "a receiver without ESN cannot verify it");
        assertFalse(ah.verify(Unpooled.wrappedBuffer(esn.clone()), 0, 20, 30, seq, true), "truncated: refused, not thrown");
    }

    /*
     * A known datagram for the IPComp cases: ICMP echo request 192.168.10.5 -> 192.168.20.7
     * (id 0x1234, sequence 2) whose 208 data bytes are 00..9f, then 00..27 again, then "ABABABAB".
     */
    static final String DATAGRAM = "450000ec000800004001daacc0a80a05c0a8140708009a1612340002"
            + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
            + "303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
            + "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f"
            + "909192939495969798999a9b9c9d9e9f000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
            + "20212223242526274142414241424142";

    /**
     * An LZS stream written token by token from the ANSI X3.241 rules (RFC 1974 section 2 and
     * RFC 2395): literal = 0 + 8 bits; string = 1, then 1 + 7-bit offset below 128 or 0 + 11-bit
     * offset, then the length (2..4 as 00 01 10, 5..7 as 1100 1101 1110, 8 and up as 1111 and
     * nibbles of 15 ending with one below 15); end = 110000000, then zero bits to a byte.
     */
    static final class LzsTokens {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        private int bits;
        private int count;

        LzsTokens put(int value, int width) {
            for (int i = width - 1; i >= 0; i--) {
                bits = bits << 1 | (value >>> i) & 1;
                if (++count == 8) {
                    out.write(bits);
                    bits = 0;
                    count = 0;
                }
            }
            return this;
        }

        LzsTokens literal(int b) {
            return put(0, 1).put(b, 8);
        }

        LzsTokens string(int offset, int length) {
            put(1, 1);
            if (offset < 128) {
                put(1, 1).put(offset, 7);
            } else {
                put(0, 1).put(offset, 11);
            }
            switch (length) {
                case 2, 3, 4 -> put(length - 2, 2);
                case 5, 6, 7 -> put(0b1100 + length - 5, 4);
                default -> {
                    put(0b1111, 4);
                    int rest = length - 8;
                    for (; rest >= 15; rest -= 15) {
                        put(0b1111, 4);
                    }
                    put(rest, 4);
                }
            }
            return this;
        }

        byte[] end() {
            put(0b110000000, 9);
            if (count > 0) {
                put(0, 8 - count);
            }
            return out.toByteArray();
        }
    }

    static byte[] ipcompPacket(int cpi, byte[] payload) {
        byte[] p = new byte[4 + payload.length];
        p[0] = Ipv4.PROTO_IPIP;
        p[3] = (byte) cpi;
        System.arraycopy(payload, 0, p, 4, payload.length);
        return p;
    }

    static byte[] decompress(IpcompTransform t, byte[] packet) throws Exception {
        ByteBuf back = Unpooled.buffer(1500);
        assertEquals(Ipv4.PROTO_IPIP, t.decompress(Unpooled.wrappedBuffer(packet), 0, packet.length, back, 1500));
        return ByteBufUtil.getBytes(back);
    }

    @Test
    void ipcompLzsKnownAnswer() throws Exception {
        // the token writer against the hand-derived X3.241 vector enco-hw's CompressionTest holds
        assertEquals("2090b05b80", HexFormat.of().formatHex(new LzsTokens().literal('A').literal('B').string(2, 6).end()));
        byte[] datagram = HexFormat.of().parseHex(DATAGRAM);
        LzsTokens tokens = new LzsTokens();
        for (int i = 0; i < 28 + 160; i++) {
            tokens.literal(datagram[i] & 0xff);
        }
        // 00..27 again: 160 back (an 11-bit offset), 40 long; then AB and AB AB AB from 2 back
        byte[] stream = tokens.string(160, 40).literal('A').literal('B').string(2, 6).end();
        IpcompTransform lzs = new IpcompTransform(CompAlg.LZS, new SoftwareDriver().compression(Algorithm.LZS), IpcompLayout.CPI_LZS);
        assertArrayEquals(datagram, decompress(lzs, ipcompPacket(IpcompLayout.CPI_LZS, stream)));
    }

    /*
     * DEFLATE (RFC 2394) from an independent implementation: python3 3.11 zlib,
     * zlib.compressobj(6, zlib.DEFLATED, -15) (raw deflate, no zlib header), compress(DATAGRAM) + flush().
     */
    static final String DATAGRAM_DEFLATED = "73656078c3c0c1c0e0c0786bcd81155cac075688b07330cc12133261606260646266616563e7e0e4e2e6e1e5e3"
            + "171014121611151397909492969195935750545256515553d7d0d4d2d6d1d5d33730343236313533b7b0b4b2b6b1b5b3"
            + "7770747276717573f7f0f4f2f6f1f5f30f080c0a0e090d0b8f888c8a8e898d8b4f484c4a4e494d4bcfc8cccacec9cdcb"
            + "2f282c2a2e292d2bafa8acaaaea9adab6f686c6a6e696d6befe8eceaeee9edeb9f3071d2e42953a74d9f3173d6ec3973"
            + "e7cd27d67d8e4e100800";

    @Test
    void ipcompDeflateKnownAnswer() throws Exception {
        IpcompTransform deflate = new IpcompTransform(CompAlg.DEFLATE, new SoftwareDriver().compression(Algorithm.DEFLATE),
                IpcompLayout.CPI_DEFLATE);
        byte[] stream = HexFormat.of().parseHex(DATAGRAM_DEFLATED);
        assertEquals(199, stream.length);
        assertArrayEquals(HexFormat.of().parseHex(DATAGRAM), decompress(deflate, ipcompPacket(IpcompLayout.CPI_DEFLATE, stream)));
    }

    /** Compressing the known datagram writes next header 4, flags 0 and the well-known CPI (RFC 3173 section 2.2). */
    @Test
    void ipcompRoundTripOfTheKnownDatagramWritesItsHeader() throws Exception {
        byte[] datagram = HexFormat.of().parseHex(DATAGRAM);
        for (CompAlg alg : CompAlg.values()) {
            IpcompTransform t = new IpcompTransform(alg, new SoftwareDriver().compression(alg == CompAlg.LZS ? Algorithm.LZS : Algorithm.DEFLATE),
                    alg.wellKnownCpi());
            ByteBuf b = Unpooled.buffer(4 + datagram.length).writerIndex(4).writeBytes(datagram);
            assertEquals(0, t.compress(b, 4, b.writerIndex(), Ipv4.PROTO_IPIP));
            assertEquals(alg == CompAlg.LZS ? "04000003" : "04000002", HexFormat.of().formatHex(ByteBufUtil.getBytes(b, 0, 4)), alg.name());
            assertTrue(b.writerIndex() < 4 + datagram.length, alg + " shrank it");
            assertArrayEquals(datagram, decompress(t, ByteBufUtil.getBytes(b)), alg.name());
        }
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
        Tshark.require();
        AhTransform ah = new AhTransform(HashAlg.SHA, new SoftwareDriver().mac(Algorithm.HMAC_SHA1_96, KEY), "software");
        byte[] ahPkt = ahPacket(ah, EspTransformTest.ping(56));
        AhTransform rfc2202 = new AhTransform(HashAlg.SHA, new SoftwareDriver().mac(Algorithm.HMAC_SHA1_96, RFC2202_KEY), "software");
        byte[] fixed = fixedAhPacket(rfc2202, 5, false);
        IpcompTransform c = new IpcompTransform(CompAlg.DEFLATE, new SoftwareDriver().compression(Algorithm.DEFLATE), 2);
        byte[] inner = EspTransformTest.ping(1000);
        ByteBuf b = Unpooled.buffer(24 + inner.length);
        b.writerIndex(24).writeBytes(inner);
        int at = c.compress(b, 24, b.writerIndex(), Ipv4.PROTO_IPIP);
        Ipv4.write(b, at - 20, 0, b.writerIndex() - at + 20, 3, 0, 64, Ipv4.PROTO_IPCOMP, 0xc0000201, 0xc0000202);
        byte[] compPkt = ByteBufUtil.getBytes(b, at - 20, b.writerIndex() - at + 20);
        Path pcap = dir.resolve("ah.pcap");
        PcapFile.write(pcap, List.of(ahPkt, compPkt, fixed));
        String out = Tshark.dissect(pcap, List.of());
        assertTrue(out.contains("Authentication Header"), out);
        assertTrue(out.contains("AH SPI: 0x00002001"), out);
        assertTrue(out.contains("Echo (ping) request"), "the inner packet after AH is dissected:\n" + out);
        assertTrue(out.contains("IP Payload Compression"), out);
        assertTrue(out.contains("DEFLATE"), "CPI 2 is named DEFLATE:\n" + out);
        assertTrue(out.contains("AH Sequence: 5") && out.contains("AH ICV: " + AH_ICV), "the fixed packet's AH fields:\n" + out);
        assertTrue(out.contains("Src: 192.168.10.5, Dst: 192.168.20.7"), out);
        assertFalse(out.contains("Malformed"), out);
    }
}
