package io.argate.bench.isakmp;

import io.argate.enco.Enco;
import io.argate.enco.soft.SoftwareDriver;
import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.sa.NegotiatedBundle;
import io.argate.isakmp.sa.NegotiatedSa;
import io.argate.store.EventLog;
import io.argate.store.Nvs;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Complete IKEv1 Main Mode + Quick Mode negotiations per second between two argate ISAKMP
 * daemons in one process, each on its own ControlLoop thread, over an in-memory wire: PSK,
 * AES-128/SHA1, ESP AES-128/SHA with PFS in the phase 1 group; {@code inFlight} address pairs
 * each run one negotiation after another (a fresh ISAKMP SA every time, as strongSwan's
 * reference run in ../shared/bench/ikev1-rate does). One benchmark operation is one negotiation
 * whose bundle both daemons installed into their SADs with matching SPIs and keys; any failure,
 * lost datagram or stall makes the run throw, so no figure is reported for it.
 * Each iteration prints the CPU time of both loop threads per negotiation ("ike-rate:" lines)
 * for the split against {@link IkeDhCostBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class IkeSetupRateBench {
    /** No negotiation for this long means one is stuck (the daemon retransmits after MSGTIMEOUT). */
    static final long STALL_SECONDS = 10;

    @Param({"2", "14"})
    int group;

    @Param({"1", "16"})
    int inFlight;

    private Path dir;
    private Nvs nvs;
    private Gateway a;
    private Gateway b;
    private final Map<String, Pair> pairs = new HashMap<>();
    private final Semaphore completions = new Semaphore(0);
    private final AtomicLong completed = new AtomicLong();
    private volatile String failure;
    private long cpuA0;
    private long cpuB0;
    private long completed0;
    private long nanos0;

    /** One address pair: its IPsec policy name and the bundles each side installed this round. */
    static final class Pair {
        final int k;
        final String policy;
        final AtomicInteger installs = new AtomicInteger();
        volatile NegotiatedBundle atA;
        volatile NegotiatedBundle atB;

        Pair(int k) {
            this.k = k;
            this.policy = "vpn" + k;
        }
    }

    @Setup(Level.Trial)
    public void start() throws Exception {
        dir = Files.createTempDirectory("ike-rate");
        nvs = Nvs.open(dir);
        Enco enco = new Enco(new SoftwareDriver(), List.of(), new EventLog(nvs, Clock.systemUTC()));
        // which JDK and DH engine this fork runs on: ike-rate.sh shows them beside the figures
        System.out.printf("%nike-rate: setup jdk=%s dh=%s%n", System.getProperty("java.version"), Gateway.dhEngine());
        a = new Gateway("A", enco, this::installed);
        b = new Gateway("B", enco, this::installed);
        Gateway.connect(a, b);
        a.configure(inFlight, group, true);
        b.configure(inFlight, group, false);
        for (int k = 0; k < inFlight; k++) {
            Pair p = new Pair(k);
            pairs.put(p.policy, p);
            a.loop.execute(() -> a.daemon.initiate(p.policy));
        }
    }

    /** On the installing side's loop; the second install of a round completes the negotiation. */
    private void installed(Gateway side, NegotiatedBundle bundle) {
        Pair p = pairs.get(bundle.policy());
        if (p == null) {
            failure = "a bundle for an unknown policy " + bundle.policy() + " was installed";
            return;
        }
        if (side == a) {
            p.atA = bundle;
        } else {
            p.atB = bundle;
        }
        if (p.installs.incrementAndGet() == 2) {
            complete(p);
        }
    }

    private void complete(Pair p) {
        String mismatch = mismatch(p.atA, p.atB);
        if (mismatch != null) {
            failure = "pair " + p.k + ": " + mismatch;
            return;
        }
        p.installs.set(0);
        // each side forgets the pair's SAs on its own loop; B's reset is queued (as a task, ahead of
        // any datagram event) before A starts the next Main Mode, so B never sees it first
        b.loop.execute(() -> {
            b.sad.removePolicy(p.policy);
            b.daemon.deleteSas(Gateway.A_BASE + p.k, "benchmark round done");
        });
        a.loop.execute(() -> {
            a.sad.removePolicy(p.policy);
            a.daemon.deleteSas(Gateway.B_BASE + p.k, "benchmark round done");
            completed.incrementAndGet();
            completions.release();
            a.daemon.initiate(p.policy);
        });
    }

    /** Null when A's bundle is B's mirrored: A's outbound SPI and keys are B's inbound ones and back. */
    static String mismatch(NegotiatedBundle x, NegotiatedBundle y) {
        if (x == null || y == null || !x.initiator() || y.initiator() || x.sas().size() != 1 || y.sas().size() != 1) {
            return "the bundles are not one initiator and one responder bundle of one SA";
        }
        NegotiatedSa s = x.sas().get(0);
        NegotiatedSa t = y.sas().get(0);
        if (s.outboundSpi() != t.inboundSpi() || s.inboundSpi() != t.outboundSpi()
                || !Arrays.equals(s.outboundKeys(), t.inboundKeys()) || !Arrays.equals(s.inboundKeys(), t.outboundKeys())) {
            return "the two sides' SAs do not match";
        }
        return null;
    }

    @Setup(Level.Iteration)
    public void mark() {
        cpuA0 = a.cpuNanos();
        cpuB0 = b.cpuNanos();
        completed0 = completed.get();
        nanos0 = System.nanoTime();
    }

    @Benchmark
    public void negotiation() throws InterruptedException {
        if (!completions.tryAcquire(STALL_SECONDS, TimeUnit.SECONDS)) {
            String why = reason();
            throw new IllegalStateException("no negotiation completed in " + STALL_SECONDS + " s: " + (why != null ? why : badCounters()));
        }
        String f = reason();
        if (f != null) {
            throw new IllegalStateException("a negotiation failed: " + f);
        }
    }

    /** Failure and drop counters that are not zero, per side ("" when all are). */
    private String badCounters() {
        StringBuilder out = new StringBuilder();
        for (Gateway g : new Gateway[]{a, b}) {
            for (IsakmpCounter c : IsakmpCounter.values()) {
                String n = c.name();
                long v = g.loop.call(() -> g.daemon.counters().get(c));
                if (v != 0 && (n.contains("FAILED") || n.startsWith("DROP_") || n.contains("BAD"))) {
                    out.append(g == a ? "A " : "B ").append(c.display()).append('=').append(v).append(' ');
                }
            }
        }
        return out.toString().trim();
    }

    private String reason() {
        return failure != null ? failure : a.failure != null ? "A: " + a.failure : b.failure != null ? "B: " + b.failure : null;
    }

    /** Refuses the iteration unless every started negotiation was a fresh Main Mode and none failed; prints the CPU split. */
    @TearDown(Level.Iteration)
    public void check(IterationParams iteration) {
        long n = completed.get() - completed0;
        double secs = (System.nanoTime() - nanos0) / 1e9;
        double cpuA = (a.cpuNanos() - cpuA0) / 1e6;
        double cpuB = (b.cpuNanos() - cpuB0) / 1e6;
        // the pairs keep negotiating while this runs: bound the counters by the completions seen before and after reading them
        long before = completed.get();
        long mainA = a.loop.call(() -> a.daemon.counters().get(IsakmpCounter.MAIN_COMPLETED));
        long quickB = b.loop.call(() -> b.daemon.counters().get(IsakmpCounter.QUICK_COMPLETED));
        long after = completed.get();
        String bad = badCounters();
        if (!bad.isEmpty()) {
            throw new IllegalStateException("not every negotiation completed cleanly: " + bad);
        }
        // every completion was its own Main Mode: A completed one per counted negotiation plus at most one per pair in flight;
        // B counts its Quick Mode just after the install that completes a negotiation, so it may trail by one per pair
        if (mainA < before || mainA > after + inFlight || quickB < before - inFlight || quickB > after + inFlight) {
            throw new IllegalStateException("Main Modes at A " + mainA + ", Quick Modes at B " + quickB + " against " + before + ".." + after
                    + " completed negotiations");
        }
        if (reason() != null) {
            throw new IllegalStateException(reason());
        }
        long retrans = a.loop.call(() -> a.daemon.counters().get(IsakmpCounter.RETRANSMISSIONS))
                + b.loop.call(() -> b.daemon.counters().get(IsakmpCounter.RETRANSMISSIONS));
        System.out.printf("%nike-rate: %s group=%d inFlight=%d negotiations=%d in %.2f s: %.1f/s; CPU ms per negotiation: initiator %.3f, responder %.3f,"
                        + " both %.3f; retransmissions so far %d%n",
                iteration.getType() == IterationType.MEASUREMENT ? "measurement" : "warmup", group, inFlight, n, secs, n / secs, cpuA / Math.max(1, n), cpuB / Math.max(1, n),
                (cpuA + cpuB) / Math.max(1, n), retrans);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        a.loop.close();
        b.loop.close();
        a.keyPairs.close();
        b.keyPairs.close();
        nvs.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
