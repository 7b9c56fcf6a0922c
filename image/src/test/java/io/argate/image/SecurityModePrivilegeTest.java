package io.argate.image;

import io.argate.shell.cmd.Privilege;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ENABLE SYSTEM SECURITY_MODE (issue 16): the reference runs it as the Security Officer; the fact
 * sheet gives a MANAGER the Security Officer's rights in normal mode, so a manager may run it too,
 * once a Security Officer exists. In security mode only the Security Officer may turn it off.
 */
class SecurityModePrivilegeTest {
    @TempDir
    Path data;

    @Test
    void theSecurityOfficerAsInTheReferenceOrAManagerInNormalMode() throws Exception {
        try (RouterRig r = new RouterRig(data)) {
            r.ok("add user=secoff pass=PasswordS priv=securityofficer");
            r.session.login("secoff", Privilege.SECURITY_OFFICER, Instant.now());
            r.ok("enable system security_mode");
            r.ok("disable system security_mode");
            r.session.login("manager", Privilege.MANAGER, Instant.now());
            r.ok("enable system security_mode");
            assertFalse(r.run("disable system security_mode"));
            assertTrue(r.out().contains("in security mode it needs SECURITY OFFICER"), r.out());
            r.session.login("bob", Privilege.USER, Instant.now());
            assertFalse(r.run("enable system security_mode"));
            assertTrue(r.out().contains("requires MANAGER privilege"), r.out());
        }
    }
}
