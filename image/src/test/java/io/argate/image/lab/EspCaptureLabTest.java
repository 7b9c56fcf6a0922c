package io.argate.image.lab;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.argate.image.lab.Lab.must;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * argate's ESP on a real wire, judged by tshark: the two routers' WAN ports are TUN devices in
 * a third namespace where Linux routes between them (so the kernel forwarding every packet is
 * itself a check of the outer headers), tshark captures on router A's WAN device while the
 * LAN hosts ping each other through an AES128/SHA1 tunnel, and then decrypts the capture with
 * the configured keys: every ESP packet must decrypt to the inner ICMP echo with its ICV
 * {@code [correct]}. Cases: plain ESP (protocol 50), ESP in UDP 2746 (decoded as RFC 3948
 * UDP-encapsulated ESP with {@code -d udp.port==2746,udpencap}) and RFC 3948 on 4500.
 */
class EspCaptureLabTest {
    /** The AES128/SHA1 SAs of the tunnel for tshark: A sends with SPI 1001, B with 1000. */
    static final List<LiveCapture.EspSa> SAS = List.of(
            new LiveCapture.EspSa(1000, "AES-CBC [RFC3602]", "2b7e151628aed2a6abf7158809cf4f3c", "HMAC-SHA-1-96 [RFC2404]",
                    "431d62cd3cb76fb8101dacaf43aa4dbfb919e957"),
            new LiveCapture.EspSa(1001, "AES-CBC [RFC3602]", "2b7e151628aed2a6abf7158809cf4f3c", "HMAC-SHA-1-96 [RFC2404]",
                    "431d62cd3cb76fb8101dacaf43aa4dbfb919e957"));

    /** A case: the lab variant, the UDP port ESP travels in (0: protocol 50) and tshark's extra options. */
    record Case(EspLabTest.Variant variant, int udpPort, List<String> tsharkArgs) {
        @Override
        public String toString() {
            return variant.name();
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(new EspLabTest.Variant("ESP AES128/SHA (protocol 50)", List.of(EspLabTest.ESP_AES128_SHA), "1", "", 0, false, "ESP"),
                        0, List.of()),
                new Case(new EspLabTest.Variant("ESP AES128/SHA in UDP 2746", List.of(EspLabTest.ESP_AES128_SHA), "1", "udptunnel=yes", 0,
                        false, "UDP:2746"), 2746, List.of("-d", "udp.port==2746,udpencap")),
                new Case(new EspLabTest.Variant("ESP AES128/SHA in UDP 4500 (RFC 3948)", List.of(EspLabTest.ESP_AES128_SHA), "1",
                        "udptunnel=yes udpport=4500", 4500, false, "UDP:4500"), 4500, List.of()));
    }

    @TempDir
    Path data;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void tsharkDecryptsTheTunnelOnALiveCapture(Case c) throws Exception {
        Lab.requireRoot();
        Lab.requireTshark();
        Path pcap = data.resolve("wan.pcapng");
        try (RouterPair pair = RouterPair.open(data, "cap", RouterPair.Wan.TUN)) {
            pair.configure(true, c.variant().config(pair.side(true)));
            pair.configure(false, c.variant().config(pair.side(false)));
            LiveCapture capture = LiveCapture.start(pair.wanNs, pair.wanDevA, pcap, c.tsharkArgs());
            try {
                // the routing namespace pings router A until its probes reach the file
                capture.awaitFrames("icmp.type == 0 && ip.src == " + pair.side(true).wan(), 1,
                        () -> Lab.in(pair.wanNs, "ping", "-n", "-c", "1", "-W", "1", pair.side(true).wan()));
                must(pair.ping(true, 3), "host A pings host B across the kernel-routed wire");
                must(pair.ping(false, 3), "host B pings host A");
                must(pair.ping(true, 2, "-M", "dont", "-s", Integer.toString(EspLabTest.LARGE)),
                        "host A pings host B with full-size packets, fragmented once protected");
                // 12 small ESP packets and 4 reassembled from fragments
                capture.awaitFrames("esp", 16, () -> { });
            } finally {
                capture.close();
            }
            String plain = capture.dissect(List.of());
            String why = c + " (" + capture.log().trim() + ")\n";
            // on the wire: ESP (in UDP to the tunnel port when encapsulated); without keys no inner packet shows
            assertFalse(plain.contains("Src: 192.168."), why + plain);
            assertEquals(16, count(plain, "ESP SPI: 0x000003e"), why + plain);
            if (c.udpPort() == 0) {
                assertEquals(0, count(plain, "User Datagram Protocol"), why + plain);
            } else {
                // 12 small packets and 4 large ones (whose first fragments tshark shows as "Data" until reassembled)
                assertEquals(16, count(plain, "User Datagram Protocol, Src Port: " + c.udpPort() + ", Dst Port: " + c.udpPort()), why + plain);
                assertEquals(16, count(plain, "UDP Encapsulation of IPsec Packets"), why + plain);
            }
            // with the keys: every ESP packet decrypts to the echo inside, with a correct ICV
            String out = capture.dissect(SAS, "-Y", "esp");
            why += out;
            assertEquals(8, count(out, "Type: 8 (Echo (ping) request)"), why);
            assertEquals(8, count(out, "Type: 0 (Echo (ping) reply)"), why);
            assertEquals(16, out.lines().filter(l -> l.contains("ESP ICV:") && l.endsWith("[correct]")).count(), why);
            assertEquals(8, count(out, "Src: 192.168.10.5, Dst: 192.168.20.7"), why);
            assertFalse(out.contains("[incorrect") || out.contains("Malformed"), why);
            assertEquals(8, count(out, "ESP SPI: 0x000003e9"), why);
            assertEquals(8, count(out, "ESP SPI: 0x000003e8"), why);
        }
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }
}
