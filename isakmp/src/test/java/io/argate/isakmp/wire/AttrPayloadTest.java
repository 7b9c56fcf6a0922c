package io.argate.isakmp.wire;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Attribute payload of the Transaction exchange and its debug decode (draft-dukes-ike-mode-cfg-02 section 3.2). */
class AttrPayloadTest {
    static final HexFormat HEX = HexFormat.of();

    @Test
    void anXauthReplyEncodesAsTheDraftLaysItOutAndDecodesBack() throws Exception {
        AttrPayload reply = new AttrPayload(CfgType.REPLY, 0x1234, List.of(CfgAttribute.text(CfgAttribute.XAUTH_USER_NAME, "client1"),
                CfgAttribute.text(CfgAttribute.XAUTH_USER_PASSWORD, "pw"), Attribute.of(CfgAttribute.XAUTH_STATUS, 1)));
        byte[] body = reply.body();
        // type 2, reserved, identifier 0x1234; USER_NAME TLV (0x4089, 7 bytes); PASSWORD TLV (0x408a, 2); STATUS TV (0xc08f = AF|16527, 1)
        assertEquals("02001234" + "40890007" + HEX.formatHex("client1".getBytes()) + "408a0002" + HEX.formatHex("pw".getBytes())
                + "c08f0001", HEX.formatHex(body));
        AttrPayload back = AttrPayload.decode(body);
        assertEquals(reply, back);
        assertArrayEquals(body, back.body());
        assertEquals("client1", CfgAttribute.asText(back.attribute(CfgAttribute.XAUTH_USER_NAME)));
    }

    @Test
    void anEmptyRequestAttributeAndAnUnknownOneSurviveTheRoundTrip() throws Exception {
        byte[] body = HEX.parseHex("01000007" + "00010000" + "7fff0003aabbcc");
        AttrPayload p = AttrPayload.decode(body);
        assertEquals(CfgType.REQUEST, p.cfgType());
        assertEquals(2, p.attributes().size());
        assertEquals(0, p.attribute(CfgAttribute.INTERNAL_IP4_ADDRESS).value().length);
        assertArrayEquals(body, p.body());
    }

    @Test
    void aTruncatedAttributeIsAClearErrorNotAnException() {
        WireException e = assertThrows(WireException.class, () -> AttrPayload.decode(HEX.parseHex("0200000140890010616263")));
        assertTrue(e.getMessage().length() > 0);
    }

    @Test
    void theSplitIncludeValueIsFourteenBytesAnEntry() throws Exception {
        var nets = List.of(new UnitySplitInclude.Network(0x0a020100, 0xffffff00), new UnitySplitInclude.Network(0xc0a80000, 0xffff0000));
        byte[] v = UnitySplitInclude.encode(nets);
        assertEquals(28, v.length);
        assertEquals("0a020100ffffff00000000000000", HEX.formatHex(v, 0, 14));
        assertEquals(nets, UnitySplitInclude.decode(v));
        assertThrows(WireException.class, () -> UnitySplitInclude.decode(new byte[9]));
    }

    @Test
    void theDumpNamesAttributesByTheRegistryAndHidesThePassword() {
        AttrPayload reply = new AttrPayload(CfgType.REPLY, 7, List.of(CfgAttribute.text(CfgAttribute.XAUTH_USER_NAME, "client1"),
                CfgAttribute.text(CfgAttribute.XAUTH_USER_PASSWORD, "secret"), CfgAttribute.address(CfgAttribute.INTERNAL_IP4_ADDRESS, 0x0a010132),
                Attribute.of(CfgAttribute.XAUTH_STATUS, 1), Attribute.of(30000, 5)));
        byte[] plain = PayloadChain.encode(List.of(reply));
        String dump = String.join("\n", MessageDump.decrypted("Decrypted Payloads:", PayloadType.ATTR, plain, false));
        assertTrue(dump.contains("Cfg Type: ISAKMP_CFG_REPLY(2) Identifier: 7"), dump);
        assertTrue(dump.contains("XAUTH_USER_NAME(16521)") && dump.contains("\"client1\""), dump);
        assertTrue(dump.contains("XAUTH_USER_PASSWORD(16522)") && dump.contains("(6 bytes, not shown)") && !dump.contains("secret"), dump);
        assertTrue(dump.contains("INTERNAL_IP4_ADDRESS(1)") && dump.contains("10.1.1.50"), dump);
        assertTrue(dump.contains("XAUTH_STATUS(16527)") && dump.contains("OK(1)"), dump);
        assertTrue(dump.contains("UNKNOWN(30000)"), dump);
    }
}
