package io.argate.ipsec.esp;

import io.argate.enco.soft.SoftwareDriver;
import io.argate.enco.spi.Algorithm;
import io.argate.ip.packet.Ipv4;
import io.argate.ipsec.oracle.PcapFile;
import io.argate.ipsec.oracle.Tshark;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EspTransformTest {
    static final HexFormat HEX = HexFormat.of();
    static final SoftwareDriver SW = new SoftwareDriver();

    /** One algorithm pair with its keys and tshark's names for them. */
    record Suite(EncAlg enc, HashAlg hash, String encKey, String authKey, String tsharkEnc, String tsharkAuth) {
        EspTransform transform() throws Exception {
            if (enc.aead()) {
                byte[] k = HEX.parseHex(encKey);
                Algorithm a = enc == EncAlg.AESGCM128 ? Algorithm.AES_GCM_128 : Algorithm.AES_GCM_256;
                return new EspTransform(enc, SW.aead(a, Arrays.copyOf(k, k.length - 4), 16), Arrays.copyOfRange(k, k.length - 4, k.length), "software");
            }
            Algorithm c = switch (enc) {
                case DES -> Algorithm.DES_CBC;
                case TDESOUTER -> Algorithm.TDES_CBC;
                case AES128 -> Algorithm.AES_CBC_128;
                case AES256 -> Algorithm.AES_CBC_256;
                default -> Algorithm.NULL_CIPHER;
            };
            Algorithm m = switch (hash) {
                case MD5 -> Algorithm.HMAC_MD5_96;
                case SHA -> Algorithm.HMAC_SHA1_96;
                case SHA2256 -> Algorithm.HMAC_SHA256_128;
                default -> null;
            };
            return new EspTransform(enc, hash, SW.cipher(c, encKey.isEmpty() ? new byte[0] : HEX.parseHex(encKey)),
                    m == null ? null : SW.mac(m, HEX.parseHex(authKey)), "software");
        }
    }

    static final List<Suite> SUITES = List.of(
            new Suite(EncAlg.DES, HashAlg.SHA, "f888cac6c66ecf52", "431d62cd3cb76fb8101dacaf43aa4dbfb919e957", "DES-CBC [RFC2405]", "HMAC-SHA-1-96 [RFC2404]"),
            new Suite(EncAlg.TDESOUTER, HashAlg.MD5, "0123456789abcdef23456789abcdef01456789abcdef0123", "00112233445566778899aabbccddeeff",
                    "TripleDES-CBC [RFC2451]", "HMAC-MD5-96 [RFC2403]"),
            new Suite(EncAlg.AES128, HashAlg.SHA, "06a9214036b8a15b512e03d534120006", "0102030405060708090a0b0c0d0e0f1011121314",
                    "AES-CBC [RFC3602]", "HMAC-SHA-1-96 [RFC2404]"),
            new Suite(EncAlg.AES256, HashAlg.SHA2256, "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
                    "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20", "AES-CBC [RFC3602]", "HMAC-SHA-256-128 [RFC4868]"),
            new Suite(EncAlg.NULL, HashAlg.SHA, "", "0102030405060708090a0b0c0d0e0f1011121314", "NULL", "HMAC-SHA-1-96 [RFC2404]"),
            new Suite(EncAlg.AESGCM128, HashAlg.NULL, "feffe9928665731c6d6a8f9467308308cafebabe", "", "AES-GCM with 16 octet ICV [RFC4106]", "NULL"));

    /** An ICMP echo request from 192.168.10.5 to 192.168.20.7 with {@code data} bytes of payload. */
    static byte[] ping(int data) {
        ByteBuf b = Unpooled.buffer(28 + data).writerIndex(28 + data);
        Ipv4.write(b, 0, 0, 28 + data, 7, 0, 64, Ipv4.PROTO_ICMP, 0xc0a80a05, 0xc0a81407);
        b.setByte(20, 8);
        b.setShort(24, 0x1234);
        b.setShort(26, 1);
        for (int i = 0; i < data; i++) {
            b.setByte(28 + i, i);
        }
        b.setShort(22, Ipv4.checksum(b, 20, 8 + data));
        return ByteBufUtil.getBytes(b);
    }

    /** Tunnel mode: outer IPv4 192.0.2.1 -> 192.0.2.2, protocol 50, ESP around the inner packet. */
    static byte[] tunnel(EspTransform t, int spi, long seq, byte[] inner) throws Exception {
        int head = 20 + t.headerLength();
        ByteBuf b = Unpooled.buffer(head + inner.length + t.maxTrailer());
        b.setBytes(head, inner);
        int esp = t.seal(b, head, head + inner.length, Ipv4.PROTO_IPIP, spi, seq);
        int outer = esp - 20;
        Ipv4.write(b, outer, 0, b.writerIndex() - outer, (int) seq, Ipv4.FLAG_DF, 64, Ipv4.PROTO_ESP, 0xc0000201, 0xc0000202);
        return ByteBufUtil.getBytes(b, outer, b.writerIndex() - outer);
    }

    static byte[] open(EspTransform t, byte[] packet) throws Exception {
        ByteBuf b = Unpooled.wrappedBuffer(packet.clone());
        int start = t.open(b, 20, packet.length);
        if (start < 0) {
            return null;
        }
        return ByteBufUtil.getBytes(b, start, b.writerIndex() - start);
    }

    @Test
    void everySuiteRoundTripsAtEverySize() throws Exception {
        for (Suite s : SUITES) {
            EspTransform out = s.transform();
            EspTransform in = s.transform();
            for (int size : new int[]{0, 1, 15, 16, 17, 64, 1372, 1400}) {
                byte[] inner = ping(size);
                byte[] wire = tunnel(out, 0x1000, size + 1, inner);
                assertEquals(0, (wire.length - 20 - out.headerLength() - s.hash().icvLength() - (s.enc().aead() ? 16 : 0))
                        % Math.max(4, s.enc().blockSize()), s + " encrypted part is whole blocks");
                assertArrayEquals(inner, open(in, wire), s.enc() + "/" + s.hash() + " size " + size);
                assertEquals(4, in.nextHeader());
            }
        }
    }

    @Test
    void tamperedTruncatedAndBadlyPaddedPacketsAreCountedDrops() throws Exception {
        for (Suite s : SUITES) {
            EspTransform out = s.transform();
            EspTransform in = s.transform();
            byte[] wire = tunnel(out, 0x1000, 1, ping(56));
            byte[] flipped = wire.clone();
            flipped[flipped.length - 20] ^= 0x40;
            if (s.hash() != HashAlg.NULL || s.enc().aead()) {
                assertEquals(null, open(in, flipped));
                assertEquals(EspTransform.Drop.BAD_ICV, in.lastDrop(), s.toString());
            }
            assertEquals(null, open(in, Arrays.copyOf(wire, 20 + 10)));
            assertEquals(EspTransform.Drop.TRUNCATED, in.lastDrop());
        }
        // NULL encryption, no ICV: a corrupted padding byte is seen
        Suite plain = new Suite(EncAlg.DES, HashAlg.NULL, "f888cac6c66ecf52", "", "", "");
        EspTransform out = plain.transform();
        byte[] wire = tunnel(out, 0x1000, 1, ping(3));
        ByteBuf b = Unpooled.wrappedBuffer(wire);
        EspTransform in = plain.transform();
        wire[wire.length - 1] ^= 0x01;
        assertEquals(null, open(in, wire), "a damaged last block decrypts to garbage padding");
        assertTrue(in.lastDrop() == EspTransform.Drop.BAD_PADDING, String.valueOf(in.lastDrop()));
        assertEquals(null, open(in, Arrays.copyOf(wire, wire.length - 3)));
        assertEquals(EspTransform.Drop.BAD_LENGTH, in.lastDrop());
    }

    /** tshark, given the keys, decrypts argate's ESP, finds every ICV correct, and sees the inner ping. */
    @Test
    void tsharkDecryptsArgatesEspAndFindsTheIcvCorrect(@TempDir Path dir) throws Exception {
        Tshark.require();
        List<byte[]> packets = new ArrayList<>();
        List<Tshark.EspSa> sas = new ArrayList<>();
        int spi = 0x1001;
        for (Suite s : SUITES) {
            packets.add(tunnel(s.transform(), spi, 1, ping(56)));
            sas.add(new Tshark.EspSa(String.format("0x%08x", spi), s.tsharkEnc(), s.encKey().isEmpty() ? "" : "0x" + s.encKey(),
                    s.tsharkAuth(), s.authKey().isEmpty() ? "" : "0x" + s.authKey()));
            spi++;
        }
        Path pcap = dir.resolve("esp.pcap");
        PcapFile.write(pcap, packets);
        String out = Tshark.dissect(pcap, sas);
        int pings = out.split("Echo \\(ping\\) request", -1).length - 1;
        assertEquals(SUITES.size(), pings, "every packet's inner ICMP echo decoded:\n" + out);
        int icvOk = out.split("\\[correct\\]|Authentication Data \\[correct\\]", -1).length - 1;
        long withIcv = SUITES.stream().filter(s -> s.hash() != HashAlg.NULL && !s.enc().aead()).count();
        assertTrue(icvOk >= withIcv, "ICV shown correct for every HMAC suite (" + icvOk + "):\n" + out);
        assertTrue(!out.contains("[incorrect") && !out.contains("Malformed"), out);
    }
}
