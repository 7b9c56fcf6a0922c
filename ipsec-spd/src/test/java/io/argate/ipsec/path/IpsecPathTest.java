package io.argate.ipsec.path;

import io.argate.ipsec.esp.Transform;

import io.argate.enco.Enco;
import io.argate.enco.soft.SoftwareDriver;
import io.argate.ip.forward.Forwarder;
import io.argate.ip.iface.Interfaces;
import io.argate.ip.packet.Ipv4;
import io.argate.ip.port.MemPort;
import io.argate.ip.route.Route;
import io.argate.ip.route.RouteTable;
import io.argate.ipsec.IpsecCounter;
import io.argate.ipsec.cli.IpsecModule;
import io.argate.ipsec.diag.PolicyCounters;
import io.argate.ipsec.diag.PolicyDebug;
import io.argate.ipsec.config.IpsecConfig;
import io.argate.enco.spi.Algorithm;
import io.argate.ipsec.esp.EspTransform;
import io.argate.ipsec.replay.ReplayWindow;
import io.argate.ipsec.sad.Lifetime;
import io.argate.ipsec.sad.Sa;
import io.argate.ipsec.sad.SaBundle;
import io.argate.ipsec.sad.Sad;
import io.argate.ipsec.sad.SadEvent;
import io.argate.ipsec.sad.UdpEncap;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.ipsec.spec.IpsecProtocol;
import io.argate.ipsec.spec.SaMode;
import io.argate.ipsec.spec.EncoKeys;
import io.argate.shell.testing.CommandRig;
import io.argate.store.EventLog;
import io.argate.store.Nvs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two routers joined by a WAN link (10.0.0.1 and 10.0.0.2), LAN A 192.168.10.0/24 behind the
 * first, LAN B 192.168.20.0/24 behind the second, configured with the seed's manual-key VPN
 * through the IPSEC commands; the hosts' pings cross the WAN in ESP.
 */
class IpsecPathTest {
    static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;
    static int links;

    @TempDir
    Path dir;

    final List<AutoCloseable> closers = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closers) {
            c.close();
        }
    }

    /** One router: forwarder, ports, IPsec engine and the IPSEC command table. */
    final class Node {
        final Forwarder fwd;
        final IpsecConfig config = new IpsecConfig();
        final IpsecCounter.Set counters = new IpsecCounter.Set();
        final CommandRig rig;
        final Sad<Transform> sad = new Sad<>(Clock.systemUTC());
        final IpsecEngine engine;
        final PolicyDebug debug = new PolicyDebug();
        final Enco enco;
        final EventLog log;
        final List<String> wanArrivals = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<ByteBuf> wanEsp = new java.util.concurrent.CopyOnWriteArrayList<>();

        Node(String name, int lan, int wan, int peerLan, int peerWan, io.argate.ip.port.Port lanPort, io.argate.ip.port.Port wanPort,
             Map<Integer, byte[]> keyValues) {
            Interfaces ifs = new Interfaces();
            ifs.add("vlan1", 0, lan, 0xffffff00);
            ifs.add("eth0", 0, wan, 0xfffffffc);
            fwd = new Forwarder(ifs, Clock.systemUTC(), ALLOC);
            List<Route> routes = new ArrayList<>(ifs.connectedRoutes());
            routes.add(new Route(peerLan & 0xffffff00, 24, "eth0-0", peerWan, 1, false));
            fwd.routes(new RouteTable(routes));
            fwd.enabled(true);
            EncoKeys keys = new EncoKeys() {
                public Optional<KeyInfo> info(int n) {
                    byte[] v = keyValues.get(n);
                    return v == null ? Optional.empty() : Optional.of(new KeyInfo(v.length == 8 ? "DES" : "GENERAL", v.length));
                }

                public Optional<byte[]> value(int n) {
                    return Optional.ofNullable(keyValues.get(n));
                }
            };
            Nvs nvs = Nvs.open(dir.resolve(name));
            closers.add(nvs);
            log = new EventLog(nvs, Clock.systemUTC());
            enco = new Enco(new SoftwareDriver(), List.of(), log);
            PolicyCounters pc = new PolicyCounters();
            engine = new IpsecEngine(config, sad, enco, keys, fwd, ALLOC, counters, pc, debug, log, Clock.systemUTC());
            // a tap on what arrives from the WAN (the firewall's stage, free in these tests):
            // protocol and, for UDP, the destination port
            fwd.fill(io.argate.ip.forward.Stage.FIREWALL_INGRESS, (c, p) -> {
                int at = p.readerIndex();
                if (c.inInterface().equals("eth0") && c.decapsulatedBy() == null) {
                    int proto = Ipv4.protocol(p, at);
                    wanArrivals.add(proto == Ipv4.PROTO_UDP ? "udp/" + p.getUnsignedShort(at + 22) : "proto/" + proto);
                    if (proto == Ipv4.PROTO_ESP) {
                        wanEsp.add(p.copy());
                    }
                }
                return io.argate.ip.forward.StageFilter.Verdict.PASS;
            });
            rig = new CommandRig(List.of(new IpsecModule(config, sad, keys, Set.of("eth0", "vlan1")::contains, counters, pc, debug)
                    .engine(engine)));
            fwd.attach(lanPort);
            fwd.attach(wanPort);
        }

        void ok(String line) {
            assertTrue(rig.run(line), line + " -> " + rig.lastOutput());
        }
    }

    /** The two routers, their LAN hosts and what each host received. */
    record Pair(Node a, Node b, MemPort hostA, MemPort hostB, MemPort wanA, LinkedBlockingQueue<ByteBuf> atA, LinkedBlockingQueue<ByteBuf> atB) {
    }

    /** Router A (LAN 192.168.10.0/24, WAN 10.0.0.1) and router B (LAN 192.168.20.0/24, WAN 10.0.0.2). */
    Pair pair(String tag) {
        links++;
        MemPort lanA = new MemPort("vlan1", tag + "a" + links, 1500);
        MemPort hostA = new MemPort("hostA", tag + "a" + links, 1500);
        MemPort wanA = new MemPort("eth0", tag + "w" + links, 1500);
        MemPort wanB = new MemPort("eth0", tag + "w" + links, 1500);
        MemPort lanB = new MemPort("vlan1", tag + "b" + links, 1500);
        MemPort hostB = new MemPort("hostB", tag + "b" + links, 1500);
        closers.addAll(List.of(lanA, hostA, wanA, wanB, lanB, hostB));
        LinkedBlockingQueue<ByteBuf> atA = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<ByteBuf> atB = new LinkedBlockingQueue<>();
        hostA.start((q, b) -> atA.add(b));
        hostB.start((q, b) -> atB.add(b));
        Map<Integer, byte[]> keys = Map.of(1, DES, 2, SHA);
        Node a = new Node(tag + "1", 0xc0a80a01, 0x0a000001, 0xc0a81401, 0x0a000002, lanA, wanA, keys);
        Node b = new Node(tag + "2", 0xc0a81401, 0x0a000002, 0xc0a80a01, 0x0a000001, lanB, wanB, keys);
        return new Pair(a, b, hostA, hostB, wanA, atA, atB);
    }

    static String diag(Pair net) {
        StringBuilder d = new StringBuilder();
        for (IpsecCounter c : IpsecCounter.values()) {
            if (net.a().counters.get(c) + net.b().counters.get(c) > 0) {
                d.append(c).append(" a=").append(net.a().counters.get(c)).append(" b=").append(net.b().counters.get(c)).append('\n');
            }
        }
        for (io.argate.ip.forward.DropReason r : io.argate.ip.forward.DropReason.values()) {
            if (net.a().fwd.counters().drops(r) + net.b().fwd.counters().drops(r) > 0) {
                d.append(r).append(" a=").append(net.a().fwd.counters().drops(r)).append(" b=").append(net.b().fwd.counters().drops(r)).append('\n');
            }
        }
        if (net.a().fwd.lastError() != null) {
            java.io.StringWriter w = new java.io.StringWriter();
            net.a().fwd.lastError().printStackTrace(new java.io.PrintWriter(w));
            d.append(w);
        }
        return d.toString();
    }

    static ByteBuf ping(int src, int dst, int size) {
        ByteBuf b = ALLOC.buffer(28 + size).writerIndex(28 + size);
        Ipv4.write(b, 0, 0, 28 + size, 9, 0, 64, Ipv4.PROTO_ICMP, src, dst);
        b.setByte(20, 8);
        b.setShort(22, Ipv4.checksum(b, 20, 8 + size));
        return b;
    }

    /** A ping as a TUN port receives it: {@link io.argate.ip.port.Port#HEADROOM} free bytes before and after. */
    static ByteBuf pingWithRoom(int src, int dst, int size) {
        ByteBuf plain = ping(src, dst, size);
        int room = io.argate.ip.port.Port.HEADROOM;
        ByteBuf b = ALLOC.buffer(room + plain.readableBytes() + room);
        b.writerIndex(room).readerIndex(room);
        b.writeBytes(plain);
        plain.release();
        return b;
    }

    static final byte[] DES = HexFormat.of().parseHex("f888cac6c66ecf52");
    static final byte[] SHA = HexFormat.of().parseHex("431d62cd3cb76fb8101dacaf43aa4dbfb919e957");

    @Test
    void theSeedsManualKeyVpnCarriesPingsInEspBothWays() throws Exception {
        Pair net = pair("p");
        Node a = net.a();
        Node b = net.b();
        MemPort hostA = net.hostA();
        MemPort hostB = net.hostB();
        MemPort wanA = net.wanA();
        LinkedBlockingQueue<ByteBuf> atA = net.atA();
        LinkedBlockingQueue<ByteBuf> atB = net.atB();
        a.ok("create ipsec sas=1 key=manual prot=esp encalg=des enckey=1 hashalg=sha hashkey=2 inspi=1000 outspi=1001 antireplay=yes");
        a.ok("create ipsec bundle=1 key=manual string=\"1\"");
        a.ok("create ipsec policy=vpn int=eth0 action=ipsec key=manual bundle=1 peer=10.0.0.2");
        a.ok("set ipsec policy=vpn lad=192.168.10.0 lma=255.255.255.0 rad=192.168.20.0 rma=255.255.255.0");
        a.ok("create ipsec policy=inet int=eth0 action=permit");
        a.ok("enable ipsec");
        b.ok("create ipsec sas=1 key=manual prot=esp encalg=des enckey=1 hashalg=sha hashkey=2 inspi=1001 outspi=1000 antireplay=yes");
        b.ok("create ipsec bundle=1 key=manual string=\"1\"");
        b.ok("create ipsec policy=vpn int=eth0 action=ipsec key=manual bundle=1 peer=10.0.0.1");
        b.ok("set ipsec policy=vpn lad=192.168.20.0 lma=255.255.255.0 rad=192.168.10.0 rma=255.255.255.0");
        b.ok("create ipsec policy=inet int=eth0 action=permit");
        b.ok("enable ipsec");

        // the seed's log lines: "IPSE IPSC MSG IPSEC has been enabled", "SA bundle created: Policy - v1"
        String logged = a.log.render(a.log.query(io.argate.store.LogFilter.all().type("IPSC")), java.time.ZoneOffset.UTC);
        assertTrue(logged.matches("(?s).*IPSE\\s+IPSC\\s+MSG\\s+IPSEC has been enabled.*"), logged);
        assertTrue(logged.matches("(?s).*IPSE\\s+IPSC\\s+MSG\\s+SA bundle created: Policy - vpn.*"), logged);
        a.ok("enable ipsec policy=vpn debug=all");
        hostA.transmit(ping(0xc0a80a05, 0xc0a81407, 56));
        ByteBuf got = atB.poll(5, TimeUnit.SECONDS);
        assertNotNull(got, "the ping reached host B");
        String dbg = a.rig.lastOutput();
        assertTrue(waitFor(() -> a.rig.lastOutput().contains("OUT: post processing:")), a.rig.lastOutput());
        dbg = a.rig.lastOutput();
        assertTrue(dbg.contains("IPSEC: outbound on eth0-0 192.168.10.5 > 192.168.20.7 proto 1 matched policy vpn: IPSEC"), dbg);
        // the reference's PACKET form: a title line, then each header in hex, then the data
        assertTrue(dbg.contains("IPSEC vpn: 0: OUT: pre processing:\nIP: 45000054"), dbg);
        assertTrue(dbg.contains("\nICMP: 0800"), dbg);
        assertTrue(dbg.matches("(?s).*IPSEC vpn: 0: OUT: post processing:\nIP: 45[0-9a-f]{38}\nESP: 000003e900000001:[0-9a-f]{24}\ndata: [0-9a-f]{72}\n.*"), dbg);
        assertTrue(dbg.contains("IPSEC: policy vpn applied ESP SPI 1001 sequence 1"), dbg);
        a.ok("disable ipsec policy=vpn debug=all");
        assertEquals(0xc0a80a05, Ipv4.source(got, got.readerIndex()));
        assertEquals(62, Ipv4.ttl(got, got.readerIndex()), "decremented by each router, not by the tunnel");
        assertEquals(1, a.counters.get(IpsecCounter.OUT_PROTECTED));
        assertEquals(1, b.counters.get(IpsecCounter.IN_DECAPSULATED));
        hostB.transmit(ping(0xc0a81407, 0xc0a80a05, 100));
        assertNotNull(atA.poll(5, TimeUnit.SECONDS), "and back");
        assertEquals(1, b.counters.get(IpsecCounter.OUT_PROTECTED));

        // the same ESP packet again: the replay window drops it; a changed SPI is unknown
        ByteBuf replay = b.wanEsp.get(0).copy();
        wanA.transmit(replay);
        assertTrue(waitFor(() -> b.counters.get(IpsecCounter.IN_REPLAY_DUPLICATE) == 1), "duplicate dropped");
        ByteBuf wrongSpi = b.wanEsp.get(0).copy();
        wrongSpi.setInt(wrongSpi.readerIndex() + 20, 4242);
        wanA.transmit(wrongSpi);
        assertTrue(waitFor(() -> b.counters.get(IpsecCounter.IN_UNKNOWN_SPI) == 1), "unknown SPI dropped");
        ByteBuf tampered = b.wanEsp.get(1).copy();
        tampered.setByte(tampered.writerIndex() - 20, tampered.getByte(tampered.writerIndex() - 20) ^ 1);
        wanA.transmit(tampered);
        assertTrue(waitFor(() -> b.counters.get(IpsecCounter.IN_BAD_ICV) + b.counters.get(IpsecCounter.IN_REPLAY_DUPLICATE) >= 2),
                "a tampered packet never gets through");
        assertEquals(1, b.counters.get(IpsecCounter.IN_DECAPSULATED), "only the genuine packet was decapsulated");

        b.ok("show ipsec sa");
        assertTrue(b.rig.lastOutput().contains("vpn") && b.rig.lastOutput().contains("1000") && b.rig.lastOutput().contains("1001"),
                b.rig.lastOutput());

        // a plaintext packet for the protected LAN arriving on the WAN is dropped
        wanA.transmit(ping(0xc0a80a05, 0xc0a81407, 8));
        assertNull(atB.poll(300, TimeUnit.MILLISECONDS));
        assertEquals(1, b.counters.get(IpsecCounter.IN_NOT_PROTECTED));

        // traffic outside the VPN passes under the inet PERMIT policy
        wanA.transmit(ping(0x0a000001, 0x0a000002, 8));
        assertTrue(b.counters.get(IpsecCounter.IN_PERMITTED) >= 1 || waitFor(() -> b.counters.get(IpsecCounter.IN_PERMITTED) >= 1));
    }

    @Test
    void ipcompEspAndAhTogether() throws Exception {
        Pair net = pair("q");
        Node a = net.a();
        Node b = net.b();
        MemPort hostA = net.hostA();
        MemPort hostB = net.hostB();
        MemPort wanA = net.wanA();
        LinkedBlockingQueue<ByteBuf> atA = net.atA();
        LinkedBlockingQueue<ByteBuf> atB = net.atB();
        for (Node n : List.of(a, b)) {
            boolean first = n == a;
            n.ok("create ipsec sas=1 key=manual prot=esp encalg=des enckey=1 hashalg=null inspi=" + (first ? 1000 : 1001) + " outspi=" + (first ? 1001 : 1000));
            n.ok("create ipsec sas=2 key=manual prot=ah hashalg=sha hashkey=2 inspi=" + (first ? 2000 : 2001) + " outspi=" + (first ? 2001 : 2000));
            n.ok("create ipsec sas=3 key=manual prot=comp compalg=lzs");
            n.ok("create ipsec bundle=1 key=manual string=\"1 and 3 and 2\"");
            n.ok("create ipsec policy=vpn int=eth0 action=ipsec key=manual bundle=1 peer=" + (first ? "10.0.0.2" : "10.0.0.1"));
            n.ok("set ipsec policy=vpn lad=" + (first ? "192.168.10.0" : "192.168.20.0") + " lma=255.255.255.0 rad="
                    + (first ? "192.168.20.0" : "192.168.10.0") + " rma=255.255.255.0");
            n.ok("enable ipsec");
        }
        hostA.transmit(ping(0xc0a80a05, 0xc0a81407, 1000));
        ByteBuf got = atB.poll(5, TimeUnit.SECONDS);
        assertNotNull(got, "the 1000-byte ping crossed IPComp + ESP + AH");
        assertEquals(1028, Ipv4.totalLength(got, got.readerIndex()));
        assertEquals(1, a.counters.get(IpsecCounter.OUT_COMPRESSED), "zeros compress");
        assertEquals(1, b.counters.get(IpsecCounter.IN_DECAPSULATED));
        hostA.transmit(ping(0xc0a80a05, 0xc0a81407, 10));
        assertNotNull(atB.poll(5, TimeUnit.SECONDS), "a small ping goes uncompressed in the same bundle");
        assertEquals(1, a.counters.get(IpsecCounter.OUT_NOT_COMPRESSED));
        // with room around the packet the headers are added in place: the same result on B
        hostA.transmit(pingWithRoom(0xc0a80a05, 0xc0a81407, 1000));  // zeros: IPComp compresses it
        ByteBuf inPlace = atB.poll(5, TimeUnit.SECONDS);
        assertNotNull(inPlace, "the in-place path carries IPComp + ESP + AH too");
        assertEquals(1028, Ipv4.totalLength(inPlace, inPlace.readerIndex()));
        assertEquals(0, inPlace.getByte(inPlace.readerIndex() + 28), "the payload arrived intact");
        hostA.transmit(pingWithRoom(0xc0a80a05, 0xc0a81407, 10));
        assertNotNull(atB.poll(5, TimeUnit.SECONDS));
        assertEquals(4, b.counters.get(IpsecCounter.IN_DECAPSULATED), "all four decapsulated");
    }

    @Test
    void espOverUdpPort2746WithHeartbeats() throws Exception {
        Pair net = pair("u");
        Node a = net.a();
        Node b = net.b();
        MemPort hostA = net.hostA();
        MemPort hostB = net.hostB();
        MemPort wanA = net.wanA();
        LinkedBlockingQueue<ByteBuf> atA = net.atA();
        LinkedBlockingQueue<ByteBuf> atB = net.atB();
        for (Node n : List.of(a, b)) {
            boolean first = n == a;
            n.ok("create ipsec sas=1 key=manual prot=esp encalg=des enckey=1 hashalg=sha hashkey=2 inspi=" + (first ? 1000 : 1001) + " outspi=" + (first ? 1001 : 1000));
            n.ok("create ipsec bundle=1 key=manual string=\"1\"");
            n.ok("create ipsec policy=vpn int=eth0 action=ipsec key=manual bundle=1 udptunnel=yes udpheartbeat=yes peer=" + (first ? "10.0.0.2" : "10.0.0.1"));
            n.ok("set ipsec policy=vpn lad=" + (first ? "192.168.10.0" : "192.168.20.0") + " lma=255.255.255.0 rad="
                    + (first ? "192.168.20.0" : "192.168.10.0") + " rma=255.255.255.0");
            n.ok("create ipsec policy=inet int=eth0 action=permit");
            n.ok("enable ipsec");
        }
        hostA.transmit(ping(0xc0a80a05, 0xc0a81407, 56));
        assertNotNull(atB.poll(5, TimeUnit.SECONDS), "the ping crossed ESP in UDP");
        // the tap also sees the decapsulated ping re-entering on eth0 (proto 1), but never bare ESP
        assertTrue(b.wanArrivals.contains("udp/2746") && !b.wanArrivals.contains("proto/50"), "on the wire: UDP to port 2746 " + b.wanArrivals);
        a.engine.tick();
        assertTrue(waitFor(() -> b.counters.get(IpsecCounter.IN_UDP_HEARTBEAT) == 1), "the heartbeat arrived and was ignored");
        a.engine.tick();
        Thread.sleep(100);
        assertEquals(1, b.counters.get(IpsecCounter.IN_UDP_HEARTBEAT), "one heartbeat per 30 s");
    }

    @Test
    void transportModeBetweenTheRoutersThemselves() throws Exception {
        Pair net = pair("t");
        Node a = net.a();
        Node b = net.b();
        MemPort hostA = net.hostA();
        MemPort hostB = net.hostB();
        MemPort wanA = net.wanA();
        LinkedBlockingQueue<ByteBuf> atA = net.atA();
        LinkedBlockingQueue<ByteBuf> atB = net.atB();
        for (Node n : List.of(a, b)) {
            boolean first = n == a;
            n.ok("create ipsec sas=1 key=manual prot=esp mode=transport encalg=des enckey=1 hashalg=sha hashkey=2 inspi="
                    + (first ? 1000 : 1001) + " outspi=" + (first ? 1001 : 1000));
            n.ok("create ipsec bundle=1 key=manual string=\"1\"");
            n.ok("create ipsec policy=host int=eth0 action=ipsec key=manual bundle=1 peer=" + (first ? "10.0.0.2" : "10.0.0.1")
                    + " lad=" + (first ? "10.0.0.1" : "10.0.0.2") + " rad=" + (first ? "10.0.0.2" : "10.0.0.1"));
            n.ok("enable ipsec");
        }
        LinkedBlockingQueue<Integer> replies = new LinkedBlockingQueue<>();
        ByteBuf echo = ping(0, 0x0a000002, 32);
        a.fwd.icmp().echoReplies(echo.getUnsignedShort(24), 0x0a000002, (from, seq, len, nanos) -> replies.add(0));
        a.fwd.originate(echo);
        Integer reply = replies.poll(5, TimeUnit.SECONDS);
        if (reply == null) {
            StringBuilder d = new StringBuilder();
            for (IpsecCounter c : IpsecCounter.values()) {
                if (a.counters.get(c) + b.counters.get(c) > 0) {
                    d.append(c).append(" a=").append(a.counters.get(c)).append(" b=").append(b.counters.get(c)).append('\n');
                }
            }
            d.append("wan at b: ").append(b.wanArrivals).append(" ip drops a: ");
            for (io.argate.ip.forward.DropReason r : io.argate.ip.forward.DropReason.values()) {
                if (a.fwd.counters().drops(r) + b.fwd.counters().drops(r) > 0) {
                    d.append(r).append(" a=").append(a.fwd.counters().drops(r)).append(" b=").append(b.fwd.counters().drops(r)).append(' ');
                }
            }
            throw new AssertionError(d.toString());
        }
        assertEquals(0, reply, "B's echo reply came back");
        assertTrue(b.wanArrivals.contains("proto/50"), "the request crossed as ESP: " + b.wanArrivals);
        assertEquals(1, a.counters.get(IpsecCounter.OUT_PROTECTED));
        assertEquals(1, b.counters.get(IpsecCounter.IN_DECAPSULATED));
        assertEquals(1, b.counters.get(IpsecCounter.OUT_PROTECTED), "the reply was protected too");
    }

    /**
     * Builds and installs a bundle on a router the way ISAKMP will after Quick Mode: an inbound
     * SPI reserved from the SAD, the peer's inbound SPI as this side's outbound, AES128-CBC with
     * HMAC-SHA1-96 on ENCO channels.
     */
    static SaBundle<Transform> installNegotiated(Node n, String policy, int inSpi, int outSpi, int peer, UdpEncap encap) throws Exception {
        byte[] enc = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
        byte[] auth = HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f1011121314");
        EspTransform out = new EspTransform(EncAlg.AES128, HashAlg.SHA, n.enco.cipher("IPSEC", Algorithm.AES_CBC_128, enc),
                n.enco.mac("IPSEC", Algorithm.HMAC_SHA1_96, auth), "test");
        EspTransform in = new EspTransform(EncAlg.AES128, HashAlg.SHA, n.enco.cipher("IPSEC", Algorithm.AES_CBC_128, enc),
                n.enco.mac("IPSEC", Algorithm.HMAC_SHA1_96, auth), "test");
        int id = n.sad.allocateSaId();
        SaBundle<Transform> b = new SaBundle<>(n.sad.allocateId(), policy, 1, peer, true,
                List.of(new Sa<Transform>(id, IpsecProtocol.ESP, outSpi, false, 1, out, null)),
                List.of(new Sa<Transform>(id, IpsecProtocol.ESP, inSpi, true, 1, in, new ReplayWindow(64))),
                Clock.systemUTC().instant(), Lifetime.of(28800, 0), SaMode.TUNNEL, encap);
        n.sad.install(b);
        return b;
    }

    /** Both routers with an ISAKMP-keyed policy for the two LANs (no SA until one is installed). */
    static void isakmpVpn(Pair net) {
        vpn(net, "isakmp", first -> "prot=esp encalg=aes128 hashalg=sha", "");
    }

    /**
     * Both routers with SA specification 1 (from {@code spec}, given whether it is router A),
     * bundle 1 of it, policy vpn between the LANs and a PERMIT policy for the rest, IPsec enabled.
     */
    static void vpn(Pair net, String keyman, java.util.function.Function<Boolean, String> spec, String policyExtra) {
        for (Node n : List.of(net.a(), net.b())) {
            boolean first = n == net.a();
            n.ok("create ipsec sas=1 key=" + keyman + " " + spec.apply(first));
            n.ok("create ipsec bundle=1 key=" + keyman + " string=\"1\"");
            n.ok("create ipsec policy=vpn int=eth0 action=ipsec key=" + keyman + " bundle=1 peer=" + (first ? "10.0.0.2" : "10.0.0.1")
                    + policyExtra);
            n.ok("set ipsec policy=vpn lad=" + (first ? "192.168.10.0" : "192.168.20.0") + " lma=255.255.255.0 rad="
                    + (first ? "192.168.20.0" : "192.168.10.0") + " rma=255.255.255.0");
            n.ok("create ipsec policy=inet int=eth0 action=permit");
            n.ok("enable ipsec");
        }
    }

    @Test
    void packetsWaitingForIsakmpAreHeldThenSentThroughTheInstalledBundle() throws Exception {
        Pair net = pair("h");
        Node a = net.a();
        Node b = net.b();
        isakmpVpn(net);
        List<SadEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        a.sad.onEvent(events::add);
        for (int i = 0; i < 6; i++) {
            net.hostA().transmit(ping(0xc0a80a05, 0xc0a81407, 56 + i));
        }
        assertTrue(waitFor(() -> a.counters.get(IpsecCounter.OUT_HELD) + a.counters.get(IpsecCounter.OUT_HOLD_OVERFLOW) == 6),
                "all six pings reached the SPD");
        assertEquals(AcquireHold.PER_POLICY, a.counters.get(IpsecCounter.OUT_HELD), "a few are held");
        assertEquals(6 - AcquireHold.PER_POLICY, a.counters.get(IpsecCounter.OUT_HOLD_OVERFLOW), "the rest are dropped and counted");
        assertEquals(1, a.counters.get(IpsecCounter.OUT_ACQUIRE), "ISAKMP is asked once, not once per packet");
        List<SadEvent> acquires = events.stream().filter(e -> e instanceof SadEvent.Acquire).toList();
        assertEquals(List.of(new SadEvent.Acquire("vpn", 0xc0a80a05, 0xc0a81407, Ipv4.PROTO_ICMP)), acquires);
        assertEquals(AcquireHold.PER_POLICY, a.engine.heldPackets("VPN"));
        a.ok("show ipsec policy=vpn counters");
        assertTrue(a.rig.lastOutput().matches("(?s).*outNoSa \\.+ 6\n.*heldForSa \\.+ 4(\n.*|$)"), a.rig.lastOutput());
        assertNull(net.atB().poll(200, TimeUnit.MILLISECONDS), "nothing leaves without an SA");

        // "Quick Mode" done: B installs first (it must be able to receive), then A
        int inA = a.sad.reserveSpi(IpsecProtocol.ESP);
        int inB = b.sad.reserveSpi(IpsecProtocol.ESP);
        installNegotiated(b, "vpn", inB, inA, 0x0a000001, null);
        installNegotiated(a, "vpn", inA, inB, 0x0a000002, null);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < AcquireHold.PER_POLICY; i++) {
            ByteBuf got = net.atB().poll(5, TimeUnit.SECONDS);
            assertNotNull(got, "held ping " + i + " delivered once the bundle was installed");
            sizes.add(Ipv4.totalLength(got, got.readerIndex()));
        }
        assertEquals(List.of(84, 85, 86, 87), sizes, "in the order they were held");
        assertEquals(AcquireHold.PER_POLICY, a.counters.get(IpsecCounter.OUT_HOLD_SENT));
        assertEquals(0, a.engine.heldPackets("vpn"));
        assertEquals(AcquireHold.PER_POLICY, b.counters.get(IpsecCounter.IN_DECAPSULATED), "the ISAKMP-style bundle decapsulates on B");

        // and traffic now flows both ways without holding
        net.hostB().transmit(ping(0xc0a81407, 0xc0a80a05, 20));
        assertNotNull(net.atA().poll(5, TimeUnit.SECONDS), "B's reply direction uses B's installed bundle");
        assertEquals(AcquireHold.PER_POLICY, a.counters.get(IpsecCounter.OUT_HELD), "nothing more was held");
    }

    @Test
    void heldPacketsAreDroppedWhenThePolicyStopsWaiting() throws Exception {
        Pair net = pair("d");
        Node a = net.a();
        isakmpVpn(net);
        net.hostA().transmit(ping(0xc0a80a05, 0xc0a81407, 56));
        net.hostA().transmit(ping(0xc0a80a05, 0xc0a81407, 56));
        assertTrue(waitFor(() -> a.engine.heldPackets("vpn") == 2));
        a.ok("destroy ipsec policy=vpn");
        assertEquals(0, a.engine.heldPackets("vpn"));
        assertEquals(2, a.counters.get(IpsecCounter.OUT_HOLD_DROPPED), "the two held packets are counted as dropped");
    }

    @Test
    void natTraversalBundleCarriesEspInUdp4500AndPassesIkeToIsakmp() throws Exception {
        Pair net = pair("n");
        Node a = net.a();
        Node b = net.b();
        isakmpVpn(net);
        int inA = a.sad.reserveSpi(IpsecProtocol.ESP);
        int inB = b.sad.reserveSpi(IpsecProtocol.ESP);
        installNegotiated(b, "vpn", inB, inA, 0x0a000001, new UdpEncap(4500, 4500));
        installNegotiated(a, "vpn", inA, inB, 0x0a000002, new UdpEncap(4500, 4500));
        net.hostA().transmit(ping(0xc0a80a05, 0xc0a81407, 56));
        assertNotNull(net.atB().poll(5, TimeUnit.SECONDS), "the ping crossed in RFC 3948 UDP encapsulation");
        assertTrue(b.wanArrivals.contains("udp/4500") && !b.wanArrivals.contains("proto/50"), "on the wire: UDP 4500 " + b.wanArrivals);

        // IKE behind the non-ESP marker goes to ISAKMP's handler; a NAT keepalive is counted
        LinkedBlockingQueue<Integer> ike = new LinkedBlockingQueue<>();
        b.engine.onNatTraversalIke((c, p) -> {
            ike.add(p.readableBytes());
            p.release();
            return null;
        });
        net.wanA().transmit(udp(0x0a000001, 0x0a000002, 4500, 4500, new byte[]{0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8}));
        assertEquals(20 + 8 + 12, ike.poll(5, TimeUnit.SECONDS), "the whole IP packet reached the IKE handler");
        net.wanA().transmit(udp(0x0a000001, 0x0a000002, 4500, 4500, new byte[]{(byte) 0xff}));
        assertTrue(waitFor(() -> b.counters.get(IpsecCounter.IN_NAT_KEEPALIVE) == 1), "keepalive counted and dropped");
    }


    static final int HOST_A = 0xc0a80a05;
    static final int HOST_B = 0xc0a81407;

    /**
     * Issue 10 defect 3: creating an unrelated PERMIT policy used to rebuild every manual SA
     * (new SA id, sequence numbers from 0, counters and replay window cleared, a second
     * "SA bundle created"), so the peer's window dropped the traffic. A change touches only what
     * it changes.
     */
    @Test
    void anUnrelatedChangeKeepsTheManualSasAndTheirState() throws Exception {
        Pair net = pair("k");
        manualVpn(net, "");
        Node a = net.a();
        for (int i = 0; i < 3; i++) {
            net.hostA().transmit(ping(HOST_A, HOST_B, 56));
            assertNotNull(net.atB().poll(5, TimeUnit.SECONDS), () -> diag(net));
        }
        SaBundle<Transform> before = a.sad.outbound("vpn");
        assertEquals(3, before.outbound().get(0).lastSequence());
        a.ok("create ipsec policy=other int=vlan1 action=permit");
        a.ok("set ipsec policy=inet rad=0.0.0.0");
        SaBundle<Transform> after = a.sad.outbound("vpn");
        assertSame(before, after, "the VPN's bundle is the one it had");
        net.hostA().transmit(ping(HOST_A, HOST_B, 56));
        assertNotNull(net.atB().poll(5, TimeUnit.SECONDS), "the peer's replay window still accepts: " + diag(net));
        assertEquals(4, after.outbound().get(0).lastSequence(), "sequence numbers go on");
        assertEquals(0, net.b().counters.get(IpsecCounter.IN_REPLAY_OLD) + net.b().counters.get(IpsecCounter.IN_REPLAY_DUPLICATE));
        String logged = a.log.render(a.log.query(io.argate.store.LogFilter.all().type("IPSC")), java.time.ZoneOffset.UTC);
        assertEquals(1, logged.split("SA bundle created: Policy - vpn", -1).length - 1, logged);

        // a change to the VPN itself does give it a new bundle
        a.ok("set ipsec policy=vpn dfbit=set");
        assertNotSame(before, a.sad.outbound("vpn"));
        assertEquals(1, a.sad.bundlesOf("vpn").size(), "the old bundle went");
    }

    /**
     * Issue 10 defect 4 (RFC 4301 section 5.2): a packet that came out of the tunnel is checked
     * against the SPD of the interface it leaves by, like any other; B's LAN interface says DENY
     * for A's LAN, so the ping through the tunnel must not reach host B.
     */
    @Test
    void aDecapsulatedPacketMeetsTheEgressInterfacesSpd() throws Exception {
        Pair net = pair("e");
        manualVpn(net, "");
        Node b = net.b();
        b.ok("create ipsec policy=lanblock int=vlan1 action=deny rad=192.168.20.0 rma=255.255.255.0 lad=192.168.10.0 lma=255.255.255.0");
        net.hostA().transmit(ping(HOST_A, HOST_B, 56));
        assertTrue(waitFor(() -> b.counters.get(IpsecCounter.IN_DECAPSULATED) == 1), diag(net));
        assertNull(net.atB().poll(300, TimeUnit.MILLISECONDS), "the LAN's DENY applies to decapsulated traffic too");
        assertTrue(waitFor(() -> b.counters.get(IpsecCounter.OUT_DENIED) == 1), diag(net));
        b.ok("destroy ipsec policy=lanblock");
        net.hostA().transmit(ping(HOST_A, HOST_B, 56));
        assertNotNull(net.atB().poll(5, TimeUnit.SECONDS), "without the DENY it is delivered");
    }

    /**
     * Issue 10 defect 5: a policy on eth0 covers its logical interfaces. With the route to B's
     * LAN through eth0-1 (the reference's multihoming example routes through ppp0-1), the LAN
     * traffic still goes in ESP, never in clear.
     */
    @Test
    void aPolicyOnAnInterfaceCoversItsLogicalInterfaces() throws Exception {
        Pair net = pair("l");
        manualVpn(net, "");
        Node a = net.a();
        List<Route> routes = new ArrayList<>(a.fwd.routes().routes());
        routes.removeIf(r -> r.network() == 0xc0a81400);
        routes.add(new Route(0xc0a81400, 24, "eth0-1", 0x0a000002, 1, false));
        a.fwd.routes(new RouteTable(routes));
        net.hostA().transmit(ping(HOST_A, HOST_B, 56));
        assertNotNull(net.atB().poll(5, TimeUnit.SECONDS), () -> diag(net));
        assertEquals(1, a.counters.get(IpsecCounter.OUT_PROTECTED), "protected on eth0-1 by eth0's policy");
        assertTrue(net.b().wanArrivals.contains("proto/50") && !net.b().wanArrivals.contains("proto/1"), net.b().wanArrivals.toString());
    }

    /**
     * Issue 10 defect 8: with no route to the peer, the packet used to be encrypted, counted as
     * protected and sent from 0.0.0.0 before the forwarder dropped it. The route comes first:
     * nothing is encrypted and the drop is counted once, with its reason.
     */
    @Test
    void noRouteToThePeerIsFoundBeforeAnyCrypto() throws Exception {
        Pair net = pair("r");
        manualVpn(net, "");
        Node a = net.a();
        a.ok("set ipsec policy=vpn peer=172.16.9.9");
        long before = a.sad.outbound("vpn").outbound().get(0).lastSequence();
        net.hostA().transmit(ping(HOST_A, HOST_B, 56));
        assertTrue(waitFor(() -> a.counters.get(IpsecCounter.OUT_NO_ROUTE) == 1), diag(net));
        assertEquals(0, a.counters.get(IpsecCounter.OUT_PROTECTED));
        assertEquals(before, a.sad.outbound("vpn").outbound().get(0).lastSequence(), "no sequence number was used");
        assertEquals(1, a.fwd.counters().drops(io.argate.ip.forward.DropReason.POLICY));
        assertEquals(0, a.fwd.counters().drops(io.argate.ip.forward.DropReason.NO_ROUTE), "counted once, as IPsec's reason");
    }

    /**
     * Issue 10 defect 2: DEBUG=PACKET output goes to the enabling terminal's bounded tap; a
     * terminal that never reads (a --More-- waiting for a key) loses debug lines, counted, and
     * forwarding goes on at full speed.
     */
    @Test
    void aTerminalThatDoesNotReadNeverStopsForwarding() throws Exception {
        Pair net = pair("d");
        manualVpn(net, "");
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        io.argate.shell.session.SessionIo stuck = new io.argate.shell.session.SessionIo() {
            public void println(String line) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            public Optional<String> readLine(String prompt) {
                return Optional.empty();
            }

            public Optional<String> readSecret(String prompt) {
                return Optional.empty();
            }

            public boolean interactive() {
                return true;
            }
        };
        io.argate.shell.session.Session s = new io.argate.shell.session.Session(7, io.argate.shell.session.SessionKind.TELNET, stuck);
        net.a().debug.enable("vpn", java.util.EnumSet.allOf(PolicyDebug.Option.class), s.tap());
        int n = 300;
        for (int i = 0; i < n; i++) {
            net.hostA().transmit(ping(HOST_A, HOST_B, 56));
            assertNotNull(net.atB().poll(5, TimeUnit.SECONDS), "packet " + i + " forwarded while the terminal is stuck");
        }
        assertTrue(s.tap().dropped() > 0, "lines beyond the tap's bound were dropped");
        assertEquals(s.tap().offered(), s.tap().dropped() + s.tap().backlog() + 1, "all but the line the stuck terminal holds");
        never.countDown();
        s.end();
    }

    @Test
    void movingTheUdpTunnelPortClosesTheOldOne() throws Exception {
        Pair net = pair("m");
        Node b = net.b();
        b.ok("enable ipsec");
        b.ok("set ipsec udpport=3000");
        net.wanA().transmit(udp(0x0a000001, 0x0a000002, 2746, 2746, new byte[]{(byte) 0xff}));
        net.wanA().transmit(udp(0x0a000001, 0x0a000002, 2746, 3000, new byte[]{(byte) 0xff}));
        assertTrue(waitFor(() -> b.counters.get(IpsecCounter.IN_UDP_HEARTBEAT) == 1), "the new port hears the heartbeat");
        assertTrue(waitFor(() -> b.fwd.counters().drops(io.argate.ip.forward.DropReason.NO_LISTENER) >= 1),
                "the old port is closed: port unreachable");
    }

    /** Both routers with the seed's DES/SHA manual VPN, with extra policy parameters. */
    static void manualVpn(Pair net, String policyExtra) {
        manualVpn(net, "", policyExtra);
    }

    static void manualVpn(Pair net, String specExtra, String policyExtra) {
        vpn(net, "manual", first -> "prot=esp encalg=des enckey=1 hashalg=sha hashkey=2 inspi=" + (first ? 1000 : 1001)
                + " outspi=" + (first ? 1001 : 1000) + specExtra, policyExtra);
    }

    @Test
    void aDontFragmentPacketTooBigForTheTunnelGetsFragmentationNeededWithTheMtuLeft() throws Exception {
        Pair net = pair("f");
        manualVpn(net, "");
        ByteBuf big = ping(0xc0a80a05, 0xc0a81407, 1480 - 28);
        big.setShort(6, Ipv4.FLAG_DF);
        big.setShort(10, 0);
        Ipv4.updateChecksum(big, 0);
        net.hostA().transmit(big);
        ByteBuf icmp = net.atA().poll(5, TimeUnit.SECONDS);
        assertNotNull(icmp, "host A hears why its packet did not go (no black hole)");
        int at = icmp.readerIndex();
        assertEquals(Ipv4.PROTO_ICMP, Ipv4.protocol(icmp, at));
        assertEquals(3, icmp.getUnsignedByte(at + 20), "destination unreachable");
        assertEquals(4, icmp.getUnsignedByte(at + 21), "fragmentation needed");
        // 1500 less the outer header (20), ESP header and DES IV (16), the most padding and trailer (7 + 2) and the ICV (12)
        assertEquals(1500 - 57, icmp.getUnsignedShort(at + 26), "the next-hop MTU is what the tunnel leaves");
        assertEquals(1, net.a().counters.get(IpsecCounter.OUT_TOO_BIG));
        assertNull(net.atB().poll(200, TimeUnit.MILLISECONDS));

        // the same size without DF: the ESP packet is fragmented on the wire and reassembled by B
        net.hostA().transmit(ping(0xc0a80a05, 0xc0a81407, 1480 - 28));
        ByteBuf got = net.atB().poll(5, TimeUnit.SECONDS);
        assertNotNull(got, () -> diag(net));
        assertEquals(1480, Ipv4.totalLength(got, got.readerIndex()));
        assertEquals("", diag(net).replaceAll("(?m)^(?!.*Exception|\tat ).*\n?", ""), "no stage threw");
    }

    /**
     * Issue 15: a TCP super-packet a TUN port with offloads received is cut into the segments
     * TCP would have sent just before protection, under one SPD decision, and each segment
     * reaches host B as an ordinary packet with its checksums complete.
     */
    @Test
    void aSuperPacketIsSegmentedBeforeProtectionUnderOneSpdDecision() throws Exception {
        Pair net = pair("o");
        manualVpn(net, "");
        MemPort tunLike = new MemPort("vlan1", "o-in" + links, 1500);
        closers.add(tunLike);
        byte[] data = new byte[4000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7 + 3);
        }
        int total = 40 + data.length;
        ByteBuf sup = ALLOC.buffer(total).writerIndex(total);
        Ipv4.write(sup, 0, 0, total, 0x1234, Ipv4.FLAG_DF, 64, Ipv4.PROTO_TCP, 0xc0a80a05, 0xc0a81407);
        sup.setShort(20, 40000);
        sup.setShort(22, 5001);
        sup.setInt(24, 1);
        sup.setByte(32, 5 << 4);
        sup.setByte(33, 0x18);
        sup.setBytes(40, data);
        io.argate.ip.packet.VirtioNetHeader tso = new io.argate.ip.packet.VirtioNetHeader()
                .set(io.argate.ip.packet.VirtioNetHeader.F_NEEDS_CSUM, io.argate.ip.packet.VirtioNetHeader.GSO_TCPV4, 40, 1300, 20, 16);
        net.a().fwd.receive(tunLike, sup, tso);
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 4; i++) {
            ByteBuf got = net.atB().poll(5, TimeUnit.SECONDS);
            assertNotNull(got, () -> diag(net));
            byte[] pkt = new byte[got.readableBytes()];
            got.getBytes(got.readerIndex(), pkt);
            assertEquals(40 + (i < 3 ? 1300 : 100), pkt.length);
            assertEquals(0xffff, sum16(pkt, 0, 20, 0), "IP header checksum");
            assertEquals(0xffff, sum16(pkt, 20, pkt.length - 20, 0xc0a8 + 0x0a05 + 0xc0a8 + 0x1407 + 6 + pkt.length - 20), "TCP checksum, summed here from scratch");
            joined.write(pkt, 40, pkt.length - 40);
        }
        assertArrayEquals(data, joined.toByteArray());
        assertEquals(1, net.a().counters.get(IpsecCounter.OUT_PACKETS), "one SPD decision for the super-packet");
        assertEquals(4, net.a().counters.get(IpsecCounter.OUT_PROTECTED), "each segment its own ESP packet");
    }

    /** A WAN port whose host takes UDP super-packets (a TUN port with USO4): records each packet and the header it came with. */
    static final class UsoWan implements io.argate.ip.port.Port {
        final List<ByteBuf> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<io.argate.ip.packet.VirtioNetHeader> headers = new java.util.concurrent.CopyOnWriteArrayList<>();
        final io.argate.ip.port.PortCounters counters = new io.argate.ip.port.PortCounters();

        public String name() {
            return "eth0";
        }

        public String driver() {
            return "tun";
        }

        public int mtu() {
            return 1500;
        }

        public boolean linkUp() {
            return true;
        }

        public void start(io.argate.ip.port.PacketSink rx) {
        }

        public boolean transmit(ByteBuf packet) {
            return transmit(packet, null);
        }

        public boolean takes(ByteBuf packet, io.argate.ip.packet.VirtioNetHeader header) {
            return !header.superPacket() && packet.readableBytes() <= 1500;
        }

        public boolean transmit(ByteBuf packet, io.argate.ip.packet.VirtioNetHeader header) {
            sent.add(packet);
            headers.add(header == null ? null : new io.argate.ip.packet.VirtioNetHeader().copyFrom(header));
            return true;
        }

        public boolean offersUso4() {
            return true;
        }

        public io.argate.ip.port.PortCounters counters() {
            return counters;
        }

        public void close() {
        }
    }

    /**
     * Issue 15, ESP in UDP over a WAN port that takes UDP super-packets: router A leaves the UDP
     * checksum of each ESP-in-UDP datagram to the port's host (RFC 3948 section 2.1 allows one),
     * so the port can send a TSO run's datagrams as one; router B, handed such a super-packet,
     * opens every datagram in it and host B receives each segment intact.
     */
    @Test
    void espInUdpLeavesItsChecksumToAUsoPortAndASuperPacketOfItIsOpenedDatagramByDatagram() throws Exception {
        links++;
        String tag = "u" + links;
        MemPort lanA = new MemPort("vlan1", tag + "a", 1500);
        MemPort hostA = new MemPort("hostA", tag + "a", 1500);
        UsoWan wanA = new UsoWan();
        MemPort wanB = new MemPort("eth0", tag + "w", 1500);
        MemPort lanB = new MemPort("vlan1", tag + "b", 1500);
        MemPort hostB = new MemPort("hostB", tag + "b", 1500);
        MemPort tunLike = new MemPort("vlan1", tag + "in", 1500);
        closers.addAll(List.of(lanA, hostA, wanB, lanB, hostB, tunLike));
        LinkedBlockingQueue<ByteBuf> atB = new LinkedBlockingQueue<>();
        hostB.start((q, b) -> atB.add(b));
        Map<Integer, byte[]> keys = Map.of(1, DES, 2, SHA);
        Node a = new Node(tag + "1", 0xc0a80a01, 0x0a000001, 0xc0a81401, 0x0a000002, lanA, wanA, keys);
        Node b = new Node(tag + "2", 0xc0a81401, 0x0a000002, 0xc0a80a01, 0x0a000001, lanB, wanB, keys);
        Pair net = new Pair(a, b, hostA, hostB, null, new LinkedBlockingQueue<>(), atB);
        manualVpn(net, " udptunnel=yes");

        byte[] data = new byte[4000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7 + 3);
        }
        int total = 40 + data.length;
        ByteBuf sup = ALLOC.buffer(total).writerIndex(total);
        Ipv4.write(sup, 0, 0, total, 0x1234, Ipv4.FLAG_DF, 64, Ipv4.PROTO_TCP, HOST_A, HOST_B);
        sup.setShort(20, 40000);
        sup.setShort(22, 5001);
        sup.setInt(24, 1);
        sup.setByte(32, 5 << 4);
        sup.setByte(33, 0x10);
        sup.setBytes(40, data);
        io.argate.ip.packet.VirtioNetHeader tso = new io.argate.ip.packet.VirtioNetHeader()
                .set(io.argate.ip.packet.VirtioNetHeader.F_NEEDS_CSUM, io.argate.ip.packet.VirtioNetHeader.GSO_TCPV4, 40, 1300, 20, 16);
        a.fwd.receive(tunLike, sup, tso);

        assertEquals(4, wanA.sent.size(), () -> diag(net));
        io.argate.ip.packet.SegmentRun run = new io.argate.ip.packet.SegmentRun();
        for (int i = 0; i < 4; i++) {
            ByteBuf d = wanA.sent.get(i);
            io.argate.ip.packet.VirtioNetHeader h = wanA.headers.get(i);
            int at = d.readerIndex();
            assertEquals(Ipv4.PROTO_UDP, Ipv4.protocol(d, at));
            assertEquals(2746, d.getUnsignedShort(at + 22), "ESP over UDP 2746");
            assertTrue(h != null && h.needsChecksum() && h.csumStart() == 20 && h.csumOffset() == 6 && !h.superPacket(),
                    "the UDP checksum left to the port's host: " + h);
            assertTrue(i == 0 ? run.start(d, true, h) : run.append(d, true, h) == io.argate.ip.packet.SegmentRun.Refusal.NONE,
                    "datagram " + i + " joins the run");
        }
        // what the port's host (the kernel) makes of it and hands router B: one UDP super-packet
        io.argate.ip.packet.VirtioNetHeader uso = new io.argate.ip.packet.VirtioNetHeader();
        ByteBuf whole = run.build(ALLOC, uso);
        assertEquals(io.argate.ip.packet.VirtioNetHeader.GSO_UDP_L4, uso.gsoType());
        b.fwd.receive(wanB, whole, uso);

        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 4; i++) {
            ByteBuf got = atB.poll(5, TimeUnit.SECONDS);
            assertNotNull(got, () -> diag(net));
            byte[] pkt = new byte[got.readableBytes()];
            got.getBytes(got.readerIndex(), pkt);
            assertEquals(40 + (i < 3 ? 1300 : 100), pkt.length);
            assertEquals(0xffff, sum16(pkt, 20, pkt.length - 20, 0xc0a8 + 0x0a05 + 0xc0a8 + 0x1407 + 6 + pkt.length - 20), "TCP checksum");
            joined.write(pkt, 40, pkt.length - 40);
        }
        assertArrayEquals(data, joined.toByteArray());
        assertEquals(1, b.fwd.counters().splitForLocal.sum(), "one super-packet cut for the router");
        assertEquals(4, b.counters.get(IpsecCounter.IN_DECAPSULATED), "each datagram opened");
    }

    /** RFC 1071's one's-complement sum of 16-bit words, folded, from {@code seed}. */
    static int sum16(byte[] b, int from, int len, long seed) {
        long sum = seed;
        for (int i = 0; i < len; i += 2) {
            sum += ((b[from + i] & 0xff) << 8) | (i + 1 < len ? b[from + i + 1] & 0xff : 0);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    @Test
    void dfBitSetFragmentsTheInnerPacketBeforeProtectingIt() throws Exception {
        Pair net = pair("g");
        manualVpn(net, " dfbit=set");
        net.hostA().transmit(ping(0xc0a80a05, 0xc0a81407, 1480 - 28));
        ByteBuf first = net.atB().poll(5, TimeUnit.SECONDS);
        ByteBuf second = net.atB().poll(5, TimeUnit.SECONDS);
        assertNotNull(first, "first inner fragment");
        assertNotNull(second, "second inner fragment");
        assertEquals(1, net.a().counters.get(IpsecCounter.OUT_FRAGMENTED_BEFORE));
        assertEquals(2, net.a().counters.get(IpsecCounter.OUT_PROTECTED), "each fragment is its own ESP packet");
        assertEquals(1480 + 20, Ipv4.totalLength(first, first.readerIndex()) + Ipv4.totalLength(second, second.readerIndex()),
                "the two fragments carry the whole datagram (one more header)");
    }

    @Test
    void srcInterfaceGivesTheTunnelItsSourceAddress() throws Exception {
        Pair net = pair("s");
        // B expects its peer at 192.168.10.1, A's LAN address, which A is told to use as the tunnel source
        for (Node n : List.of(net.a(), net.b())) {
            boolean first = n == net.a();
            n.ok("create ipsec sas=1 key=manual prot=esp encalg=des enckey=1 hashalg=sha hashkey=2 inspi=" + (first ? 1000 : 1001)
                    + " outspi=" + (first ? 1001 : 1000));
            n.ok("create ipsec bundle=1 key=manual string=\"1\"");
            n.ok("create ipsec policy=vpn int=eth0 action=ipsec key=manual bundle=1 peer=10.0.0.2" + (first ? " srcinterface=vlan1" : ""));
            n.ok("set ipsec policy=vpn lad=" + (first ? "192.168.10.0" : "192.168.20.0") + " lma=255.255.255.0 rad="
                    + (first ? "192.168.20.0" : "192.168.10.0") + " rma=255.255.255.0");
            n.ok("enable ipsec");
        }
        net.hostA().transmit(ping(0xc0a80a05, 0xc0a81407, 56));
        assertTrue(waitFor(() -> !net.b().wanEsp.isEmpty()), "ESP reached B");
        ByteBuf esp = net.b().wanEsp.get(0);
        assertEquals(0xc0a80a01, Ipv4.source(esp, esp.readerIndex()), "the outer source is vlan1's address");
        assertNotNull(net.atB().poll(5, TimeUnit.SECONDS));
    }

    @Test
    void twoPeersWithIpcompBundlesBothGetTheirSas() throws Exception {
        Pair net = pair("c");
        Node a = net.a();
        a.ok("create ipsec sas=1 key=manual prot=esp encalg=des enckey=1 hashalg=sha hashkey=2 inspi=1000 outspi=1001");
        a.ok("create ipsec sas=2 key=manual prot=esp encalg=des enckey=1 hashalg=sha hashkey=2 inspi=2000 outspi=2001");
        a.ok("create ipsec sas=3 key=manual prot=comp compalg=lzs");
        a.ok("create ipsec bundle=1 key=manual string=\"1 and 3\"");
        a.ok("create ipsec bundle=2 key=manual string=\"2 and 3\"");
        a.ok("create ipsec policy=b int=eth0 action=ipsec key=manual bundle=1 peer=10.0.0.2 rad=192.168.20.0 rma=255.255.255.0");
        a.ok("create ipsec policy=c int=eth0 action=ipsec key=manual bundle=2 peer=10.0.0.3 rad=192.168.30.0 rma=255.255.255.0");
        a.ok("enable ipsec");
        assertEquals(List.of("b", "c"), a.sad.bundles().stream().map(SaBundle::policy).toList(),
                "the well-known LZS CPI is shared by both peers' bundles");
    }

    /** Every way an inbound IPsec packet can end: each counted exactly once per packet. */
    static final List<IpsecCounter> INBOUND_ENDINGS = List.of(IpsecCounter.IN_DECAPSULATED, IpsecCounter.IN_UNKNOWN_SPI,
            IpsecCounter.IN_TRUNCATED, IpsecCounter.IN_REPLAY_DUPLICATE, IpsecCounter.IN_REPLAY_OLD, IpsecCounter.IN_BAD_ICV,
            IpsecCounter.IN_BAD_PADDING, IpsecCounter.IN_BAD_LENGTH, IpsecCounter.IN_DECOMPRESS_FAILED, IpsecCounter.IN_WRONG_POLICY,
            IpsecCounter.IN_BAD_INNER, IpsecCounter.IN_UDP_HEARTBEAT, IpsecCounter.IN_NAT_KEEPALIVE);

    @Test
    void thousandsOfMangledIpsecPacketsAreEachCountedOnceAndTheTunnelKeepsWorking() throws Exception {
        Pair net = pair("z");
        Node b = net.b();
        manualVpn(net, " antireplay=yes", "");
        for (int i = 0; i < 3; i++) {
            net.hostA().transmit(ping(0xc0a80a05, 0xc0a81407, 40 + 300 * i));
            assertNotNull(net.atB().poll(5, TimeUnit.SECONDS));
        }
        List<ByteBuf> samples = List.copyOf(b.wanEsp);
        java.util.Random r = new java.util.Random(20261129);
        int sent = 0;
        for (int i = 0; i < 3000; i++) {
            ByteBuf genuine = samples.get(r.nextInt(samples.size()));
            int len = genuine.readableBytes();
            byte[] bytes = new byte[len];
            genuine.getBytes(genuine.readerIndex(), bytes);
            int proto = Ipv4.PROTO_ESP;
            switch (r.nextInt(6)) {
                case 0 -> len = 20 + r.nextInt(len - 20);                                   // truncated anywhere
                case 1 -> {                                                                 // bytes flipped after the IP header
                    for (int k = 1 + r.nextInt(3); k > 0; k--) {
                        bytes[20 + r.nextInt(len - 20)] ^= (byte) (1 + r.nextInt(255));
                    }
                }
                case 2 -> bytes[20 + r.nextInt(4)] = (byte) r.nextInt();                    // another SPI
                case 3 -> proto = r.nextBoolean() ? Ipv4.PROTO_AH : Ipv4.PROTO_IPCOMP;      // read as AH or IPComp
                case 4 -> {                                                                 // replayed as it was
                }
                default -> proto = Ipv4.PROTO_UDP;                                          // inside UDP to 2746 or 4500
            }
            ByteBuf p;
            if (proto == Ipv4.PROTO_UDP) {
                int cut = 20 + r.nextInt(len - 20 + 1);
                p = udp(0x0a000001, 0x0a000002, 2746, r.nextBoolean() ? 2746 : 4500, java.util.Arrays.copyOfRange(bytes, 20, cut));
                if (r.nextInt(4) == 0) {
                    p.setShort(24, r.nextInt(65536));                                        // a UDP length that lies
                }
            } else {
                p = ALLOC.buffer(len).writeBytes(bytes, 0, len);
                Ipv4.setProtocol(p, 0, proto);
                Ipv4.setTotalLength(p, 0, len);
                Ipv4.updateChecksum(p, 0);
            }
            net.wanA().transmit(p);
            sent++;
            if (sent % 250 == 0) {
                // in steps, so the in-memory wire's queue never overflows
                int expected = sent + 3;
                assertTrue(waitFor(() -> b.counters.get(IpsecCounter.IN_PACKETS) == expected && ended(b) == expected),
                        "every packet reached IPsec and ended in exactly one counter: inPackets " + b.counters.get(IpsecCounter.IN_PACKETS)
                                + ", ended " + ended(b) + " of " + expected);
            }
        }
        assertEquals(3, b.counters.get(IpsecCounter.IN_DECAPSULATED), "no mangled packet got through");
        net.hostA().transmit(ping(0xc0a80a05, 0xc0a81407, 56));
        assertNotNull(net.atB().poll(5, TimeUnit.SECONDS), "the tunnel still works: no exception killed the receive thread");
    }

    static long ended(Node n) {
        return INBOUND_ENDINGS.stream().mapToLong(n.counters::get).sum();
    }

    static ByteBuf udp(int src, int dst, int sport, int dport, byte[] payload) {
        int len = 28 + payload.length;
        ByteBuf b = ALLOC.buffer(len).writerIndex(len);
        Ipv4.write(b, 0, 0, len, 7, 0, 64, Ipv4.PROTO_UDP, src, dst);
        b.setShort(20, sport);
        b.setShort(22, dport);
        b.setShort(24, 8 + payload.length);
        b.setShort(26, 0);
        b.setBytes(28, payload);
        return b;
    }

    /**
     * Every port has its own receive thread, so two LANs can send through one SA at the same
     * moment, and ESP for one SA can arrive on two ports at once. The transform's scratch state
     * (IV, the JDK cipher and HMAC) must not be shared between two packets: every packet both
     * threads send must verify and decrypt at the peer, and re-fed from two threads it must
     * decapsulate again.
     */
    @Test
    void twoThreadsUsingOneSaAtOnceCorruptNoPacket() throws Exception {
        Pair net = pair("c");
        manualVpn(net, "");
        Node a = net.a();
        Node b = net.b();
        int perThread = 400;
        Runnable lanSender = () -> {
            for (int i = 0; i < perThread; i++) {
                a.fwd.input("vlan1", pingWithRoom(0xc0a80a05, 0xc0a81407, 200 + i % 50));
                if (i % 50 == 49) {
                    // let the WAN link drain so its queue does not overflow
                    waitQuietly(() -> b.counters.get(IpsecCounter.IN_PACKETS) + net.wanA().counters().txDrops.sum()
                            >= a.counters.get(IpsecCounter.OUT_PROTECTED) - 64);
                }
            }
        };
        runTogether(lanSender, lanSender);
        long sent = a.counters.get(IpsecCounter.OUT_PROTECTED);
        assertEquals(2 * perThread, sent);
        assertTrue(waitFor(() -> b.counters.get(IpsecCounter.IN_PACKETS) == sent - net.wanA().counters().txDrops.sum()),
                b.counters.get(IpsecCounter.IN_PACKETS) + " of " + sent);
        assertEquals(0, b.counters.get(IpsecCounter.IN_BAD_ICV), "no packet was sealed with another's state");
        assertEquals(0, b.counters.get(IpsecCounter.IN_BAD_PADDING));
        assertEquals(b.counters.get(IpsecCounter.IN_PACKETS), b.counters.get(IpsecCounter.IN_DECAPSULATED));
        assertTrue(b.counters.get(IpsecCounter.IN_DECAPSULATED) > perThread, "most packets crossed");

        // the same ESP, now arriving on two receive threads at once
        List<ByteBuf> esp = List.copyOf(b.wanEsp);
        long before = b.counters.get(IpsecCounter.IN_DECAPSULATED);
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        Runnable wanReceiver = () -> {
            for (int i; (i = next.getAndIncrement()) < esp.size(); ) {
                b.fwd.input("eth0", esp.get(i).copy());
            }
        };
        runTogether(wanReceiver, wanReceiver);
        assertEquals(0, b.counters.get(IpsecCounter.IN_BAD_ICV));
        assertEquals(before + esp.size(), b.counters.get(IpsecCounter.IN_DECAPSULATED));
    }

    /**
     * One pipeline per core, with anti-replay on: two LAN threads send through one SA (each with
     * its own copy of the transform, no lock); no sequence number reaches the peer twice and
     * the peer's window refuses none of them. Then every one of those ESP packets arrives twice
     * at a third router with the same keys, once on each of two receive threads racing each
     * other: each is decapsulated exactly once, and the copy that lost is counted as a replay.
     */
    @Test
    void twoThreadsPerSaSendNoNumberTwiceAndReceiveEachPacketOnce() throws Exception {
        Pair net = pair("p");
        manualVpn(net, " antireplayenabled=true replaywindowsize=256", "");
        Node a = net.a();
        Node b = net.b();
        int perThread = 400;
        Runnable lanSender = () -> {
            for (int i = 0; i < perThread; i++) {
                a.fwd.input("vlan1", pingWithRoom(0xc0a80a05, 0xc0a81407, 100 + i % 50));
                if (i % 50 == 49) {
                    waitQuietly(() -> b.counters.get(IpsecCounter.IN_PACKETS) + net.wanA().counters().txDrops.sum()
                            >= a.counters.get(IpsecCounter.OUT_PROTECTED) - 64);
                }
            }
        };
        runTogether(lanSender, lanSender);
        assertEquals(2 * perThread, a.counters.get(IpsecCounter.OUT_PROTECTED));
        assertEquals(2 * perThread, a.sad.outbound("vpn").outbound().get(0).lastSequence(), "one number per packet");
        long arrived = 2 * perThread - net.wanA().counters().txDrops.sum();
        assertTrue(waitFor(() -> b.counters.get(IpsecCounter.IN_PACKETS) == arrived), diag(net));
        Set<Long> numbers = new java.util.HashSet<>();
        for (ByteBuf esp : b.wanEsp) {
            assertTrue(numbers.add(esp.getUnsignedInt(esp.readerIndex() + 24)), "sequence number sent twice");
        }
        assertEquals(arrived, numbers.size());
        assertEquals(arrived, b.counters.get(IpsecCounter.IN_DECAPSULATED), "no valid packet refused: " + diag(net));

        Pair third = pair("q");
        manualVpn(third, " antireplayenabled=true replaywindowsize=256", "");
        Node c = third.b();
        List<ByteBuf> esp = List.copyOf(b.wanEsp);
        Runnable wanReceiver = () -> {
            for (ByteBuf p : esp) {
                c.fwd.input("eth0", p.copy());
            }
        };
        runTogether(wanReceiver, wanReceiver);
        assertEquals(0, c.counters.get(IpsecCounter.IN_BAD_ICV), "no packet opened with another thread's state");
        assertEquals(esp.size(), c.counters.get(IpsecCounter.IN_DECAPSULATED), "each packet delivered once: " + diag(third));
        assertEquals(esp.size(), c.counters.get(IpsecCounter.IN_REPLAY_DUPLICATE) + c.counters.get(IpsecCounter.IN_REPLAY_OLD),
                "and its second copy refused");
    }

    static void runTogether(Runnable... jobs) throws Exception {
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(jobs.length);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (Runnable job : jobs) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    job.run();
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertTrue(failures.isEmpty(), failures.toString());
    }

    static void waitQuietly(java.util.function.BooleanSupplier c) {
        try {
            waitFor(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static boolean waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (c.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
