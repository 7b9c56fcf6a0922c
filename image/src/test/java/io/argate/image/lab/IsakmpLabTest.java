package io.argate.image.lab;

import io.argate.image.Router;
import io.argate.shell.cmd.Privilege;
import io.argate.shell.session.Session;
import io.argate.shell.session.SessionKind;
import io.argate.shell.testing.BufferIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.argate.image.lab.IpLabTest.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two argate routers negotiating with each other over a kernel-routed wire (issue 12, interop
 * item 6): the reference's "ISAKMP/IKE による IPsec VPN" walkthrough as written (DES/SHA1, group
 * 1, Main Mode, interface eth1 for ppp0), its PEER=DYNAMIC variant (the fixed side with PEER=ANY
 * REMOTEID and an IPsec policy to PEER=DYNAMIC, the dynamic side with LOCALID, Aggressive Mode)
 * and ESP over UDP 2746 (UDPTUNNEL) with ISAKMP-keyed bundles and NAT-T off. tshark captures the
 * negotiation on router A's WAN device and, given the cookies and encryption key argate prints
 * at ENABLE ISAKMP DEBUG=TRACEMORE, decodes every ISAKMP message and decrypts the encrypted ones.
 */
class IsakmpLabTest {
    private static final int PROBES = 4;
    private static final Pattern KEYS = Pattern.compile("Cookie's: ([0-9a-f]{16}):[0-9a-f]{16} EncKey: ([0-9a-f]+)");

    @TempDir
    Path data;

    /**
     * The walkthrough on router A ({@code s.isA()}) or B with the lab's addresses: as written
     * ({@link Mode#MAIN}), with A the fixed side and B the dynamic one ({@link Mode#DYNAMIC}), or
     * with ESP over UDP 2746 ({@link Mode#UDPTUNNEL}, NAT-T left at its default, off).
     */
    static List<String> walkthrough(RouterPair.Side s, Mode mode) {
        List<String> l = new ArrayList<>();
        l.add("CREATE ENCO KEY=1 TYPE=GENERAL VALUE=\"jogefoge\"");
        switch (mode) {
            case MAIN, UDPTUNNEL -> l.add("CREATE ISAKMP POLICY=i PEER=" + s.peerWan() + " KEY=1 SENDN=TRUE");
            case DYNAMIC -> l.add(s.isA()
                    ? "CREATE ISAKMP POLICY=i PEER=ANY KEY=1 SENDN=TRUE REMOTEID=\"RouterB\" MODE=AGGRESSIVE"
                    : "CREATE ISAKMP POLICY=i PEER=" + s.peerWan() + " KEY=1 SENDN=TRUE LOCALID=\"RouterB\" MODE=AGGRESSIVE");
        }
        l.add("CREATE IPSEC SASPEC=1 KEYMAN=ISAKMP PROT=ESP ENCALG=DES HASHALG=SHA");
        l.add("CREATE IPSEC BUNDLE=1 KEYMAN=ISAKMP STRING=\"1\"");
        l.add("CREATE IPSEC POLICY=isa INT=eth1 ACTION=PERMIT LPORT=500 RPORT=500 TRANSPORT=UDP");
        if (mode == Mode.UDPTUNNEL) {
            l.add("CREATE IPSEC POLICY=udp INT=eth1 ACTION=PERMIT LPORT=2746 TRANSPORT=UDP");
        }
        String peer = mode == Mode.DYNAMIC && s.isA() ? "DYNAMIC" : s.peerWan();
        l.add("CREATE IPSEC POLICY=vpn INT=eth1 ACTION=IPSEC KEYMAN=ISAKMP BUNDLE=1 PEER=" + peer);
        l.add("SET IPSEC POLICY=vpn LAD=" + s.lan() + " LMA=255.255.255.0 RAD=" + s.peerLan() + " RMA=255.255.255.0");
        if (mode == Mode.UDPTUNNEL) {
            l.add("SET IPSEC POLICY=vpn UDPTUNNEL=TRUE");
        }
        l.add("CREATE IPSEC POLICY=inet INT=eth1 ACTION=PERMIT");
        l.add("ENABLE IPSEC");
        l.add("ENABLE ISAKMP");
        return l;
    }

    enum Mode { MAIN, DYNAMIC, UDPTUNNEL }

    @Test
    void theWalkthroughAsWrittenCarriesPlainEspAndTsharkDecryptsEveryIsakmpMessage() throws Exception {
        String out = negotiate(Mode.MAIN, true);
        // Main Mode (6) and Quick Mode (3): every message decoded, the encrypted ones decrypted
        assertTrue(count(out, "Exchange type: Identity Protection (Main Mode) (2)") >= 6, out);
        assertTrue(count(out, "Exchange type: Quick Mode (32)") >= 3, out);
    }

    @Test
    void thePeerDynamicWalkthroughNegotiatesAggressiveModeFromTheDynamicSide() throws Exception {
        String out = negotiate(Mode.DYNAMIC, false);
        assertTrue(count(out, "Exchange type: Aggressive (4)") >= 3, out);
        assertTrue(count(out, "Exchange type: Quick Mode (32)") >= 3, out);
    }

    @Test
    void espOverUdp2746WithIsakmpKeyedBundlesAndNatTraversalOff() throws Exception {
        negotiate(Mode.UDPTUNNEL, true);
    }

    /**
     * Configures both routers, captures A's WAN while the initiating side's host pings the other
     * until the tunnel answers, then checks the SAs, the wire's outer protocol and tshark's
     * decryption of the ISAKMP messages; returns tshark's decrypted dissection of them.
     */
    private String negotiate(Mode mode, boolean aInitiates) throws Exception {
        Lab.requireRoot();
        Lab.requireTshark();
        Path pcap = data.resolve("wan.pcapng");
        try (RouterPair pair = RouterPair.open(data, "isa", RouterPair.Wan.TUN)) {
            List<String> readArgs = mode == Mode.UDPTUNNEL ? List.of("-d", "udp.port==2746,udpencap") : List.of();
            LiveCapture capture = LiveCapture.start(pair.wanNs, pair.wanDevA, pcap, readArgs);
            // tshark says "Capturing on" a moment before packets reach the file: the routing namespace
            // pings router A (no IPsec yet) until its replies are in it, so Main Mode's first message is too
            capture.awaitFrames("icmp.type == 0 && ip.src == " + pair.side(true).wan(), 1,
                    () -> Lab.in(pair.wanNs, "ping", "-n", "-c", "1", "-W", "1", pair.side(true).wan()));
            BufferIo debugA = debug(pair.a());
            BufferIo debugB = debug(pair.b());
            pair.configure(true, walkthrough(pair.side(true), mode));
            pair.configure(false, walkthrough(pair.side(false), mode));
            Lab.Result ping = pair.ping(aInitiates, PROBES);
            for (int round = 0; round < 5 && received(ping) < PROBES - 1; round++) {
                ping = pair.ping(aInitiates, PROBES);
            }
            Router initiator = pair.router(aInitiates);
            String why = ping.out() + "\n" + output(initiator, "show isakmp exchange") + output(initiator, "show isakmp counters")
                    + output(initiator, "show log module=isak") + debugA.text() + "\n---B\n" + debugB.text();
            assertTrue(received(ping) >= PROBES - 1, why);
            // and back the other way over the same SAs
            assertTrue(received(pair.ping(!aInitiates, PROBES)) >= PROBES - 1, why);
            String saA = output(pair.a(), "show isakmp sa");
            assertTrue(saA.contains(pair.side(false).wan()), saA);
            String ipsecA = output(pair.a(), "show ipsec sa");
            assertTrue(ipsecA.contains("vpn"), ipsecA);
            String outer = mode == Mode.UDPTUNNEL ? "udp.port == 2746" : "esp";
            try {
                capture.awaitFrames(outer, 2 * (PROBES - 1), () -> { });
            } catch (AssertionError notYet) {
                // the assertion below says what the wire held instead
            } finally {
                capture.close();
            }
            assertTrue(capture.frames(outer) >= 2 * (PROBES - 1), capture.summary() + why);

            String plain = capture.dissect(List.of(), "-Y", "esp || udp.port == 2746");
            if (mode == Mode.UDPTUNNEL) {
                assertEquals(0, count(plain, "Protocol: Encap Security Payload (50)"), "no plain ESP with UDPTUNNEL\n" + plain);
                assertTrue(count(plain, "UDP Encapsulation of IPsec Packets") >= 2 * (PROBES - 1), plain);
            } else {
                assertEquals(0, count(plain, "User Datagram Protocol"), "plain ESP, protocol 50\n" + plain);
                assertTrue(count(plain, "Protocol: Encap Security Payload (50)") >= 2 * (PROBES - 1), plain);
            }
            return decryptIsakmp(capture, debugA.text() + "\n" + debugB.text(), mode == Mode.DYNAMIC);
        }
    }

    /** tshark with every phase 1 SA's (initiator cookie, encryption key): each ISAKMP message decoded and decrypted. */
    private static String decryptIsakmp(LiveCapture capture, String debug, boolean aggressive) throws Exception {
        // both routers print the same SA; tshark takes the table's fields in hex without quotes
        java.util.Set<String> entries = new java.util.LinkedHashSet<>();
        Matcher m = KEYS.matcher(debug);
        while (m.find()) {
            entries.add("uat:ikev1_decryption_table:" + m.group(1) + "," + m.group(2));
        }
        List<String> args = new ArrayList<>();
        for (String e : entries) {
            args.add("-o");
            args.add(e);
        }
        assertTrue(!entries.isEmpty(), "argate printed the phase 1 keys at DEBUG=TRACEMORE:\n" + debug);
        args.addAll(List.of("-Y", "isakmp"));
        String out = capture.dissect(List.of(), args.toArray(new String[0]));
        assertFalse(out.contains("Malformed") || out.contains("[Expert Info (Error"), out);
        int messages = count(out, "Internet Security Association and Key Management Protocol");
        int encrypted = count(out, "Encrypted Data");
        // Main Mode 6 (Aggressive Mode 3) and Quick Mode 3; Quick Mode and Main Mode's last two are encrypted
        assertTrue(messages >= (aggressive ? 6 : 9), "every message of the negotiation: " + out);
        assertTrue(encrypted >= (aggressive ? 3 : 5), "phase 1's last messages and Quick Mode are encrypted: " + out);
        // decrypted, Quick Mode shows its payloads: HASH(1), SA, Nonce and the two IDs
        List<String> quick = frames(out).stream().filter(f -> f.contains("Exchange type: Quick Mode (32)")).toList();
        assertTrue(quick.size() >= 3, out);
        String first = quick.get(0);
        for (String payload : List.of("Payload: Hash (8)", "Payload: Security Association (1)", "Payload: Nonce (10)",
                "Payload: Identification (5)")) {
            assertTrue(first.contains(payload), "Quick Mode message 1 decrypted shows " + payload + ":\n" + first);
        }
        return out;
    }

    /** One tshark -V frame per element. */
    private static List<String> frames(String dissection) {
        List<String> out = new ArrayList<>();
        for (String f : dissection.split("(?m)^Frame \\d+:")) {
            if (!f.isBlank()) {
                out.add(f);
            }
        }
        return out;
    }

    /** A session kept open with ISAKMP debugging at TRACEMORE: its text is what the terminal would show. */
    private static BufferIo debug(Router r) {
        BufferIo io = new BufferIo(false);
        Session s = new Session(1, SessionKind.BATCH, io);
        s.login("manager", Privilege.MANAGER, Clock.systemUTC().instant());
        if (!r.shell().processor().execute(s, "enable isakmp debug=tracemore")) {
            throw new AssertionError("enable isakmp debug=tracemore -> " + io.text());
        }
        return io;
    }

    private static int received(Lab.Result ping) {
        Matcher m = Pattern.compile("(\\d+) received").matcher(ping.out());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }
}
