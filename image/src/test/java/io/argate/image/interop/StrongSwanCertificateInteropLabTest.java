package io.argate.image.interop;

import io.argate.image.lab.Lab;
import io.argate.pki.AltName;
import io.argate.pki.CertificateFile;
import io.argate.pki.SelfSigned;
import io.argate.store.Flash;
import org.junit.jupiter.api.Test;

import javax.security.auth.x500.X500Principal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AUTHTYPE=RSASIG against strongSwan 5.9 (RFC 2409 section 5.1 with X.509 certificates): argate
 * makes its key pair in ENCO and a self-signed certificate with CREATE PKI CERTIFICATE; the
 * strongSwan side's key and certificate are made here; each side loads the other's certificate
 * as its trust anchor. The tunnel comes up in both roles and the LANs ping through it, which
 * proves the CERT, CR and SIG payloads, the DER DN identity and the signature format.
 */
class StrongSwanCertificateInteropLabTest {
    private static final int PROBES = 4;

    @Test
    void argateInitiatesMainModeBySignatures() throws Exception {
        tunnel(true);
    }

    @Test
    void strongSwanInitiatesMainModeBySignatures() throws Exception {
        tunnel(false);
    }

    private void tunnel(boolean argateInitiates) throws Exception {
        Path data = Files.createTempDirectory("ia-argate-");
        try (InteropNet net = InteropNet.open()) {
            StrongSwanPeer.requireInstalled();
            Topology t = Topology.build(net, Topology.Layout.DIRECT, Topology.Kind.ARGATE, Topology.Kind.PEER);
            String peer = t.right().seenAs();
            List<String> lines = new ArrayList<>();
            lines.add("CREATE ENCO KEY=2 TYPE=RSA LENGTH=2048");
            lines.add("CREATE PKI CERTIFICATE=gw KEYPAIR=2 SERIALNUMBER=7 SUBJECT=\"cn=argate-gw, o=argate interop\" SUBJECTALTNAME="
                    + t.left().seenAs());
            lines.add("ADD PKI CERTIFICATE=gw LOCATION=gw.cer TYPE=SELF");
            for (String l : StrongSwanInteropLabTest.argateVpn(peer, "ENCALG=AES128 HASHALG=SHA GROUP=2", "ENCALG=AES128 HASHALG=SHA", 0)) {
                if (l.startsWith("CREATE ISAKMP POLICY")) {
                    lines.add("CREATE ISAKMP POLICY=i PEER=" + peer + " AUTHTYPE=RSASIG LOCALRSAKEY=2 SENDN=TRUE NATTRAVERSAL=TRUE"
                            + " ENCALG=AES128 HASHALG=SHA GROUP=2");
                } else if (!l.startsWith("CREATE ENCO KEY") && !l.equals("ENABLE ISAKMP")) {
                    lines.add(l);
                }
            }
            ArgateSide argate = ArgateSide.boot(net, t, data, lines);

            // strongSwan's key pair and self-signed certificate, naming its address as its ID
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair swanKey = g.generateKeyPair();
            X509Certificate swanCert = SelfSigned.make(swanKey.getPrivate(), swanKey.getPublic(), new X500Principal("CN=swan-gw, O=interop"),
                    11, List.of(AltName.parse(t.right().wan()).orElseThrow()), Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(2));
            Flash flash = new Flash(data.resolve("flash").resolve("flash"));
            byte[] argateCert = flash.read("gw.cer");
            flash.write("swan.cer", CertificateFile.pem(swanCert));
            argate.ok("ADD PKI CERTIFICATE=swan LOCATION=swan.cer TRUSTED=YES");
            argate.ok("ENABLE ISAKMP");

            SwanctlConfig psk = SwanctlConfig.gateway(SwanctlConfig.Kind.MAIN_PSK, t.right(), t.left());
            StrongSwanPeer sw = StrongSwanPeer.start(net, t.right().ns(), psk);
            Files.writeString(sw.dir().resolve("private/swan.pem"), pem("PRIVATE KEY", swanKey.getPrivate().getEncoded()));
            Files.write(sw.dir().resolve("x509/swan.pem"), CertificateFile.pem(swanCert));
            Files.write(sw.dir().resolve("x509ca/argate.pem"), argateCert);
            SwanctlConfig cfg = SwanctlConfig.gateway(SwanctlConfig.Kind.MAIN_PUBKEY, t.right(), t.left())
                    .proposals(SwanProposals.AES128_SHA1_MODP1024, "aes128-sha1")
                    // strongSwan writes a DN in DER order; argate's SUBJECT is RFC 4514 text (most specific first)
                    .set("REMOTE_ID", "O=argate interop, CN=argate-gw");
            if (argateInitiates) {
                cfg.set("REMOTE_ADDRS", "%any");
            }
            sw.load(cfg);
            if (!argateInitiates) {
                Lab.Result init = sw.initiate(SwanctlConfig.CHILD, SwanctlConfig.IKE);
                assertTrue(StrongSwanPeer.succeeded(init), init.out() + "\n" + sw.logTail(80) + "\n" + show(argate));
            }
            Lab.Result ping = t.left().ns().ping(null, t.right().lanHost(), PROBES);
            for (int round = 0; round < 5 && Netns.received(ping) < PROBES - 2; round++) {
                ping = t.left().ns().ping(null, t.right().lanHost(), PROBES);
            }
            String why = ping.out() + "\n--- strongSwan:\n" + sw.logTail(80) + "\n--- argate:\n" + show(argate);
            assertTrue(Netns.received(ping) >= PROBES - 2, why);
            SwanSa.Ike sa = sw.ikeSa(SwanctlConfig.IKE);
            assertEquals("ESTABLISHED", sa.state(), why);
            String log = sw.log();
            assertTrue(log.contains("CN=argate-gw") && log.contains("authentication of"), "strongSwan authenticated argate by its certificate\n" + why);
            String isakmp = argate.show("show isakmp sa");
            assertTrue(isakmp.contains(t.right().seenAs()), isakmp);
        } finally {
            StrongSwanPeer.deleteTree(data);
        }
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static String show(ArgateSide a) {
        return a.show("show isakmp sa", "show isakmp exchange", "show isakmp counters", "show ipsec sa", "show pki certificate",
                "show log module=isak");
    }
}
