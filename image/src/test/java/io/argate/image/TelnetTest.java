package io.argate.image;

import io.argate.shell.testing.StepClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TelnetTest {
    @TempDir
    Path data;


    static void login(TelnetClient c, String user, String pw) throws IOException {
        assertTrue(c.waitFor("login: ", 10_000), "login prompt: " + c.text);
        c.type(user + "\r\n");
        assertTrue(c.waitFor("Password: ", 5_000), c.text.toString());
        c.type(pw + "\r\n");
    }

    @Test
    void negotiationLoginCommandsAndLogoff() throws Exception {
        try (RouterRig r = new RouterRig(data, "--telnet", "127.0.0.1:0"); TelnetClient c = new TelnetClient(r.router.telnetAddress())) {
            assertTrue(c.waitFor("login: ", 10_000));
            byte[] first = java.util.Arrays.copyOf(c.raw.toByteArray(), 9);
            assertArrayEquals(new byte[]{(byte) 255, (byte) 251, 1, (byte) 255, (byte) 251, 3, (byte) 255, (byte) 253, 31}, first,
                    "WILL ECHO, WILL SUPPRESS-GO-AHEAD, DO NAWS");
            // the client agrees and reports a 100x40 window
            c.send(255, 253, 1, 255, 253, 3, 255, 251, 31, 255, 250, 31, 0, 100, 0, 40, 255, 240);
            c.type("manager\r\n");
            assertTrue(c.waitFor("Password: ", 5000));
            c.clear();
            c.type("friend\r\n");
            assertTrue(c.waitFor("Manager > ", 5000), c.text.toString());
            assertTrue(!c.text.toString().contains("friend"), "the password is not echoed");
            c.type("sh sys\r\n");
            assertTrue(c.waitFor("Security Mode", 5000), c.text.toString());
            c.clear();
            c.type("frob\r\n");
            assertTrue(c.waitFor("Error (334001): Unknown command \"frob\".", 5000), c.text.toString());
            c.type("lo\r\n");
            assertTrue(c.closedByServer(5000), "LOGOFF closes a telnet session");
        }
    }

    @Test
    void wrongPasswordIsRefusedAndSessionsAreIndependent() throws Exception {
        try (RouterRig r = new RouterRig(data, "--telnet", "127.0.0.1:0")) {
            r.ok("set system name=edge");
            List<TelnetClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    clients.add(new TelnetClient(r.router.telnetAddress()));
                }
                login(clients.get(0), "manager", "nope");
                assertTrue(clients.get(0).waitFor("Login incorrect", 5000));
                for (TelnetClient c : clients.subList(1, 3)) {
                    login(c, "manager", "friend");
                    assertTrue(c.waitFor("edge Manager > ", 5000), c.text.toString());
                }
                clients.get(1).type("set system name=core\r\n");
                assertTrue(clients.get(1).waitFor("Operation successful", 5000));
                clients.get(2).clear();
                clients.get(2).type("show time\r\n");
                assertTrue(clients.get(2).waitFor("core Manager > ", 5000), "the other session sees the new name in its next prompt");
                assertEquals(2, r.router.shell().registry().list().stream().filter(s -> s.loggedIn()).count() - 0);
            } finally {
                for (TelnetClient c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void loginTimeoutAndIdleTimeout() throws Exception {
        StepClock clock = new StepClock(Instant.now());
        try (RouterRig r = new RouterRig(data, clock, "--telnet", "127.0.0.1:0");
             TelnetClient idle = new TelnetClient(r.router.telnetAddress());
             TelnetClient user = new TelnetClient(r.router.telnetAddress())) {
            assertTrue(idle.waitFor("login: ", 10_000));
            login(user, "manager", "friend");
            assertTrue(user.waitFor("Manager > ", 5000));
            clock.advanceSeconds(61);
            r.router.shell().registry().tick();
            assertTrue(idle.waitFor("Login timed out after 60 seconds.", 5000), idle.text.toString());
            assertTrue(idle.closedByServer(5000));
            clock.advanceSeconds(31 * 60);
            r.router.shell().registry().tick();
            assertTrue(user.waitFor("logged off", 5000), user.text.toString());
            assertTrue(user.closedByServer(5000));
        }
    }

    @Test
    void garbageAndAbruptDisconnectsDoNotHurtTheServer() throws Exception {
        StepClock clock = new StepClock(Instant.now());
        try (RouterRig r = new RouterRig(data, clock, "--telnet", "127.0.0.1:0")) {
            Random rnd = new Random(5);
            for (int round = 0; round < 5; round++) {
                try (TelnetClient g = new TelnetClient(r.router.telnetAddress())) {
                    byte[] junk = new byte[20_000];
                    rnd.nextBytes(junk);
                    for (int i = 0; i < junk.length; i += 50) {
                        junk[i] = (byte) 255;
                    }
                    g.out.write(junk);
                    g.out.flush();
                    g.pump();
                }
            }
            // the garbage held CRs, so it made login attempts from this address: let its sessions
            // finish them, then sit out the delay
            long quiet = System.currentTimeMillis() + 10_000;
            while (!r.router.shell().registry().list().isEmpty() && System.currentTimeMillis() < quiet) {
                Thread.sleep(50);
            }
            clock.advanceSeconds(5 * 60);
            try (TelnetClient c = new TelnetClient(r.router.telnetAddress())) {
                login(c, "manager", "friend");
                assertTrue(c.waitFor("Manager > ", 5000), c.text.toString());
                c.close();
            }
            long deadline = System.currentTimeMillis() + 5000;
            while (!r.router.shell().registry().list().isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, r.router.shell().registry().list().size(), "closed connections leave no sessions behind");
            clock.advanceSeconds(5 * 60);
            try (TelnetClient c = new TelnetClient(r.router.telnetAddress())) {
                login(c, "manager", "friend");
                assertTrue(c.waitFor("Manager > ", 5000), "still serving");
            }
        }
    }
}
