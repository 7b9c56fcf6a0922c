package io.argate.firewall.engine;

import io.argate.firewall.config.FirewallPolicy;
import io.argate.firewall.config.InterfaceNat;
import io.argate.firewall.config.InterfaceType;
import io.argate.firewall.config.NatType;
import io.argate.firewall.session.SessionState;
import io.argate.firewall.session.SessionTable;
import io.argate.firewall.wire.IcmpHeader;
import io.argate.firewall.wire.TcpHeader;
import io.argate.ip.forward.StageFilter.Verdict;
import io.argate.ip.packet.Ipv4;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.argate.firewall.engine.Packets.ip;
import static io.argate.firewall.engine.Packets.sport;
import static io.argate.firewall.wire.TcpHeader.ACK;
import static io.argate.firewall.wire.TcpHeader.FIN;
import static io.argate.firewall.wire.TcpHeader.RST;
import static io.argate.firewall.wire.TcpHeader.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** TCP, UDP and ICMP tracking and their timeouts, on a stepped clock. */
class TrackingTest {
    final Rig rig = new Rig();
    final FirewallPolicy net;
    final SessionTable table;

    TrackingTest() {
        rig.config.enabled(true);
        net = rig.config.create("net");
        net.interfaces().put("vlan1", InterfaceType.PRIVATE);
        net.interfaces().put("ppp0", InterfaceType.PUBLIC);
        net.nats().add(new InterfaceNat(NatType.ENHANCED, "vlan1", "ppp0", null, null));
        rig.commit();
        table = rig.engine.sessions();
    }

    long count(FirewallCounter c) {
        return rig.engine.counters(net.id()).get(c);
    }

    /** The state of the session the LAN host's tuple opened. */
    SessionState state(int proto, String host, int sport, String server, int dport) {
        int ref = table.find(ip(host), ip(server), proto == Ipv4.PROTO_ICMP ? sport << 16 | sport : sport << 16 | dport, proto);
        return ref < 0 ? null : table.expired(ref >>> 1, rig.engine.now()) ? null : table.state(ref >>> 1);
    }

    Verdict out(int seq, int ack, int flags, int len) {
        return rig.forward("vlan1", Packets.tcp("192.168.10.5", 33000, "93.184.216.34", 80, seq, ack, flags, len));
    }

    Verdict in(int seq, int ack, int flags, int len) {
        return rig.forward("ppp0", Packets.tcp("93.184.216.34", 80, "1.1.1.1", 33000, seq, ack, flags, len));
    }

    SessionState tcp() {
        return state(Ipv4.PROTO_TCP, "192.168.10.5", 33000, "93.184.216.34", 80);
    }

    @Test
    void tcpFollowsTheHandshakeDataFinsAndTimeWait() {
        assertEquals(Verdict.PASS, out(100, 0, SYN, 0));
        assertEquals(SessionState.SYN_SENT, tcp());
        assertEquals(Verdict.PASS, in(5000, 101, SYN | ACK, 0));
        assertEquals(SessionState.SYN_RECV, tcp());
        assertEquals(Verdict.PASS, out(101, 5001, ACK, 0));
        assertEquals(SessionState.ESTABLISHED, tcp());
        assertEquals(Verdict.PASS, out(101, 5001, ACK, 100));
        assertEquals(Verdict.PASS, in(5001, 201, ACK, 1000));
        assertEquals(Verdict.PASS, out(201, 6001, FIN | ACK, 0));
        assertEquals(SessionState.FIN_WAIT, tcp());
        assertEquals(Verdict.PASS, in(6001, 202, FIN | ACK, 0));
        assertEquals(Verdict.PASS, out(202, 6002, ACK, 0));
        assertEquals(SessionState.TIME_WAIT, tcp());
        rig.clock.advance(Duration.ofSeconds(121));
        assertEquals(null, tcp(), "TIME_WAIT lasts 2 minutes");
    }

    @Test
    void tcpSanityDropsWhatNoConnectionSends() {
        assertEquals(Verdict.DROP, out(100, 0, ACK, 10), "mid-stream without a session");
        assertEquals(1, count(FirewallCounter.TCP_NOT_SYN));
        assertEquals(Verdict.DROP, out(100, 0, SYN | FIN, 0));
        assertEquals(1, count(FirewallCounter.TCP_BAD_FLAGS));
        out(100, 0, SYN, 0);
        assertEquals(Verdict.DROP, in(5000, 999_999, SYN | ACK, 0), "SYN-ACK acknowledging what was never sent");
        assertEquals(Verdict.PASS, in(5000, 101, SYN | ACK, 0));
        out(101, 5001, ACK, 0);
        assertEquals(Verdict.DROP, in(5001 + (1 << 30) + 10, 101, ACK, 10), "a sequence number 1 GiB ahead");
        assertEquals(Verdict.DROP, in(5001, 101 + 5000, ACK, 10), "acknowledges data never sent");
        assertEquals(3, count(FirewallCounter.TCP_OUT_OF_WINDOW));
        assertEquals(Verdict.PASS, in(5001, 101, ACK, 10));
        assertEquals(Verdict.PASS, in(5011, 101, RST, 0));
        assertEquals(SessionState.CLOSED, tcp());
        rig.clock.advance(Duration.ofSeconds(11));
        assertEquals(null, tcp(), "a reset session lingers 10 s");
    }

    @Test
    void establishedTcpLivesForTcptimeout() {
        net.tcpTimeout(2);
        rig.commit();
        out(100, 0, SYN, 0);
        in(5000, 101, SYN | ACK, 0);
        out(101, 5001, ACK, 0);
        rig.clock.advance(Duration.ofSeconds(119));
        assertEquals(SessionState.ESTABLISHED, tcp());
        assertEquals(Verdict.PASS, in(5001, 101, ACK, 10), "traffic restarts the idle timer");
        rig.clock.advance(Duration.ofSeconds(119));
        assertEquals(SessionState.ESTABLISHED, tcp());
        rig.clock.advance(Duration.ofSeconds(2));
        assertEquals(null, tcp());
        assertEquals(Verdict.DROP, in(5011, 101, ACK, 10), "the reply of an expired session is unsolicited");
    }

    Verdict udpOut() {
        return rig.forward("vlan1", Packets.udp("192.168.10.5", 40000, "8.8.8.8", 123, 4));
    }

    Verdict udpIn() {
        return rig.forward("ppp0", Packets.udp("8.8.8.8", 123, "1.1.1.1", 40000, 4));
    }

    SessionState udp() {
        return state(Ipv4.PROTO_UDP, "192.168.10.5", 40000, "8.8.8.8", 123);
    }

    @Test
    void udpWaitsFiveMinutesUntilFivePacketsInOneDirectionAndOneMore() {
        net.udpTimeout(60);
        rig.commit();
        udpOut();
        assertEquals(SessionState.UNREPLIED, udp());
        udpIn();
        assertEquals(SessionState.REPLIED, udp());
        for (int i = 0; i < 4; i++) {
            udpOut();
        }
        assertEquals(SessionState.REPLIED, udp(), "five out, one in: not yet");
        rig.clock.advance(Duration.ofSeconds(299));
        assertEquals(SessionState.REPLIED, udp());
        rig.clock.advance(Duration.ofSeconds(1));
        assertEquals(null, udp(), "the early timeout is a fixed 5 minutes");

        udpOut();
        for (int i = 0; i < 4; i++) {
            udpOut();
        }
        udpIn();
        assertEquals(SessionState.ASSURED, udp(), "five packets one way plus one more");
        rig.clock.advance(Duration.ofMinutes(59));
        assertEquals(SessionState.ASSURED, udp());
        rig.clock.advance(Duration.ofMinutes(1));
        assertEquals(null, udp(), "UDPTIMEOUT once assured");
    }

    @Test
    void sipGetsUdptimeoutFromTheFirstPacketAndZeroMeansThirtySeconds() {
        net.udpTimeout(0);
        rig.commit();
        rig.forward("vlan1", Packets.udp("192.168.10.5", 5060, "8.8.8.8", 5060, 4));
        rig.clock.advance(Duration.ofSeconds(29));
        assertEquals(SessionState.UNREPLIED, state(Ipv4.PROTO_UDP, "192.168.10.5", 5060, "8.8.8.8", 5060));
        rig.clock.advance(Duration.ofSeconds(1));
        assertEquals(null, state(Ipv4.PROTO_UDP, "192.168.10.5", 5060, "8.8.8.8", 5060));
    }

    @Test
    void pingSessionsLiveForOthertimeout() {
        net.otherTimeout(1);
        rig.commit();
        ByteBuf req = Packets.echo("192.168.10.5", "8.8.4.4", IcmpHeader.ECHO_REQUEST, 99, 1);
        rig.forward("vlan1", req);
        assertEquals(SessionState.UNREPLIED, state(Ipv4.PROTO_ICMP, "192.168.10.5", 99, "8.8.4.4", 0));
        rig.forward("ppp0", Packets.echo("8.8.4.4", "1.1.1.1", IcmpHeader.ECHO_REPLY, req.getUnsignedShort(24), 1));
        assertEquals(SessionState.REPLIED, state(Ipv4.PROTO_ICMP, "192.168.10.5", 99, "8.8.4.4", 0));
        rig.clock.advance(Duration.ofSeconds(60));
        assertEquals(null, state(Ipv4.PROTO_ICMP, "192.168.10.5", 99, "8.8.4.4", 0));
    }

    @Test
    void theSweepRemovesExpiredSessionsAndCountsThem() {
        udpOut();
        rig.forward("vlan1", Packets.udp("192.168.10.6", 40000, "8.8.8.8", 123, 4));
        assertEquals(2, table.size());
        rig.clock.advance(Duration.ofMinutes(6));
        for (int i = 0; i < io.argate.firewall.FirewallLimits.SWEEP_ROUNDS; i++) {
            rig.engine.sweep();
        }
        assertEquals(0, table.size());
        assertEquals(2, count(FirewallCounter.SESSIONS_EXPIRED));
    }

    @Test
    void aFloodOfNewFlowsFillsTheTableIsCountedAndLeavesEstablishedFlowsAlone() {
        Rig small = new Rig(64);
        small.config.enabled(true);
        FirewallPolicy p = small.config.create("net");
        p.interfaces().put("vlan1", InterfaceType.PRIVATE);
        p.interfaces().put("ppp0", InterfaceType.PUBLIC);
        p.nats().add(new InterfaceNat(NatType.ENHANCED, "vlan1", "ppp0", null, null));
        small.commit();
        ByteBuf first = Packets.udp("192.168.10.5", 40000, "8.8.8.8", 53, 4);
        assertEquals(Verdict.PASS, small.forward("vlan1", first));
        int passed = 0;
        int dropped = 0;
        for (int i = 0; i < 1000; i++) {
            Verdict v = small.forward("vlan1", Packets.udp("192.168.10." + (10 + i % 200), 1024 + i, "203.0.113.7", 80, 4));
            if (v == Verdict.PASS) {
                passed++;
            } else {
                dropped++;
            }
        }
        assertEquals(63, passed, "the table holds 64 sessions");
        assertEquals(937, dropped);
        assertEquals(937, small.engine.counters(p.id()).get(FirewallCounter.SESSION_TABLE_FULL));
        ByteBuf again = Packets.udp("192.168.10.5", 40000, "8.8.8.8", 53, 4);
        assertEquals(Verdict.PASS, small.forward("vlan1", again), "the established flow still leaves");
        assertEquals(sport(first), sport(again));
        ByteBuf back = Packets.udp("8.8.8.8", 53, "1.1.1.1", sport(first), 4);
        assertEquals(Verdict.PASS, small.forward("ppp0", back), "and its replies still come in");
        assertEquals("192.168.10.5", Packets.dst(back));
    }
}
