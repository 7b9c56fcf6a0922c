package io.argate.image;

import io.argate.shell.console.Console;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console on a JLine dumb terminal: login, commands, ? help, TAB, LOGOFF back to login. */
class ConsoleTest {
    @TempDir
    Path data;

    String session(String typed) throws Exception {
        try (RouterRig r = new RouterRig(data)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Console c = Console.streams(r.router.shell(), new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), out);
            c.run();
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void loginRunCommandsAndLogoffBackToLogin() throws Exception {
        String out = session("manager\rfriend\rshow time\rlogoff\rmanager\rwrong\r");
        assertTrue(out.contains("login: "), out);
        assertTrue(out.contains("Manager > "), out);
        assertTrue(out.contains("System time is"), out);
        assertTrue(out.contains("Logged off."), out);
        assertTrue(out.contains("Login incorrect"), out);
        assertFalse(out.contains("friend"), "the password is not echoed");
    }

    @Test
    void questionMarkListsWhatMayComeNext() throws Exception {
        String out = session("manager\rfriend\rcreate config?\u0015show sys\r");
        assertTrue(out.contains("CONFIG=a string of 1..24 characters"), out);
        assertTrue(out.contains("Write the running configuration"), out);
    }

    @Test
    void tabCompletesAbbreviations() throws Exception {
        String out = session("manager\rfriend\rshow sys\t\r");
        assertTrue(out.contains("SHOW SYSTEM") || out.contains("show SYSTEM") || out.contains("Router System Status"), out);
    }
}
