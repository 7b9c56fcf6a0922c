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
 * ESP on a 1400-byte packet through the pieces of the data path the issue names, without the
 * forwarder around them (EspEngineBench measures the whole router):
 * <ul>
 * <li>{@code encapsulate}: SPD lookup (compiled classifier), the policy's SA bundle from the SAD,
 * the sequence number, under the SA's lock ESP padding, trailer, IV, crypto and ICV, the outer
 * IPv4 header, the lifetime count;</li>
 * <li>{@code decapsulate}: the receive copy, the SA by SPI, under its lock the sequence number,
 * ICV check, decryption and padding check, then the inner packet against the SPD, the lifetime
 * count. The one recorded packet is opened again and again, so this SA has no replay window.</li>
 * </ul>
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
    /** One ESP packet (outer header on) for the inbound SA, as a port would receive it. */
    private byte[] received;
    private ByteBuf rx;

    @Setup
    public void setup() throws Exception {
        SoftwareDriver sw = new SoftwareDriver();
        boolean gcm = suite.equals("AESGCM128");
        EspTransform t = transform(sw, gcm);
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

        // the other direction: an inbound SA, and one packet sealed for it by its peer
        // (under another policy name: sad.outbound("vpn") must keep finding bundle 1's outbound SA)
        sad.install(new SaBundle<>(2, "vpn-inbound", 1, 0xc0000202, true, List.of(),
                List.of(new Sa<>(2, IpsecProtocol.ESP, 0x2000, true, 1, transform(sw, gcm), null)), Clock.systemUTC().instant(),
                Lifetime.UNLIMITED));
        EspTransform peer = transform(sw, gcm);
        ByteBuf p = Unpooled.buffer(head + PACKET + peer.maxTrailer());
        Ipv4.write(p, head, 0, PACKET, 1, 0, 64, Ipv4.PROTO_UDP, 0xc0a81407, 0xc0a80a05);
        p.setShort(head + 20, 5000);
        p.setShort(head + 22, 4000);
        int esp = peer.seal(p, head, head + PACKET, Ipv4.PROTO_IPIP, 0x2000, 1);
        Ipv4.write(p, esp - 20, 0, p.writerIndex() - esp + 20, 1, 0, 64, Ipv4.PROTO_ESP, 0xc0000202, 0xc0000201);
        received = new byte[p.writerIndex() - (esp - 20)];
        p.getBytes(esp - 20, received);
        rx = Unpooled.buffer(received.length);
    }

    private static EspTransform transform(SoftwareDriver sw, boolean gcm) throws Exception {
        return gcm
                ? new EspTransform(EncAlg.AESGCM128, sw.aead(Algorithm.AES_GCM_128, new byte[16], 16), new byte[4], "software")
                : new EspTransform(EncAlg.AES128, HashAlg.SHA, sw.cipher(Algorithm.AES_CBC_128, new byte[16]),
                sw.mac(Algorithm.HMAC_SHA1_96, new byte[20]), "software");
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
        int esp;
        synchronized (sa) {
            esp = sa.transform().seal(buf, head, head + PACKET, Ipv4.PROTO_IPIP, sa.spi(), seq & 0xffffffffL);
        }
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

    @Benchmark
    @Group("decapsulate")
    @GroupThreads(1)
    public int espDecapsulate() throws Exception {
        rx.clear().writeBytes(received);
        int esp = Ipv4.headerLength(rx, 0);
        Sa<EspTransform> sa = sad.inbound(IpsecProtocol.ESP, rx.getInt(esp));
        int start;
        int next;
        synchronized (sa) {
            long seq = sa.inboundSequence(rx.getUnsignedInt(esp + 4));
            start = sa.transform().open(rx, esp, rx.writerIndex(), seq, false);
            next = sa.transform().nextHeader();
        }
        if (start < 0 || next != Ipv4.PROTO_IPIP) {
            throw new IllegalStateException("the recorded packet did not open: " + sa.transform().lastDrop());
        }
        int l4 = start + Ipv4.headerLength(rx, start);
        CompiledSpd.Match<String> m = spd.lookup("ppp0", Direction.INBOUND, Ipv4.source(rx, start), Ipv4.destination(rx, start),
                Ipv4.protocol(rx, start), rx.getUnsignedShort(l4), rx.getUnsignedShort(l4 + 2));
        sad.countBytes(sa.bundle(), sa, received.length - esp);
        return m.policy().length() + start;
    }

    @Benchmark
    @Group("decapsulate")
    @GroupThreads(1)
    public int rawJdkDecrypt() throws Exception {
        return reference.decrypt();
    }
}
