package io.argate.isakmp.exchange;

import io.argate.enco.Enco;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.isakmp.IsakmpDebug;
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.crypto.Phase1Cipher;
import io.argate.isakmp.crypto.PrfAlgorithm;
import io.argate.shell.loop.ControlLoop;
import io.argate.shell.loop.ManualClock;
import io.argate.store.EventLog;
import io.argate.store.Nvs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ENABLE ISAKMP DEBUG=PKT on two in-process daemons negotiating Main Mode and Quick Mode. */
class PacketDebugTest {
    @TempDir
    Path dir;
    Nvs nvs;
    ControlLoop loop;
    FakeWire wire;
    Router a;
    Router b;
    final List<String> aLines = new ArrayList<>();
    final List<String> bLines = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        nvs = Nvs.open(dir);
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        loop = new ControlLoop(clock, "test-loop");
        wire = new FakeWire(loop);
        Enco enco = Router.enco(new EventLog(nvs, clock));
        a = new Router("A", FakeWire.A, 0x0a010100, loop, wire, enco, 1);
        b = new Router("B", FakeWire.B, 0x0a020100, loop, wire, enco, 2);
        for (Router r : new Router[]{a, b}) {
            r.psk("pobaetrpnjkakdf");
            IsakmpPolicy.Builder p = r.policy("i", FakeWire.peerOf(r.address));
            p.mode = IsakmpPolicy.Mode.MAIN;
            p.encAlg = Phase1Cipher.DES;
            p.hashAlg = PrfAlgorithm.SHA1;
            p.group = 1;
            r.put(p);
        }
        a.ipsecPolicy("1", b.lan, 0, Router.esp(1, EncAlg.DES, HashAlg.SHA));
        b.ipsecPolicy("1", a.lan, 0, Router.esp(1, EncAlg.DES, HashAlg.SHA));
    }

    @AfterEach
    void close() {
        loop.close();
        nvs.close();
    }

    void negotiate(String option) {
        loop.run(() -> {
            a.daemon.debug().enable(IsakmpDebug.option(option), aLines::add);
            b.daemon.debug().enable(IsakmpDebug.option(option), bLines::add);
            a.daemon.initiate("vpn");
        });
        wire.settle();
        assertEquals(1, a.installed.size(), "the exchange completed: " + a.log);
    }

    /** The lines of each message whose title starts with {@code title}, title excluded. */
    static List<List<String>> messages(List<String> lines, String title) {
        List<List<String>> out = new ArrayList<>();
        List<String> current = null;
        for (String l : lines) {
            if (l.startsWith("ISAKMP ")) {
                current = l.startsWith(title) ? new ArrayList<>() : null;
                if (current != null) {
                    out.add(current);
                }
            } else if (current != null) {
                current.add(l);
            }
        }
        return out;
    }

    @Test
    void bothSidesPrintEveryMessageOfMainModeAndQuickModeAndAgreeOnWhatWasSent() {
        negotiate("PKT");
        List<List<String>> aTx = messages(aLines, "ISAKMP Tx Message to 192.0.2.2:500");
        List<List<String>> aRx = messages(aLines, "ISAKMP Rx Message from 192.0.2.2:500");
        List<List<String>> bTx = messages(bLines, "ISAKMP Tx Message to 192.0.2.1:500");
        List<List<String>> bRx = messages(bLines, "ISAKMP Rx Message from 192.0.2.1:500");
        // Main Mode 1, 3, 5 and Quick Mode 1, 3 from the initiator; Main Mode 2, 4, 6 and Quick Mode 2 from the responder
        assertEquals(5, aTx.size(), String.join("\n", aLines));
        assertEquals(4, bTx.size(), String.join("\n", bLines));
        assertEquals(aTx.size(), bRx.size());
        assertEquals(bTx.size(), aRx.size());

        List<String> mm1 = aTx.get(0);
        assertTrue(mm1.get(0).matches("Cookie's: [0-9a-f]{16}:0000000000000000"), mm1.get(0));
        assertEquals("Xchg Type: IDPROT(2) Ver: 10 Flags: 00", mm1.get(1));
        assertTrue(mm1.contains("Payload #: 0 Length: 56 Type: Security Association (SA)"), String.join("\n", mm1));
        assertTrue(mm1.contains("Encryption Algorithm........... DES(1)"), String.join("\n", mm1));
        assertTrue(mm1.contains("Authentication Method.......... PRESHARED(1)"), String.join("\n", mm1));
        assertTrue(mm1.contains("Group Description.............. 768(1)"), String.join("\n", mm1));

        // the receiver decodes the bytes the sender decoded: the clear part lines are the same;
        // in an encrypted message the sender shows its payloads before encryption, the receiver after decryption
        for (int i = 0; i < aTx.size(); i++) {
            assertEquals(clearPart(aTx.get(i)), clearPart(bRx.get(i)), "A's message " + i);
            assertEquals(payloadsOf(aTx.get(i)), payloadsOf(bRx.get(i)), "A's message " + i);
        }
        for (int i = 0; i < bTx.size(); i++) {
            assertEquals(clearPart(bTx.get(i)), clearPart(aRx.get(i)), "B's message " + i);
            assertEquals(payloadsOf(bTx.get(i)), payloadsOf(aRx.get(i)), "B's message " + i);
        }

        List<String> mm5 = bRx.get(2);
        assertEquals("Xchg Type: IDPROT(2) Ver: 10 Flags: 01", mm5.get(1));
        assertTrue(mm5.get(3).startsWith("Encrypted Payloads: "), mm5.get(3));
        assertTrue(mm5.contains("Decrypted Payloads:"), String.join("\n", mm5));
        assertTrue(mm5.contains("ID Data: 192.0.2.1"), String.join("\n", mm5));

        List<String> qm1 = bRx.get(3);
        assertEquals("Xchg Type: QUICK(32) Ver: 10 Flags: 01", qm1.get(1));
        assertTrue(qm1.contains("Proposal#: 1 Protocol: ESP(3) #Trans: 1 SPI: " + spiOf(qm1)), String.join("\n", qm1));
        assertTrue(qm1.contains("Transform Id .................. DES(2)"), String.join("\n", qm1));
        assertTrue(qm1.contains("Authentication Algorithm....... HMAC-SHA(2)"), String.join("\n", qm1));
        assertTrue(qm1.contains("Encapsulation Mode............. Tunnel(1)"), String.join("\n", qm1));
        assertFalse(aLines.contains("Message bytes:"), "PKT prints no raw bytes");
        assertFalse(aLines.stream().anyMatch(l -> l.startsWith("ISAKMP Exchange ")), "PKT prints no state changes");
    }

    @Test
    void pktrawAddsTheBytesAndAllAddsTheStateChanges() {
        negotiate("ALL");
        assertTrue(aLines.contains("Message bytes:"));
        assertTrue(aLines.contains("Decrypted bytes:"));
        assertTrue(aLines.stream().anyMatch(l -> l.startsWith("ISAKMP Exchange 1: ")), String.join("\n", aLines));
        assertTrue(aLines.stream().anyMatch(l -> l.startsWith("Cookie's: ")));
    }

    @Test
    void stateDebugDecodesNoMessagesAndDisablingPktStopsTheDecode() {
        negotiate("STATE");
        assertFalse(aLines.stream().anyMatch(l -> l.startsWith("Cookie's: ")), String.join("\n", aLines));
        assertTrue(aLines.stream().anyMatch(l -> l.startsWith("ISAKMP Exchange 1: ")), String.join("\n", aLines));

        loop.run(() -> a.daemon.debug().disable(IsakmpDebug.option("STATE")));
        assertFalse(a.daemon.debug().any());
    }

    /**
     * TRACEMORE prints each phase 1 SA's cookies and encryption key once, the same on both sides
     * (what a capture needs to be decrypted); no other level prints key material.
     */
    @Test
    void tracemorePrintsTheCookiesAndEncryptionKeyBothSidesAgreeOn() {
        negotiate("TRACEMORE");
        List<String> aKeys = aLines.stream().filter(l -> l.contains("(DEBUG=TRACEMORE, secret)")).toList();
        List<String> bKeys = bLines.stream().filter(l -> l.contains("(DEBUG=TRACEMORE, secret)")).toList();
        assertEquals(1, aKeys.size(), String.join("\n", aLines));
        assertEquals(1, bKeys.size(), String.join("\n", bLines));
        java.util.regex.Matcher ma = KEY_LINE.matcher(aKeys.get(0));
        java.util.regex.Matcher mb = KEY_LINE.matcher(bKeys.get(0));
        assertTrue(ma.find() && mb.find(), aKeys.get(0) + "\n" + bKeys.get(0));
        assertEquals(ma.group(1), mb.group(1), "the same cookies");
        assertEquals(ma.group(2), mb.group(2), "the same encryption key");
        assertEquals(16, ma.group(2).length(), "a DES key is 8 bytes");
        assertFalse(ma.group(1).endsWith(":0000000000000000"), "the responder cookie is known by then");
    }

    @Test
    void noOtherLevelPrintsKeyMaterial() {
        negotiate("ALL");
        assertFalse(aLines.stream().anyMatch(l -> l.contains("EncKey")), String.join("\n", aLines));
        assertFalse(bLines.stream().anyMatch(l -> l.contains("EncKey")), String.join("\n", bLines));
    }

    private static final java.util.regex.Pattern KEY_LINE =
            java.util.regex.Pattern.compile("Cookie's: ([0-9a-f]{16}:[0-9a-f]{16}) EncKey: ([0-9a-f]+) SKEYID_d: [0-9a-f]+ SKEYID_a: [0-9a-f]+");

    private static String spiOf(List<String> message) {
        for (String l : message) {
            if (l.startsWith("Proposal#: 1 Protocol: ESP(3) #Trans: 1 SPI: ")) {
                return l.substring(l.lastIndexOf(' ') + 1);
            }
        }
        return "none";
    }

    private static List<String> clearPart(List<String> message) {
        int end = message.indexOf("Payloads before encryption:");
        if (end < 0) {
            end = message.indexOf("Decrypted Payloads:");
        }
        return end < 0 ? message : message.subList(0, end);
    }

    private static List<String> payloadsOf(List<String> message) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : message) {
            if (l.equals("Payloads before encryption:") || l.equals("Decrypted Payloads:")) {
                in = true;
            } else if (in && !l.startsWith("Padding: ")) {
                out.add(l);
            }
        }
        return out;
    }
}
