package io.argate.image.lab;

import io.argate.image.Router;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.argate.image.lab.IpLabTest.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Manual-key IPsec end to end, one case per algorithm and bundle: two argate routers joined by
 * a udp wire with a tap on it, each with a TUN LAN in its own namespace holding a Linux host.
 * The seed's example (DES/SHA1, SPIs 1000/1001) and its variants (3DES, AES, AES-GCM, AH,
 * IPComp bundles, transport mode, ESP over UDP) are configured through the shell; the hosts (or,
 * in transport mode, the routers themselves) ping each other both ways, with small and with
 * 1500-byte packets (fragmented once protected), and the case checks that the traffic crossed
 * the wire protected: the SA and IPsec counters moved, and every packet the tap saw was of the
 * bundle's outer protocol.
 */
class EspLabTest {
    /** ENCO keys every case creates on both routers (the same values on each). */
    static final List<String> KEYS = List.of(
            "create enco key=1 type=des value=0xf888cac6c66ecf52",
            "create enco key=2 type=general value=0x431d62cd3cb76fb8101dacaf43aa4dbfb919e957",
            "create enco key=3 type=3desouter value=0x0123456789abcdeffedcba987654321089abcdef01234567",
            "create enco key=4 type=general value=0x9f5ab2c4d7e1f0839a6b5c4d3e2f1a0b",
            "create enco key=5 type=aes128 value=0x2b7e151628aed2a6abf7158809cf4f3c",
            "create enco key=6 type=aes256 value=0x603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
            "create enco key=7 type=general value=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
            "create enco key=8 type=general value=0xfeffe9928665731c6d6a8f9467308308cafebabe");

    static final String ESP_AES128_SHA = "prot=esp encalg=aes128 enckey=5 hashalg=sha hashkey=2";

    /**
     * One configuration: SA specifications 1.. (their parameters without SPIs; an ESP or AH
     * spec n gets SPIs 1000+100(n-1) and one more, opposite on the two routers), the bundle
     * string, extra policy parameters, the global UDP port (0: default), transport mode, and
     * the protocol every first fragment on the wire must have ("ESP", "AH", "UDP:2746").
     */
    record Variant(String name, List<String> specs, String bundle, String policyExtra, int udpPort, boolean transport, String wire) {
        @Override
        public String toString() {
            return name;
        }

        boolean compresses() {
            return specs.stream().anyMatch(s -> s.contains("prot=comp"));
        }

        /** The IPsec configuration of router A ({@code s.isA()}) or B. */
        List<String> config(RouterPair.Side s) {
            List<String> out = new ArrayList<>(KEYS);
            for (int n = 1; n <= specs.size(); n++) {
                String spec = specs.get(n - 1);
                StringBuilder line = new StringBuilder("create ipsec sas=" + n + " key=manual " + spec);
                if (!spec.contains("prot=comp")) {
                    long base = 1000 + 100L * (n - 1);
                    line.append(" inspi=").append(s.isA() ? base : base + 1).append(" outspi=").append(s.isA() ? base + 1 : base)
                            .append(" antireplay=yes");
                }
                out.add(line.toString());
            }
            out.add("create ipsec bundle=1 key=manual string=\"" + bundle + "\"");
            out.add("create ipsec policy=vpn int=eth1 action=ipsec key=manual bundle=1 peer=" + s.peerWan()
                    + (policyExtra.isEmpty() ? "" : " " + policyExtra));
            if (transport) {
                out.add("set ipsec policy=vpn lad=" + s.wan() + " rad=" + s.peerWan());
            } else {
                out.add("set ipsec policy=vpn lad=" + s.lan() + " lma=255.255.255.0 rad=" + s.peerLan() + " rma=255.255.255.0");
            }
            out.add("create ipsec policy=inet int=eth1 action=permit");
            if (udpPort != 0) {
                out.add("set ipsec udpport=" + udpPort);
            }
            out.add("enable ipsec");
            return out;
        }
    }

    static Stream<Variant> variants() {
        return Stream.of(
                new Variant("ESP DES/SHA (the seed's example)", List.of("prot=esp encalg=des enckey=1 hashalg=sha hashkey=2"),
                        "1", "", 0, false, "ESP"),
                new Variant("ESP 3DESOUTER/MD5", List.of("prot=esp encalg=3desouter enckey=3 hashalg=md5 hashkey=4"), "1", "", 0, false, "ESP"),
                new Variant("ESP AES128/SHA", List.of(ESP_AES128_SHA), "1", "", 0, false, "ESP"),
                new Variant("ESP AES256/SHA2-256", List.of("prot=esp encalg=aes256 enckey=6 hashalg=sha2-256 hashkey=7"),
                        "1", "", 0, false, "ESP"),
                new Variant("ESP AES-GCM-128", List.of("prot=esp encalg=aesgcm128 enckey=8"), "1", "", 0, false, "ESP"),
                new Variant("AH SHA", List.of("prot=ah hashalg=sha hashkey=2"), "1", "", 0, false, "AH"),
                new Variant("ESP AES128/SHA + IPComp LZS", List.of(ESP_AES128_SHA, "prot=comp compalg=lzs"), "1 and 2", "", 0, false, "ESP"),
                new Variant("ESP AES128/SHA + IPComp DEFLATE", List.of(ESP_AES128_SHA, "prot=comp compalg=deflate"), "1 and 2", "", 0, false, "ESP"),
                new Variant("ESP AES128 + AH SHA + IPComp LZS",
                        List.of("prot=esp encalg=aes128 enckey=5", "prot=ah hashalg=sha hashkey=2", "prot=comp compalg=lzs"),
                        "1 and 2 and 3", "", 0, false, "AH"),
                new Variant("ESP AES128/SHA transport mode", List.of(ESP_AES128_SHA.replace("prot=esp", "prot=esp mode=transport")),
                        "1", "", 0, true, "ESP"),
                new Variant("ESP AES128/SHA over UDP 2746", List.of(ESP_AES128_SHA), "1", "udptunnel=yes", 0, false, "UDP:2746"),
                new Variant("ESP AES128/SHA over UDP 4500 (RFC 3948 port)", List.of(ESP_AES128_SHA), "1", "udptunnel=yes udpport=4500",
                        4500, false, "UDP:4500"));
    }

    /** ICMP data bytes of the large pings: a 1500-byte packet, the LAN's MTU. */
    static final int LARGE = 1472;

    @TempDir
    Path data;

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void trafficCrossesTheTunnelProtected(Variant v) throws Exception {
        try (RouterPair pair = RouterPair.open(data, "esp", RouterPair.Wan.UDP)) {
            pair.configure(true, v.config(pair.side(true)));
            pair.configure(false, v.config(pair.side(false)));
            if (v.transport()) {
                // transport mode protects traffic between the gateways themselves
                routerPings(pair.a(), pair.side(true).peerWan(), 56);
                routerPings(pair.b(), pair.side(false).peerWan(), 56);
                routerPings(pair.a(), pair.side(true).peerWan(), LARGE);
                routerPings(pair.b(), pair.side(false).peerWan(), LARGE);
            } else {
                // -p a5: a payload IPComp can shrink
                Lab.must(pair.ping(true, 3, "-p", "a5"), "host A pings host B");
                Lab.must(pair.ping(false, 3, "-p", "a5"), "host B pings host A");
                // a full-size packet: protected, it exceeds the wire's 1500-byte MTU, so argate fragments
                // the outer packet (-M dont: the inner DF bit is clear) and the peer reassembles it
                Lab.must(pair.ping(true, 3, "-p", "a5", "-M", "dont", "-s", Integer.toString(LARGE)), "host A pings host B with " + LARGE + " bytes");
                Lab.must(pair.ping(false, 3, "-p", "a5", "-M", "dont", "-s", Integer.toString(LARGE)), "host B pings host A with " + LARGE + " bytes");
            }
            for (boolean isA : new boolean[]{true, false}) {
                Router r = pair.router(isA);
                String counters = output(r, "show ipsec counters");
                String who = (isA ? "router A" : "router B") + " " + v + ":\n";
                assertTrue(counter(counters, "outProtected") >= 4, who + counters);
                assertTrue(counter(counters, "inDecapsulated") >= 4, who + counters);
                for (String drop : List.of("inBadIcv", "inBadPadding", "inUnknownSpi", "inWrongPolicy", "inBadInnerPacket",
                        "inDecompressFailed", "outCryptoFailed", "inPlaintextForIpsec")) {
                    assertEquals(0, counter(counters, drop), who + counters);
                }
                if (v.compresses()) {
                    assertTrue(counter(counters, "outCompressed") > 0, who + counters);
                }
                checkSas(r, isA, v, who);
            }
            Map<String, Integer> kinds = pair.tap().kinds();
            assertTrue(kinds.getOrDefault(v.wire(), 0) >= 8, "the wire carried " + v.wire() + ": " + kinds);
            if (!v.compresses()) {
                assertTrue(kinds.getOrDefault("FRAGMENT", 0) >= 6, "the large packets crossed fragmented: " + kinds);
            }
            assertEquals(Set.of(v.wire()), kinds.keySet().stream().filter(k -> !k.equals("FRAGMENT")).collect(java.util.stream.Collectors.toSet()),
                    "nothing but " + v.wire() + " crossed the wire: " + kinds);
        }
    }

    /** The router pings {@code peer} 3 times with {@code length} data bytes; all must come back. */
    private static void routerPings(Router r, String peer, int length) {
        String out = output(r, "ping " + peer + " number=3 length=" + length + " timeout=2");
        assertTrue(out.contains(": 3 sent, 3 received"), "ping " + peer + " length " + length + ":\n" + out);
    }

    /** Every ESP/AH SA of the bundle has the configured SPIs and counted packets both ways. */
    private static void checkSas(Router r, boolean isA, Variant v, String who) {
        String summary = output(r, "show ipsec sa");
        Matcher m = Pattern.compile("(?m)^(\\d+)\\s+vpn\\s+\\d+\\s+\\S+\\s+(\\S+)\\s+(\\d+)\\s+(\\d+)\\s*$").matcher(summary);
        Set<String> spis = new java.util.TreeSet<>();
        int rows = 0;
        while (m.find()) {
            rows++;
            if (m.group(2).equals("IPComp")) {
                continue;
            }
            spis.add(m.group(3) + "/" + m.group(4));
            String sa = output(r, "show ipsec sa=" + m.group(1));
            assertTrue(detail(sa, "Outbound packets") > 0, who + sa);
            assertTrue(detail(sa, "Inbound packets") > 0, who + sa);
        }
        assertEquals(v.specs().size(), rows, who + summary);
        Set<String> expected = new java.util.TreeSet<>();
        for (int n = 1; n <= v.specs().size(); n++) {
            long base = 1000 + 100L * (n - 1);
            if (!v.specs().get(n - 1).contains("prot=comp")) {
                expected.add(isA ? (base + 1) + "/" + base : base + "/" + (base + 1));
            }
        }
        assertEquals(expected, spis, who + summary);
    }

    static long counter(String text, String name) {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + " \\.* (\\d+)\\s*$").matcher(text);
        assertTrue(m.find(), "no counter " + name + " in:\n" + text);
        return Long.parseLong(m.group(1));
    }

    static long detail(String text, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + " \\.* (\\d+)\\s*$").matcher(text);
        assertTrue(m.find(), "no " + label + " in:\n" + text);
        return Long.parseLong(m.group(1));
    }
}
