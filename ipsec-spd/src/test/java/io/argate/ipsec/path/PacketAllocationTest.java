package io.argate.ipsec.path;

import io.argate.enco.Enco;
import io.argate.enco.soft.SoftwareDriver;
import io.argate.ip.forward.Forwarder;
import io.argate.ip.iface.Interfaces;
import io.argate.ip.packet.Ipv4;
import io.argate.ip.port.PacketBuffers;
import io.argate.ip.port.PacketSink;
import io.argate.ip.port.Port;
import io.argate.ip.port.PortCounters;
import io.argate.ip.route.Route;
import io.argate.ip.route.RouteTable;
import io.argate.ipsec.IpsecCounter;
import io.argate.ipsec.config.IpsecConfig;
import io.argate.ipsec.diag.PolicyCounters;
import io.argate.ipsec.diag.PolicyDebug;
import io.argate.ipsec.esp.Transform;
import io.argate.ipsec.sad.Sad;
import io.argate.ipsec.spd.AddressSpec;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spd.PeerAddress;
import io.argate.ipsec.spd.PolicyAction;
import io.argate.ipsec.spec.BundleExpression;
import io.argate.ipsec.spec.BundleSpecification;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.EncoKeys;
import io.argate.ipsec.spec.HashAlg;
import io.argate.ipsec.spec.IpsecProtocol;
import io.argate.ipsec.spec.KeyManagement;
import io.argate.ipsec.spec.SaSpecification;
import io.argate.store.EventLog;
import io.argate.store.Nvs;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, "no allocation per packet": the bytes the receiving thread allocates while packets
 * go through the whole path, counted by the JVM for that thread
 * ({@code ThreadMXBean.getCurrentThreadAllocatedBytes}, exact, no timing involved), must stay
 * below a few bytes per packet once the path is warm. Two routers joined by their WAN ports, a
 * manual-key ESP tunnel (AES-128-CBC with HMAC-SHA1-96, whose software channels allocate
 * nothing) between their LANs, packets in {@link PacketBuffers} as a TUN port reads them (with
 * headroom), each packet a receive batch of its own (so the batch's end is counted too):
 * forwarding that the SPD permits, encapsulation on one router and decapsulation on the other. One object made per packet anywhere on these paths (16 bytes or more) fails the
 * test, whichever of the path's classes made it. AES-GCM is not checked here: the JDK's GCM
 * itself allocates about 1 KB per packet (see bench/ JdkCipherAllocationBench).
 */
class PacketAllocationTest {
    private static final int PACKET = 1400;
    /**
     * Enough for every lazily made object (a thread's transform copies, scratch, cached buffers);
     * the path does not rely on the JIT's escape analysis (it measured the same with C1 only), so
     * how far compilation has got does not matter.
     */
    private static final int WARM_UP = 2_000;
    private static final int MEASURED = 10_000;
    /** Allowed average per packet: below any object (16 bytes), room for a rare one-off (a compiled method's deoptimisation). */
    private static final double BOUND = 4.0;
    private static final int LAN_A = 0xc0a80a05;
    private static final int LAN_B = 0xc0a81407;
    /** Beyond the tunnel's networks: the "inet" policy permits it in the clear. */
    private static final int INTERNET = 0x08080808;

    @TempDir
    Path dir;

    private final List<AutoCloseable> closers = new ArrayList<>();
    private Router a;
    private Router b;
    private final byte[] inner = new byte[PACKET];
    private final byte[] plain = new byte[PACKET];

    /** A port that keeps the last packet the router sent, on the sending thread. */
    static final class SyncPort implements Port {
        final String name;
        final PortCounters counters = new PortCounters();
        ByteBuf last;

        SyncPort(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public String driver() {
            return "test";
        }

        public int mtu() {
            return 1500;
        }

        public boolean linkUp() {
            return true;
        }

        public void start(PacketSink rx) {
        }

        public boolean transmit(ByteBuf packet) {
            if (last != null) {
                last.release();
            }
            last = packet;
            return true;
        }

        ByteBuf take() {
            ByteBuf p = last;
            last = null;
            return p;
        }

        public PortCounters counters() {
            return counters;
        }

        public void close() {
        }
    }

    /** One router: LAN vlan1, WAN eth0, the manual ESP policy to the other LAN and a PERMIT for the rest. */
    final class Router {
        final Forwarder fwd;
        final SyncPort lan = new SyncPort("vlan1");
        final SyncPort wan = new SyncPort("eth0");
        final IpsecCounter.Set counters = new IpsecCounter.Set();
        final IpsecEngine engine;

        Router(boolean first) throws Exception {
            int lanNet = first ? 0xc0a80a00 : 0xc0a81400;
            int peerLan = first ? 0xc0a81400 : 0xc0a80a00;
            int wanAddr = first ? 0x0a000001 : 0x0a000002;
            int peerWan = first ? 0x0a000002 : 0x0a000001;
            Interfaces ifs = new Interfaces();
            ifs.add("vlan1", 0, lanNet | 1, 0xffffff00);
            ifs.add("eth0", 0, wanAddr, 0xfffffffc);
            fwd = new Forwarder(ifs, Clock.systemUTC(), PacketBuffers.ALLOC);
            List<Route> routes = new ArrayList<>(ifs.connectedRoutes());
            routes.add(new Route(peerLan, 24, "eth0-0", peerWan, 1, false));
            routes.add(new Route(0, 0, "eth0-0", peerWan, 1, false));
            fwd.routes(new RouteTable(routes));
            fwd.enabled(true);
            fwd.attach(lan);
            fwd.attach(wan);
            Map<Integer, byte[]> keyValues = Map.of(1, new byte[16], 2, new byte[20]);
            EncoKeys keys = new EncoKeys() {
                public Optional<KeyInfo> info(int k) {
                    byte[] v = keyValues.get(k);
                    return v == null ? Optional.empty() : Optional.of(new KeyInfo("GENERAL", v.length));
                }

                public Optional<byte[]> value(int k) {
                    return Optional.ofNullable(keyValues.get(k));
                }
            };
            Nvs nvs = Nvs.open(dir.resolve(first ? "a" : "b"));
            closers.add(nvs);
            EventLog log = new EventLog(nvs, Clock.systemUTC());
            IpsecConfig config = new IpsecConfig();
            engine = new IpsecEngine(config, new Sad<Transform>(Clock.systemUTC()), new Enco(new SoftwareDriver(), List.of(), log), keys, fwd,
                    PacketBuffers.ALLOC, counters, new PolicyCounters(), new PolicyDebug(), log, Clock.systemUTC());
            config.putSpec(SaSpecification.defaults(1, KeyManagement.MANUAL, IpsecProtocol.ESP).withEncAlg(EncAlg.AES128).withHashAlg(HashAlg.SHA)
                    .withKeys(1, 2).withSpis(first ? 1000 : 1001, first ? 1001 : 1000).withReplay(true, 64));
            config.putBundle(new BundleSpecification(1, KeyManagement.MANUAL,
                    BundleExpression.parse("1", KeyManagement.MANUAL, n -> new BundleExpression.SpecInfo(IpsecProtocol.ESP, KeyManagement.MANUAL)),
                    BundleSpecification.DEFAULT_EXPIRY_SECONDS, 0));
            config.addPolicy(IpsecPolicy.builder("vpn", "eth0", PolicyAction.IPSEC).keyManagement(KeyManagement.MANUAL).bundle(1)
                    .peer(PeerAddress.of(peerWan)).local(AddressSpec.address(lanNet).withMask(0xffffff00))
                    .remote(AddressSpec.address(peerLan).withMask(0xffffff00)).build(), 0);
            config.addPolicy(IpsecPolicy.builder("inet", "eth0", PolicyAction.PERMIT).build(), 0);
            config.enabled(true);
            engine.commit();
        }
    }

    @BeforeEach
    void routers() throws Exception {
        a = new Router(true);
        b = new Router(false);
        writeUdp(inner, LAN_A, LAN_B);
        writeUdp(plain, LAN_A, INTERNET);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closers) {
            c.close();
        }
    }

    private static void writeUdp(byte[] into, int src, int dst) {
        ByteBuf t = PacketBuffers.ALLOC.heapBuffer(PACKET).writerIndex(PACKET);
        Ipv4.write(t, 0, 0, PACKET, 1, 0, 64, Ipv4.PROTO_UDP, src, dst);
        t.setShort(20, 4000);
        t.setShort(22, 5000);
        t.setShort(24, PACKET - 20);
        t.getBytes(0, into);
        t.release();
    }

    /** A packet as a TUN port reads it: a buffer from the packet allocator with headroom for the tunnel's headers. */
    private static ByteBuf received(byte[] bytes) {
        ByteBuf p = PacketBuffers.ALLOC.buffer(Port.HEADROOM + bytes.length + Port.HEADROOM);
        p.writerIndex(Port.HEADROOM).readerIndex(Port.HEADROOM);
        return p.writeBytes(bytes);
    }

    /** A LAN packet through A's ESP, the ESP through B, the inner packet out of B's LAN: bytes per round trip. */
    private int tunnel() {
        a.fwd.receive(a.lan, received(inner));
        a.fwd.batchEnd();
        ByteBuf esp = a.wan.take();
        b.fwd.receive(b.wan, esp);
        b.fwd.batchEnd();
        ByteBuf out = b.lan.take();
        int n = out.readableBytes();
        out.release();
        return n;
    }

    private int forward() {
        a.fwd.receive(a.lan, received(plain));
        // a port ends each read batch so; with a batch of one packet that is once per packet
        a.fwd.batchEnd();
        ByteBuf out = a.wan.take();
        int n = out.readableBytes();
        out.release();
        return n;
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Average bytes this thread allocated per call of {@code op}, after a warm-up, asserting each call did its work. */
    private static double perPacket(java.util.function.IntSupplier op, int expectLength) {
        for (int i = 0; i < WARM_UP; i++) {
            assertEquals(expectLength, op.getAsInt());
        }
        allocatedByThisThread();
        long before = allocatedByThisThread();
        long sum = 0;
        for (int i = 0; i < MEASURED; i++) {
            sum += op.getAsInt();
        }
        long after = allocatedByThisThread();
        assertEquals((long) expectLength * MEASURED, sum, "every packet went through");
        return (after - before) / (double) MEASURED;
    }

    @Test
    void forwardingThatTheSpdPermitsAllocatesNothing() {
        double bytes = perPacket(this::forward, PACKET);
        assertTrue(bytes < BOUND, "forwarding allocated " + bytes + " bytes per packet");
        assertEquals(WARM_UP + MEASURED, a.counters.get(IpsecCounter.OUT_PERMITTED));
    }

    @Test
    void espEncapsulationAndDecapsulationAllocateNothing() {
        double bytes = perPacket(this::tunnel, PACKET);
        assertTrue(bytes < BOUND, "ESP out and in allocated " + bytes + " bytes per packet");
        assertEquals(WARM_UP + MEASURED, a.counters.get(IpsecCounter.OUT_PROTECTED));
        assertEquals(WARM_UP + MEASURED, b.counters.get(IpsecCounter.IN_DECAPSULATED));
    }
}
