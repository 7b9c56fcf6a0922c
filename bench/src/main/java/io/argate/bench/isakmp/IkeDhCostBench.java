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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * The Diffie-Hellman work of one negotiation of {@link IkeSetupRateBench}, on one thread, through
 * the daemon's own {@link ModpGroup}: phase 1 and PFS each make a key pair and a shared secret on
 * both sides, so 4 generations and 4 agreements with the default DHEXPONENTLENGTH. Its time per
 * operation against the rate bench's CPU per negotiation is the split between DH and the rest.
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

    @Setup
    public void setup() {
        modp = ModpGroup.of(group).orElseThrow();
        random = RandomSource.secure();
        bits = IsakmpPolicy.defaults("x", 1, false).dhExponentLength();
    }

    @Benchmark
    public void negotiationDh(Blackhole bh) {
        for (int phase = 0; phase < 2; phase++) {
            ModpGroup.KeyPair i = modp.generate(random, bits);
            ModpGroup.KeyPair r = modp.generate(random, bits);
            bh.consume(modp.agree(i, r.publicValue()));
            bh.consume(modp.agree(r, i.publicValue()));
        }
    }
}
