package io.argate.image;

import io.argate.shell.Authenticator.Origin;
import io.argate.shell.cmd.Privilege;
import io.argate.store.LogEntry;
import io.argate.store.LogFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouterTest {
    @TempDir
    Path data;

    @Test
    void settingsSurviveRestartAndANewProcess() throws Exception {
        try (RouterRig r = new RouterRig(data)) {
            r.ok("set system name=hq");
            r.ok("add user=secoff pass=Sec-ret1 priv=securityofficer");
            r.ok("add user=xauth1 pass=pw login=no");
            r.ok("set system idletimeout=5");
            r.ok("create config=site.cfg");
            r.ok("set config=site.cfg");
            r.ok("enable system security_mode");
            r.ok("restart router");
            assertEquals("site.cfg", r.router.currentConfig());
            r.session.login("secoff", Privilege.SECURITY_OFFICER, java.time.Instant.now());
            r.ok("show system");
            assertTrue(r.out().contains("SysName ........................... hq"), r.out());
            assertTrue(r.out().contains("Security Mode ..................... Enabled"));
            r.ok("show config dynamic");
            assertTrue(r.out().contains("set system idletimeout=5"));
        }
        try (RouterRig r = new RouterRig(data)) {
            r.session.login("secoff", Privilege.SECURITY_OFFICER, java.time.Instant.now());
            r.ok("show user");
            assertTrue(r.out().contains("secoff"));
            assertTrue(r.out().contains("xauth1"));
            assertTrue(r.out().contains("Security mode: Enabled"));
            r.ok("show system");
            assertTrue(r.out().contains("Boot configuration file ........... site.cfg (exists)"));
            assertTrue(r.out().contains("Current configuration ............. site.cfg"));
            assertEquals("hq", r.router.shell().systemName().get());
        }
    }

    @Test
    void aScriptRoundTripsByteForByte() throws Exception {
        byte[] first;
        try (RouterRig r = new RouterRig(data)) {
            r.ok("set system name=\"Head Office\"");
            r.ok("set system idletimeout=0");
            r.ok("set user securedelay=90");
            r.ok("create config=a.cfg");
            first = r.router.flash().read("a.cfg");
            r.ok("restart router config=a.cfg");
            r.ok("create config=b.cfg");
            assertArrayEquals(first, r.router.flash().read("b.cfg"));
        }
        try (RouterRig r = new RouterRig(data, "--config", data.resolve("flash").resolve("a.cfg").toString())) {
            r.ok("create config=c.cfg");
            assertArrayEquals(first, r.router.flash().read("c.cfg"));
        }
        String text = new String(first, StandardCharsets.UTF_8);
        assertEquals("""
                # argate 0.1.0 configuration
                #
                # SYSTEM configuration
                #
                set system name="Head Office"
                set system idletimeout=0

                #
                # USER configuration
                #
                set user securedelay=90

                """, text);
        assertFalse(text.contains("pbkdf2"), "no password hashes in scripts");
    }

    @TempDir
    Path elsewhere;

    @Test
    void ipConfigurationRoundTripsAndSurvivesRestart() throws Exception {
        Path platform = elsewhere.resolve("plat.txt");
        Files.writeString(platform, "vlan1 mem link=rt1\neth0 mem link=rt2 mtu=1280\n");
        byte[] first;
        try (RouterRig r = new RouterRig(data, "--platform", platform.toString())) {
            r.ok("add ip int=ppp0-0 ip=0.0.0.0");
            r.ok("add ip int=vlan1 ip=4.4.4.1 mask=255.255.255.248");
            r.ok("add ip int=vlan1-1 ip=192.168.10.1");
            r.ok("add ip int=eth0 ip=10.1.1.1 mask=255.255.255.252");
            r.ok("add ip route=0.0.0.0 mask=0.0.0.0 int=eth0 next=10.1.1.2");
            r.ok("add ip route=172.16.0.0 mask=255.240.0.0 int=eth0 next=10.1.1.2 metric=5");
            r.ok("enable ip");
            r.ok("create config=ip.cfg");
            first = r.router.flash().read("ip.cfg");
            r.ok("set config=ip.cfg");
        }
        try (RouterRig r = new RouterRig(data, "--platform", platform.toString())) {
            r.ok("show ip route");
            assertTrue(r.out().contains("172.16.0.0       255.240.0.0      10.1.1.2         eth0-0     5      static"), r.out());
            r.ok("create config=ip2.cfg");
            assertArrayEquals(first, r.router.flash().read("ip2.cfg"));
            r.ok("show ip int");
            assertTrue(r.out().indexOf("ppp0-0") < r.out().indexOf("vlan1-0"), "creation order kept: " + r.out());
        }
        assertTrue(new String(first, StandardCharsets.UTF_8).contains("add ip int=vlan1-1 ip=192.168.10.1\n"), "class C mask left implicit");
    }

    @Test
    void bootFromAScriptOutsideFlashCopiesItIn() throws Exception {
        Path outside = elsewhere.resolve("import1.cfg");
        Files.writeString(outside, "set system name=imported\n");
        try (RouterRig r = new RouterRig(data, "--config", outside.toString())) {
            assertEquals("imported", r.router.shell().systemName().get());
            assertTrue(r.router.flash().exists(outside.getFileName().toString()));
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    /** "--config rt.cfg" after CREATE CONFIG=rt.cfg: a bare name that is not a host file is the flash file. */
    @Test
    void bootFromAFlashScriptByItsName() throws Exception {
        try (RouterRig r = new RouterRig(data)) {
            r.ok("set system name=fromflash");
            r.ok("create config=named.cfg");
        }
        try (RouterRig r = new RouterRig(data, "--config", "named.cfg")) {
            assertEquals("fromflash", r.router.shell().systemName().get());
        }
        try (RouterRig r = new RouterRig(data, "--config", "missing.cfg")) {
            String logged = r.router.log().query(LogFilter.all().module("CFG").type("SCRIPT")).toString();
            assertTrue(logged.contains("cannot boot from missing.cfg: no such file on the host or in flash"), logged);
        }
    }

    @Test
    void aDamagedScriptBootsWithFailingLinesLogged() throws Exception {
        Files.createDirectories(data.resolve("flash"));
        byte[] junk = "set system name=ok\nfrobnicate all\n\u0000\u0001\u00ff garbage\nset system idletimeout=99999\nset system idletimeout=7\nadd user=\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(data.resolve("flash").resolve("boot.cfg"), junk);
        try (RouterRig r = new RouterRig(data)) {
            assertEquals(4, r.router.lastBoot().failed(), String.join("\n", r.router.lastBoot().errors()));
            assertEquals("ok", r.router.shell().systemName().get());
            List<LogEntry> errors = r.router.log().query(LogFilter.all().module("CFG").type("SCRIPT"));
            assertTrue(errors.stream().anyMatch(e -> e.message().startsWith("boot.cfg line 2: Error (334001)")), errors.toString());
            assertTrue(errors.stream().anyMatch(e -> e.message().startsWith("boot.cfg line 4: Error (334006)")));
            r.ok("show config dynamic");
            assertTrue(r.out().contains("set system idletimeout=7"), "the boot went on after the failures");
        }
    }

    @Test
    void securityModeNeedsASecurityOfficerAndGuardsSecurityCommands() throws Exception {
        try (RouterRig r = new RouterRig(data)) {
            assertFalse(r.run("enable system security_mode"));
            assertTrue(r.out().startsWith("Error (338007): Security mode needs a user with SECURITYOFFICER privilege"), r.out());
            r.ok("add user=officer pass=Abc-123 priv=securityofficer");
            r.ok("enable system security_mode");
            assertFalse(r.run("add user=bob pass=x priv=manager"));
            assertTrue(r.out().contains("in security mode it needs SECURITY OFFICER"));
            r.ok("set system name=stillok");
            r.session.login("officer", Privilege.SECURITY_OFFICER, java.time.Instant.now());
            r.ok("add user=bob pass=x priv=manager");
            assertFalse(r.run("delete user=officer"));
            assertTrue(r.out().contains("You cannot delete the user you are logged in as"));
            r.session.login("manager", Privilege.MANAGER, java.time.Instant.now());
            r.ok("show user");
        }
    }

    @Test
    void userCommandsAndTheirErrors() throws Exception {
        try (RouterRig r = new RouterRig(data)) {
            assertFalse(r.run("add user=bob pass=x"));
            assertTrue(r.out().contains("LOGIN must be given"), r.out());
            r.ok("add user=bob pass=x login=yes desc=\"the builder\"");
            assertFalse(r.run("add user=BOB pass=y login=yes"));
            assertEquals("Error (338001): User BOB already exists.", r.out());
            assertFalse(r.run("add user=b_b pass=y login=yes"));
            assertTrue(r.out().contains("only letters and digits are allowed"));
            assertFalse(r.run("add user=carl pass=" + "x".repeat(33) + " login=yes"));
            assertTrue(r.out().contains("PASSWORD"));
            r.ok("add user=xauth pass=secret login=no");
            assertFalse(r.router.shell().auth().login("xauth", "secret", Origin.network("TELNET 3", "192.0.2.3")).ok(), "LOGIN=NO users only authenticate");
            r.ok("set user=bob priv=manager telnet=yes");
            assertFalse(r.run("delete user=nobody"));
            assertEquals("Error (338002): User nobody does not exist.", r.out());
            assertFalse(r.run("delete user=manager"));
            r.ok("purge user");
            r.ok("show user");
            assertFalse(r.out().contains("bob"));
            assertTrue(r.out().contains("manager"));
        }
    }

    @Test
    void loginsAreLoggedAndThrottled() throws Exception {
        try (RouterRig r = new RouterRig(data)) {
            var auth = r.router.shell().auth();
            Origin telnet = Origin.network("TELNET 1", "192.0.2.1");
            assertFalse(auth.login("manager", "wrong", telnet).ok());
            assertFalse(auth.login("manager", "wrong", telnet).ok());
            assertFalse(auth.login("manager", "wrong", telnet).ok());
            var locked = auth.login("manager", "friend", telnet);
            assertFalse(locked.ok(), "after three failures even the right password waits");
            assertTrue(locked.reason().startsWith("too many login failures"), locked.reason());
            assertTrue(auth.login("manager", "friend", Origin.local("CONSOLE 0")).ok(), "the console is never locked out");
            List<LogEntry> fails = r.router.log().query(LogFilter.all().module("USER"));
            // identical failures within 30 s are stored once and summarised (issue 11 item 3)
            assertTrue(fails.stream().filter(e -> e.subtype().equals("LOGFAIL")).count() >= 1);
            assertTrue(fails.stream().anyMatch(e -> e.subtype().equals("LOCK")));
            r.ok("show log module=user");
            assertTrue(r.out().contains("Login failed for manager on TELNET 1 from"), r.out());
            r.ok("show log severity=important");
            assertFalse(r.out().contains("LOGFAIL"), r.out());
            assertTrue(r.out().contains("LOCK"));
            assertFalse(r.run("show log severity=loud"));
        }
    }

    @Test
    void fileCommands() throws Exception {
        try (RouterRig r = new RouterRig(data)) {
            r.ok("create config=one.cfg");
            r.ok("rename file=one.cfg to=two.cfg");
            assertFalse(r.run("rename file=one.cfg to=three.cfg"));
            assertTrue(r.out().startsWith("Error (335001)"), r.out());
            r.ok("show file=two.cfg");
            assertTrue(r.out().startsWith("# argate"));
            r.ok("show file");
            assertTrue(r.out().contains("two.cfg"));
            assertFalse(r.run("set config=none.cfg"));
            assertEquals("Error (336003): Configuration file none.cfg does not exist.", r.out());
            assertFalse(r.run("create config=bad.txt"));
            assertTrue(r.out().contains("must end in .cfg"));
            assertFalse(r.run("create config=waytoolongname12345.cfg"));
            r.ok("delete file=two.cfg");
            assertFalse(r.run("delete file=two.cfg"));
            r.ok("set config=none");
            r.ok("help show");
            assertTrue(r.out().contains("SHOW SYSTEM"));
            assertFalse(r.run("help frob"));
        }
    }
}
