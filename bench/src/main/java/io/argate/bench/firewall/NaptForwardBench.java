package io.argate.bench.firewall;

import io.argate.bench.ip.ForwardBench;
import io.argate.firewall.config.FirewallConfig;
import io.argate.firewall.config.FirewallPolicy;
import io.argate.firewall.config.InterfaceNat;
import io.argate.firewall.config.InterfaceType;
import io.argate.firewall.config.NatType;
import io.argate.firewall.engine.CompiledFirewall;
import io.argate.firewall.engine.FirewallEngine;
import io.argate.ip.forward.Forwarder;
import io.argate.ip.forward.Stage;
import io.argate.ip.iface.Interfaces;
import io.argate.ip.packet.Ipv4;
import io.argate.ip.port.Port;
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
 * NAPT forwarding rate for 64-byte UDP packets through the whole path (the Forwarder of
 * {@link ForwardBench} with the firewall's two stages filled, PRIVATE vlan1, PUBLIC eth0, ENHANCED
 * NAT on eth0's address), LAN to WAN over N established flows, against plain forwarding of the
 * same packets by a Forwarder without the firewall, in the same run. Each op restores the
 * packet's 28 header bytes from its flow's template (both modes pay it), so every packet is its
 * flow's next packet as its host sent it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:+AlwaysPreTouch"})
public class NaptForwardBench {
    @Param({"plain", "napt"})
    String mode;

    @Param({"1000"})
    int flows;

    private Forwarder fwd;
    private Port in;
    private ForwardBench.SinkPort out;
    private ByteBuf packet;
    private ByteBuf[] templates;
    private int next;

    @Setup
    public void setup() {
        Interfaces ifs = new Interfaces();
        ifs.add("vlan1", 0, 0xc0a80a01, 0xffffff00);
        ifs.add("eth0", 0, 0xc0a81401, 0xffffff00);
        fwd = new Forwarder(ifs, Clock.systemUTC(), PooledByteBufAllocator.DEFAULT);
        List<Route> routes = new ArrayList<>(ifs.connectedRoutes());
        routes.add(new Route(0, 0, "eth0-0", 0xc0a814fe, 1, false));
        fwd.routes(new RouteTable(routes));
        if (mode.equals("napt")) {
            FirewallEngine engine = new FirewallEngine(flows * 2, Clock.systemUTC(), fwd::addressOf, 7);
            FirewallConfig config = new FirewallConfig();
            config.enabled(true);
            FirewallPolicy p = config.create("net");
            p.interfaces().put("vlan1", InterfaceType.PRIVATE);
            p.interfaces().put("eth0", InterfaceType.PUBLIC);
            p.nats().add(new InterfaceNat(NatType.ENHANCED, "vlan1", "eth0", null, null));
            engine.install(CompiledFirewall.compile(config, engine::counters));
            fwd.fill(Stage.FIREWALL_INGRESS, engine.ingress());
            fwd.fill(Stage.FIREWALL_EGRESS, engine.egress());
        }
        fwd.enabled(true);
        in = new ForwardBench.SinkPort("vlan1");
        out = new ForwardBench.SinkPort("eth0");
        fwd.attach(in);
        fwd.attach(out);
        packet = PooledByteBufAllocator.DEFAULT.directBuffer(64).writerIndex(64);
        templates = new ByteBuf[flows];
        for (int i = 0; i < flows; i++) {
            ByteBuf t = PooledByteBufAllocator.DEFAULT.heapBuffer(64).writerIndex(64);
            Ipv4.write(t, 0, 0, 64, 1, 0, 64, Ipv4.PROTO_UDP, 0xc0a80a00 | (2 + i % 250), 0x08080800 | (i / 250));
            t.setShort(20, 1024 + i);
            t.setShort(22, 53);
            t.setShort(24, 44);
            t.setShort(26, 0);
            templates[i] = t;
        }
        // the first packet of each flow opens its session, so the measured ones are established flows
        for (int i = 0; i < flows; i++) {
            forward();
        }
        long sent = out.counters.txPackets.sum();
        if (sent != flows) {
            throw new IllegalStateException("set-up forwarded " + sent + " of " + flows + " packets: the path drops them");
        }
    }

    @Benchmark
    public void forward() {
        int i = next;
        next = i + 1 == flows ? 0 : i + 1;
        packet.setBytes(0, templates[i], 0, 28);
        packet.readerIndex(0).writerIndex(64);
        fwd.receive(in, packet.retain());
    }
}
