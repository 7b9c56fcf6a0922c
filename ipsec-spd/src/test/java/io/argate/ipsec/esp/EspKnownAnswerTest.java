package io.argate.ipsec.esp;

import io.argate.enco.soft.SoftwareDriver;
import io.argate.enco.spi.Algorithm;
import io.argate.ipsec.replay.ReplayWindow;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.ipsec.wire.EspLayout;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ESP packets from the standards, byte for byte: argate's seal must produce the published
 * packet from the published plaintext, key and IV, and open must give the plaintext back,
 * trailer included.
 */
class EspKnownAnswerTest {
    static final HexFormat HEX = HexFormat.of();
    static final SoftwareDriver SW = new SoftwareDriver();

    static byte[] h(String hex) {
        return HEX.parseHex(hex.replace(" ", ""));
    }

    /** An IV source that hands out the IV a vector used, whatever the sequence number. */
    static IvSource given(byte[] value) {
        return (iv, seq) -> System.arraycopy(value, 0, iv, 0, iv.length);
    }

    /**
     * One RFC 3602 section 4 case: AES-128-CBC, no ICV. {@code trailer} is the padding, pad
     * length and next header the RFC lists under "Augment data with".
     */
    record Cbc(String name, String key, int spi, long seq, String iv, String payload, String trailer, int nextHeader, String esp) {
    }

    /*
     * RFC 3602 section 4, cases #5 to #8. Cases 5 and 6 are transport-mode pings (next header 1,
     * ICMP), cases 7 and 8 tunnel-mode pings (next header 4, an inner IPv4 packet). "esp" is the
     * RFC's post-encryption packet from the SPI on (SPI, sequence number, IV, encrypted data).
     */
    static final List<Cbc> RFC3602 = List.of(
            new Cbc("case 5", "90d382b410eeba7ad938c46cec1a82bf", 0x4321, 1, "e96e8c08ab465763fd098d45dd3ff893",
                    "08000ebd a70a0000 8e9c083d b95b0700 08090a0b 0c0d0e0f 10111213 14151617"
                            + "18191a1b 1c1d1e1f 20212223 24252627 28292a2b 2c2d2e2f 30313233 34353637",
                    "01020304 05060708 090a0b0c 0d0e 0e 01", 1,
                    "00004321 00000001 e96e8c08 ab465763 fd098d45 dd3ff893"
                            + "f663c25d 325c18c6 a9453e19 4e120849 a4870b66 cc6b9965 330013b4 898dc856"
                            + "a4699e52 3a55db08 0b59ec3a 8e4b7e52 775b07d1 db34ed9c 538ab50c 551b874a"
                            + "a269add0 47ad2d59 13ac19b7 cfbad4a6"),
            new Cbc("case 6", "90d382b410eeba7ad938c46cec1a82bf", 0x4321, 8, "69d08df7d203329db093fc4924e5bd80",
                    "0800b5e8 a80a0500 a69c083d 0b660e00 77777777 77777777 77777777",
                    "0102 02 01", 1,
                    "00004321 00000008 69d08df7 d203329d b093fc49 24e5bd80"
                            + "f5199588 1ec4e0c4 488987ce 742e8109 689bb379 d2d750c0 d915dca3 46a89f75"),
            new Cbc("case 7", "0123456789abcdef0123456789abcdef", 0x8765, 2, "f4e765244f6407adf13dc1380f673f37",
                    "45000054 09040000 4001f988 c0a87b03 c0a87bc8 08009f76 a90a0100 b49c083d"
                            + "02a20400 08090a0b 0c0d0e0f 10111213 14151617 18191a1b 1c1d1e1f 20212223"
                            + "24252627 28292a2b 2c2d2e2f 30313233 34353637",
                    "01020304 05060708 090a 0a 04", 4,
                    "00008765 00000002 f4e76524 4f6407ad f13dc138 0f673f37"
                            + "773b5241 a4c44922 5e4f3ce5 ed611b0c 237ca96c f74a9301 3c1b0ea1 a0cf70f8"
                            + "e4ecaec7 8ac53aad 7a0f022b 859243c6 47752e94 a859352b 8a4d4d2d ecd136e5"
                            + "c177f132 ad3fbfb2 201ac990 4c74ee0a 109e0ca1 e4dfe9d5 a100b842 f1c22f0d"),
            new Cbc("case 8", "0123456789abcdef0123456789abcdef", 0x8765, 5, "85d47224b5f3dd5d2101d4ea8dffab22",
                    "45000044 090c0000 4001f990 c0a87b03 c0a87bc8 0800d63c aa0a0200 c69c083d"
                            + "a3de0300 ffffffff ffffffff ffffffff ffffffff ffffffff ffffffff ffffffff"
                            + "ffffffff",
                    "01020304 05060708 090a 0a 04", 4,
                    "00008765 00000005 85d47224 b5f3dd5d 2101d4ea 8dffab22"
                            + "15b92683 819596a8 047232cc 00f7048f e45318e1 1f8a0f62 ede3c3fc 61203bb5"
                            + "0f980a08 c9843fd3 a1b06d5c 07ff9639 b7eb7dfb 3512e5de 435e7207 ed971ef3"
                            + "d2726d9b 5ef6affc 6d17a0de cbb13892"));

    @Test
    void rfc3602AesCbcCasesFiveToEight() throws Exception {
        for (Cbc c : RFC3602) {
            EspTransform t = new EspTransform(EncAlg.AES128, HashAlg.NULL, SW.cipher(Algorithm.AES_CBC_128, h(c.key())), null,
                    given(h(c.iv())), "software");
            byte[] payload = h(c.payload());
            byte[] esp = h(c.esp());
            assertArrayEquals(esp, seal(t, payload, c.nextHeader(), c.spi(), c.seq(), false), c.name() + ": seal gives the RFC's packet");

            ByteBuf b = Unpooled.wrappedBuffer(esp.clone());
            int start = t.open(b, 0, esp.length);
            assertEquals(EspLayout.HEADER + 16, start, c.name());
            assertArrayEquals(payload, ByteBufUtil.getBytes(b, start, b.writerIndex() - start), c.name() + ": open gives the payload back");
            assertEquals(c.nextHeader(), t.nextHeader(), c.name());
            byte[] trailer = h(c.trailer());
            assertArrayEquals(trailer, ByteBufUtil.getBytes(b, b.writerIndex(), trailer.length),
                    c.name() + ": the decrypted padding, pad length and next header are the RFC's");
            assertEquals(esp.length, b.writerIndex() + trailer.length, c.name() + ": nothing follows the trailer (no ICV)");
        }
    }

    /**
     * One AES-GCM-ESP case of draft-mcgrew-gcm-test-01 section 4 (16-byte ICV). A sequence
     * number given as 8 octets means extended sequence numbers: the AAD is SPI and the 64-bit
     * number, the packet carries its low half. The nonce is the 4-byte salt and the 8-byte IV
     * in the packet, which in most cases is not the sequence number.
     */
    record Gcm(String name, String key, String spi, String seq, String nonce, String plaintext, String packet) {
        boolean esn() {
            return seq.length() == 16;
        }

        long sequence() {
            return Long.parseUnsignedLong(seq, 16);
        }

        EspTransform transform() throws Exception {
            byte[] k = h(key);
            Algorithm a = switch (k.length) {
                case 16 -> Algorithm.AES_GCM_128;
                case 24 -> Algorithm.AES_GCM_192;
                default -> Algorithm.AES_GCM_256;
            };
            EncAlg e = switch (k.length) {
                case 16 -> EncAlg.AESGCM128;
                case 24 -> EncAlg.AESGCM192;
                default -> EncAlg.AESGCM256;
            };
            byte[] n = h(nonce);
            return new EspTransform(e, SW.aead(a, k, 16), Arrays.copyOf(n, 4), given(Arrays.copyOfRange(n, 4, 12)), "software");
        }
    }

    /* Every AES-GCM-ESP case of draft-mcgrew-gcm-test-01 section 4, in the draft's order (its one AES-GMAC-ESP case is left out). */
    static final List<Gcm> MCGREW = List.of(
            new Gcm("AES-128, ESN 8765432100000000", "4c80cdefbb5d10da906ac73c3613a634", "00004321", "8765432100000000", "2e443b684956ed7e3b244cfe",
                    "45000048699a000080114db7c0a80102 c0a801010a9bf15638d3010000010000 00000000045f736970045f7564700373"
                            + "69700963796265726369747902646b00 0021000101020201",
                    "00004321000000004956ed7e3b244cfe fecf537e729d5b07dc30df528dd22b76 8d1b98736696a6fd348509fa13ceac34"
                            + "cfa2436f14a3f3cf65925bf1f4a13c5d 15b21e1884f5ff6247aeabb786b93bce 61bc17d768fd9732459018148f6cbe72"
                            + "2fd04796562dfdb4"),
            new Gcm("AES-128, seq 0a", "feffe9928665731c6d6a8f9467308308", "0000a5f8", "0000000a", "cafebabefacedbaddecaf888",
                    "4500003e698f000080114dccc0a80102 c0a801010a980035002a2343b2d00100 00010000000000000373697009637962"
                            + "65726369747902646b00000100010001",
                    "0000a5f80000000afacedbaddecaf888 deb22cd9b07c72c16e3a65beeb8df304 a5a5897d33ae530f1ba76d5d114d2a5c"
                            + "3de81827c10e9a4f51330d0eec416642 cfbb85a5b47e48a4ec3b9ba95d918bd1 83b70d3aa8bc6ee4c309e9d85a41ad4a"),
            new Gcm("AES-256, seq 2", "abbccddef00112233445566778899aababbccddef00112233445566778899aab", "4a2cbfe3", "00000002",
                    "112233440102030405060708",
                    "4500003069a6400080062690c0a80102 9389155e0a9e008b2dc57ee000000000 7002400020bf0000020405b401010402"
                            + "01020201",
                    "4a2cbfe3000000020102030405060708 ff425c9b724599df7a3bcd510194e00d 6a78107f1b0b1cbf06efae9d65a5d763"
                            + "748a637985771d347f0545659f14e99d ef842d8eb335f4eecfdbf831824b4c49 15956c96"),
            new Gcm("AES-128, zero key, seq 1", "00000000000000000000000000000000", "00000000", "00000001", "000000000000000000000000",
                    "4500003c99c500008001cb7a40679318 010101010800075c0200440061626364 65666768696a6b6c6d6e6f7071727374"
                            + "75767761626364656667686901020201",
                    "00000000000000010000000000000000 4688daf2f973a392732909c331d56d60 f694abaa414b5e7ff5fdcdfff5e9a284"
                            + "456476492719ffb64de7d9dca1e1d894 bc3bd57873ed4d181d19d4d5c8c18af3 f821d496eeb096e98ad2b69e4799c71d"),
            new Gcm("AES-128, ESN 1010101010101010, 64 octets", "3de09874b388e6491988d0c3607eae1f", "42f67e3f", "1010101010101010",
                    "57690e434e280000a2fca1a3",
                    "4500003c99c300008001cb7c40679318 010101010800085c0200430061626364 65666768696a6b6c6d6e6f7071727374"
                            + "75767761626364656667686901020201",
                    "42f67e3f101010104e280000a2fca1a3 fba2caa4853cf9f0f22cb10d86dd83b0 fec75691cf1a04b00d1138ec9c357917"
                            + "65acbd8701ad79845bf9fe3fba487bc9 1755e6662b4c8d0d1f5e22739530320a e0d731cc978ecafaeae88f00e80d6e48"),
            new Gcm("AES-128, ESN 1010101010101010, 28 octets", "3de09874b388e6491988d0c3607eae1f", "42f67e3f", "1010101010101010",
                    "57690e434e280000a2fca1a3",
                    "4500001c42a200008001441f406793b6 e00000020a00f5ff01020201",
                    "42f67e3f101010104e280000a2fca1a3 fba2ca845e5df9f0f22c3e6e86dd831e 1fc65792cd1af9130e1379ed369f071f"
                            + "35e034be95f112e4e7d05d35"),
            new Gcm("AES-192, seq 0a", "feffe9928665731c6d6a8f9467308308feffe9928665731c", "0000a5f8", "0000000a", "cafebabefacedbaddecaf888",
                    "45000028a4ad4000400678800a01038f 0a010612802306b8cb712602dd6bb03e 501016d075680001",
                    "0000a5f80000000afacedbaddecaf888 a5b1f8066029aea40e598b8122de0242 0938b3ab33f828e687b8858b5bfbdbd0"
                            + "315b27452144cc7795457b9652037f53 18027b5b4cd7a636"),
            new Gcm("AES-128, ESN 1, 76 octets", "abbccddef00112233445566778899aab", "00000100", "0000000000000001", "decaf888cafedebaceface74",
                    "4500004933ba00007f119106c3fb1d10 c2b1d326c02831ce0035dd7b800302d5 00004e20001e8c18d75b81dc91baa047"
                            + "6b91b924b280389d92c963bac046ec95 9b6266c04722b14923010101",
                    "0000010000000001cafedebaceface74 18a6fd42f72cbf4ab2a2ea901f73d814 e3e7f243d95412e1c349c1d2fbec168f"
                            + "9190feebaf2cb01984e65863965d7472 b79da345e0e780191f0d2f0e0f496c22 6f2127b27db35724e7845d68651f57e6"
                            + "5f354f75ff17015769623436"),
            new Gcm("AES-256, ESN 156f3126dd0db99b, 40 octets", "abbccddef00112233445566778899aababbccddef00112233445566778899aab", "17405e67",
                    "156f3126dd0db99b", "73616c74616e640169766563",
                    "45080028732c00004006e9f90a010612 0a01038f06b88023dd6bafbecb712602 50101f646d540001",
                    "17405e67dd0db99b616e640169766563 f2d69ecdbd5a0d5b8d5ef38bad4da58d 1f278fde98ef67549d524a3018d9a57f"
                            + "f4d3a31ce673119e451626c2415771e3 b7eebca614c89b35"),
            new Gcm("AES-128, ESN 1010101010101010, 76 octets", "3de09874b388e6491988d0c3607eae1f", "42f67e3f", "1010101010101010",
                    "57690e434e280000a2fca1a3",
                    "45000049333e00007f119182c3fb1d10 c2b1d326c02831ce0035cb458003025b 000001e0001e8c18d65759d52284a035"
                            + "2c71475c8880391c764d6e5ee0496b32 5ae270c03899493915010101",
                    "42f67e3f101010104e280000a2fca1a3 fba2cad12fc1f9f00d3cebf305410db8 3d7784b607323d220f24b0a97d541828"
                            + "00cadb0f68d99ef0e0c0c89ae9bea888 4e52d65bc1afd0740f742444747b5b39 ab533163aad4550ee5160975cdb608c5"
                            + "769189609763b8e18caa81e2"),
            new Gcm("AES-256, ESN 156f3126dd0db99b, 72 octets", "abbccddef00112233445566778899aababbccddef00112233445566778899aab", "17405e67",
                    "156f3126dd0db99b", "73616c74616e640169766563",
                    "636973636f0172756c65730174686501 6e6574776501646566696e6501746865 746563686e6f6c6f6769657301746861"
                            + "7477696c6c01646566696e65746f6d6f 72726f7701020201",
                    "17405e67dd0db99b616e640169766563 d4b7ed86a1777f2ea13d6973d324c69e 7b43f826fb56831226508bebd2dceb18"
                            + "d0a6df10e5487df074113e14c641024e 3e6773d91a62ee429b043a10e3efe6b0 12a49363412364f8c0cac587f249e56b"
                            + "11e24f30e44ccc76"),
            new Gcm("AES-128, seq ffffffff, empty payload", "7d773d00c144c525ac619d18c84a3f47", "335467ae", "ffffffff", "d966426743457e9182443bc6",
                    "01020201",
                    "335467aeffffffff43457e9182443bc6 437f866bcb3f699fe9b0822bac961c45 04bef270"),
            new Gcm("AES-128, ESN 1, 20 octets", "abbccddef00112233445566778899aab", "00000100", "0000000000000001", "decaf888cafedebaceface74",
                    "746f016265016f72016e6f7401746f01 62650001",
                    "0000010000000001cafedebaceface74 29c9fc69a197d038ccdd14e2ddfcaa05 43332164412503524303ed3c6c5f2838"
                            + "43af8c3e"),
            new Gcm("AES-256, ESN ffffffffffffffff", "6c6567616c697a656d6172696a75616e61616e64646f69746265666f72656961", "796b6963",
                    "ffffffffffffffff", "7475726e333021696765746d",
                    "45000030da3a00008001df3bc0a80005 c0a800010800c6cd0200070061626364 65666768696a6b6c6d6e6f7071727374"
                            + "01020201",
                    "796b6963ffffffff333021696765746d f97ab2aa356d8edce17644ac8c78e25d d24dedbb29ebf1b64a274b39b49c3a86"
                            + "4cd3d78ca4ae68a32b42458fb57dbe82 1dcc63b9d0937ba2945f669368661a32 9fb4c053"),
            new Gcm("AES-128, SPI 3f7ef642, ESN 1010101010101010", "3de09874b388e6491988d0c3607eae1f", "3f7ef642", "1010101010101010",
                    "57690e434e280000a2fca1a3",
                    "45000030da3a00008001df3bc0a80005 c0a800010800c6cd0200070061626364 65666768696a6b6c6d6e6f7071727374"
                            + "01020201",
                    "3f7ef642101010104e280000a2fca1a3 fba2caa8c6c5f9f0f22ca54a061210ad 3f6e5791cf1aca210d117cec9c357917"
                            + "65acbd8701ad79845bf9fe3fba487bc9 6321930684eecadb56912546e7a95c97 40d7cb05"),
            new Gcm("AES-128, ESN 8765432100000007", "4c80cdefbb5d10da906ac73c3613a634", "00004321", "8765432100000007", "22433c644855ec7d3a234bfd",
                    "0800c6cd020007006162636465666768 696a6b6c6d6e6f707172737401020201",
                    "00004321000000074855ec7d3a234bfd 74752e8aeb5d873cd7c0f4acc36c4bff 84b7d7b98f0ca8b6acda6894bc619069"
                            + "ef9cbc28fe1b56a7c4e0d58c86cd2bc0"));

    @Test
    void mcgrewGcmEspCasesSealAndOpenExactly() throws Exception {
        for (Gcm c : MCGREW) {
            byte[] plaintext = h(c.plaintext());
            byte[] packet = h(c.packet());
            // the plaintext ends with the ESP trailer: padding 1, 2, ..., pad length, next header
            int nextHeader = plaintext[plaintext.length - 1] & 0xff;
            int pad = plaintext[plaintext.length - 2] & 0xff;
            byte[] payload = Arrays.copyOf(plaintext, plaintext.length - 2 - pad);
            int spi = (int) Long.parseLong(c.spi(), 16);

            assertArrayEquals(packet, seal(c.transform(), payload, nextHeader, spi, c.sequence(), c.esn()), c.name() + ": seal");

            EspTransform in = c.transform();
            ByteBuf b = Unpooled.wrappedBuffer(packet.clone());
            int start = in.open(b, 0, packet.length, c.sequence(), c.esn());
            assertEquals(EspLayout.HEADER + 8, start, c.name() + ": " + in.lastDrop());
            assertArrayEquals(plaintext, ByteBufUtil.getBytes(b, start, plaintext.length), c.name() + ": open decrypts payload and trailer");
            assertEquals(payload.length, b.writerIndex() - start, c.name());
            assertEquals(nextHeader, in.nextHeader(), c.name());

            if (c.esn()) {
                // the high half is in the AAD only: a receiver guessing it wrong fails the ICV
                byte[] again = packet.clone();
                assertEquals(-1, in.open(Unpooled.wrappedBuffer(again), 0, again.length, c.sequence() ^ (1L << 40), true), c.name());
                assertEquals(EspTransform.Drop.BAD_ICV, in.lastDrop());
                // and a replay window just behind the vector's number infers that number from the wire's low half
                ReplayWindow w = new ReplayWindow(64);
                w.accept(c.sequence() - 1);
                assertEquals(c.sequence(), w.infer(EspLayout.sequence(Unpooled.wrappedBuffer(packet), 0)), c.name() + ": inferred");
            }
        }
        assertEquals(16, MCGREW.size());
    }

    /** Seals {@code payload} with room before and after, returns the ESP packet from its SPI to its end. */
    static byte[] seal(EspTransform t, byte[] payload, int nextHeader, int spi, long seq, boolean esn) throws Exception {
        int head = t.headerLength();
        ByteBuf b = Unpooled.buffer(head + payload.length + t.maxTrailer());
        b.setBytes(head, payload);
        int esp = t.seal(b, head, head + payload.length, nextHeader, spi, seq, esn);
        assertEquals(0, esp);
        return ByteBufUtil.getBytes(b, 0, b.writerIndex());
    }
}
