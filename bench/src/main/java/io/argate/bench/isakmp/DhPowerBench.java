package io.argate.bench.isakmp;

import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.crypto.DhEngine;
import io.argate.isakmp.crypto.DhEngines;
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
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.lang.management.ManagementFactory;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One modular exponentiation of a negotiation, per DH engine in the same run: g^x (a key pair) and
 * y^x (a shared secret, y a peer's public value), with the default DHEXPONENTLENGTH's exponent
 * length for the group. Engines: {@code libcrypto} (g^x from the tables of powers of g),
 * {@code libcrypto-modexp} (every power by BN_mod_exp_mont_consttime, the engine before the
 * tables) and {@code java} (BigInteger.modPow). Setup checks the engines agree. Each iteration also
 * prints the thread's CPU time per operation ("dh-power:" lines), the figure to compare on a busy host.
 * <pre>java -jar bench/target/benchmarks.jar DhPowerBench</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class DhPowerBench {
    @Param({"2", "14"})
    int group;

    @Param({"libcrypto", DhEngines.LIBCRYPTO_MODEXP, "java"})
    String engine;

    private ModpGroup modp;
    private DhEngine dh;
    private BigInteger[] exponents;
    private BigInteger peer;
    private int next;

    @Setup
    public void setup() {
        modp = ModpGroup.of(group).orElseThrow();
        DhEngines.Choice c = DhEngines.named(engine);
        if (!c.engine().name().equals(engine)) {
            throw new IllegalStateException("engine " + engine + " not available: " + c.fallback().orElse(c.engine().name()));
        }
        dh = c.engine();
        // exponents as the daemon makes them: DHEXPONENTLENGTH's default, never below twice the group's strength
        int bits = IsakmpPolicy.defaults("x", 1, false).dhExponentLength();
        RandomSource random = RandomSource.secure();
        exponents = new BigInteger[64];
        for (int i = 0; i < exponents.length; i++) {
            exponents[i] = modp.generate(random, bits).x();
        }
        peer = new BigInteger(1, DhEngines.named("java").engine().power(modp, BigInteger.TWO, exponents[0].add(BigInteger.ONE)));
        for (BigInteger x : exponents) {
            byte[] want = DhEngines.named("java").engine().power(modp, BigInteger.TWO, x);
            if (!Arrays.equals(want, dh.power(modp, BigInteger.TWO, x))) {
                throw new IllegalStateException(engine + " disagrees with BigInteger for group " + group);
            }
        }
    }

    private long cpu0;
    private int next0;

    @Setup(Level.Iteration)
    public void mark() {
        next0 = next;
        cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** The thread's CPU time per operation: what a busy shared host does not inflate as it does the wall-time score. */
    @TearDown(Level.Iteration)
    public void report(IterationParams iteration, BenchmarkParams benchmark) {
        long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
        if (next > next0) {
            String op = benchmark.getBenchmark().substring(benchmark.getBenchmark().lastIndexOf('.') + 1);
            System.out.printf("%ndh-power: %s %s group=%d engine=%s CPU us per op %.1f%n",
                    iteration.getType() == IterationType.MEASUREMENT ? "measurement" : "warmup", op, group, engine, cpu / 1e3 / (next - next0));
        }
    }

    private BigInteger exponent() {
        return exponents[next++ & (exponents.length - 1)];
    }

    @Benchmark
    public byte[] keyPair() {
        return dh.power(modp, BigInteger.TWO, exponent());
    }

    @Benchmark
    public byte[] sharedSecret() {
        return dh.power(modp, peer, exponent());
    }
}
