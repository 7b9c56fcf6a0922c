package io.argate.bench.enco;

import io.argate.enco.soft.SoftwareDriver;
import io.argate.enco.spi.Algorithm;
import io.argate.enco.spi.DhGroup;
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

import java.util.concurrent.TimeUnit;

/**
 * Diffie-Hellman shared-secret computations per second per MODP group with a 256-bit private
 * exponent (the IKE short-exponent practice); openssl's ffdh2048 derive (225-bit exponent) is
 * the same-run reference for group 14.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class DhBench {
    @Param({"MODP_768", "MODP_1024", "MODP_1536", "MODP_2048", "MODP_3072", "MODP_4096"})
    String group;

    private DhGroup dh;
    private DhGroup.KeyPair mine;
    private byte[] peer;

    @Setup
    public void setup() throws Exception {
        dh = new SoftwareDriver().dh(Algorithm.valueOf(group));
        mine = dh.generate(256);
        peer = dh.generate(256).publicValue();
    }

    @Benchmark
    public byte[] agree() throws Exception {
        return dh.agree(mine, peer);
    }
}
