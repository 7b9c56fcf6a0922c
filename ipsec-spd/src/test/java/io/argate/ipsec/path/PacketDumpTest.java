package io.argate.ipsec.path;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** DEBUG=PACKET output against the reference's own example (seed 003), byte for byte. */
class PacketDumpTest {
    static ByteBuf hex(String h) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(h));
    }

    @Test
    void theSeedsPreProcessingTcpSyn() {
        ByteBuf p = hex("45000028eb1040002006d908c0a81464c0a80102" + "0429005005b7e65c01faee4c5004000038560000");
        assertEquals(List.of("IPSEC vpn: 2: OUT: pre processing:",
                "IP: 45000028eb1040002006d908c0a81464c0a80102",
                "TCP: 0429005005b7e65c01faee4c5004000038560000",
                "data:"), PacketDump.lines("IPSEC vpn: 2: OUT: pre processing:", p, 0, p.writerIndex(), 12, 2746));
    }

    @Test
    void theSeedsPostProcessingEspWithItsIcvOnTheEspLine() {
        String data = "9fcd18d0a34ffeecb8b0f574ddeaa820f8ba0db36cd7a9fc0254f08215e2aa7ecdb34688"
                + "6193f17d39cc7f096276238bf262b668920b51c535d26e02458706623d9aa9bf";
        ByteBuf p = hex("450000604b7f00004032fa573f0c42ef01010101" + "14f45fa300000b09" + data);
        assertEquals(List.of("IPSEC vpn: 2: OUT: post processing:",
                "IP: 450000604b7f00004032fa573f0c42ef01010101",
                "ESP: 14f45fa300000b09:35d26e02458706623d9aa9bf",
                "data: 9fcd18d0a34ffeecb8b0f574ddeaa820f8ba0db36cd7a9fc0254f08215e2aa7ecdb34688",
                "6193f17d39cc7f096276238bf262b668920b51c535d26e02458706623d9aa9bf"),
                PacketDump.lines("IPSEC vpn: 2: OUT: post processing:", p, 0, p.writerIndex(), 12, 2746));
    }

    @Test
    void espInUdpShowsBothHeadersAndTruncatedPacketsStillPrint() {
        ByteBuf p = hex("4500003000000000401100000a0000010a000002" + "0aba0aba001c0000" + "0000100100000001" + "aabbccddeeff00112233");
        List<String> lines = PacketDump.lines("t", p, 0, p.writerIndex(), 0, 2746);
        assertEquals(List.of("t", "IP: 4500003000000000401100000a0000010a000002", "UDP: 0aba0aba001c0000", "ESP: 0000100100000001:",
                "data: aabbccddeeff00112233"), lines);
        ByteBuf runt = hex("4500");
        assertEquals(List.of("t", "data: 4500"), PacketDump.lines("t", runt, 0, 2, 12, 2746));
    }
}
