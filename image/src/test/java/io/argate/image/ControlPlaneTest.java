package io.argate.image;

import io.argate.ip.forward.DropReason;
import io.argate.ip.packet.Icmp;
import io.argate.ip.packet.Ipv4;
import io.argate.ip.port.MemPort;
import io.argate.shell.cmd.Privilege;
import io.argate.shell.session.Session;
import io.argate.shell.session.SessionKind;
import io.argate.shell.testing.BufferIo;
import io.argate.shell.testing.StepClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10 defects 1 and 6 on a whole router: the control plane is one event loop that no
 * session can hold, and ICMP to the router belongs to the ICMP endpoint, not to PING.
 */
class ControlPlaneTest {
    static final int ROUTER = 0xc0000201;
    static final int HOST = 0xc0000202;

    @TempDir
    Path dir;

    /**
     * A USER's PING of three requests with a 60 s timeout used to hold the one command lock for
     * three minutes; now a Manager's SHOW SYSTEM on another session answers while it runs, and
     * the PING goes on as the clock is stepped. A reply forged from another address is counted
     * and never printed; the real one is.
     */
    @Test
    void aLongPingHoldsUpNoOtherSession() throws Exception {
        String link = "cp" + System.nanoTime();
        Path platform = dir.resolve("platform");
        Files.writeString(platform, "eth0 mem link=" + link + "\n");
        MemPort host = new MemPort("host", link, 1500);
        LinkedBlockingQueue<ByteBuf> heard = new LinkedBlockingQueue<>();
        host.start((port, p) -> heard.add(p));
        StepClock clock = new StepClock();
        try (RouterRig rig = new RouterRig(dir.resolve("data"), clock, "--platform", platform.toString())) {
            rig.ok("add ip int=eth0 ip=192.0.2.1 mask=255.255.255.0");
            rig.ok("enable ip");
            BufferIo userIo = new BufferIo(false);
            Session user = new Session(98, SessionKind.TELNET, userIo);
            user.login("guest", Privilege.USER, clock.instant());
            boolean[] pingOk = new boolean[1];
            Thread ping = new Thread(() -> pingOk[0] = rig.router.shell().processor().execute(user, "ping 192.0.2.2 number=3 timeout=60"));
            ping.start();
            ByteBuf first = heard.poll(10, TimeUnit.SECONDS);
            assertNotNull(first, "the first echo request went out");
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> rig.ok("show system"),
                    "a Manager's command runs while the USER's PING waits for its reply");
            assertTrue(ping.isAlive(), "the PING is still waiting");

            // a reply from the wrong address is someone else's (or forged): counted, not printed
            int id = Icmp.identifier(first, first.readerIndex() + 20);
            host.transmit(echoReply(0xc0000263, ROUTER, id, 1));
            host.transmit(echoReply(HOST, ROUTER, id, 1));
            assertTrue(waitFor(() -> userIo.lines().stream().anyMatch(l -> l.startsWith("Echo reply 1 from 192.0.2.2"))), userIo.lines().toString());
            assertEquals(1, rig.router.forwarder().icmp().unsolicitedReplies.sum());
            assertNotNull(heard.poll(10, TimeUnit.SECONDS), "the second request followed the reply");

            rig.router.loop().advance(Duration.ofSeconds(60));
            assertNotNull(heard.poll(10, TimeUnit.SECONDS), "the third request after the second timed out");
            rig.router.loop().advance(Duration.ofSeconds(60));
            ping.join(10_000);
            assertFalse(ping.isAlive());
            assertTrue(pingOk[0]);
            String out = String.join("\n", userIo.lines());
            assertTrue(out.contains("Request 2 timed out") && out.contains("Request 3 timed out"), out);
            assertTrue(out.contains("Ping 192.0.2.2: 3 sent, 1 received, 66% loss"), out);
        } finally {
            host.close();
        }
    }

    /**
     * Unsolicited echo replies used to queue in PING's unbounded queue until a PING drained it;
     * now each is counted by the ICMP endpoint and released at once.
     */
    @Test
    void unsolicitedIcmpIsCountedNotQueued() throws Exception {
        String link = "cq" + System.nanoTime();
        Path platform = dir.resolve("platform");
        Files.writeString(platform, "eth0 mem link=" + link + "\n");
        MemPort host = new MemPort("host", link, 1500);
        host.start((port, p) -> p.release());
        try (RouterRig rig = new RouterRig(dir.resolve("data"), new StepClock(), "--platform", platform.toString())) {
            rig.ok("add ip int=eth0 ip=192.0.2.1 mask=255.255.255.0");
            rig.ok("enable ip");
            int n = 500;
            for (int i = 0; i < n; i++) {
                host.transmit(echoReply(HOST, ROUTER, i, i));
                if (i % 100 == 99) {
                    int sent = i + 1;
                    waitFor(() -> rig.router.forwarder().icmp().unsolicitedReplies.sum() >= sent - 10);
                }
            }
            assertTrue(waitFor(() -> rig.router.forwarder().icmp().unsolicitedReplies.sum() + host.counters().txDrops.sum() == n));
            assertTrue(rig.router.forwarder().icmp().unsolicitedReplies.sum() > 0);
        } finally {
            host.close();
        }
    }

    /**
     * Issue 10 defect 7: the 1 Hz timer iterated the IPsec configuration's maps while commands
     * changed them, and receive threads read its mutable fields. Now commands and timers take
     * turns on the control plane and the data path reads a published snapshot: policies created
     * and destroyed in a loop, the clock stepped (SA lifetimes, UDP heartbeats over every
     * policy) and traffic forwarded, all at once, leave no handler or timer failure in the log
     * and no packet lost to a stage's exception.
     */
    @Test
    void commandsTimersAndTrafficAtOnceRaceNothing() throws Exception {
        String tag = "cr" + System.nanoTime();
        Path platform = dir.resolve("platform");
        Files.writeString(platform, "eth0 mem link=" + tag + "w\nvlan1 mem link=" + tag + "l\n");
        MemPort wan = new MemPort("wan", tag + "w", 1500);
        MemPort lan = new MemPort("lan", tag + "l", 1500);
        java.util.concurrent.atomic.AtomicInteger arrived = new java.util.concurrent.atomic.AtomicInteger();
        wan.start((port, p) -> {
            arrived.incrementAndGet();
            p.release();
        });
        lan.start((port, p) -> p.release());
        StepClock clock = new StepClock();
        try (RouterRig rig = new RouterRig(dir.resolve("data"), clock, "--platform", platform.toString())) {
            rig.ok("add ip int=eth0 ip=192.0.2.1 mask=255.255.255.0");
            rig.ok("add ip int=vlan1 ip=192.168.10.1 mask=255.255.255.0");
            rig.ok("enable ip");
            rig.ok("create enco key=1 type=des value=0xf888cac6c66ecf52");
            rig.ok("create enco key=2 type=general value=0x431d62cd3cb76fb8101dacaf43aa4dbfb919e957");
            rig.ok("create ipsec sas=1 key=manual prot=esp encalg=des enckey=1 hashalg=sha hashkey=2 inspi=1000 outspi=1001");
            rig.ok("create ipsec bundle=1 key=manual string=\"1\"");
            rig.ok("create ipsec policy=inet int=eth0 action=permit");
            rig.ok("enable ipsec");
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread traffic = new Thread(() -> {
                while (!stop.get()) {
                    ByteBuf p = Unpooled.buffer(36).writerIndex(36);
                    Icmp.writeEcho(p, 20, Icmp.ECHO, 1, 1, 16);
                    Ipv4.write(p, 0, 0, 36, 1, 0, 64, Ipv4.PROTO_ICMP, 0xc0a80a05, 0xc0000202);
                    lan.transmit(p);
                    Thread.onSpinWait();
                }
            });
            Thread timers = new Thread(() -> {
                while (!stop.get()) {
                    rig.router.loop().advance(Duration.ofSeconds(1));
                }
            });
            traffic.start();
            timers.start();
            BufferIo io = new BufferIo(false);
            Session s = new Session(97, SessionKind.TELNET, io);
            s.login("manager", Privilege.MANAGER, clock.instant());
            for (int i = 0; i < 60; i++) {
                assertTrue(rig.router.shell().processor().execute(s, "create ipsec policy=p" + i
                        + " int=eth0 action=ipsec key=manual bundle=1 udptunnel=yes udpheartbeat=yes peer=192.0.2.2 position=1 lad=10.1."
                        + (i / 250) + "." + (i % 250)), io.text());
                if (i % 3 == 0) {
                    assertTrue(rig.router.shell().processor().execute(s, "destroy ipsec policy=p" + i), io.text());
                }
            }
            stop.set(true);
            traffic.join(10_000);
            timers.join(10_000);
            rig.run("show log");
            assertFalse(rig.out().contains("BUG"), rig.out());
            assertEquals(0, rig.router.forwarder().counters().drops(DropReason.INTERNAL_ERROR));
            assertTrue(arrived.get() > 0, "traffic was forwarded meanwhile");
        } finally {
            wan.close();
            lan.close();
        }
    }

    static ByteBuf echoReply(int src, int dst, int id, int seq) {
        ByteBuf b = Unpooled.buffer(28 + 8).writerIndex(36);
        Icmp.writeEcho(b, 20, Icmp.ECHO_REPLY, id, seq, 16);
        Ipv4.write(b, 0, 0, 36, 1, 0, 64, Ipv4.PROTO_ICMP, src, dst);
        return b;
    }

    static boolean waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (c.getAsBoolean()) {
                return true;
            }
            Thread.sleep(25);
        }
        return c.getAsBoolean();
    }
}
