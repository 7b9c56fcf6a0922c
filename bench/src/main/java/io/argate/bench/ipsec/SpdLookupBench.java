package io.argate.bench.ipsec;

import io.argate.ipsec.spd.AddressSelector;
import io.argate.ipsec.spd.Classifier;
import io.argate.ipsec.spd.PortSelector;
import io.argate.ipsec.spd.Rule;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * SPD lookup per packet with N policies on one interface, first-match semantics kept, against
 * the linear first-match scan measured in the same run (the reference ANCHORS.md quotes at
 * ~1.3 ns per policy). The policy set is what a hub gateway carries: one PERMIT for ISAKMP
 * first, then per-site LAN pairs (/24 to /24), some host policies and port-specific policies,
 * and a final PERMIT. Packets hit random policies, with a share falling through to the end.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+AlwaysPreTouch"})
public class SpdLookupBench {
    @Param({"10", "1000", "10000", "100000"})
    int policies;

    private Classifier classifier;
    private Rule[] rules;
    private int[][] packets;
    private int next;

    @Setup(Level.Trial)
    public void build() {
        Random rnd = new Random(1);
        List<Rule> list = new ArrayList<>();
        list.add(new Rule(AddressSelector.ANY, AddressSelector.ANY, 500, 500, 17));
        int sites = Math.max(1, policies - 2);
        for (int i = 0; i < sites; i++) {
            int remoteNet = 0x0A000000 | (i << 8);          // 10.x.y.0/24 per site
            int localNet = 0xC0A80000 | ((i % 256) << 8);   // 192.168.z.0/24
            switch (i % 10) {
                case 8 -> list.add(new Rule(AddressSelector.masked(localNet | 10, -1), AddressSelector.masked(remoteNet, 0xFFFFFF00),
                        PortSelector.ANY, PortSelector.ANY, PortSelector.ANY));
                case 9 -> list.add(new Rule(AddressSelector.masked(localNet, 0xFFFFFF00), AddressSelector.masked(remoteNet, 0xFFFFFF00),
                        PortSelector.ANY, 443, 6));
                default -> list.add(new Rule(AddressSelector.masked(localNet, 0xFFFFFF00), AddressSelector.masked(remoteNet, 0xFFFFFF00),
                        PortSelector.ANY, PortSelector.ANY, PortSelector.ANY));
            }
        }
        list.add(Rule.ALL);
        rules = list.toArray(new Rule[0]);
        classifier = new Classifier(list);
        packets = new int[4096][];
        for (int k = 0; k < packets.length; k++) {
            int site = rnd.nextInt(sites);
            boolean miss = rnd.nextInt(8) == 0;
            int local = 0xC0A80000 | ((site % 256) << 8) | (1 + rnd.nextInt(250));
            int remote = miss ? 0x08080808 : 0x0A000000 | (site << 8) | (1 + rnd.nextInt(250));
            packets[k] = new int[]{local, remote, 6, 1024 + rnd.nextInt(60000), rnd.nextBoolean() ? 443 : 80};
        }
    }

    @Benchmark
    public int compiled() {
        int[] p = packets[next++ & 4095];
        return classifier.lookup(p[0], p[1], p[2], p[3], p[4]);
    }

    @Benchmark
    public int linearReference() {
        int[] p = packets[next++ & 4095];
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].matches(p[0], p[1], p[2], p[3], p[4])) {
                return i;
            }
        }
        return -1;
    }
}
