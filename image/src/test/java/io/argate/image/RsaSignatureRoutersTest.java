package io.argate.image;

import io.argate.ip.port.MemPort;
import io.argate.store.Flash;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AUTHTYPE=RSASIG between two whole routers (RFC 2409 section 5.1; seed 003: "AUTHTYPE=RSASIG,
 * LOCALRSAKEY=... see the PKI chapter"): each makes an RSA key pair in ENCO and a self-signed
 * certificate for it, the administrators swap the .cer files and mark the peer's TRUSTED, and
 * the walkthrough's VPN comes up by signatures, in Main and in Aggressive Mode. A peer whose
 * certificate is not trusted is refused, and the log says so in the PKI's terms.
 */
class RsaSignatureRoutersTest {
    @TempDir
    Path dir;

    /** The walkthrough with the pre-shared key replaced by a key pair and its certificate. */
    static List<String> rsaWalkthrough(String name, String wan, String peer, String lan, String remoteLan, String mode) {
        List<String> out = new ArrayList<>();
        for (String line : IsakmpRoutersTest.walkthrough(wan, peer, lan, remoteLan)) {
            if (line.startsWith("CREATE ISAKMP POLICY")) {
                out.add("CREATE ISAKMP POLICY=i PEER=" + peer + " AUTHTYPE=RSASIG LOCALRSAKEY=2 SENDN=TRUE MODE=" + mode);
            } else if (line.startsWith("CREATE ENCO KEY")) {
                out.add("CREATE ENCO KEY=2 TYPE=RSA LENGTH=1024");
                out.add("CREATE PKI CERTIFICATE=" + name + " KEYPAIR=2 SERIALNUMBER=1 SUBJECT=\"cn=" + name + ", o=argate\" SUBJECTALTNAME=" + wan);
                out.add("ADD PKI CERTIFICATE=" + name + " LOCATION=" + name + ".cer TYPE=SELF");
            } else if (!line.equals("ENABLE ISAKMP")) {
                out.add(line);
            }
        }
        return out;
    }

    @Test
    void mainModeBySignaturesCarriesTraffic() throws Exception {
        String log = tunnel("MAIN", true);
        assertTrue(log.contains("Completed successfully") || log.contains("completed"), log);
    }

    @Test
    void aggressiveModeBySignaturesCarriesTraffic() throws Exception {
        tunnel("AGGRESSIVE", true);
    }

    @Test
    void aPeerWhoseCertificateIsNotTrustedIsRefusedAndTheLogSaysWhy() throws Exception {
        String log = tunnel("MAIN", false);
        String flat = log.replaceAll("\\s+", " ");
        assertTrue(flat.contains("the peer's certificate at Main Mode message 5 is not accepted: CN=gwa,O=argate is PKI certificate gwa,"
                + " which is not TRUSTED"), log);
    }

    /** Brings the two routers up; returns router B's log. */
    private String tunnel(String mode, boolean trustPeer) throws Exception {
        String tag = Long.toString(System.nanoTime(), 36);
        Path pa = dir.resolve("a.platform");
        Path pb = dir.resolve("b.platform");
        Files.writeString(pa, "vlan1 mem link=la" + tag + "\neth0 mem link=w" + tag + "\n");
        Files.writeString(pb, "vlan1 mem link=lb" + tag + "\neth0 mem link=w" + tag + "\n");
        MemPort hostA = new MemPort("hostA", "la" + tag, 1500);
        MemPort hostB = new MemPort("hostB", "lb" + tag, 1500);
        LinkedBlockingQueue<ByteBuf> atB = new LinkedBlockingQueue<>();
        hostA.start((p, b) -> { });
        hostB.start((p, b) -> atB.add(b));
        try (RouterRig a = new RouterRig(dir.resolve("a"), Clock.systemUTC(), "--platform", pa.toString());
             RouterRig b = new RouterRig(dir.resolve("b"), Clock.systemUTC(), "--platform", pb.toString())) {
            for (String line : rsaWalkthrough("gwa", "10.0.0.1", "10.0.0.2", "192.168.10", "192.168.20", mode)) {
                a.ok(line);
            }
            for (String line : rsaWalkthrough("gwb", "10.0.0.2", "10.0.0.1", "192.168.20", "192.168.10", mode)) {
                b.ok(line);
            }
            // the administrators swap certificates, as files on each router's flash
            Flash fa = new Flash(dir.resolve("a").resolve("flash"));
            Flash fb = new Flash(dir.resolve("b").resolve("flash"));
            fb.write("gwa.cer", fa.read("gwa.cer"));
            fa.write("gwb.cer", fb.read("gwb.cer"));
            a.ok("ADD PKI CERTIFICATE=gwb LOCATION=gwb.cer TRUSTED=YES");
            b.ok("ADD PKI CERTIFICATE=gwa LOCATION=gwa.cer" + (trustPeer ? " TRUSTED=YES" : ""));
            a.ok("ENABLE ISAKMP");
            b.ok("ENABLE ISAKMP");
            ByteBuf got = null;
            for (int seq = 1; seq <= (trustPeer ? 30 : 4) && got == null; seq++) {
                hostA.transmit(IsakmpRoutersTest.ping(IsakmpRoutersTest.HOST_A, IsakmpRoutersTest.HOST_B, seq));
                got = atB.poll(1, TimeUnit.SECONDS);
            }
            b.run("show log");
            String log = b.out();
            a.run("show isakmp exchange");
            if (trustPeer) {
                assertNotNull(got, "the ping crossed once ISAKMP authenticated by signatures\n" + a.out() + "\n" + log);
                assertTrue(b.run("show isakmp sa"));
                assertTrue(b.out().contains("10.0.0.1"), b.out());
                String id = b.out().lines().filter(l -> l.contains("10.0.0.1")).findFirst().orElseThrow().trim().split("\\s+")[0];
                assertTrue(b.run("show isakmp sa=" + id));
                assertTrue(b.out().contains("RSA signature, certificate CN=gwa,O=argate") && b.out().contains("Peer ID"), b.out());
                assertTrue(b.run("show pki certificate=gwa"));
                assertTrue(b.out().contains("CN=gwa,O=argate") && b.out().contains("IP:10.0.0.1"), b.out());
            } else {
                assertNull(got, "no tunnel without trust");
            }
            return log;
        } finally {
            hostA.close();
            hostB.close();
        }
    }
}
