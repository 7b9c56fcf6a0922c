package io.argate.bench.ip;

import io.argate.ip.forward.Forwarder;
import io.argate.ip.iface.Interfaces;
import io.argate.ip.packet.Ipv4;
import io.argate.ip.port.PacketSink;
import io.argate.ip.port.Port;
import io.argate.ip.port.PortCounters;
import io.argate.ip.route.Route;
import io.argate.ip.route.RouteTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Forwarding rate through the real path (input checks, ingress, TTL with incremental checksum,
 * longest-prefix route lookup over a table of 1,000 routes, post-routing, transmit) on one core,
 * between two in-memory ports, for 64- and 1400-byte packets. Run with {@code -prof gc}: the
 * allocation per packet (gc.alloc.rate.norm) should be ~0 B/op. The same-run reference is the
 * bare cost of touching the packet (re-arming its TTL and checksum) that every op also pays.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ForwardBench {
    @Param({"64", "1400"})
    int bytes;

    private Forwarder fwd;
    private Port in;
    private ByteBuf packet;

    /** A port that counts what it sends and hands the buffer back instead of freeing it. */
    public static final class SinkPort implements Port {
        final String name;
        public final PortCounters counters = new PortCounters();

        public SinkPort(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public String driver() {
            return "mem";
        }

        public int mtu() {
            return 1500;
        }

        public boolean linkUp() {
            return true;
        }

        public void start(PacketSink rx) {
        }

        public boolean transmit(ByteBuf p) {
            counters.txPackets.increment();
            p.release();
            return true;
        }

        public PortCounters counters() {
            return counters;
        }

        public void close() {
        }
    }

    @Setup
    public void setup() {
        Interfaces ifs = new Interfaces();
        ifs.add("vlan1", 0, 0xc0a80a01, 0xffffff00);
        ifs.add("eth0", 0, 0xc0a81401, 0xffffff00);
        fwd = new Forwarder(ifs, Clock.systemUTC(), PooledByteBufAllocator.DEFAULT);
        List<Route> routes = new ArrayList<>(ifs.connectedRoutes());
        for (int i = 0; i < 1000; i++) {
            routes.add(new Route(0x0a000000 | i << 8, 24, "eth0-0", 0xc0a814fe, 1, false));
        }
        fwd.routes(new RouteTable(routes));
        fwd.enabled(true);
        in = new SinkPort("vlan1");
        fwd.attach(in);
        fwd.attach(new SinkPort("eth0"));
        packet = PooledByteBufAllocator.DEFAULT.directBuffer(bytes).writerIndex(bytes);
        Ipv4.write(packet, 0, 0, bytes, 1, 0, 64, Ipv4.PROTO_UDP, 0xc0a80a05, 0x0a0001fe);
    }

    private void rearm() {
        packet.setByte(8, 64);
        Ipv4.updateChecksum(packet, 0);
        packet.readerIndex(0).writerIndex(bytes);
    }

    @Benchmark
    public void forward() {
        rearm();
        fwd.receive(in, packet.retain());
    }

    @Benchmark
    public void rearmReference() {
        rearm();
    }
}
