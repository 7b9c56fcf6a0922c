package io.argate.image;

import io.argate.store.Flash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an administrator sees setting up RSA-signature IKE: ENCO RSA key pairs and their public
 * parts in .key files, the PKI module's certificates, the ISAKMP policy's AUTHTYPE=RSASIG and
 * LOCALRSAKEY, their errors, and the configuration they write.
 */
class PkiCommandsTest {
    @TempDir
    Path data;

    private static void refused(RouterRig r, String line, String expected) {
        assertFalse(r.run(line), line + " -> " + r.out());
        assertTrue(r.out().replaceAll("\\s+", " ").contains(expected), line + " -> " + r.out());
    }

    private static void says(RouterRig r, String line, String... expected) {
        r.ok(line);
        for (String e : expected) {
            assertTrue(r.out().contains(e), line + " -> " + r.out());
        }
    }

    @Test
    void encoRsaKeysArePairsOrPublicPartsAndNeverShowTheirPrivateHalf() throws Exception {
        try (RouterRig r = new RouterRig(data)) {
            refused(r, "create enco key=2 type=rsa", "an RSA key pair needs LENGTH=512..4096 (bits)");
            refused(r, "create enco key=2 type=rsa length=100", "LENGTH=512..4096");
            refused(r, "create enco key=2 type=rsa value=0x1234", "takes LENGTH (a new key pair) or FILE");
            says(r, "create enco key=2 type=rsa length=1024", "ENCO key 2 (RSA, 1024 bits, key pair) has been created");
            says(r, "show enco key=2", "RSA key pair, 1024 bits", "Exponent: 65537", "Modulus:  0x");
            assertFalse(r.out().toUpperCase().contains("PRIVATE"), r.out());
            says(r, "create enco key=2 type=rsa file=gw.key", "The public part of ENCO key 2 has been written to");
            String pub = new String(new Flash(data.resolve("flash")).read("gw.key"), StandardCharsets.US_ASCII);
            assertTrue(pub.startsWith("-----BEGIN PUBLIC KEY-----"), pub);
            says(r, "create enco key=3 type=rsa file=gw.key", "ENCO key 3 (RSA, 1024 bits, public key) has been created");
            refused(r, "create enco key=4 type=rsa file=none.key", "file none.key does not exist");
            refused(r, "create enco key=5 type=general value=abc file=gw.key", "FILE is only for RSA keys");
            says(r, "show enco key", "RSA");
            refused(r, "set enco key=2 random", "takes LENGTH (a new key pair) or FILE");
        }
    }

    @Test
    void certificatesAreMadeLoadedShownTrustedAndWrittenToTheConfiguration() throws Exception {
        try (RouterRig r = new RouterRig(data)) {
            r.ok("create enco key=1 type=general value=secret");
            r.ok("create enco key=2 type=rsa length=1024");
            r.ok("create enco key=2 type=rsa file=gw.key");
            r.ok("create enco key=3 type=rsa file=gw.key");
            refused(r, "create pki certificate=gw keypair=3 serial=1 subject=\"cn=gw\"", "ENCO key 3 is not an RSA key pair");
            refused(r, "create pki certificate=gw keypair=9 serial=1 subject=\"cn=gw\"", "ENCO key 9 is not an RSA key pair");
            refused(r, "create pki certificate=gw keypair=2 serial=1 subject=\"nonsense\"", "is not a distinguished name");
            refused(r, "create pki certificate=gw keypair=2 serial=1 subject=\"cn=gw\" subjectaltname=\"no such!\"", "is not an IP address");
            says(r, "create pki certificate=gw keypair=2 serial=5 subject=\"cn=gw, o=example\" subjectaltname=10.0.0.1",
                    "Self-signed certificate gw (1024-bit RSA, serial 5) has been written to");
            refused(r, "create pki certificate=gw keypair=2 serial=6 subject=\"cn=gw\"", "already exists");
            refused(r, "add pki certificate=x location=nofile.cer", "does not exist");
            refused(r, "add pki certificate=x location=gw.key", "does not hold an X.509 certificate");
            says(r, "add pki certificate=gw location=gw.cer type=self", "PKI certificate gw (CN=gw,O=example) has been added");
            refused(r, "add pki certificate=gw location=gw.cer", "PKI certificate gw already exists");
            refused(r, "add pki certificate=gw2 location=gw.cer", "holds the same certificate as PKI certificate gw");
            says(r, "show pki certificate", "gw", "SELF", "CN=gw,O=example");
            says(r, "show pki certificate=gw", "Serial Number", "5", "Subject Alt Names", "IP:10.0.0.1", "RSA 1024 bits", "Trusted ....");
            says(r, "set pki certificate=gw trusted=yes", "PKI certificate gw has been changed");
            says(r, "show pki certificate=gw", "TRUE");
            says(r, "show pki", "Certificates", "1");

            refused(r, "create isakmp policy=i peer=10.0.0.2 authtype=rsasig", "AUTHTYPE=RSASIG needs LOCALRSAKEY");
            refused(r, "create isakmp policy=i peer=10.0.0.2 authtype=rsasig localrsakey=1", "LOCALRSAKEY=1 names no RSA key pair");
            r.ok("create isakmp policy=i peer=10.0.0.2 authtype=rsasig localrsakey=2 sendn=true");
            says(r, "show isakmp policy=i", "RSASIG", "Local RSA Key");
            // with signatures Main Mode can check the ID of a peer whose address is not known
            r.ok("create isakmp policy=any peer=any authtype=rsasig localrsakey=2 remoteid=\"cn=peer, o=example\"");
            refused(r, "create isakmp policy=psk peer=any key=1 remoteid=peer", "REMOTEID with PEER=ANY needs MODE=AGGRESSIVE");

            r.ok("create config=pki.cfg");
            String cfg = new Flash(data.resolve("flash")).readText("pki.cfg");
            assertTrue(cfg.contains("add pki certificate=gw location=gw.cer trusted=yes type=self"), cfg);
            assertTrue(cfg.contains("create isakmp policy=i peer=10.0.0.2 authtype=rsasig localrsakey=2"), cfg);
            assertTrue(cfg.indexOf("add pki certificate") < cfg.indexOf("create isakmp policy"), "certificates load before the policies\n" + cfg);
            says(r, "show config dynamic=pki", "add pki certificate=gw");

            says(r, "delete pki certificate=gw", "PKI certificate gw has been deleted");
            refused(r, "show pki certificate=gw", "PKI certificate gw does not exist");
        }
    }
}
