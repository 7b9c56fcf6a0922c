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

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The firewall's session lookup at N concurrent sessions against the naive design measured in
 * the same run: a {@code HashMap} from a 5-tuple key object to a 48-byte session object
 * (ANCHORS.md: 123 B and 150-180 ns per random hit at 1M). Lookups hit random sessions, half in
 * the reply direction (the translated tuple reversed), so every one is a cache miss at 1M as on
 * a busy gateway. Bytes per session are printed at set-up: the table's arrays over N, and the
 * HashMap's heap growth over N (after a full GC on both sides of building it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"})
public class SessionTableBench {
    @Param({"10000", "1000000"})
    int sessions;

    private SessionTable table;
    private HashMap<Key, Session> map;
    private int[] src;
    private int[] dst;
    private int[] ports;
    private int[] rSrc;
    private int[] rDst;
    private int[] rPorts;
    private Key[] keys;
    private int next;

    /** The baseline's key: the 5-tuple as a record (hashCode and equals generated). */
    record Key(int src, int dst, int ports, int proto) {
    }

    /** The baseline's value: what a session holds, as an object (12 ints, 48 bytes of fields). */
    static final class Session {
        int oSrc, oDst, oPorts, tSrc, tDst, tPorts, meta, last, expires, endO, endR, owner;
    }

    @Setup(Level.Trial)
    public void build() {
        Random rnd = new Random(11);
        src = new int[sessions];
        dst = new int[sessions];
        ports = new int[sessions];
        rSrc = new int[sessions];
        rDst = new int[sessions];
        rPorts = new int[sessions];
        long before = usedHeap();
        table = new SessionTable(sessions, 7);
        Flow f = new Flow();
        for (int i = 0; i < sessions; i++) {
            f.src = 0xC0A80000 | rnd.nextInt(1 << 16);
            f.dst = rnd.nextInt();
            f.sport = 1024 + rnd.nextInt(64511);
            f.dport = rnd.nextInt(1024);
            f.proto = Ipv4.PROTO_UDP;
            f.initialState = SessionState.UNREPLIED;
            f.untranslated();
            int id = table.open(f, 0x01010101, 0x01010104, true, 0, 0, 1 << 30);
            if (id < 0) {
                i--;
                continue;
            }
            src[i] = f.src;
            dst[i] = f.dst;
            ports[i] = f.ports();
            rSrc[i] = f.tDst;
            rDst[i] = f.tSrc;
            rPorts[i] = SessionTable.swap(f.tPorts());
        }
        long tableBytes = usedHeap() - before;
        System.out.printf("%nSessionTable: %d sessions, arrays %.1f B/session, heap growth %.1f B/session%n", sessions,
                (double) table.footprintBytes() / sessions, (double) tableBytes / sessions);
        before = usedHeap();
        map = new HashMap<>();
        keys = new Key[2 * sessions];
        for (int i = 0; i < sessions; i++) {
            Session s = new Session();
            map.put(new Key(src[i], dst[i], ports[i], Ipv4.PROTO_UDP), s);
            map.put(new Key(rSrc[i], rDst[i], rPorts[i], Ipv4.PROTO_UDP), s);
        }
        long mapBytes = usedHeap() - before;
        System.out.printf("HashMap: %d sessions (two keys each), heap growth %.1f B/session%n", sessions, (double) mapBytes / sessions);
        for (int i = 0; i < sessions; i++) {
            keys[2 * i] = new Key(src[i], dst[i], ports[i], Ipv4.PROTO_UDP);
            keys[2 * i + 1] = new Key(rSrc[i], rDst[i], rPorts[i], Ipv4.PROTO_UDP);
        }
        shuffle(rnd);
    }

    /** Random order of lookups, so consecutive ones touch unrelated memory. */
    private void shuffle(Random rnd) {
        for (int i = sessions - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            swap(src, i, j);
            swap(dst, i, j);
            swap(ports, i, j);
            swap(rSrc, i, j);
            swap(rDst, i, j);
            swap(rPorts, i, j);
            Key a = keys[2 * i];
            Key b = keys[2 * i + 1];
            keys[2 * i] = keys[2 * j];
            keys[2 * i + 1] = keys[2 * j + 1];
            keys[2 * j] = a;
            keys[2 * j + 1] = b;
        }
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Benchmark
    public int sessionTable() {
        int i = next;
        next = i + 1 == 2 * sessions ? 0 : i + 1;
        int k = i >>> 1;
        return (i & 1) == 0 ? table.find(src[k], dst[k], ports[k], Ipv4.PROTO_UDP)
                : table.find(rSrc[k], rDst[k], rPorts[k], Ipv4.PROTO_UDP);
    }

    @Benchmark
    public Session hashMap() {
        int i = next;
        next = i + 1 == 2 * sessions ? 0 : i + 1;
        return map.get(keys[i]);
    }

    /** The baseline as a data path would really use it: a key object made per packet. */
    @Benchmark
    public Session hashMapFreshKey() {
        int i = next;
        next = i + 1 == 2 * sessions ? 0 : i + 1;
        int k = i >>> 1;
        return (i & 1) == 0 ? map.get(new Key(src[k], dst[k], ports[k], Ipv4.PROTO_UDP))
                : map.get(new Key(rSrc[k], rDst[k], rPorts[k], Ipv4.PROTO_UDP));
    }
}
