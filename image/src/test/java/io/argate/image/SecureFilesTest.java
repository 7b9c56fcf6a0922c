package io.argate.image;

import io.argate.shell.cmd.Privilege;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 item 7: in security mode the boot script (set only by the Security Officer) and key
 * and certificate files can be deleted, renamed or overwritten only by the Security Officer.
 */
class SecureFilesTest {
    @TempDir
    Path data;

    @Test
    void inSecurityModeAManagerCannotDeleteRenameOrOverwriteSecurityFiles() throws Exception {
        try (RouterRig r = new RouterRig(data)) {
            r.ok("add user=secoff pass=Sec-ret1 priv=securityofficer");
            r.ok("create config=site.cfg");
            r.ok("create config=other.cfg");
            r.ok("set config=site.cfg");
            Files.writeString(data.resolve("flash").resolve("peer.key"), "public key\n");
            r.ok("enable system security_mode");

            assertFalse(r.run("delete file=site.cfg"));
            assertEquals("Error (335005): File site.cfg is the boot script; in security mode only a SECURITY OFFICER may change or delete it.",
                    r.out());
            assertFalse(r.run("rename file=SITE.CFG to=old.cfg"));
            assertTrue(r.out().startsWith("Error (335005): File SITE.CFG is the boot script"), r.out());
            assertFalse(r.run("rename file=other.cfg to=site.cfg"));
            assertTrue(r.out().startsWith("Error (335005): File site.cfg is the boot script"), r.out());
            assertFalse(r.run("create config=site.cfg"));
            assertTrue(r.out().startsWith("Error (335005)"), r.out());
            assertFalse(r.run("delete file=peer.key"));
            assertEquals("Error (335005): File peer.key is a key file; in security mode only a SECURITY OFFICER may change or delete it.",
                    r.out());
            assertFalse(r.run("rename file=other.cfg to=x.cer"));
            assertTrue(r.out().contains("is a certificate"), r.out());
            assertTrue(Files.exists(data.resolve("flash").resolve("site.cfg")));
            assertTrue(Files.exists(data.resolve("flash").resolve("peer.key")));

            r.ok("delete file=other.cfg");

            r.session.login("secoff", Privilege.SECURITY_OFFICER, Instant.now());
            r.ok("delete file=peer.key");
            r.ok("create config=site.cfg");
            r.ok("delete file=site.cfg");
        }
    }

    @Test
    void inNormalModeAManagerHasTheSecurityOfficersRights() throws Exception {
        try (RouterRig r = new RouterRig(data)) {
            r.ok("create config=site.cfg");
            r.ok("set config=site.cfg");
            Files.writeString(data.resolve("flash").resolve("peer.key"), "public key\n");
            r.ok("rename file=site.cfg to=old.cfg");
            r.ok("delete file=peer.key");
        }
    }
}
