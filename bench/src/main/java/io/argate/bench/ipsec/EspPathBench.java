package io.argate.bench.ipsec;

import io.argate.enco.soft.SoftwareDriver;
import io.argate.enco.spi.Algorithm;
import io.argate.ip.packet.Ipv4;
import io.argate.ipsec.esp.EspTransform;
import io.argate.ipsec.sad.Lifetime;
import io.argate.ipsec.sad.Sa;
import io.argate.ipsec.sad.SaBundle;
import io.argate.ipsec.sad.Sad;
import io.argate.ipsec.spd.AddressSelector;
import io.argate.ipsec.spd.CompiledSpd;
import io.argate.ipsec.spd.Direction;
import io.argate.ipsec.spd.Rule;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.ipsec.spec.IpsecProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * ESP encapsulation of a 1400-byte packet through the pieces of the outbound path that exist:
 * SPD lookup (compiled classifier), the policy's SA bundle from the SAD, the sequence number,
 * ESP padding, trailer, crypto through the ENCO channel and ICV, and the outer IPv4 header.
 * The reference is the raw JDK cipher (and HMAC) on the same bytes with a fresh IV, what ESP
 * cannot do with less. Target: at least 0.7 of the reference. The two run at the same time, one
 * thread each (JMH group {@code encapsulate}), so that they see the same machine; see
 * EspEngineBench for why.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+AlwaysPreTouch"})
public class EspPathBench {
    @Param({"AESGCM128", "AES128+SHA"})
    String suite;

    private static final int PACKET = 1400;
    private CompiledSpd<String> spd;
    private Sad<EspTransform> sad;
    private ByteBuf buf;
    private int head;
    /** The reference's own object: its thread writes only there. */
    private EspEngineBench.RawCipher reference;

    @Setup
    public void setup() throws Exception {
        SoftwareDriver sw = new SoftwareDriver();
        boolean gcm = suite.equals("AESGCM128");
        EspTransform t = gcm
                ? new EspTransform(EncAlg.AESGCM128, sw.aead(Algorithm.AES_GCM_128, new byte[16], 16), new byte[4], "software")
                : new EspTransform(EncAlg.AES128, HashAlg.SHA, sw.cipher(Algorithm.AES_CBC_128, new byte[16]),
                sw.mac(Algorithm.HMAC_SHA1_96, new byte[20]), "software");
        sad = new Sad<>(Clock.systemUTC());
        sad.install(new SaBundle<>(1, "vpn", 1, 0xc0000202, true,
                List.of(new Sa<>(1, IpsecProtocol.ESP, 0x1000, false, 1, t, null)), List.of(), Clock.systemUTC().instant(), Lifetime.UNLIMITED));
        spd = CompiledSpd.compile(Map.of("ppp0", List.of("isa", "vpn", "inet")), p -> switch (p) {
            case "isa" -> new Rule(AddressSelector.ANY, AddressSelector.ANY, 500, 500, 17);
            case "vpn" -> new Rule(AddressSelector.masked(0xc0a80a00, 0xffffff00), AddressSelector.masked(0xc0a81400, 0xffffff00), -1, -1, -1);
            default -> Rule.ALL;
        });
        head = 20 + t.headerLength();
        buf = Unpooled.buffer(head + PACKET + t.maxTrailer());
        Ipv4.write(buf, head, 0, PACKET, 1, 0, 64, Ipv4.PROTO_UDP, 0xc0a80a05, 0xc0a81407);
        reference = new EspEngineBench.RawCipher(gcm);
    }

    @Benchmark
    @Group("encapsulate")
    @GroupThreads(1)
    public int espEncapsulate() throws Exception {
        // the inner packet sits where the last one was; only the crypto output changed
        CompiledSpd.Match<String> m = spd.lookup("ppp0", Direction.OUTBOUND, 0xc0a80a05, 0xc0a81407, Ipv4.PROTO_UDP, 4000, 5000);
        SaBundle<EspTransform> b = sad.outbound(m.policy());
        Sa<EspTransform> sa = b.outbound().get(0);
        long seq = sa.nextSequence();
        int esp = sa.transform().seal(buf, head, head + PACKET, Ipv4.PROTO_IPIP, sa.spi(), seq & 0xffffffffL);
        Ipv4.write(buf, esp - 20, 0, buf.writerIndex() - esp + 20, (int) seq, Ipv4.FLAG_DF, 64, Ipv4.PROTO_ESP, 0xc0000201, b.peer());
        sad.countBytes(b, sa, PACKET);
        return buf.writerIndex();
    }

    @Benchmark
    @Group("encapsulate")
    @GroupThreads(1)
    public int rawJdkReference() throws Exception {
        return reference.encrypt();
    }
}
