package io.argate.bench.firewall;

import io.argate.firewall.session.Flow;
import io.argate.firewall.session.SessionState;
import io.argate.firewall.session.SessionTable;
import io.argate.ip.packet.Ipv4;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;

/**
 * {@link SessionTableBench}'s comparison for a shared, loaded machine: the session table and the
 * {@code HashMap} baseline (fresh key per lookup, as a data path would use it) are timed in
 * alternating rounds of the same random lookups, so both see the same load, and what is
 * reported is the median of the per-round times and of the per-round ratios (a load swing moves
 * both sides of one round together). {@link OneMissFloor} runs in the same rounds as a
 * reference for what one dependent cache miss per lookup costs here. Run (the flags give the
 * heap 2 MB pages where the kernel has transparent huge pages, as {@code ./argate} does; at a
 * million sessions they take about 30 ns off a lookup on both sides):
 * {@code java -Xms2g -Xmx4g -XX:+AlwaysPreTouch -XX:+UseTransparentHugePages -cp benchmarks.jar io.argate.bench.firewall.SessionLookupRounds [sessions...]}.
 */
public final class SessionLookupRounds {
    private SessionLookupRounds() {
    }

    public static void main(String[] args) {
        boolean hugePages = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                .contains("-XX:+UseTransparentHugePages");
        System.out.println("transparent huge pages asked for: " + hugePages);
        int[] sizes = args.length == 0 ? new int[]{10_000, 1_000_000} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        for (int n : sizes) {
            run(n, 40, 200_000);
        }
    }

    private static void run(int sessions, int rounds, int lookups) {
        Random rnd = new Random(11);
        int[] src = new int[2 * sessions];
        int[] dst = new int[2 * sessions];
        int[] ports = new int[2 * sessions];
        SessionTable table = new SessionTable(sessions, 7);
        OneMissFloor floor = new OneMissFloor(2 * sessions);
        HashMap<SessionTableBench.Key, SessionTableBench.Session> map = new HashMap<>();
        Flow f = new Flow();
        for (int i = 0; i < sessions; i++) {
            f.src = 0xC0A80000 | rnd.nextInt(1 << 16);
            f.dst = rnd.nextInt();
            f.sport = 1024 + rnd.nextInt(64511);
            f.dport = rnd.nextInt(1024);
            f.proto = Ipv4.PROTO_UDP;
            f.initialState = SessionState.UNREPLIED;
            f.untranslated();
            if (table.open(f, 0x01010101, 0x01010104, true, 0, 0, 1 << 30) < 0) {
                i--;
                continue;
            }
            src[2 * i] = f.src;
            dst[2 * i] = f.dst;
            ports[2 * i] = f.ports();
            src[2 * i + 1] = f.tDst;
            dst[2 * i + 1] = f.tSrc;
            ports[2 * i + 1] = SessionTable.swap(f.tPorts());
            floor.put(src[2 * i], dst[2 * i], ports[2 * i], Ipv4.PROTO_UDP, 2 * i);
            floor.put(src[2 * i + 1], dst[2 * i + 1], ports[2 * i + 1], Ipv4.PROTO_UDP, 2 * i + 1);
            SessionTableBench.Session s = new SessionTableBench.Session();
            map.put(new SessionTableBench.Key(src[2 * i], dst[2 * i], ports[2 * i], Ipv4.PROTO_UDP), s);
            map.put(new SessionTableBench.Key(src[2 * i + 1], dst[2 * i + 1], ports[2 * i + 1], Ipv4.PROTO_UDP), s);
        }
        int[] order = new int[lookups];
        for (int i = 0; i < lookups; i++) {
            order[i] = rnd.nextInt(2 * sessions);
        }
        List<Double> tableNs = new ArrayList<>();
        List<Double> mapNs = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> floorNs = new ArrayList<>();
        long sink = 0;
        for (int r = 0; r < rounds + 5; r++) {
            long t0 = System.nanoTime();
            for (int k : order) {
                sink += table.find(src[k], dst[k], ports[k], Ipv4.PROTO_UDP);
            }
            long t1 = System.nanoTime();
            for (int k : order) {
                SessionTableBench.Session s = map.get(new SessionTableBench.Key(src[k], dst[k], ports[k], Ipv4.PROTO_UDP));
                sink += s == null ? 0 : 1;
            }
            long t2 = System.nanoTime();
            for (int k : order) {
                sink += floor.find(src[k], dst[k], ports[k], Ipv4.PROTO_UDP);
            }
            long t3 = System.nanoTime();
            if (r >= 5) { // the first rounds are warm-up (JIT)
                double a = (double) (t1 - t0) / lookups;
                double b = (double) (t2 - t1) / lookups;
                tableNs.add(a);
                mapNs.add(b);
                ratios.add(b / a);
                floorNs.add((double) (t3 - t2) / lookups);
            }
        }
        System.out.printf("%,d sessions: table %.1f B/session; lookup median %.1f ns (best %.1f), HashMap median %.1f ns (best %.1f);"
                        + " median per-round HashMap/table %.2fx (%d rounds of %,d random lookups, half reply direction);"
                        + " one-miss reference %.1f ns (%.1f B/session, keys only) [%d]%n",
                sessions, (double) table.footprintBytes() / sessions, median(tableNs), min(tableNs), median(mapNs), min(mapNs),
                median(ratios), rounds, lookups, median(floorNs), (double) floor.footprintBytes() / sessions, sink & 1);
    }

    private static double median(List<Double> l) {
        List<Double> s = new ArrayList<>(l);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    private static double min(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }
}
