package io.argate.image;

import io.argate.ip.packet.Ipv4;
import io.argate.ip.port.MemPort;
import io.argate.shell.testing.StepClock;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway under attack keeps its tunnels: B has an established tunnel to A on eth0 (the
 * reference's walkthrough) that carries a ping each way every (stepped) second, and on its
 * Internet side (eth1) it meets a flood of Main Mode first messages from a thousand addresses
 * and a remote-access client C (XAUTH=CLIENT) that keeps trying wrong passwords, first as one
 * user, then as many. All three routers run in this JVM on one stepped clock; the test is the
 * Internet between B and C, and injects the flood there.
 *
 * <p>What a user sees: no ping between A and B is lost; SHOW ISAKMP shows the half-open
 * exchanges and the SAs waiting for XAUTH, never more than their bounds; SHOW ISAKMP COUNTERS
 * counts each refusal by its reason; XAUTH attempts are delayed per user and per address as
 * network logins are, and the log says so.
 */
class IsakmpFloodRoutersTest {
    static final int C_WAN = 0xac100005;
    static final int FLOOD_SOURCES = 1000;

    @TempDir
    Path dir;

    static List<String> gateway() {
        List<String> l = new ArrayList<>(IsakmpRoutersTest.walkthrough("10.0.0.2", "10.0.0.1", "192.168.20", "192.168.10"));
        l.addAll(l.indexOf("ENABLE IPSEC"), List.of(
                "add ip int=eth1 ip=172.16.0.1 mask=255.255.255.0",
                "add ip route=0.0.0.0 mask=0.0.0.0 int=eth1 next=172.16.0.254",
                "ADD USER=client1 PASSWORD=passclie1 LOGIN=NO",
                "CREATE ISAKMP POLICY=ra PEER=ANY KEY=1 SENDN=TRUE XAUTH=SERVER",
                "CREATE IPSEC POLICY=isa1 INT=eth1 ACTION=PERMIT LPORT=500 RPORT=500 TRANSPORT=UDP",
                "CREATE IPSEC POLICY=rc INT=eth1 ACTION=IPSEC KEYMAN=ISAKMP BUNDLE=1 PEER=DYNAMIC",
                "SET IPSEC POLICY=rc LAD=192.168.20.0 LMA=255.255.255.0 RAD=192.168.50.0 RMA=255.255.255.0",
                "CREATE IPSEC POLICY=inet1 INT=eth1 ACTION=PERMIT"));
        return l;
    }

    @Test
    void phaseOneAndXauthFloodsStayBoundedAreCountedAndTheTunnelLosesNoPing() throws Exception {
        String tag = Long.toString(System.nanoTime(), 36);
        Path pa = dir.resolve("a.platform");
        Path pb = dir.resolve("b.platform");
        Path pc = dir.resolve("c.platform");
        Files.writeString(pa, "vlan1 mem link=la" + tag + "\neth0 mem link=w" + tag + "\n");
        Files.writeString(pb, "vlan1 mem link=lb" + tag + "\neth0 mem link=w" + tag + "\neth1 mem link=y" + tag + "\n");
        Files.writeString(pc, "vlan1 mem link=lc" + tag + "\neth0 mem link=x" + tag + "\n");
        MemPort hostA = new MemPort("hostA", "la" + tag, 1500);
        MemPort hostB = new MemPort("hostB", "lb" + tag, 1500);
        MemPort hostC = new MemPort("hostC", "lc" + tag, 1500);
        MemPort internetB = new MemPort("inetB", "y" + tag, 1500);
        MemPort internetC = new MemPort("inetC", "x" + tag, 1500);
        LinkedBlockingQueue<ByteBuf> atA = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<ByteBuf> atB = new LinkedBlockingQueue<>();
        AtomicReference<byte[]> firstMessage = new AtomicReference<>();
        AtomicInteger answersToFlood = new AtomicInteger();
        // the flood's addresses B has answered at least once: B took their first message
        java.util.Set<Integer> answered = java.util.concurrent.ConcurrentHashMap.newKeySet();
        LinkedBlockingQueue<Integer> newlyAnswered = new LinkedBlockingQueue<>();
        hostA.start((p, b) -> atA.add(b.copy()));
        hostB.start((p, b) -> atB.add(b.copy()));
        hostC.start((p, b) -> {
        });
        // the Internet: C's datagrams reach B, B's reach C; B's answers to the flood's addresses go nowhere
        internetC.start((p, b) -> {
            ByteBuf c = b.copy();
            if (firstMessage.get() == null && isMainModeFirst(c)) {
                byte[] m = new byte[c.readableBytes()];
                c.getBytes(0, m);
                firstMessage.set(m);
            }
            internetB.transmit(c);
        });
        internetB.start((p, b) -> {
            if (Ipv4.destination(b, b.readerIndex()) == C_WAN) {
                internetC.transmit(b.copy());
            } else {
                answersToFlood.incrementAndGet();
                int to = Ipv4.destination(b, b.readerIndex());
                if (answered.add(to)) {
                    newlyAnswered.add(to);
                }
            }
        });
        StepClock clock = new StepClock();
        try (RouterRig a = new RouterRig(dir.resolve("a"), clock, "--platform", pa.toString());
             RouterRig b = new RouterRig(dir.resolve("b"), clock, "--platform", pb.toString());
             RouterRig c = new RouterRig(dir.resolve("c"), clock, "--platform", pc.toString())) {
            for (String line : gateway()) {
                b.ok(line);
            }
            for (String line : IsakmpRoutersTest.walkthrough("10.0.0.1", "10.0.0.2", "192.168.10", "192.168.20")) {
                a.ok(line);
            }
            for (String line : XauthRoutersTest.side("172.16.0.5", "172.16.0.1", "192.168.50", "192.168.20", "172.16.0.1", "XAUTH=CLIENT")) {
                c.ok(line);
            }
            c.ok("SET ISAKMP POLICY=i XAUTHNAME=client1 XAUTHPASS=wrongpass");

            int lost = 0;
            List<String> where = new ArrayList<>();
            int maxHalfOpen = 0;
            int maxXauthPending = 0;
            int flooded = 0;
            int cUpBeforeFlood = -1;
            int cUpAfterFlood = -1;
            for (int second = 1; second <= 170; second++) {
                // C's LAN keeps knocking, so C keeps negotiating and failing XAUTH; from 40 s on as another user each time
                if (second >= 40) {
                    c.ok("SET ISAKMP POLICY=i XAUTHNAME=user" + second + " XAUTHPASS=wrongpass");
                }
                hostC.transmit(IsakmpRoutersTest.ping(0xc0a83205, IsakmpRoutersTest.HOST_B, second));
                // from 90 s to 109 s, fifty Main Mode first messages a second from fresh addresses
                if (second >= 90 && second < 110 && firstMessage.get() != null) {
                    for (int i = 0; i < FLOOD_SOURCES / 20; i++) {
                        internetB.transmit(spoofed(firstMessage.get(), 0xc6120000 + flooded, flooded + 1));
                        flooded++;
                    }
                    // the clock moves on only once B took this second's burst (each gets its first answer),
                    // so what is bounded and counted does not depend on how fast this machine is
                    while (answered.size() < flooded && newlyAnswered.poll(10, TimeUnit.SECONDS) != null) {
                        // drained one answer; wait for the next
                    }
                }
                long wait = second == 1 ? 30 : 5;
                hostA.transmit(IsakmpRoutersTest.ping(IsakmpRoutersTest.HOST_A, IsakmpRoutersTest.HOST_B, second));
                ByteBuf x = atB.poll(wait, TimeUnit.SECONDS);
                hostB.transmit(IsakmpRoutersTest.ping(IsakmpRoutersTest.HOST_B, IsakmpRoutersTest.HOST_A, second));
                ByteBuf y = atA.poll(wait, TimeUnit.SECONDS);
                for (ByteBuf got : new ByteBuf[]{x, y}) {
                    if (got == null) {
                        lost++;
                        where.add((got == x ? "A->B" : "B->A") + " at " + second + " s");
                    }
                }
                if (second == 90 || second == 110) {
                    c.run("show isakmp counters=main");
                    if (second == 90) {
                        cUpBeforeFlood = number(c.out(), "mainCompleted");
                    } else {
                        cUpAfterFlood = number(c.out(), "mainCompleted");
                    }
                }
                b.run("show isakmp");
                maxHalfOpen = Math.max(maxHalfOpen, number(b.out(), "Half-open phase 1 exchanges"));
                maxXauthPending = Math.max(maxXauthPending, number(b.out(), "SAs waiting for XAUTH"));
                a.router.loop().advance(Duration.ofSeconds(1));
                b.router.loop().advance(Duration.ZERO);
                c.router.loop().advance(Duration.ZERO);
            }
            String counters = show(b, "show isakmp", "show isakmp counters", "show log") + "\n--- C:\n" + show(c, "show isakmp counters", "show log");
            assertNotNull(firstMessage.get(), "C started Main Mode\n" + counters);
            assertEquals(FLOOD_SOURCES, flooded);
            assertEquals(FLOOD_SOURCES, answered.size(), "B took every first message of the flood");
            assertEquals(0, lost, where + "\n" + counters);
            // the flood held at most the bound, and each refusal has its reason
            assertTrue(maxHalfOpen <= 256 && maxHalfOpen > 100, "half-open peak " + maxHalfOpen + "\n" + counters);
            assertTrue(maxXauthPending <= 1, "XAUTH pending peak " + maxXauthPending);
            assertTrue(counters.matches("(?s).*halfOpenEvictedUnanswered\\s+[1-9].*"), counters);
            // a real client is not locked out while spoofed first messages fill the table: C, which
            // answers, still completes phase 1 during the flood (before HalfOpenEviction it waited
            // until the flood's exchanges timed out)
            assertTrue(cUpAfterFlood > cUpBeforeFlood && cUpBeforeFlood >= 1, "C's phase 1s before and after the flood: "
                    + cUpBeforeFlood + ", " + cUpAfterFlood + "\n" + counters);
            // C's wrong passwords: refused, then delayed, for one user and for many from one address
            assertTrue(counters.matches("(?s).*xauthServerRefused\\s+[1-9].*"), counters);
            assertTrue(counters.matches("(?s).*xauthServerThrottled\\s+[1-9].*"), counters);
            String flat = counters.replaceAll("\\s+", " ");
            // the user database's own throttle, by user and by address, as for network logins
            assertTrue(flat.contains("Repeated XAUTH failures for ") && flat.contains(" or from 172.16.0.5; attempts delayed"), counters);
            assertTrue(flat.contains("refused: attempts are delayed"), counters);
            // and once the flood is over its exchanges time out: nothing is left of it
            for (int second = 0; second < 600 && number(show(b, "show isakmp"), "Half-open phase 1 exchanges") > 0; second++) {
                a.router.loop().advance(Duration.ofSeconds(1));
                b.router.loop().advance(Duration.ZERO);
                c.router.loop().advance(Duration.ZERO);
            }
            b.run("show isakmp");
            assertEquals(0, number(b.out(), "Half-open phase 1 exchanges"), b.out());
        } finally {
            for (MemPort m : List.of(hostA, hostB, hostC, internetB, internetC)) {
                m.close();
            }
        }
    }

    /** UDP to port 500, an ISAKMP header with a zero responder cookie and exchange type 2 (Identity Protection). */
    static boolean isMainModeFirst(ByteBuf p) {
        int at = p.readerIndex();
        if (Ipv4.protocol(p, at) != Ipv4.PROTO_UDP) {
            return false;
        }
        int udp = at + Ipv4.headerLength(p, at);
        int isakmp = udp + 8;
        return p.readableBytes() >= isakmp - at + 28 && p.getUnsignedShort(udp + 2) == 500 && p.getLong(isakmp + 8) == 0
                && p.getUnsignedByte(isakmp + 18) == 2;
    }

    /** C's first message as if from {@code source} with initiator cookie {@code cookie} (UDP checksum left out, RFC 768). */
    static ByteBuf spoofed(byte[] first, int source, long cookie) {
        ByteBuf p = io.netty.buffer.Unpooled.wrappedBuffer(first.clone());
        p.setInt(12, source);
        Ipv4.updateChecksum(p, 0);
        int udp = Ipv4.headerLength(p, 0);
        p.setShort(udp + 6, 0);
        p.setLong(udp + 8, cookie);
        return p;
    }

    static int number(String out, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + "[ .]+(\\d+)").matcher(out);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static String show(RouterRig r, String... commands) {
        StringBuilder sb = new StringBuilder();
        for (String c : commands) {
            r.run(c);
            sb.append("> ").append(c).append('\n').append(r.out()).append('\n');
        }
        return sb.toString();
    }
}
