package io.argate.bench.firewall;

import io.argate.firewall.config.FirewallConfig;
import io.argate.firewall.config.FirewallPolicy;
import io.argate.firewall.config.InterfaceNat;
import io.argate.firewall.config.InterfaceType;
import io.argate.firewall.config.NatType;
import io.argate.firewall.engine.CompiledFirewall;
import io.argate.firewall.engine.FirewallEngine;
import io.argate.ip.forward.PacketContext;
import io.argate.ip.packet.Ipv4;
import io.argate.ip.route.Route;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
import java.util.concurrent.TimeUnit;

/**
 * What the firewall adds per 64-byte packet: one outbound packet of an established ENAT flow
 * through FIREWALL_INGRESS and FIREWALL_EGRESS (tracked, translated, checksums updated), then
 * its reply inbound (translated back), among N flows. The same-run reference ({@code off}) is the
 * same two stages with the firewall disabled, plus the same restore of the packet bytes each op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"})
public class FirewallPathBench {
    @Param({"off", "napt"})
    String mode;

    @Param({"1000"})
    int flows;

    private FirewallEngine engine;
    private final PacketContext ctx = new PacketContext();
    private final Route toWan = new Route(0, 0, "ppp0", 0, 0, true);
    private final Route toLan = new Route(0xC0A80A00, 24, "vlan1", 0, 0, true);
    private ByteBuf[] outTemplate;
    private ByteBuf[] inTemplate;
    private ByteBuf packet;
    private int next;

    @Setup
    public void build() {
        engine = new FirewallEngine(flows * 2, Clock.systemUTC(), i -> i.equals("ppp0") ? 0x01010101 : 0xC0A80A01);
        FirewallConfig config = new FirewallConfig();
        config.enabled(mode.equals("napt"));
        FirewallPolicy p = config.create("net");
        p.interfaces().put("vlan1", InterfaceType.PRIVATE);
        p.interfaces().put("ppp0", InterfaceType.PUBLIC);
        p.nats().add(new InterfaceNat(NatType.ENHANCED, "vlan1", "ppp0", null, null));
        engine.install(CompiledFirewall.compile(config, engine::counters));
        outTemplate = new ByteBuf[flows];
        inTemplate = new ByteBuf[flows];
        packet = Unpooled.buffer(64);
        for (int i = 0; i < flows; i++) {
            outTemplate[i] = udp(0xC0A80A00 | (2 + i % 250), 1024 + i, 0x08080808, 53);
            ByteBuf first = outTemplate[i].copy();
            forward("vlan1", first, toWan);
            inTemplate[i] = udp(0x08080808, 53, Ipv4.source(first, 0), first.getUnsignedShort(20));
        }
    }

    private static ByteBuf udp(int src, int sport, int dst, int dport) {
        ByteBuf b = Unpooled.buffer(64);
        Ipv4.write(b, 0, 0, 64, 1, 0, 64, Ipv4.PROTO_UDP, src, dst);
        b.setShort(20, sport);
        b.setShort(22, dport);
        b.setShort(24, 44);
        b.setShort(26, 0x5555);
        b.writerIndex(64);
        return b;
    }

    private void forward(String in, ByteBuf b, Route r) {
        ctx.reset(in, false);
        engine.ingress().filter(ctx, b);
        ctx.route(r);
        engine.egress().filter(ctx, b);
    }

    @Benchmark
    public int outAndBack() {
        int i = next;
        next = i + 1 == flows ? 0 : i + 1;
        packet.setBytes(0, outTemplate[i], 0, 28);
        packet.writerIndex(64);
        forward("vlan1", packet, toWan);
        int sum = packet.getInt(12);
        packet.setBytes(0, inTemplate[i], 0, 28);
        forward("ppp0", packet, toLan);
        return sum + packet.getInt(16);
    }
}
