package io.argate.firewall.ftp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The endpoint text of PORT, EPRT, 227 and 229 lines: found where it is, written back in the same form. */
class FtpEndpointTextTest {
    static FtpEndpointText parse(String line) {
        ByteBuf b = Unpooled.copiedBuffer(line, StandardCharsets.ISO_8859_1);
        return FtpEndpointText.parse(b, 0, b.readableBytes());
    }

    static String replaced(String line, int address, int port) {
        FtpEndpointText t = parse(line);
        return line.substring(0, t.start()) + new String(t.encode(address, port), StandardCharsets.ISO_8859_1) + line.substring(t.end());
    }

    @Test
    void eachFormIsFoundAndWrittenBackTheSameWay() {
        FtpEndpointText port = parse("PORT 192,168,10,5,156,65\r\n");
        assertEquals(FtpEndpointText.Kind.PORT, port.kind());
        assertEquals(0xc0a80a05, port.address());
        assertEquals(156 * 256 + 65, port.port());
        assertEquals("PORT 192,168,10,5,156,65\r\n", replaced("PORT 192,168,10,5,156,65\r\n", 0xc0a80a05, 40001));
        assertEquals("port 1,1,1,1,3,233\r\n", replaced("port 192,168,10,5,156,65\r\n", 0x01010101, 1001), "commands are case-insensitive");

        FtpEndpointText eprt = parse("EPRT |1|192.168.10.5|40001|\r\n");
        assertEquals(0xc0a80a05, eprt.address());
        assertEquals(40001, eprt.port());
        assertEquals("EPRT |1|1.1.1.1|2000|\r\n", replaced("EPRT |1|192.168.10.5|40001|\r\n", 0x01010101, 2000));
        assertEquals("EPRT !1!1.1.1.1!2000!\r\n", replaced("EPRT !1!192.168.10.5!40001!\r\n", 0x01010101, 2000), "any delimiter");

        String pasv = "227 Entering Passive Mode (192,168,10,20,195,80).\r\n";
        assertEquals(50000, parse(pasv).port());
        assertEquals("227 Entering Passive Mode (1,1,1,1,195,80).\r\n", replaced(pasv, 0x01010101, 50000));
        assertEquals(0x01020304, parse("227 =1,2,3,4,0,21\r\n").address(), "RFC 1123: scan for the numbers");

        FtpEndpointText epsv = parse("229 Entering Extended Passive Mode (|||6446|)\r\n");
        assertEquals(FtpEndpointText.Kind.EPSV_229, epsv.kind());
        assertEquals(6446, epsv.port());
    }

    @Test
    void otherLinesAndMalformedOnesAreNotEndpoints() {
        assertNull(parse("LIST\r\n"));
        assertNull(parse("PORT 300,168,10,5,156,65\r\n"));
        assertNull(parse("PORT 192,168,10,5,156\r\n"));
        assertNull(parse("PORT 192,168,10,5,156,6500\r\n"));
        assertNull(parse("EPRT |2|::1|5282|\r\n"), "IPv6 is not translated");
        assertNull(parse("EPRT |1|192.168.10|5282|\r\n"));
        assertNull(parse("EPRT |1|192.168.10.5|99999|\r\n"));
        assertNull(parse("229 Entering Extended Passive Mode (|||x|)\r\n"));
        assertNull(parse("230 Login successful.\r\n"));
        assertNull(parse("PO"));
    }
}
