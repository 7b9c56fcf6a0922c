package io.argate.image;

import io.argate.ip.port.MemPort;
import io.argate.shell.testing.StepClock;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two whole routers in one JVM (the IsakmpRoutersTest wiring) negotiating on the first packet:
 * that one held packet is the one delivered, because the responder receives on its new SAs
 * from Quick Mode message 2 on; and a bundle with an IPComp SA specification compresses.
 */
class IsakmpRoutersQuickModeTest {
    @TempDir
    Path dir;

    interface Pair {
        void run(RouterRig a, RouterRig b, MemPort hostA, LinkedBlockingQueue<ByteBuf> atB) throws Exception;
    }

    void routers(UnaryOperator<List<String>> edit, Pair body) throws Exception {
        routers(Clock.systemUTC(), (a, b) -> { }, edit, body);
    }

    /** {@code beforeConfig} sees both routers before their configuration (the PRENEGOTIATE test listens to A's log from the start). */
    void routers(Clock clock, BiConsumer<RouterRig, RouterRig> beforeConfig, UnaryOperator<List<String>> edit, Pair body) throws Exception {
        String tag = Long.toString(System.nanoTime(), 36);
        Path pa = dir.resolve("a.platform");
        Path pb = dir.resolve("b.platform");
        Files.writeString(pa, "vlan1 mem link=la" + tag + "\neth0 mem link=w" + tag + "\n");
        Files.writeString(pb, "vlan1 mem link=lb" + tag + "\neth0 mem link=w" + tag + "\n");
        MemPort hostA = new MemPort("hostA", "la" + tag, 1500);
        MemPort hostB = new MemPort("hostB", "lb" + tag, 1500);
        LinkedBlockingQueue<ByteBuf> atB = new LinkedBlockingQueue<>();
        hostA.start((p, b) -> b.release());
        hostB.start((p, b) -> atB.add(b));
        try (RouterRig a = new RouterRig(dir.resolve("a"), clock, "--platform", pa.toString());
             RouterRig b = new RouterRig(dir.resolve("b"), clock, "--platform", pb.toString())) {
            beforeConfig.accept(a, b);
            for (String line : edit.apply(IsakmpRoutersTest.walkthrough("10.0.0.1", "10.0.0.2", "192.168.10", "192.168.20"))) {
                a.ok(line);
            }
            for (String line : edit.apply(IsakmpRoutersTest.walkthrough("10.0.0.2", "10.0.0.1", "192.168.20", "192.168.10"))) {
                b.ok(line);
            }
            body.run(a, b, hostA, atB);
        } finally {
            hostA.close();
            hostB.close();
        }
    }

    @Test
    void theOnePacketThatStartedTheNegotiationIsDelivered() throws Exception {
        routers(l -> l, (a, b, hostA, atB) -> {
            hostA.transmit(IsakmpRoutersTest.ping(IsakmpRoutersTest.HOST_A, IsakmpRoutersTest.HOST_B, 1));
            ByteBuf got = atB.poll(30, TimeUnit.SECONDS);
            b.run("show ipsec counters");
            assertNotNull(got, "the held ping crossed without a second try\n" + b.out());
            got.release();
        });
    }

    @Test
    void aBundleWithIpcompCompressesWhatItCarries() throws Exception {
        UnaryOperator<List<String>> withIpcomp = l -> {
            List<String> out = new ArrayList<>();
            for (String s : l) {
                if (s.startsWith("CREATE IPSEC BUNDLE=1")) {
                    out.add("CREATE IPSEC SASPEC=2 KEYMAN=ISAKMP PROT=COMP COMPALG=DEFLATE");
                    out.add("CREATE IPSEC BUNDLE=1 KEYMAN=ISAKMP STRING=\"2 AND 1\"");
                } else {
                    out.add(s);
                }
            }
            return out;
        };
        routers(withIpcomp, (a, b, hostA, atB) -> {
            ByteBuf got = null;
            for (int seq = 1; seq <= 30 && got == null; seq++) {
                hostA.transmit(compressible(seq));
                got = atB.poll(1, TimeUnit.SECONDS);
            }
            a.run("show ipsec sa");
            String sas = a.out();
            a.run("show ipsec counters");
            assertNotNull(got, "a ping crossed the compressing bundle\n" + sas + "\n" + a.out());
            assertTrue(got.readableBytes() >= 1000, "it arrived whole: " + got.readableBytes());
            got.release();
            assertTrue(sas.contains("IPComp"), sas);
            assertTrue(sas.contains("ESP"), sas);
            String counters = a.out();
            assertTrue(counters.matches("(?s).*outCompressed\\D+[1-9].*"), counters);
            b.run("show ipsec sa");
            assertTrue(b.out().contains("IPComp"), b.out());
        });
    }

    @Test
    void prenegotiateKeysTheTunnelAtEnableWithoutAPacket() throws Exception {
        UnaryOperator<List<String>> prenegotiate = l -> {
            List<String> out = new ArrayList<>();
            for (String s : l) {
                out.add(s);
                if (s.startsWith("CREATE ISAKMP POLICY=i")) {
                    out.add("SET ISAKMP POLICY=i PRENEGOTIATE=ON");
                }
            }
            return out;
        };
        // one stepped clock: no timer of either router runs by itself, so nothing but the configuration starts the negotiation
        StepClock clock = new StepClock();
        CountDownLatch phase2Done = new CountDownLatch(1);
        AtomicBoolean phase2Started = new AtomicBoolean();
        BiConsumer<RouterRig, RouterRig> listen = (a, b) -> a.router.log().addListener(e -> {
            if (e.message().matches("Exchange \\d+: Phase 2 \\[(init|resp)\\] started.*")) {
                phase2Started.set(true);
            } else if (phase2Started.get() && e.message().matches("Exchange \\d+: Completed successfully")) {
                phase2Done.countDown();
            }
        });
        routers(clock, listen, prenegotiate, (a, b, hostA, atB) -> {
            // the negotiation crosses on the routers' own threads: wait for its completion in A's log, not for time
            boolean completed = phase2Done.await(30, TimeUnit.SECONDS);
            a.router.loop().advance(Duration.ZERO);
            a.run("show ipsec sa");
            boolean keyed = completed && a.out().contains("vpn") && a.out().contains("Valid");
            a.run("show isakmp exchange");
            assertTrue(keyed, "SAs without any traffic\n" + a.out());
            a.run("show config dynamic=isakmp");
            assertTrue(a.out().toUpperCase().contains("PRENEGOTIATE=ON") || a.out().toUpperCase().contains("PRENEGOTIATE=TRUE"), a.out());
            hostA.transmit(IsakmpRoutersTest.ping(IsakmpRoutersTest.HOST_A, IsakmpRoutersTest.HOST_B, 1));
            ByteBuf got = atB.poll(10, TimeUnit.SECONDS);
            assertNotNull(got, "the first packet found its SAs waiting");
            got.release();
        });
    }

    /** A ping with 1000 zero bytes of data: DEFLATE shrinks it well. */
    static ByteBuf compressible(int seq) {
        ByteBuf b = io.netty.buffer.Unpooled.buffer(1028).writerIndex(1028);
        b.setZero(0, 1028);
        io.argate.ip.packet.Icmp.writeEcho(b, 20, io.argate.ip.packet.Icmp.ECHO, 0x1234, seq, 1008);
        io.argate.ip.packet.Ipv4.write(b, 0, 0, 1028, seq, 0, 64, io.argate.ip.packet.Ipv4.PROTO_ICMP, IsakmpRoutersTest.HOST_A,
                IsakmpRoutersTest.HOST_B);
        return b;
    }
}
