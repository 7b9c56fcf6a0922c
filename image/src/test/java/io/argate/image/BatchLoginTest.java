package io.argate.image;

import io.argate.shell.login.BatchRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LOGIN and LOGOFF in a batch script (issue 16): the script answers login: and Password: on its
 * next two lines, as the reference's walkthroughs need when they log in again as the Security
 * Officer; the run goes on as that user.
 */
class BatchLoginTest {
    @TempDir
    Path data;

    record Run(int status, String out) {
    }

    Run batch(String script) throws Exception {
        try (RouterRig r = new RouterRig(data)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            int status = new BatchRunner(r.router.shell()).run(new BufferedReader(new StringReader(script)), out, "manager", "friend");
            return new Run(status, bytes.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void loginTakesTheNextTwoLinesAndTheScriptGoesOnAsThatUser() throws Exception {
        Run r = batch("add user=secoff pass=PasswordS priv=securityofficer\nlogin\nsecoff\nPasswordS\nshow user\nenable system security_mode\n");
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().contains("Manager > login\nlogin: secoff\nPassword: \n\nSecOff > show user\n"), r.out());
        assertFalse(r.out().contains("PasswordS\n"), "the password is not echoed: " + r.out());
        assertTrue(r.out().contains("SecOff > enable system security_mode\nInfo"), r.out());
    }

    @Test
    void aFailedLoginStopsTheScriptWithStatusOne() throws Exception {
        Run r = batch("login\nmanager\nwrong\nshow user\n");
        assertEquals(1, r.status(), r.out());
        assertTrue(r.out().contains("Login as manager failed: Login incorrect; the rest of the script is not run."), r.out());
        assertFalse(r.out().contains("show user"), r.out());
        Run cut = batch("login\nmanager\n");
        assertEquals(1, cut.status(), cut.out());
        assertTrue(cut.out().contains("The script ended before the password of manager"), cut.out());
        Run bare = batch("login\n");
        assertEquals(1, bare.status(), bare.out());
        assertTrue(bare.out().contains("LOGIN needs the login name and the password on the next two lines"), bare.out());
    }

    @Test
    void logoffAsksForTheNextLoginOrEndsAtTheEndOfTheScript() throws Exception {
        Run again = batch("logoff\nmanager\nfriend\nshow time\n");
        assertEquals(0, again.status(), again.out());
        assertTrue(again.out().contains("Logged off.\nlogin: manager\nPassword: \n\nManager > show time\nSystem time is"), again.out());
        Run end = batch("show time\nlogoff\n");
        assertEquals(0, end.status(), end.out());
        assertTrue(end.out().endsWith("Logged off.\n"), end.out());
    }
}
