package io.argate.isakmp.wire;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageDumpTest {
    static final HexFormat HEX = HexFormat.of();

    /**
     * The reference's DEBUG=PKT sample (seed 003, after "enable isakmp debug=pkt"), line for
     * line, decoded from the bytes WireCodecTest reconstructed. One value differs on purpose:
     * the AR prints the IPsec DOI as "IPSEC(0)", but the DOI on the wire is 1 (RFC 2407 section
     * 4.2: the IPsec DOI is 1, 0 is the generic ISAKMP DOI), and argate prints the number sent.
     */
    @Test
    void theReferencesMainModeMessageOnePrintsAsTheReferenceShowsIt() {
        List<String> lines = MessageDump.message("ISAKMP Tx Message", HEX.parseHex(WireCodecTest.MM1), false);
        assertEquals(List.of(
                "ISAKMP Tx Message",
                "Cookie's: 5052045c2e566b81:0000000000000000",
                "Xchg Type: IDPROT(2) Ver: 10 Flags: 00",
                "MessageID: 00000000 Total Length: 84",
                "Payload #: 0 Length: 56 Type: Security Association (SA)",
                "DOI: IPSEC(1) Situation: 00000001",
                "Proposal#: 1 Protocol: ISAKMP(1) #Trans: 1 SPI:",
                "Transform#: 1",
                "Transform Id .................. IKE(1)",
                "Encryption Algorithm........... DES(1)",
                "Authentication Algorithm....... SHA(2)",
                "Authentication Method.......... PRESHARED(1)",
                "Group Description.............. 768(1)",
                "Group Type..................... MODP",
                "Expiry Seconds................. 86400"), lines);
    }

    @Test
    void pktrawAddsTheMessageBytesInHex() {
        byte[] mm1 = HEX.parseHex(WireCodecTest.MM1);
        List<String> lines = MessageDump.message("ISAKMP Tx Message", mm1, true);
        int at = lines.indexOf("Message bytes:");
        assertTrue(at > 0, String.join("\n", lines));
        assertEquals(WireCodecTest.MM1, String.join("", lines.subList(at + 1, lines.size())));
        assertEquals(3, lines.size() - at - 1, "84 bytes in lines of 32");
    }

    @Test
    void unknownCodesPrintAsUnknownWithTheirNumber() {
        // exchange type 99, a transform with encryption 250 and attribute class 300, payload type 77
        IsakmpHeader h = new IsakmpHeader(1, 2, 0, IsakmpHeader.VERSION_1_0, 99, 0, 0, 0);
        byte[] m = Message.encodeClear(h, List.of(
                new SaPayload(Doi.IPSEC, Doi.SIT_IDENTITY_ONLY, List.of(new ProposalPayload(1, Doi.PROTO_ISAKMP, new byte[0], List.of(
                        new TransformPayload(1, 9, List.of(Attribute.of(Phase1Attribute.ENCRYPTION, 250), Attribute.of(300, 5))))))),
                NotifyPayload.of(Doi.PROTO_ISAKMP, new byte[0], 40000, new byte[0]),
                new UnknownPayload(77, new byte[]{1, 2, 3})));
        List<String> lines = MessageDump.message("ISAKMP Rx Message", m, false);
        assertTrue(lines.contains("Xchg Type: UNKNOWN(99) Ver: 10 Flags: 00"), String.join("\n", lines));
        assertTrue(lines.contains("Transform Id .................. UNKNOWN(9)"), String.join("\n", lines));
        assertTrue(lines.contains("Encryption Algorithm........... UNKNOWN(250)"), String.join("\n", lines));
        assertTrue(lines.contains("UNKNOWN(300)................... 5"), String.join("\n", lines));
        assertTrue(lines.contains("Notify Type: UNKNOWN(40000)"), String.join("\n", lines));
        assertTrue(lines.contains("Payload #: 2 Length: 7 Type: UNKNOWN(77)"), String.join("\n", lines));
        assertTrue(lines.contains("Data: 010203"), String.join("\n", lines));
    }

    @Test
    void aTruncatedMessagePrintsWhatItCanAndSaysWhereItStopped() {
        byte[] mm1 = HEX.parseHex(WireCodecTest.MM1);
        List<String> cut = MessageDump.message("ISAKMP Rx Message", Arrays.copyOf(mm1, 60), false);
        assertEquals("MessageID: 00000000 Total Length: 84", cut.get(3));
        assertEquals("Length mismatch: the header says 84 bytes, the message has 60", cut.get(4));
        assertEquals("Payload #: 0 Length: 56 Type: Security Association (SA)", cut.get(5));
        assertEquals("Decode stopped: payload #0 at offset 28 says 56 bytes, 32 left", cut.get(6));
        assertEquals(7, cut.size());

        List<String> header = MessageDump.message("ISAKMP Rx Message", Arrays.copyOf(mm1, 20), false);
        assertEquals(List.of("ISAKMP Rx Message", "Decode stopped: the message has 20 bytes, the ISAKMP header needs 28"), header);
    }

    @Test
    void everyPrefixAndEveryBitFlipOfARealMessageDecodesWithoutThrowing() {
        byte[] mm1 = HEX.parseHex(WireCodecTest.MM1);
        for (int n = 0; n <= mm1.length; n++) {
            List<String> lines = MessageDump.message("ISAKMP Rx Message", Arrays.copyOf(mm1, n), true);
            assertTrue(n == mm1.length || lines.stream().anyMatch(l -> l.startsWith("Decode stopped") || l.startsWith("Length mismatch")),
                    n + " bytes:\n" + String.join("\n", lines));
        }
        for (int bit = 0; bit < mm1.length * 8; bit++) {
            byte[] m = mm1.clone();
            m[bit / 8] ^= (byte) (1 << (bit % 8));
            assertTrue(MessageDump.message("ISAKMP Rx Message", m, true).size() > 1);
        }
    }

    @Test
    void aPayloadWhoseBodyDoesNotFitItsLayoutSaysWhyAndThePayloadsAfterItStillPrint() {
        IsakmpHeader h = new IsakmpHeader(1, 0, 0, IsakmpHeader.VERSION_1_0, ExchangeType.AGGRESSIVE, 0, 0, 0);
        byte[] m = Message.encodeClear(h, List.of(new UnknownPayload(77, new byte[0]), new VendorIdPayload(new byte[]{7})));
        m[16] = PayloadType.NONCE; // the header's next payload: the empty first payload is now a nonce (RFC 2409: 8..256 bytes)
        List<String> lines = MessageDump.message("ISAKMP Rx Message", m, false);
        assertEquals("Payload #: 0 Length: 4 Type: Nonce (NONCE)", lines.get(4), String.join("\n", lines));
        assertTrue(lines.get(5).startsWith("Payload #0 not decoded: a payload body does not fit its layout"), lines.get(5));
        assertEquals("Payload #: 1 Length: 5 Type: Vendor ID (VID)", lines.get(6));
        assertEquals("Vendor ID: 07", lines.get(7));
    }

    @Test
    void anEncryptedBodyPrintsItsLengthAndTheDecryptedPayloadsPrintApart() {
        IsakmpHeader h = new IsakmpHeader(1, 2, PayloadType.HASH, IsakmpHeader.VERSION_1_0, ExchangeType.QUICK,
                IsakmpHeader.FLAG_ENCRYPTION, 0x01020304, 0);
        byte[] m = Message.frame(h, new byte[48]);
        List<String> lines = MessageDump.message("ISAKMP Rx Message", m, false);
        assertEquals(List.of("ISAKMP Rx Message", "Cookie's: 0000000000000001:0000000000000002", "Xchg Type: QUICK(32) Ver: 10 Flags: 01",
                "MessageID: 01020304 Total Length: 76", "Encrypted Payloads: 48 bytes, first Hash (HASH)"), lines);

        byte[] plain = PayloadChain.encode(List.of(new HashPayload(new byte[]{(byte) 0xab, (byte) 0xcd}),
                new NoncePayload(new byte[]{1, 2, 3, 4, 5, 6, 7, 8})));
        byte[] padded = Arrays.copyOf(plain, plain.length + 3);
        assertEquals(List.of("Decrypted Payloads:", "Payload #: 0 Length: 6 Type: Hash (HASH)", "Hash: abcd",
                "Payload #: 1 Length: 12 Type: Nonce (NONCE)", "Nonce: 0102030405060708", "Padding: 3 bytes"),
                MessageDump.decrypted("Decrypted Payloads:", PayloadType.HASH, padded, false));
    }
}
