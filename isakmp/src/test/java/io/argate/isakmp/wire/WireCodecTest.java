package io.argate.isakmp.wire;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class WireCodecTest {
    static final HexFormat HEX = HexFormat.of();

    /**
     * Main Mode message 1 as the reference's DEBUG=PKT example shows it (seed 003: cookies
     * 5052045c2e566b81:0, IDPROT, total length 84, SA length 56, one proposal, one IKE transform
     * DES/SHA/PRESHARED/group 1, 86400 s), written out by hand from RFC 2408 sections 3.1-3.6.
     */
    public static final String MM1 = ""
            + "5052045c2e566b81" + "0000000000000000" + "01" + "10" + "02" + "00" + "00000000" + "00000054"
            // SA: next none, length 56, DOI IPsec, SIT_IDENTITY_ONLY
            + "00000038" + "00000001" + "00000001"
            // proposal 1: last, length 44, #1, ISAKMP, SPI size 0, 1 transform
            + "0000002c" + "01010001"
            // transform: last, length 36, #1, KEY_IKE, reserved
            + "00000024" + "01010000"
            + "80010001" + "80020002" + "80030001" + "80040001" + "800b0001" + "000c0004" + "00015180";

    @Test
    void theReferencesMainModeMessageOneDecodesFieldByFieldAndEncodesToTheSameBytes() throws Exception {
        byte[] bytes = HEX.parseHex(MM1);
        IsakmpHeader h = IsakmpHeader.decode(bytes);
        assertEquals(0x5052045c2e566b81L, h.initiatorCookie());
        assertEquals(0, h.responderCookie());
        assertEquals("IDPROT(2)", ExchangeType.REGISTRY.display(h.exchangeType()));
        assertEquals(84, h.length());
        Message m = Message.decodeClear(h, bytes);
        SaPayload sa = (SaPayload) m.payloads().get(0);
        assertEquals(56, m.raw().get(0).length);
        ProposalPayload p = sa.proposals().get(0);
        assertEquals(Doi.PROTO_ISAKMP, p.protocolId());
        TransformPayload t = p.transforms().get(0);
        assertEquals(TransformId.KEY_IKE, t.transformId());
        assertEquals(Phase1Attribute.ENC_DES, t.value(Phase1Attribute.ENCRYPTION, -1));
        assertEquals(Phase1Attribute.HASH_SHA, t.value(Phase1Attribute.HASH, -1));
        assertEquals(86400, t.value(Phase1Attribute.LIFE_DURATION, -1));
        assertEquals(false, t.attribute(Phase1Attribute.LIFE_DURATION).basic(), "86400 needs the TLV form");
        assertArrayEquals(bytes, Message.encodeClear(h, m.payloads()));
    }

    @Test
    void everyPayloadRoundTrips() throws Exception {
        List<Payload> all = List.of(
                new SaPayload(Doi.IPSEC, Doi.SIT_IDENTITY_ONLY, List.of(
                        new ProposalPayload(1, Doi.PROTO_ESP, new byte[]{1, 2, 3, 4}, List.of(
                                new TransformPayload(1, TransformId.ESP_AES, List.of(Attribute.of(Phase2Attribute.KEY_LENGTH, 128),
                                        Attribute.of(Phase2Attribute.LIFE_DURATION, 100000))),
                                new TransformPayload(2, TransformId.ESP_3DES, List.of()))),
                        new ProposalPayload(1, Doi.PROTO_AH, new byte[]{5, 6, 7, 8}, List.of(new TransformPayload(1, 3, List.of()))))),
                new KePayload(new byte[96]),
                IdPayload.subnet(0x0a000000, 0xffffff00, 17, 500),
                IdPayload.name("client"),
                new CertPayload(PayloadType.CR, 4, new byte[0]),
                new HashPayload(new byte[20]),
                new SigPayload(new byte[]{9}),
                new NoncePayload(new byte[16]),
                NotifyPayload.of(Doi.PROTO_ESP, new byte[]{0, 0, 1, 0}, NotifyType.RESPONDER_LIFETIME, new byte[]{(byte) 0x80, 1, 0, 1}),
                new DeletePayload(Doi.IPSEC, Doi.PROTO_ESP, 4, List.of(new byte[]{1, 1, 1, 1}, new byte[]{2, 2, 2, 2})),
                new VendorIdPayload(HEX.parseHex("4a131c81070358455c5728f20e95452f")),
                new AttrPayload(1, 7, List.of(Attribute.of(16520, 0))),
                new NatDPayload(PayloadType.NAT_D, new byte[20]),
                new NatOaPayload(PayloadType.NAT_OA_DRAFT, Doi.ID_IPV4_ADDR, new byte[]{10, 0, 0, 1}),
                new UnknownPayload(77, new byte[]{1, 2, 3}));
        IsakmpHeader h = new IsakmpHeader(1, 2, 0, IsakmpHeader.VERSION_1_0, 99, 0, 0x12345678, 0);
        byte[] bytes = Message.encodeClear(h, all);
        Message m = Message.decodeClear(IsakmpHeader.decode(bytes), bytes);
        assertEquals(all, m.payloads());
        assertArrayEquals(bytes, Message.encodeClear(m.header(), m.payloads()));
        assertEquals("UNKNOWN(99)", ExchangeType.REGISTRY.display(m.header().exchangeType()));
        assertEquals("UNKNOWN(77)", PayloadType.REGISTRY.name(m.payloads().get(m.payloads().size() - 1).type()));
    }

    @Test
    void unknownValuesSurviveAndPrintAsUnknown() throws Exception {
        TransformPayload t = new TransformPayload(1, 200, List.of(Attribute.of(16000, 3), Attribute.of(Phase1Attribute.ENCRYPTION, 99)));
        WireWriter w = new WireWriter();
        t.encodeBody(w);
        TransformPayload back = TransformPayload.decode(w.toBytes());
        assertEquals(t, back);
        assertEquals("UNKNOWN(200)", TransformId.ESP.display(back.transformId()));
        assertEquals("UNKNOWN(99)", Phase1Attribute.ENC.display(99));
        assertEquals("UNKNOWN(16000)", Phase1Attribute.CLASS.display(16000));
        assertEquals("DES(1)", Phase1Attribute.ENC.display(1));
    }

    @Test
    void wrongLengthsAreRefusedWithANamedReason() {
        byte[] good = HEX.parseHex(MM1);
        assertEquals(WireException.Reason.SHORT_HEADER, reason(java.util.Arrays.copyOf(good, 27)));
        assertEquals(WireException.Reason.LENGTH_MISMATCH, reason(java.util.Arrays.copyOf(good, 83)));
        byte[] longer = java.util.Arrays.copyOf(good, 85);
        assertEquals(WireException.Reason.LENGTH_MISMATCH, reason(longer));
        longer[27] = 85;
        assertEquals(WireException.Reason.TRAILING_BYTES, reason(longer));
        byte[] v2 = good.clone();
        v2[17] = 0x20;
        assertEquals(WireException.Reason.BAD_MAJOR_VERSION, reason(v2));
        byte[] saLen = good.clone();
        saLen[31] = 0x39;
        assertEquals(WireException.Reason.PAYLOAD_LENGTH, reason(saLen));
        byte[] count = good.clone();
        count[47] = 2; // the proposal announces two transforms but carries one
        assertEquals(WireException.Reason.BAD_PROPOSAL, reason(count));
        byte[] attr = good.clone();
        attr[78] = 0x00; // life duration TLV length 4 becomes a larger one
        attr[79] = 0x09;
        assertEquals(WireException.Reason.BAD_ATTRIBUTE, reason(attr));
        assertThrows(WireException.class, () -> IdPayload.decode(HEX.parseHex("01000000010203")), "an IPv4 ID must be 4 bytes");
        assertThrows(WireException.class, () -> DeletePayload.decode(HEX.parseHex("0000000103040002" + "01020304")));
        assertThrows(WireException.class, () -> NoncePayload.decode(new byte[7]));
        assertThrows(WireException.class, () -> NatOaPayload.decode(PayloadType.NAT_OA, HEX.parseHex("01000000" + "0a0000")));
    }

    @Test
    void anEncryptedBodyMayEndInPaddingAClearOneMayNot() throws Exception {
        byte[] chain = PayloadChain.encode(List.of(new HashPayload(new byte[20])));
        byte[] padded = java.util.Arrays.copyOf(chain, chain.length + 8);
        IsakmpHeader h = new IsakmpHeader(1, 2, PayloadType.HASH, 0x10, ExchangeType.QUICK, 1, 5, 0);
        Message m = Message.decodeBody(h, padded);
        assertInstanceOf(HashPayload.class, m.payloads().get(0));
        assertTrue(m.rawAfter(0).length == 0);
    }

    private static WireException.Reason reason(byte[] b) {
        try {
            IsakmpHeader h = IsakmpHeader.decode(b);
            Message.decodeClear(h, b);
            return null;
        } catch (WireException e) {
            return e.reason();
        }
    }
}
