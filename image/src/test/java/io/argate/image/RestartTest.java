package io.argate.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 item 6: RESTART ROUTER CONFIG= refuses what it cannot boot before anything is
 * stopped, and after a restart says exactly what the script did; no message claims a rollback
 * that did not happen.
 */
class RestartTest {
    @TempDir
    Path data;

    private void flashFile(String name, String text) throws Exception {
        Files.createDirectories(data.resolve("flash"));
        Files.writeString(data.resolve("flash").resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void aScriptThatFailsPartWayKeepsItsOtherLinesAndSaysWhichFailed() throws Exception {
        flashFile("bad.cfg", "set system idletimeout=5\nset system idletimeout=9223372036854775808\nadd ip int=eth0 ip=10.0.0.1\n");
        try (RouterRig r = new RouterRig(data)) {
            r.ok("set system idletimeout=9");
            r.ok("restart router config=bad.cfg");
            assertEquals(String.join("\n",
                    "Info (137001): Restarting the router with bad.cfg.",
                    "Warning (237006): Router restarted with bad.cfg: 1 of 3 lines failed and were skipped, the others are applied.",
                    "    bad.cfg line 2: Error (334006): Value \"9223372036854775808\" is not valid for IDLETIMEOUT: expected 0..1440 (out of range)."),
                    r.out());
            assertEquals("bad.cfg", r.router.currentConfig());
            r.ok("show config dynamic");
            assertTrue(r.out().contains("set system idletimeout=5"), r.out());
            assertTrue(r.out().contains("add ip int=eth0-0 ip=10.0.0.1"), "the line after the failure is applied too: " + r.out());
        }
    }

    @Test
    void whatCannotBeBootedIsRefusedBeforeAnythingIsStopped() throws Exception {
        flashFile("notes.txt", "set system idletimeout=1\n");
        try (RouterRig r = new RouterRig(data)) {
            r.ok("set system idletimeout=9");
            assertFalse(r.run("restart router config=notes.txt"));
            assertEquals("Error (337004): notes.txt is not a configuration script (the name must end in .cfg); the router was not restarted.",
                    r.out());
            assertFalse(r.run("restart router config=nope.cfg"));
            assertEquals("Error (337002): Configuration file nope.cfg does not exist; the router was not restarted.", r.out());
            assertFalse(r.run("restart router config=disk:a.cfg"));
            assertTrue(r.out().startsWith("Error (337004): disk:a.cfg is not a configuration script (Device \"disk\""), r.out());
            r.ok("show config dynamic");
            assertTrue(r.out().contains("set system idletimeout=9"), "the running configuration is untouched: " + r.out());
        }
    }

    @Test
    void aCleanRestartSaysHowManyLinesItApplied() throws Exception {
        flashFile("good.cfg", "# a comment\nset system idletimeout=5\n");
        try (RouterRig r = new RouterRig(data)) {
            r.ok("restart router config=GOOD.CFG");
            assertEquals("Info (137001): Restarting the router with good.cfg.\n"
                    + "Info (137005): Router restarted with good.cfg: all 2 lines applied.", r.out());
            r.ok("set config=none");
            r.ok("restart router");
            assertEquals("Info (137001): Restarting the router.\nInfo (137007): Router restarted with factory defaults.", r.out());
        }
    }
}
