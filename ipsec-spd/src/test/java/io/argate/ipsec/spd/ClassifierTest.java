package io.argate.ipsec.spd;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClassifierTest {

    static int ip(String dotted) {
        String[] p = dotted.split("\\.");
        return Integer.parseInt(p[0]) << 24 | Integer.parseInt(p[1]) << 16 | Integer.parseInt(p[2]) << 8 | Integer.parseInt(p[3]);
    }

    static int reference(List<Rule> rules, int l, int r, int p, int lp, int rp) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).matches(l, r, p, lp, rp)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void theSeedsPolicyOrderIsamkpFirstThenVpnThenInternet() {
        List<Rule> rules = List.of(
                new Rule(AddressSelector.ANY, AddressSelector.ANY, 500, 500, 17),                       // isa
                new Rule(AddressSelector.masked(ip("192.168.10.0"), ip("255.255.255.0")),
                        AddressSelector.masked(ip("192.168.20.0"), ip("255.255.255.0")), -1, -1, -1),  // vpn
                Rule.ALL);                                                                            // inet
        Classifier c = new Classifier(rules);
        assertEquals(0, c.lookup(ip("1.1.1.1"), ip("2.2.2.2"), 17, 500, 500));
        assertEquals(2, c.lookup(ip("1.1.1.1"), ip("2.2.2.2"), 17, 500, 4500));
        assertEquals(1, c.lookup(ip("192.168.10.5"), ip("192.168.20.9"), 6, 1234, 80));
        assertEquals(1, c.lookup(ip("192.168.10.5"), ip("192.168.20.9"), 1, PortSelector.NONE, PortSelector.NONE));
        assertEquals(2, c.lookup(ip("192.168.10.5"), ip("8.8.8.8"), 1, PortSelector.NONE, PortSelector.NONE));
    }

    @Test
    void implicitDenyWhenNothingMatches() {
        Classifier c = new Classifier(List.of(new Rule(AddressSelector.masked(ip("10.0.0.0"), ip("255.0.0.0")), AddressSelector.ANY, -1, -1, -1)));
        assertEquals(-1, c.lookup(ip("11.0.0.1"), ip("10.0.0.1"), 6, 1, 2));
        assertEquals(-1, new Classifier(List.of()).lookup(1, 2, 3, 4, 5));
    }

    @Test
    void portsNeverMatchPacketsWithoutPorts() {
        Classifier c = new Classifier(List.of(new Rule(AddressSelector.ANY, AddressSelector.ANY, -1, 80, -1)));
        assertEquals(-1, c.lookup(1, 2, 1, PortSelector.NONE, PortSelector.NONE));
        assertEquals(0, c.lookup(1, 2, 6, 999, 80));
    }

    @Test
    void rangesBecomeExactPrefixCovers() {
        AddressSelector r = AddressSelector.range(ip("10.0.0.3"), ip("10.0.0.17"));
        long covered = r.prefixes().stream().mapToLong(p -> 1L << (32 - p[1])).sum();
        assertEquals(15, covered);
        assertEquals(List.of(new int[]{0, 0}).get(0)[1], AddressSelector.ANY.prefixes().get(0)[1]);
        assertEquals(62, AddressSelector.range(1, -2).prefixes().size(), "worst case 0.0.0.1-255.255.255.254");
        Classifier c = new Classifier(List.of(new Rule(r, AddressSelector.ANY, -1, -1, -1)));
        for (int a = ip("10.0.0.0"); a <= ip("10.0.0.20"); a++) {
            assertEquals(r.contains(a) ? 0 : -1, c.lookup(a, 0, 6, 1, 1), "address " + (a & 0xff));
        }
    }

    @Test
    void agreesWithLinearFirstMatchOnRandomRuleSets() {
        Random rnd = new Random(7);
        for (int round = 0; round < 40; round++) {
            List<Rule> rules = new ArrayList<>();
            int n = 1 + rnd.nextInt(300);
            for (int i = 0; i < n; i++) {
                rules.add(new Rule(randomSelector(rnd), randomSelector(rnd),
                        rnd.nextInt(4) == 0 ? rnd.nextInt(4) : -1, rnd.nextInt(4) == 0 ? rnd.nextInt(4) : -1,
                        rnd.nextInt(3) == 0 ? (rnd.nextBoolean() ? 6 : 17) : -1));
            }
            Classifier c = new Classifier(rules);
            for (int k = 0; k < 3000; k++) {
                int l = 0x0A000000 | rnd.nextInt(1 << 10);
                int r = 0x0A000000 | rnd.nextInt(1 << 10);
                int p = new int[]{1, 6, 17}[rnd.nextInt(3)];
                int lp = p == 1 ? PortSelector.NONE : rnd.nextInt(4);
                int rp = p == 1 ? PortSelector.NONE : rnd.nextInt(4);
                assertEquals(reference(rules, l, r, p, lp, rp), c.lookup(l, r, p, lp, rp), "round " + round);
            }
        }
    }

    private static AddressSelector randomSelector(Random rnd) {
        switch (rnd.nextInt(4)) {
            case 0:
                return AddressSelector.ANY;
            case 1: {
                int len = 22 + rnd.nextInt(11);
                int mask = len == 0 ? 0 : -1 << (32 - len);
                return AddressSelector.masked(0x0A000000 | rnd.nextInt(1 << 10), mask);
            }
            case 2: {
                int a = 0x0A000000 | rnd.nextInt(1 << 10);
                int b = a + rnd.nextInt(64);
                return AddressSelector.range(a, b);
            }
            default:
                return AddressSelector.masked(0x0A000000 | rnd.nextInt(1 << 10), -1);
        }
    }
}
