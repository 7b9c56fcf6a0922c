package io.argate.bench.firewall;

import io.argate.firewall.session.Flow;
import io.argate.firewall.session.SessionState;
import io.argate.firewall.session.SessionTable;
import io.argate.ip.packet.Ipv4;
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

import java.util.HashMap;
import java.util.concurrent.TimeUnit;

/**
 * New-session setup rate at a steady table of N sessions: each op opens one NAPT session (the
 * global port chosen so the reply key is unique, both keys inserted) and removes the oldest, so
 * the table stays full as under a flood. Beside it, the same churn in a {@code HashMap} (two key
 * objects and one session object per flow, no port search) measured in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"})
public class SessionSetupBench {
    @Param({"10000", "1000000"})
    int sessions;

    private SessionTable table;
    private int[] ring;
    private int head;
    private int counter;
    private final Flow f = new Flow();
    private HashMap<SessionTableBench.Key, SessionTableBench.Session> map;
    private SessionTableBench.Key[][] mapRing;

    /** Once per trial: each op keeps the table full, so later iterations measure the same steady state without rebuilding 1M entries (whose garbage the GC then charges to the HashMap's ops). */
    @Setup(Level.Trial)
    public void build() {
        table = new SessionTable(sessions + 1, 7);
        ring = new int[sessions];
        map = new HashMap<>();
        mapRing = new SessionTableBench.Key[sessions][];
        counter = 0;
        for (int i = 0; i < sessions; i++) {
            ring[i] = open();
            mapRing[i] = put();
        }
        head = 0;
    }

    private void next() {
        int c = counter++;
        f.src = 0xC0A80000 | (c & 0xffff);
        f.dst = 0x5DB80000 | (c >>> 16 & 0xffff);
        f.sport = 1024 + (c * 7919 & 0x7fff);
        f.dport = 80;
        f.proto = Ipv4.PROTO_TCP;
        f.initialState = SessionState.SYN_SENT;
        f.untranslated();
    }

    private int open() {
        next();
        return table.open(f, 0x01010101, 0x01010104, true, 0, 0, 1 << 30);
    }

    private SessionTableBench.Key[] put() {
        next();
        SessionTableBench.Key a = new SessionTableBench.Key(f.src, f.dst, f.ports(), f.proto);
        SessionTableBench.Key b = new SessionTableBench.Key(f.dst, 0x01010101, f.dport << 16 | f.sport, f.proto);
        SessionTableBench.Session s = new SessionTableBench.Session();
        map.put(a, s);
        map.put(b, s);
        return new SessionTableBench.Key[]{a, b};
    }

    @Benchmark
    public int sessionTable() {
        table.remove(ring[head]);
        int id = open();
        ring[head] = id;
        head = head + 1 == sessions ? 0 : head + 1;
        return id;
    }

    @Benchmark
    public Object hashMap() {
        SessionTableBench.Key[] old = mapRing[head];
        map.remove(old[0]);
        map.remove(old[1]);
        SessionTableBench.Key[] k = put();
        mapRing[head] = k;
        head = head + 1 == sessions ? 0 : head + 1;
        return k;
    }
}
