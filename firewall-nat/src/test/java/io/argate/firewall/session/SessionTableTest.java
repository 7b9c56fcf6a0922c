package io.argate.firewall.session;

import io.argate.firewall.FirewallLimits;
import io.argate.ip.packet.Ipv4;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionTableTest {
    static Flow udp(int src, int dst, int sport, int dport) {
        Flow f = new Flow();
        f.src = src;
        f.dst = dst;
        f.sport = sport;
        f.dport = dport;
        f.proto = Ipv4.PROTO_UDP;
        f.initialState = SessionState.UNREPLIED;
        f.untranslated();
        return f;
    }

    @Test
    void bothDirectionsFindTheSessionAndTheReplyKeyIsTheTranslatedTupleReversed() {
        SessionTable t = new SessionTable(16, 1);
        Flow f = udp(0xC0A80A05, 0x08080808, 40000, 53);
        int id = t.open(f, 0x01010101, 0x01010101, true, 0, 0, 300);
        assertTrue(id >= 0);
        assertEquals(40000, f.tSport, "the original port is kept when it is free");
        assertEquals(id << 1, t.find(0xC0A80A05, 0x08080808, 40000 << 16 | 53, Ipv4.PROTO_UDP));
        assertEquals(id << 1 | 1, t.find(0x08080808, 0x01010101, 53 << 16 | 40000, Ipv4.PROTO_UDP));
        assertEquals(-1, t.find(0x08080808, 0xC0A80A05, 53 << 16 | 40000, Ipv4.PROTO_UDP), "untranslated reply is not the session's");
    }

    @Test
    void twoHostsWithTheSamePortGetDistinctGlobalPorts() {
        SessionTable t = new SessionTable(16, 1);
        Flow a = udp(0xC0A80A05, 0x08080808, 40000, 53);
        Flow b = udp(0xC0A80A06, 0x08080808, 40000, 53);
        t.open(a, 0x01010101, 0x01010101, true, 0, 0, 300);
        t.open(b, 0x01010101, 0x01010101, true, 0, 0, 300);
        assertNotEquals(a.tSport, b.tSport);
        assertTrue(b.tSport >= FirewallLimits.NAPT_FIRST_PORT);
    }

    @Test
    void fullTableRefusesAndSweepFreesExpiredSessionsInAFewTicks() {
        SessionTable t = new SessionTable(10, 1);
        for (int i = 0; i < 10; i++) {
            assertTrue(t.open(udp(i + 1, 99, 1000, 53), i + 1, i + 1, false, 0, 0, 5 + i) >= 0);
        }
        assertEquals(SessionTable.FULL, t.open(udp(77, 99, 1000, 53), 77, 77, false, 0, 0, 5));
        List<Integer> gone = new ArrayList<>();
        for (int tick = 0; tick < FirewallLimits.SWEEP_ROUNDS; tick++) {
            t.sweep(10, gone::add);
        }
        assertEquals(6, gone.size(), "sessions expiring at 5..10 went");
        assertEquals(4, t.size());
        assertTrue(t.open(udp(77, 99, 1000, 53), 77, 77, false, 0, 10, 5) >= 0);
    }

    @Test
    void randomOpensAndRemovesKeepEveryLiveKeyFindable() {
        SessionTable t = new SessionTable(2000, 1);
        Random rnd = new Random(3);
        List<int[]> live = new ArrayList<>();
        for (int round = 0; round < 50_000; round++) {
            if (live.size() < 1500 && (live.isEmpty() || rnd.nextInt(3) > 0)) {
                Flow f = udp(rnd.nextInt(), rnd.nextInt(64), rnd.nextInt(65536), 53);
                int id = t.open(f, f.src ^ 0x5a5a, f.src ^ 0x5a5a, true, 0, 0, 1000);
                if (id >= 0 && live.stream().noneMatch(l -> l[0] == id)) {
                    live.add(new int[]{id, f.src, f.dst, f.ports(), f.tSrc, f.tPorts()});
                }
            } else {
                int[] l = live.remove(rnd.nextInt(live.size()));
                t.remove(l[0]);
                assertEquals(-1, t.find(l[1], l[2], l[3], Ipv4.PROTO_UDP));
            }
            if (round % 1000 == 0) {
                for (int[] l : live) {
                    assertEquals(l[0] << 1, t.find(l[1], l[2], l[3], Ipv4.PROTO_UDP));
                    assertEquals(l[0] << 1 | 1, t.find(l[2], l[4], SessionTable.swap(l[5]), Ipv4.PROTO_UDP));
                }
            }
        }
        assertEquals(live.size(), t.size());
    }

    @Test
    void readersNeverMissALiveSessionWhileAnotherThreadOpensAndRemovesAroundIt() throws Exception {
        SessionTable t = new SessionTable(4096, 1);
        int stable = 500;
        int[][] keys = new int[stable][];
        for (int i = 0; i < stable; i++) {
            Flow f = udp(0x0A000000 + i, 0x08080808, 2000 + i, 53);
            int id = t.open(f, 0x01010101, 0x01010101, true, 0, 0, 1_000_000);
            keys[i] = new int[]{id, f.src, f.dst, f.ports(), f.tSrc, f.tPorts()};
        }
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong misses = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong lookups = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Thread th = new Thread(() -> {
                int i = 0;
                while (!done.get()) {
                    int[] k = keys[i++ % stable];
                    boolean reply = (i & 1) == 0;
                    int ref = reply ? t.find(k[2], k[4], SessionTable.swap(k[5]), Ipv4.PROTO_UDP)
                            : t.find(k[1], k[2], k[3], Ipv4.PROTO_UDP);
                    if (ref != (k[0] << 1 | (reply ? 1 : 0))) {
                        misses.incrementAndGet();
                    }
                    lookups.incrementAndGet();
                }
            });
            th.start();
            readers.add(th);
        }
        Random rnd = new Random(5);
        List<Integer> churn = new ArrayList<>();
        for (int round = 0; round < 200_000; round++) {
            if (churn.size() < 3500 && rnd.nextBoolean()) {
                Flow f = udp(0x0B000000 + rnd.nextInt(1 << 20), 0x08080808, rnd.nextInt(65536), 53);
                int id = t.open(f, 0x01010101, 0x01010101, true, 0, 0, 1_000_000);
                if (id >= 0 && !churn.contains(id)) {
                    churn.add(id);
                }
            } else if (!churn.isEmpty()) {
                t.remove(churn.remove(rnd.nextInt(churn.size())));
            }
        }
        done.set(true);
        for (Thread th : readers) {
            th.join();
        }
        assertTrue(lookups.get() > 0);
        assertEquals(0, misses.get(), "of " + lookups.get() + " lookups");
    }

    @Test
    void oneServerFillsMostOfAGlobalAddressesPortsBeforeAFlowIsRefusedAndASecondAddressTakesOver() {
        SessionTable t = new SessionTable(140_000, 99);
        int opened = 0;
        int firstRefusal = -1;
        for (int i = 0; i < 64_512 && firstRefusal < 0; i++) {
            Flow f = udp(0x0A000000 + i, 0x5DB8D822, 1000, 80); // every host on port 1000: no port preservation
            int id = t.open(f, 0x01010101, 0x01010101, true, 0, 0, 1000);
            if (id == SessionTable.NO_TRANSLATION) {
                firstRefusal = i;
            } else {
                opened++;
            }
        }
        assertTrue(opened > 54_000, "most of 64,512 ports were handed out before the first refusal: " + opened);
        int second = 0;
        for (int i = 0; i < 200; i++) {
            Flow more = udp(0x0B000000 + i, 0x5DB8D822, 1000, 80);
            assertTrue(t.open(more, 0x01010101, 0x01010102, true, 0, 0, 1000) >= 0, "a pool of two has room");
            second += more.tSrc == 0x01010102 ? 1 : 0;
        }
        assertTrue(second > 150, "the second address takes most new flows: " + second);
    }
}
