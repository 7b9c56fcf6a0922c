package io.argate.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NvsTest {

    private static final Clock BOOT = Clock.fixed(Instant.parse("2024-05-17T12:34:56Z"), ZoneOffset.UTC);
    private static final String DAMAGED = "nvs.damaged-20240517123456.mv.db";

    @TempDir
    Path data;

    private int count(Nvs nvs, String table) {
        return nvs.transaction(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Test
    void firstBootCreatesTheDatabaseWithSettings() {
        try (Nvs nvs = Nvs.open(data.resolve("new"))) {
            assertTrue(Files.exists(data.resolve("new/nvs.mv.db")));
            assertFalse(nvs.recoveredFromDamage());
            assertNull(nvs.recoveryDetail());
            assertEquals(1, nvs.schemaVersion(Nvs.MODULE));
            assertEquals(0, count(nvs, "settings"));
            assertEquals(Optional.empty(), nvs.setting("bootconfig"));
        }
    }

    @Test
    void settingsPersistAcrossCloseAndReopen() {
        try (Nvs nvs = Nvs.open(data)) {
            nvs.putSetting("bootconfig", "boot.cfg");
            nvs.putSetting("sysname", "gw1");
            nvs.putSetting("sysname", "gw2");
            nvs.putSetting("gone", "x");
            nvs.removeSetting("gone");
        }
        try (Nvs nvs = Nvs.open(data)) {
            assertEquals(Optional.of("boot.cfg"), nvs.setting("bootconfig"));
            assertEquals(Optional.of("gw2"), nvs.setting("sysname"));
            assertEquals(Optional.empty(), nvs.setting("gone"));
            assertEquals(1, nvs.schemaVersion(Nvs.MODULE), "reopening does not re-run the NVS schema");
        }
    }

    @Test
    void migrationRunsOnlyStepsAboveTheRecordedVersion() {
        // Plain CREATE TABLE (no IF NOT EXISTS): running a step twice would fail.
        List<String> v1 = List.of("CREATE TABLE users(name VARCHAR PRIMARY KEY)");
        List<String> v2 = List.of(v1.get(0), "ALTER TABLE users ADD COLUMN privilege INT DEFAULT 0");
        try (Nvs nvs = Nvs.open(data)) {
            assertEquals(0, nvs.schemaVersion("USER"));
            nvs.migrate("USER", v1);
            nvs.migrate("USER", v1);
            assertEquals(1, nvs.schemaVersion("USER"));
            nvs.migrate("USER", v2);
            assertEquals(2, nvs.schemaVersion("USER"));
            nvs.transaction(c -> c.createStatement().executeUpdate("INSERT INTO users VALUES ('manager', 2)"));
        }
        try (Nvs nvs = Nvs.open(data)) {
            nvs.migrate("USER", v2);
            assertEquals(2, nvs.schemaVersion("USER"));
            assertEquals(1, count(nvs, "users"));
            assertEquals(1, nvs.schemaVersion(Nvs.MODULE), "modules keep separate versions");
        }
    }

    @Test
    void failedStepKeepsEarlierStepsAndTheNextCallResumesThere() {
        try (Nvs nvs = Nvs.open(data)) {
            StoreException e = assertThrows(StoreException.class, () -> nvs.migrate("ENCO",
                    List.of("CREATE TABLE keys(id INT PRIMARY KEY)", "CREATE TABLE broken(")));
            assertTrue(e.getMessage().contains("schema step 2 of module ENCO failed"), e.getMessage());
            assertEquals(1, nvs.schemaVersion("ENCO"));
            nvs.migrate("ENCO", List.of("CREATE TABLE keys(id INT PRIMARY KEY)", "CREATE TABLE fixed(id INT)"));
            assertEquals(2, nvs.schemaVersion("ENCO"));
            assertEquals(0, count(nvs, "fixed"));
        }
    }

    @Test
    void transactionCommitsOrRollsBackAsAWhole() {
        try (Nvs nvs = Nvs.open(data)) {
            assertThrows(IllegalStateException.class, () -> nvs.transaction(c -> {
                c.createStatement().executeUpdate("INSERT INTO settings VALUES ('a', '1')");
                throw new IllegalStateException("command failed half way");
            }));
            StoreException sql = assertThrows(StoreException.class, () -> nvs.transaction(c -> {
                c.createStatement().executeUpdate("INSERT INTO settings VALUES ('b', '1')");
                return c.createStatement().executeUpdate("INSERT INTO no_such_table VALUES (1)");
            }));
            assertTrue(sql.getMessage().startsWith("NVS database error: Table \"NO_SUCH_TABLE\" not found"),
                    sql.getMessage());
            assertEquals(0, count(nvs, "settings"));
            nvs.transaction(c -> c.createStatement().executeUpdate("INSERT INTO settings VALUES ('c', '1')"));
            assertEquals(Optional.of("1"), nvs.setting("c"));
        }
    }

    @Test
    void nestedTransactionJoinsTheOuterOne() {
        try (Nvs nvs = Nvs.open(data)) {
            assertThrows(IllegalStateException.class, () -> nvs.transaction(c -> {
                nvs.putSetting("inner", "x");
                throw new IllegalStateException("outer fails after inner returned");
            }));
            assertEquals(Optional.empty(), nvs.setting("inner"));
        }
    }

    @Test
    void concurrentWritersAllLand() throws Exception {
        try (Nvs nvs = Nvs.open(data)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int id = t;
                threads.add(new Thread(() -> {
                    for (int i = 0; i < 50; i++) {
                        nvs.putSetting("t" + id + "-" + i, Integer.toString(i));
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(200, count(nvs, "settings"));
        }
    }

    @Test
    void closedDatabaseRefusesWork() {
        Nvs nvs = Nvs.open(data);
        nvs.close();
        nvs.close();
        assertTrue(nvs.isClosed());
        assertEquals("NVS database is closed",
                assertThrows(StoreException.class, () -> nvs.setting("x")).getMessage());
    }

    private void damageAndCheckRecovery(byte[] damaged, boolean movedBytesKept) throws Exception {
        Files.write(data.resolve("nvs.mv.db"), damaged);
        try (Nvs nvs = Nvs.open(data, BOOT)) {
            assertTrue(nvs.recoveredFromDamage());
            assertTrue(nvs.recoveryDetail().startsWith("NVS database nvs.mv.db "), nvs.recoveryDetail());
            assertFalse(nvs.recoveryDetail().contains(data.toString()), "no host path: " + nvs.recoveryDetail());
            assertTrue(nvs.recoveryDetail().endsWith("; moved to " + DAMAGED + " and a new one created"),
                    nvs.recoveryDetail());
            assertEquals(Optional.empty(), nvs.setting("bootconfig"), "factory settings");
            nvs.putSetting("bootconfig", "new.cfg");
        }
        assertTrue(Files.exists(data.resolve(DAMAGED)));
        if (movedBytesKept) {
            assertArrayEquals(damaged, Files.readAllBytes(data.resolve(DAMAGED)));
        }
        try (Nvs nvs = Nvs.open(data, BOOT)) {
            assertFalse(nvs.recoveredFromDamage(), "the new database is healthy");
            assertEquals(Optional.of("new.cfg"), nvs.setting("bootconfig"));
        }
    }

    private byte[] populatedFile() throws Exception {
        try (Nvs nvs = Nvs.open(data)) {
            for (int i = 0; i < 500; i++) {
                nvs.putSetting("key" + i, "x".repeat(100));
            }
        }
        return Files.readAllBytes(data.resolve("nvs.mv.db"));
    }

    @Test
    void truncatedInsideTheHeaderIsMovedAsideAndReplaced() throws Exception {
        byte[] good = populatedFile();
        damageAndCheckRecovery(Arrays.copyOf(good, 100), true);
        assertTrue(Files.exists(data.resolve(DAMAGED)));
    }

    @Test
    void truncatedAfterTheHeadersIsNotMistakenForAnEmptyDatabase() throws Exception {
        // H2 opens this as a new, empty database without complaint; NVS must notice the loss.
        byte[] good = populatedFile();
        damageAndCheckRecovery(Arrays.copyOf(good, 8192), false);
    }

    @Test
    void readableHeadersOverGarbageAreMovedAsideAndReplaced() throws Exception {
        byte[] damaged = populatedFile();
        Random random = new Random(5);
        for (int i = 8192; i < damaged.length; i++) {
            damaged[i] = (byte) random.nextInt();
        }
        damageAndCheckRecovery(damaged, false);
    }

    @Test
    void emptyFileIsMovedAsideAndReplaced() throws Exception {
        populatedFile();
        damageAndCheckRecovery(new byte[0], false);
    }

    @Test
    void garbageFileIsMovedAsideAndReplaced() throws Exception {
        byte[] good = populatedFile();
        byte[] garbage = new byte[good.length];
        new Random(3).nextBytes(garbage);
        damageAndCheckRecovery(garbage, true);
    }

    @Test
    void secondDamageInTheSameSecondGetsItsOwnName() throws Exception {
        Files.write(data.resolve("nvs.mv.db"), new byte[] {1, 2, 3});
        Nvs.open(data, BOOT).close();
        Files.write(data.resolve("nvs.mv.db"), new byte[] {4, 5, 6});
        try (Nvs nvs = Nvs.open(data, BOOT)) {
            assertTrue(nvs.recoveryDetail().contains("nvs.damaged-20240517123456-2.mv.db"), nvs.recoveryDetail());
        }
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(data.resolve(DAMAGED)));
    }

    @Test
    void settingValuesMayHoldAnyText() {
        try (Nvs nvs = Nvs.open(data)) {
            String odd = "it's \"quoted\"; DROP TABLE settings; -- \u00e9\n";
            nvs.putSetting("odd", odd);
            assertEquals(Optional.of(odd), nvs.setting("odd"));
            nvs.transaction(c -> {
                try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM settings")) {
                    ResultSet rs = p.executeQuery();
                    rs.next();
                    assertEquals(1, rs.getInt(1));
                }
                return null;
            });
        }
    }
}
