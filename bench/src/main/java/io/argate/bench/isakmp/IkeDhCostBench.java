package io.argate.bench.isakmp;

import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.crypto.ModpGroup;
import io.argate.isakmp.crypto.RandomSource;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.lang.management.ManagementFactory;

import java.util.concurrent.TimeUnit;

/**
 * The Diffie-Hellman work of one negotiation of {@link IkeSetupRateBench}, on one thread, through
 * the daemon's own {@link ModpGroup}: phase 1 and PFS each make a key pair and a shared secret on
 * both sides, so 4 generations and 4 agreements with the default DHEXPONENTLENGTH. Its time per
 * operation against the rate bench's CPU per negotiation is the split between DH and the rest.
 * The exponentiations run on the process's DH engine, as the daemon's do (libcrypto unless
 * {@code -Dargate.dh.engine=java}).
 * The score is wall time, which a busy shared host inflates; each iteration also prints the
 * thread's CPU time per operation ("ike-dh:" lines), the figure to set against the rate bench's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class IkeDhCostBench {
    @Param({"2", "14"})
    int group;

    private ModpGroup modp;
    private RandomSource random;
    private int bits;
    private long ops;
    private long ops0;
    private long cpu0;
    private volatile Thread runner;

    @Setup
    public void setup() {
        modp = ModpGroup.of(group).orElseThrow();
        random = RandomSource.secure();
        bits = IsakmpPolicy.defaults("x", 1, false).dhExponentLength();
        System.out.printf("%nike-dh: setup jdk=%s dh=%s%n", System.getProperty("java.version"), Gateway.dhEngine());
    }

    @Setup(Level.Iteration)
    public void mark() {
        ops0 = ops;
        cpu0 = runner == null ? -1 : ManagementFactory.getThreadMXBean().getThreadCpuTime(runner.getId());
    }

    @TearDown(Level.Iteration)
    public void report(IterationParams iteration) {
        if (cpu0 >= 0 && ops > ops0) {
            double ms = (ManagementFactory.getThreadMXBean().getThreadCpuTime(runner.getId()) - cpu0) / 1e6 / (ops - ops0);
            System.out.printf("%nike-dh: %s group=%d CPU ms per negotiation's DH %.3f%n",
                    iteration.getType() == IterationType.MEASUREMENT ? "measurement" : "warmup", group, ms);
        }
    }

    @Benchmark
    public void negotiationDh(Blackhole bh) {
        runner = Thread.currentThread();
        ops++;
        for (int phase = 0; phase < 2; phase++) {
            ModpGroup.KeyPair i = modp.generate(random, bits);
            ModpGroup.KeyPair r = modp.generate(random, bits);
            bh.consume(modp.agree(i, r.publicValue()));
            bh.consume(modp.agree(r, i.publicValue()));
        }
    }
}
