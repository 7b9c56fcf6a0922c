package io.argate.image;

import io.argate.shell.cmd.Privilege;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ENCO keys in a whole router: the AR persistence rule, encryption at rest, who may see values. */
class EncoKeysTest {
    @TempDir
    Path data;

    static final String SECRET_HEX = "431d62cd3cb76fb8101dacaf43aa4dbfb919e957";

    @Test
    void inNormalModeKeysAreLostAtRestart() throws Exception {
        try (RouterRig r = new RouterRig(data)) {
            r.ok("create enco key=2 type=general value=0x" + SECRET_HEX);
            assertTrue(r.out().contains("Warning (271008): ENCO key 2 will be lost at the next restart"), r.out());
            r.ok("restart router");
            assertFalse(r.run("show enco key=2"));
            assertEquals("Error (371002): ENCO key 2 does not exist.", r.out());
        }
    }

    @Test
    void inSecurityModeKeysSurviveRestartAndANewProcessAndOnlySecOffSeesValues() throws Exception {
        try (RouterRig r = new RouterRig(data)) {
            r.ok("add user=officer pass=Off1cer priv=securityofficer");
            r.ok("enable system security_mode");
            r.session.login("officer", Privilege.SECURITY_OFFICER, java.time.Instant.now());
            r.ok("create enco key=2 type=general value=0x" + SECRET_HEX + " desc=\"IPsec SHA-1 key\"");
            assertFalse(r.out().contains("Warning"), "no warning in security mode");
            r.ok("create enco key=1 type=des value=0xF888CAC6C66ECF52");
            r.ok("restart router");
            r.ok("show enco key=2");
            assertEquals("0x" + SECRET_HEX, r.out());
            r.ok("create config=sec.cfg");
            String script = new String(r.router.flash().read("sec.cfg"), StandardCharsets.UTF_8);
            assertFalse(script.toLowerCase().contains(SECRET_HEX), "keys never appear in scripts");
        }
        try (RouterRig r = new RouterRig(data)) {
            assertFalse(r.run("show enco key=2"), "a manager may not see values in security mode");
            assertTrue(r.out().contains("only a SECURITY OFFICER may see"));
            r.ok("show enco key");
            assertTrue(r.out().contains("IPsec SHA-1 key"), "the list (no values) is fine");
            r.session.login("officer", Privilege.SECURITY_OFFICER, java.time.Instant.now());
            r.ok("show enco key=1");
            assertEquals("9cemvrwgn5hvek\n0xF888CAC6C66ECF52", r.out(), "the seed's sample for its DES key, line for line");
        }
        byte[] nvs = Files.readAllBytes(data.resolve("nvs.mv.db"));
        byte[] secret = HexFormat.of().parseHex(SECRET_HEX);
        assertFalse(contains(nvs, secret), "the NVS file holds no key in clear");
        assertFalse(contains(nvs, SECRET_HEX.getBytes(StandardCharsets.US_ASCII)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("enco.key"))));
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void badKeysAreRefusedWithTheRuleNamed() throws Exception {
        try (RouterRig r = new RouterRig(data)) {
            assertFalse(r.run("create enco key=1 type=des value=0x01fe01fe01fe01fe"));
            assertTrue(r.out().contains("weak or semi-weak"), r.out());
            assertFalse(r.run("create enco key=1 type=3desouter value=0x0123456789abcdef0123456789abcdef0123456789abcdef"));
            assertTrue(r.out().contains("must differ"), r.out());
            assertFalse(r.run("create enco key=1 type=aes256 value=0x00"));
            assertTrue(r.out().contains("a AES256 key is 32 bytes"), r.out());
            assertFalse(r.run("create enco key=1 type=des value=0x0g"));
            assertTrue(r.out().contains("Error (334006)") || r.out().contains("Error (371003)"), r.out());
            // an RSA key is a key pair made with LENGTH (or a public part from FILE), never a random value
            assertFalse(r.run("create enco key=1 type=rsa random"));
            assertTrue(r.out().contains("an RSA key takes LENGTH (a new key pair) or FILE"), r.out());
            assertFalse(r.run("create enco key=1 type=general random"));
            assertTrue(r.out().contains("needs LENGTH"), r.out());
            assertFalse(r.run("create enco key=1 type=aes128"));
            assertTrue(r.out().contains("give VALUE= or RANDOM"));
            assertFalse(r.run("create enco key=65536 type=des random"));
            r.ok("create enco key=7 type=aes192 random");
            assertFalse(r.run("create enco key=7 type=aes192 random"));
            assertEquals("Error (371001): ENCO key 7 already exists.", r.out());
            r.ok("set enco key=7 desc=rotated random");
            r.ok("destroy enco key=7");
            assertFalse(r.run("destroy enco key=7"));
        }
    }
}
