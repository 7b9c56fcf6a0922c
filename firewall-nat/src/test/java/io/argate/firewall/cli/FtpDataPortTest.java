package io.argate.firewall.cli;

import io.argate.firewall.engine.FirewallCounter;
import io.argate.firewall.engine.Packets;
import io.argate.firewall.wire.TcpHeader;
import io.argate.ip.forward.StageFilter.Verdict;
import io.argate.ip.packet.Ipv4;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FTP through the firewall and FTPDATAPORT={RFC|ANY} ([C:S40]): the control connection is read,
 * PORT/EPRT from a LAN client and 227 from a LAN server are rewritten under NAT with the sequence
 * numbers kept consistent, and the data connection the line announced is admitted from outside;
 * an active-mode one only from port 20 unless FTPDATAPORT=ANY.
 */
class FtpDataPortTest {
    static final String CLIENT = "192.168.10.5";
    static final String SERVER = "93.184.216.34";
    static final int ACK = TcpHeader.ACK;
    static final int PSH_ACK = TcpHeader.ACK | TcpHeader.PSH;

    final CliRig r = new CliRig("add firewall policy=net int=vlan1 type=private", "add firewall policy=net int=ppp0 type=public",
            "add firewall policy=net nat=enhanced int=vlan1 gblint=ppp0");

    /** A TCP segment carrying {@code text}, every checksum right. */
    static ByteBuf segment(String src, int sport, String dst, int dport, int seq, int ack, int flags, String text) {
        byte[] data = text.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf b = Packets.tcp(src, sport, dst, dport, seq, ack, flags, data.length);
        b.setBytes(40, data);
        b.setShort(20 + TcpHeader.CHECKSUM, 0);
        b.setShort(20 + TcpHeader.CHECKSUM, Packets.transportChecksum(b));
        return b;
    }

    static String text(ByteBuf b) {
        return b.toString(40, Ipv4.totalLength(b, 0) - 40, StandardCharsets.ISO_8859_1);
    }

    static int seq(ByteBuf b) {
        return b.getInt(24);
    }

    static int ack(ByteBuf b) {
        return b.getInt(28);
    }

    /** The control connection from the LAN client (port 40000) to the server, handshake done; returns the global port. */
    int control() {
        ByteBuf syn = Packets.tcp(CLIENT, 40000, SERVER, 21, 1000, 0, TcpHeader.SYN, 0);
        assertEquals(Verdict.PASS, r.forward("vlan1", syn));
        int gport = Packets.sport(syn);
        assertEquals(Verdict.PASS, r.forward("ppp0", Packets.tcp(SERVER, 21, "1.1.1.1", gport, 5000, 1001, TcpHeader.SYN | ACK, 0)));
        assertEquals(Verdict.PASS, r.forward("vlan1", Packets.tcp(CLIENT, 40000, SERVER, 21, 1001, 5001, ACK, 0)));
        return gport;
    }

    @Test
    void activeModeThroughEnatRewritesPortKeepsTheStreamInStepAndAdmitsTheDataFromPort20() {
        int gport = control();
        String cmd = "PORT 192,168,10,5,156,65\r\n"; // port 40001
        ByteBuf port = segment(CLIENT, 40000, SERVER, 21, 1001, 5001, PSH_ACK, cmd);
        assertEquals(Verdict.PASS, r.forward("vlan1", port));
        assertEquals("PORT 1,1,1,1,156,65\r\n", text(port), "the global address, the client's port while it is free");
        assertEquals(1001, seq(port));
        Packets.assertChecksums(port);
        int diff = "PORT 1,1,1,1,156,65\r\n".length() - cmd.length();
        assertEquals(1, r.count(FirewallCounter.FTP_COMMANDS_TRANSLATED));

        // the server acknowledges the shorter line; the client must see its own numbering
        ByteBuf ok = segment(SERVER, 21, "1.1.1.1", gport, 5001, 1001 + cmd.length() + diff, PSH_ACK, "200 PORT command successful\r\n");
        assertEquals(Verdict.PASS, r.forward("ppp0", ok), "the tracker sees the acknowledgment in the client's numbering");
        assertEquals(1001 + cmd.length(), ack(ok));
        Packets.assertChecksums(ok);
        ByteBuf list = segment(CLIENT, 40000, SERVER, 21, 1001 + cmd.length(), 5001 + 29, PSH_ACK, "LIST\r\n");
        assertEquals(Verdict.PASS, r.forward("vlan1", list));
        assertEquals(1001 + cmd.length() + diff, seq(list), "later segments move by the change");
        Packets.assertChecksums(list);
        ByteBuf resent = segment(CLIENT, 40000, SERVER, 21, 1001, 5001, PSH_ACK, cmd);
        assertEquals(Verdict.PASS, r.forward("vlan1", resent));
        assertEquals("PORT 1,1,1,1,156,65\r\n", text(resent), "a retransmission is rewritten the same way");
        assertEquals(1001, seq(resent), "and does not move the stream twice");

        assertTrue(r.show("show firewall").contains(FirewallViews.detail("FTP data connections expected", 1)), r.rig.lastOutput());
        ByteBuf data = Packets.tcp(SERVER, 20, "1.1.1.1", 40001, 9000, 0, TcpHeader.SYN, 0);
        assertEquals(Verdict.PASS, r.forward("ppp0", data));
        assertEquals(CLIENT, Packets.dst(data));
        assertEquals(40001, Packets.dport(data));
        Packets.assertChecksums(data);
        ByteBuf dataReply = Packets.tcp(CLIENT, 40001, SERVER, 20, 700, 9001, TcpHeader.SYN | ACK, 0);
        assertEquals(Verdict.PASS, r.forward("vlan1", dataReply));
        assertEquals("1.1.1.1", Packets.src(dataReply));
        assertEquals(1, r.count(FirewallCounter.FTP_DATA_ADMITTED));
        assertEquals(0, r.engine.ftp().expectationCount(), "an expectation is used once");
        assertEquals(Verdict.DROP, r.forward("ppp0", Packets.tcp(SERVER, 20, "1.1.1.1", 40003, 9500, 0, TcpHeader.SYN, 0)),
                "a port no line announced");
        assertTrue(r.show("show firewall session").contains(SERVER + ":20 > 1.1.1.1:40001"), r.rig.lastOutput());
    }

    @Test
    void ftpdataportRfcRefusesActiveDataFromAnotherPortAndAnyAcceptsIt() {
        int gport = control();
        ByteBuf port = segment(CLIENT, 40000, SERVER, 21, 1001, 5001, PSH_ACK, "EPRT |1|192.168.10.5|40002|\r\n");
        assertEquals(Verdict.PASS, r.forward("vlan1", port));
        assertEquals("EPRT |1|1.1.1.1|40002|\r\n", text(port));
        Packets.assertChecksums(port);
        assertEquals(Verdict.DROP, r.forward("ppp0", Packets.tcp(SERVER, 2020, "1.1.1.1", 40002, 9000, 0, TcpHeader.SYN, 0)));
        assertEquals(1, r.count(FirewallCounter.FTP_DATA_PORT));
        assertEquals(Verdict.DROP, r.forward("ppp0", Packets.tcp("6.6.6.6", 20, "1.1.1.1", 40002, 9000, 0, TcpHeader.SYN, 0)),
                "only the server the line went to");
        assertEquals(1, r.count(FirewallCounter.DENIED_UNSOLICITED));

        r.ok("set firewall policy=net ftpdataport=any");
        ByteBuf data = Packets.tcp(SERVER, 2020, "1.1.1.1", 40002, 9000, 0, TcpHeader.SYN, 0);
        assertEquals(Verdict.PASS, r.forward("ppp0", data));
        assertEquals(CLIENT, Packets.dst(data));
        assertTrue(gport > 0);

        assertTrue(r.show("show firewall policy=net").contains(FirewallViews.detail("FTP data port", "ANY")), r.rig.lastOutput());
        assertTrue(r.config().contains("set firewall policy=net ftpdataport=any"), r.config().toString());
        r.assertRoundTrip();
        r.ok("set firewall policy=net ftpdataport=rfc");
        assertTrue(r.show("show firewall policy=net").contains(FirewallViews.detail("FTP data port", "RFC (20)")));
        assertTrue(r.config().stream().noneMatch(l -> l.contains("ftpdataport")));
        assertTrue(r.fails("set firewall policy=net ftpdataport=some").contains("Error"));
    }

    @Test
    void passiveModeToALanServerBehindAPortForwardRewrites227AndAdmitsTheClientsDataConnection() {
        r.ok("add firewall policy=net rule=1 ac=allow int=ppp0 prot=tcp gblip=1.1.1.1 gblport=21 ip=192.168.10.20 port=21");
        assertEquals(Verdict.PASS, r.forward("ppp0", Packets.tcp("7.7.7.7", 5000, "1.1.1.1", 21, 100, 0, TcpHeader.SYN, 0)));
        assertEquals(Verdict.PASS, r.forward("vlan1", Packets.tcp("192.168.10.20", 21, "7.7.7.7", 5000, 800, 101, TcpHeader.SYN | ACK, 0)));
        assertEquals(Verdict.PASS, r.forward("ppp0", Packets.tcp("7.7.7.7", 5000, "1.1.1.1", 21, 101, 801, ACK, 0)));
        String reply = "227 Entering Passive Mode (192,168,10,20,195,80).\r\n";
        ByteBuf pasv = segment("192.168.10.20", 21, "7.7.7.7", 5000, 801, 101, PSH_ACK, reply);
        assertEquals(Verdict.PASS, r.forward("vlan1", pasv));
        assertEquals("227 Entering Passive Mode (1,1,1,1,195,80).\r\n", text(pasv));
        assertEquals("1.1.1.1", Packets.src(pasv));
        Packets.assertChecksums(pasv);
        int diff = "227 Entering Passive Mode (1,1,1,1,195,80).\r\n".length() - reply.length();
        ByteBuf ack = Packets.tcp("7.7.7.7", 5000, "1.1.1.1", 21, 101, 801 + reply.length() + diff, ACK, 0);
        assertEquals(Verdict.PASS, r.forward("ppp0", ack));
        assertEquals(801 + reply.length(), ack(ack), "the server sees its own numbering");

        ByteBuf data = Packets.tcp("7.7.7.7", 5001, "1.1.1.1", 50000, 300, 0, TcpHeader.SYN, 0);
        assertEquals(Verdict.PASS, r.forward("ppp0", data), "passive data comes from any client port");
        assertEquals("192.168.10.20", Packets.dst(data));
        assertEquals(50000, Packets.dport(data));
        assertEquals(1, r.count(FirewallCounter.FTP_DATA_ADMITTED));

        // a second reply, its numbers at an even offset of the segment this time: the changes add up
        String second = "227 Passive Mode  (192,168,10,20,195,81)\r\n";
        ByteBuf pasv2 = segment("192.168.10.20", 21, "7.7.7.7", 5000, 801 + reply.length(), 101, PSH_ACK, second);
        assertEquals(Verdict.PASS, r.forward("vlan1", pasv2));
        assertEquals("227 Passive Mode  (1,1,1,1,195,81)\r\n", text(pasv2));
        assertEquals(801 + reply.length() + diff, seq(pasv2), "moved by the first change");
        Packets.assertChecksums(pasv2);
        ByteBuf ack2 = Packets.tcp("7.7.7.7", 5000, "1.1.1.1", 21, 101, 801 + reply.length() + second.length() + 2 * diff, ACK, 0);
        assertEquals(Verdict.PASS, r.forward("ppp0", ack2));
        assertEquals(801 + reply.length() + second.length(), ack(ack2));
        Packets.assertChecksums(ack2);
    }

    @Test
    void a227ReplySplitAcrossSegmentsIsHeldUntilTheServerResendsItWhole() {
        r.ok("add firewall policy=net rule=1 ac=allow int=ppp0 prot=tcp gblip=1.1.1.1 gblport=21 ip=192.168.10.20 port=21");
        assertEquals(Verdict.PASS, r.forward("ppp0", Packets.tcp("7.7.7.7", 5000, "1.1.1.1", 21, 100, 0, TcpHeader.SYN, 0)));
        assertEquals(Verdict.PASS, r.forward("vlan1", Packets.tcp("192.168.10.20", 21, "7.7.7.7", 5000, 800, 101, TcpHeader.SYN | ACK, 0)));
        assertEquals(Verdict.PASS, r.forward("ppp0", Packets.tcp("7.7.7.7", 5000, "1.1.1.1", 21, 101, 801, ACK, 0)));
        String head = "227 Entering Passive Mode (192,168,10,20,195,8";
        String reply = head + "0).\r\n";
        ByteBuf part = segment("192.168.10.20", 21, "7.7.7.7", 5000, 801, 101, PSH_ACK, head);
        assertEquals(Verdict.DROP, r.forward("vlan1", part), "read alone it names port 50008, not 50000");
        assertEquals(Verdict.DROP, r.forward("vlan1", segment("192.168.10.20", 21, "7.7.7.7", 5000, 801 + head.length(), 101,
                PSH_ACK, "0).\r\n")));
        assertEquals(2, r.count(FirewallCounter.FTP_LINE_SPLIT));
        assertTrue(r.show("show firewall policy=net counters").contains(FirewallViews.detail("Dropped: FTP line split, held for resend", 2)));
        ByteBuf whole = segment("192.168.10.20", 21, "7.7.7.7", 5000, 801, 101, PSH_ACK, reply);
        assertEquals(Verdict.PASS, r.forward("vlan1", whole));
        assertEquals("227 Entering Passive Mode (1,1,1,1,195,80).\r\n", text(whole));
        Packets.assertChecksums(whole);
        ByteBuf data = Packets.tcp("7.7.7.7", 5001, "1.1.1.1", 50000, 300, 0, TcpHeader.SYN, 0);
        assertEquals(Verdict.PASS, r.forward("ppp0", data), "the data connection the whole reply announced");
        assertEquals("192.168.10.20", Packets.dst(data));
    }

    @Test
    void aLongerGlobalAddressGrowsThePacketAndMovesTheStreamForward() {
        r.ok("add firewall policy=net rule=1 ac=nat int=vlan1 prot=tcp gblip=203.113.100.200");
        ByteBuf syn = Packets.tcp(CLIENT, 40000, SERVER, 21, 1000, 0, TcpHeader.SYN, 0);
        assertEquals(Verdict.PASS, r.forward("vlan1", syn));
        int gport = Packets.sport(syn);
        r.forward("ppp0", Packets.tcp(SERVER, 21, "203.113.100.200", gport, 5000, 1001, TcpHeader.SYN | ACK, 0));
        String cmd = "PORT 192,168,10,5,156,65\r\n";
        ByteBuf port = segment(CLIENT, 40000, SERVER, 21, 1001, 5001, PSH_ACK, cmd);
        assertEquals(Verdict.PASS, r.forward("vlan1", port));
        String out = "PORT 203,113,100,200,156,65\r\n";
        assertEquals(out, text(port));
        assertEquals(20 + 20 + out.length(), Ipv4.totalLength(port, 0));
        assertEquals(20 + 20 + out.length(), port.readableBytes());
        Packets.assertChecksums(port);
        ByteBuf ack = Packets.tcp(SERVER, 21, "203.113.100.200", gport, 5001, 1001 + out.length(), ACK, 0);
        assertEquals(Verdict.PASS, r.forward("ppp0", ack));
        assertEquals(1001 + cmd.length(), ack(ack));
        ByteBuf next = segment(CLIENT, 40000, SERVER, 21, 1001 + cmd.length(), 5001, PSH_ACK, "LIST\r\n");
        r.forward("vlan1", next);
        assertEquals(1001 + out.length(), seq(next));
        Packets.assertChecksums(next);
    }

    @Test
    void aLineThatWouldGrowABufferThatCannotGrowGoesOutUnchanged() {
        r.ok("add firewall policy=net rule=1 ac=nat int=vlan1 prot=tcp gblip=203.113.100.200");
        ByteBuf syn = Packets.tcp(CLIENT, 40000, SERVER, 21, 1000, 0, TcpHeader.SYN, 0);
        r.forward("vlan1", syn);
        r.forward("ppp0", Packets.tcp(SERVER, 21, "203.113.100.200", Packets.sport(syn), 5000, 1001, TcpHeader.SYN | ACK, 0));
        ByteBuf whole = segment(CLIENT, 40000, SERVER, 21, 1001, 5001, PSH_ACK, "PORT 192,168,10,5,156,65\r\n");
        ByteBuf slice = whole.slice(0, whole.readableBytes());
        assertEquals(Verdict.PASS, r.forward("vlan1", slice));
        assertEquals("PORT 192,168,10,5,156,65\r\n", text(slice));
        Packets.assertChecksums(slice);
        assertEquals(0, r.count(FirewallCounter.FTP_COMMANDS_TRANSLATED));
    }

    @Test
    void withoutNatThePortLineIsLeftAloneButTheDataIsStillAdmitted() {
        r.ok("delete firewall policy=net nat=enhanced int=vlan1 gblint=ppp0");
        ByteBuf syn = Packets.tcp(CLIENT, 40000, SERVER, 21, 1000, 0, TcpHeader.SYN, 0);
        r.forward("vlan1", syn);
        r.forward("ppp0", Packets.tcp(SERVER, 21, CLIENT, 40000, 5000, 1001, TcpHeader.SYN | ACK, 0));
        ByteBuf port = segment(CLIENT, 40000, SERVER, 21, 1001, 5001, PSH_ACK, "PORT 192,168,10,5,156,65\r\n");
        assertEquals(Verdict.PASS, r.forward("vlan1", port));
        assertEquals("PORT 192,168,10,5,156,65\r\n", text(port));
        assertEquals(0, r.count(FirewallCounter.FTP_COMMANDS_TRANSLATED));
        assertEquals(Verdict.PASS, r.forward("ppp0", Packets.tcp(SERVER, 20, CLIENT, 40001, 9000, 0, TcpHeader.SYN, 0)));
        assertEquals(Verdict.DROP, r.forward("ppp0", Packets.tcp(SERVER, 20, CLIENT, 40009, 9000, 0, TcpHeader.SYN, 0)));
    }

    @Test
    void aPortLineFromOutsideOrNamingAnotherHostIsNotTrusted() {
        control();
        ByteBuf third = segment(CLIENT, 40000, SERVER, 21, 1001, 5001, PSH_ACK, "PORT 10,0,0,9,156,65\r\n");
        assertEquals(Verdict.PASS, r.forward("vlan1", third));
        assertEquals("PORT 10,0,0,9,156,65\r\n", text(third), "another host's address (FXP): left as it is, nothing expected");
        assertEquals(0, r.engine.ftp().expectationCount());
        r.clock.advance(java.time.Duration.ofMinutes(3));
        r.engine.sweep();
        assertEquals(0, r.engine.ftp().expectationCount());
    }

    @Test
    void anExpectationLapsesAfterTwoMinutes() {
        control();
        r.forward("vlan1", segment(CLIENT, 40000, SERVER, 21, 1001, 5001, PSH_ACK, "PORT 192,168,10,5,156,65\r\n"));
        assertEquals(1, r.engine.ftp().expectationCount());
        r.clock.advance(java.time.Duration.ofSeconds(120));
        assertEquals(Verdict.DROP, r.forward("ppp0", Packets.tcp(SERVER, 20, "1.1.1.1", 40001, 9000, 0, TcpHeader.SYN, 0)));
        r.engine.sweep();
        assertEquals(0, r.engine.ftp().expectationCount());
    }
}
