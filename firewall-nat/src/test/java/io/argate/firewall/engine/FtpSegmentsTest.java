package io.argate.firewall.engine;

import io.argate.firewall.config.FirewallPolicy;
import io.argate.firewall.config.InterfaceNat;
import io.argate.firewall.config.InterfaceType;
import io.argate.firewall.config.NatType;
import io.argate.firewall.wire.TcpHeader;
import io.argate.ip.forward.StageFilter.Verdict;
import io.argate.ip.packet.Ipv4;
import io.argate.ip.packet.VirtioNetHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.argate.firewall.engine.Packets.assertChecksums;
import static io.argate.firewall.engine.Packets.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The FTP gateway with segments as TCP may really cut them: SACK blocks after a rewrite changed
 * the stream's length (RFC 2018), an announcing line split across segments, several lines in one
 * segment, and EPRT/EPSV for IPv6, which is never rewritten.
 */
class FtpSegmentsTest {
    static final String CLIENT = "192.168.10.5";
    static final String SERVER = "93.184.216.34";
    static final int PSH_ACK = TcpHeader.ACK | TcpHeader.PSH;
    static final String PORT_LINE = "PORT 192,168,10,5,156,65\r\n";
    static final String PORT_GLOBAL = "PORT 1,1,1,1,156,65\r\n";

    final Rig rig = new Rig();
    final FirewallPolicy net;
    int gport;

    FtpSegmentsTest() {
        rig.config.enabled(true);
        net = rig.config.create("net");
        net.interfaces().put("vlan1", InterfaceType.PRIVATE);
        net.interfaces().put("ppp0", InterfaceType.PUBLIC);
        net.nats().add(new InterfaceNat(NatType.ENHANCED, "vlan1", "ppp0", null, null));
        rig.commit();
        ByteBuf syn = Packets.tcp(CLIENT, 40000, SERVER, 21, 1000, 0, TcpHeader.SYN, 0);
        assertEquals(Verdict.PASS, rig.forward("vlan1", syn));
        gport = Packets.sport(syn);
        assertEquals(Verdict.PASS, rig.forward("ppp0", Packets.tcp(SERVER, 21, "1.1.1.1", gport, 5000, 1001, TcpHeader.SYN | TcpHeader.ACK, 0)));
        assertEquals(Verdict.PASS, rig.forward("vlan1", Packets.tcp(CLIENT, 40000, SERVER, 21, 1001, 5001, TcpHeader.ACK, 0)));
    }

    long count(FirewallCounter c) {
        return rig.engine.counters(net.id()).get(c);
    }

    static ByteBuf segment(String src, int sport, String dst, int dport, int seq, int ack, String text) {
        byte[] data = text.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf b = Packets.tcp(src, sport, dst, dport, seq, ack, PSH_ACK, data.length);
        b.setBytes(40, data);
        b.setShort(20 + TcpHeader.CHECKSUM, 0);
        b.setShort(20 + TcpHeader.CHECKSUM, Packets.transportChecksum(b));
        return b;
    }

    ByteBuf fromClient(int seq, String text) {
        return segment(CLIENT, 40000, SERVER, 21, seq, 5001, text);
    }

    static String text(ByteBuf b) {
        return b.toString(40, Ipv4.totalLength(b, 0) - 40, StandardCharsets.ISO_8859_1);
    }

    /**
     * A pure ACK with a SACK option of one block (NOP, NOP, kind 5, length 10: RFC 2018 section 3),
     * a 32-byte header.
     */
    static ByteBuf sackAck(String src, int sport, String dst, int dport, int seq, int ack, int left, int right) {
        ByteBuf b = Unpooled.buffer(52);
        Ipv4.write(b, 0, 0, 52, 1, 0, 64, Ipv4.PROTO_TCP, ip(src), ip(dst));
        TcpHeader.write(b, 20, sport, dport, seq, ack, TcpHeader.ACK, 65535);
        b.setByte(32, 8 << 4);
        b.setByte(40, 1);
        b.setByte(41, 1);
        b.setByte(42, 5);
        b.setByte(43, 10);
        b.setInt(44, left);
        b.setInt(48, right);
        b.writerIndex(52);
        b.setShort(20 + TcpHeader.CHECKSUM, Packets.transportChecksum(b));
        return b;
    }

    /** PORT shortened by the rewrite, then LIST: returns the length change. */
    int portThenList() {
        ByteBuf port = fromClient(1001, PORT_LINE);
        assertEquals(Verdict.PASS, rig.forward("vlan1", port));
        assertEquals(PORT_GLOBAL, text(port));
        ByteBuf list = fromClient(1001 + PORT_LINE.length(), "LIST\r\n");
        assertEquals(Verdict.PASS, rig.forward("vlan1", list));
        return PORT_GLOBAL.length() - PORT_LINE.length();
    }

    @Test
    void sackBlocksOfTheServerAreMovedBackIntoTheClientsNumbering() {
        int diff = portThenList();
        // the PORT segment was lost on the way and LIST arrived: the server acknowledges what came
        // before PORT and selectively LIST, in the numbering it received (PORT_GLOBAL's length)
        int listStart = 1001 + PORT_LINE.length();
        ByteBuf sack = sackAck(SERVER, 21, "1.1.1.1", gport, 5001, 1001, listStart + diff, listStart + diff + 6);
        assertEquals(Verdict.PASS, rig.forward("ppp0", sack));
        assertEquals(listStart, sack.getInt(44), "left edge: where LIST starts as the client sent it");
        assertEquals(listStart + 6, sack.getInt(48), "right edge");
        assertChecksums(sack);
    }

    @Test
    void sackBlocksWithAPartialChecksumLeaveOneTheHostFinishesRight() {
        int diff = portThenList();
        int listStart = 1001 + PORT_LINE.length();
        ByteBuf sack = sackAck(SERVER, 21, "1.1.1.1", gport, 5001, listStart + diff, listStart + diff + 6, listStart + diff + 12);
        VirtioNetHeader h = PartialChecksumNatTest.partial(sack, TcpHeader.CHECKSUM);
        assertEquals(Verdict.PASS, rig.forward("ppp0", sack, null, h));
        assertEquals(listStart, sack.getInt(28), "the acknowledgment");
        assertEquals(listStart + 6, sack.getInt(44));
        assertEquals(listStart + 12, sack.getInt(48));
        PartialChecksumNatTest.finishAsTheHostDoes(sack, h);
        assertChecksums(sack);
    }

    @Test
    void aMalformedOptionListIsLeftAlone() {
        int diff = portThenList();
        int listStart = 1001 + PORT_LINE.length();
        ByteBuf sack = sackAck(SERVER, 21, "1.1.1.1", gport, 5001, listStart + diff, listStart + diff, listStart + diff + 6);
        sack.setByte(43, 9); // a SACK length that is not 2 plus whole blocks
        sack.setShort(20 + TcpHeader.CHECKSUM, 0);
        sack.setShort(20 + TcpHeader.CHECKSUM, Packets.transportChecksum(sack));
        assertEquals(Verdict.PASS, rig.forward("ppp0", sack));
        assertEquals(listStart + diff, sack.getInt(44), "not read as SACK");
        assertChecksums(sack);
    }

    @Test
    void aPortLineSplitAcrossSegmentsIsHeldUntilItComesWhole() {
        String first = "PORT 192,168,10,5,156,6";
        ByteBuf part1 = fromClient(1001, first);
        assertEquals(Verdict.DROP, rig.forward("vlan1", part1), "read alone, it would name port 40966 instead of 40001");
        assertEquals(first, text(part1), "not rewritten");
        ByteBuf part2 = fromClient(1001 + first.length(), "5\r\n");
        assertEquals(Verdict.DROP, rig.forward("vlan1", part2), "the rest of a held line is held too");
        assertEquals(2, count(FirewallCounter.FTP_LINE_SPLIT));
        assertEquals(0, rig.engine.ftp().expectationCount());

        ByteBuf whole = fromClient(1001, PORT_LINE); // the sender's retransmission, joined
        assertEquals(Verdict.PASS, rig.forward("vlan1", whole));
        assertEquals(PORT_GLOBAL, text(whole));
        assertChecksums(whole);
        assertEquals(1, count(FirewallCounter.FTP_COMMANDS_TRANSLATED));
        assertEquals(1, rig.engine.ftp().expectationCount());
        ByteBuf list = fromClient(1001 + PORT_LINE.length(), "LIST\r\n");
        assertEquals(Verdict.PASS, rig.forward("vlan1", list), "the stream goes on");
        assertEquals(1001 + PORT_GLOBAL.length(), list.getInt(24));
    }

    @Test
    void aVerbSplitInsideItIsHeldToo() {
        assertEquals(Verdict.DROP, rig.forward("vlan1", fromClient(1001, "PO")));
        assertEquals(Verdict.DROP, rig.forward("vlan1", fromClient(1003, "RT 192,168,10,5,156,65\r\n")));
        ByteBuf whole = fromClient(1001, PORT_LINE);
        assertEquals(Verdict.PASS, rig.forward("vlan1", whole));
        assertEquals(PORT_GLOBAL, text(whole));
    }

    @Test
    void aLineThatKeepsComingSplitPassesUnchangedRatherThanStallTheConnection() {
        String first = "PORT 192,168,10,5,156,6";
        for (int i = 0; i < 3; i++) {
            assertEquals(Verdict.DROP, rig.forward("vlan1", fromClient(1001, first)));
        }
        ByteBuf fourth = fromClient(1001, first);
        assertEquals(Verdict.PASS, rig.forward("vlan1", fourth));
        assertEquals(first, text(fourth), "unchanged: never half rewritten");
        assertChecksums(fourth);
        ByteBuf rest = fromClient(1001 + first.length(), "5\r\n");
        assertEquals(Verdict.PASS, rig.forward("vlan1", rest));
        assertEquals("5\r\n", text(rest));
        assertEquals(1, count(FirewallCounter.FTP_LINE_SPLIT_PASSED));
        assertEquals(3, count(FirewallCounter.FTP_LINE_SPLIT));
        assertEquals(0, count(FirewallCounter.FTP_COMMANDS_TRANSLATED));
    }

    @Test
    void aPortLineAfterAnotherCommandInOneSegmentIsRewritten() {
        ByteBuf both = fromClient(1001, "TYPE I\r\n" + PORT_LINE);
        assertEquals(Verdict.PASS, rig.forward("vlan1", both));
        assertEquals("TYPE I\r\n" + PORT_GLOBAL, text(both));
        assertChecksums(both);
        assertEquals(1, count(FirewallCounter.FTP_COMMANDS_TRANSLATED));
    }

    @Test
    void eprtAndEpsvForIpv6AreLeftUntouchedAndCounted() {
        String eprt = "EPRT |2|fd00::5|40001|\r\n";
        ByteBuf line = fromClient(1001, eprt);
        byte[] before = new byte[Ipv4.totalLength(line, 0) - 20];
        line.getBytes(20, before);
        assertEquals(Verdict.PASS, rig.forward("vlan1", line));
        assertEquals(eprt, text(line));
        byte[] after = new byte[before.length];
        line.getBytes(20, after);
        after[0] = before[0]; // the source port is NAT's, the rest is the client's
        after[1] = before[1];
        after[16] = before[16];
        after[17] = before[17];
        assertEquals(new String(before, StandardCharsets.ISO_8859_1), new String(after, StandardCharsets.ISO_8859_1));
        assertChecksums(line);
        ByteBuf epsv = fromClient(1001 + eprt.length(), "EPSV 2\r\n");
        assertEquals(Verdict.PASS, rig.forward("vlan1", epsv));
        assertEquals("EPSV 2\r\n", text(epsv));
        assertEquals(2, count(FirewallCounter.FTP_OTHER_FAMILY));
        assertEquals(0, count(FirewallCounter.FTP_COMMANDS_TRANSLATED));
        assertEquals(0, rig.engine.ftp().expectationCount());
        ByteBuf v4 = fromClient(1001 + eprt.length() + 8, "EPRT |1|192.168.10.5|40001|\r\n");
        assertEquals(Verdict.PASS, rig.forward("vlan1", v4));
        assertEquals("EPRT |1|1.1.1.1|40001|\r\n", text(v4), "IPv4 EPRT is still translated");
        assertEquals(2, count(FirewallCounter.FTP_OTHER_FAMILY));
    }
}
