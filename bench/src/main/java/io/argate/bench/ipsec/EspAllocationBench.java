package io.argate.bench.ipsec;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What one packet allocates on ESP's path, each part on its own thread so {@code -prof gc}'s
 * gc.alloc.rate.norm belongs to it alone (in {@link EspEngineBench} the ESP benchmark and its
 * reference share one group, and JMH reports their allocation together): the router's
 * encapsulation and decapsulation of a 1400-byte packet (the packet's buffer included, as a
 * port would allocate it), and the raw JDK cipher on the same bytes as EspEngineBench's
 * throughput reference calls it. For CBC/HMAC that reference is the usual init-per-packet and
 * Mac.doFinal, which allocate; ENCO's channels no longer call the JDK so.
 * {@link io.argate.bench.enco.JdkCipherAllocationBench} has the JDK's share in the channels' own
 * call shapes, so an ESP figure here splits into cipher and own (bench/README.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class EspAllocationBench {
    @Param({"AESGCM128", "AES128+SHA"})
    String suite;

    private final EspEngineBench esp = new EspEngineBench();

    @Setup
    public void setup() throws Exception {
        esp.suite = suite;
        esp.buffers = "heap";
        esp.setup();
    }

    @TearDown(Level.Trial)
    public void check() {
        esp.check();
    }

    @Benchmark
    public int espEncapsulate() {
        return esp.espEncapsulate();
    }

    @Benchmark
    public int espDecapsulate() {
        return esp.espDecapsulate();
    }

    @Benchmark
    public int rawJdkEncrypt() throws Exception {
        return esp.rawJdkEncrypt();
    }

    @Benchmark
    public int rawJdkDecrypt() throws Exception {
        return esp.rawJdkDecrypt();
    }
}
