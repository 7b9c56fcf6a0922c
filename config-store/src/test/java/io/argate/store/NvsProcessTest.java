package io.argate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NVS against a second process: kill -9 mid-commit, and a database held by another router. */
class NvsProcessTest {

    @TempDir
    Path data;

    private Process child(String mode) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), NvsChild.class.getName(), mode, data.toString())
                .redirectErrorStream(true)
                .start();
    }

    @Test
    void killedWriterLosesNoCommittedChangeAndLeavesAnIntactDatabase() throws Exception {
        Random random = new Random(7);
        long lastSeen = 0;
        for (int kill = 0; kill < 8; kill++) {
            Process p = child("count");
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
                int commits = 1 + random.nextInt(60);
                for (int i = 0; i < commits; i++) {
                    String line = out.readLine();
                    assertNotNull(line, "writer died on its own");
                    lastSeen = Long.parseLong(line.strip());
                }
            } finally {
                p.destroyForcibly();
                p.waitFor();
            }
            try (Nvs nvs = Nvs.open(data)) {
                assertFalse(nvs.recoveredFromDamage(), () -> "kill left damage: " + nvs.recoveryDetail());
                long stored = Long.parseLong(nvs.setting("counter").orElseThrow());
                // The child may have committed one more value after its last line was read.
                assertTrue(stored >= lastSeen, "committed " + lastSeen + " but found " + stored);
                nvs.putSetting("counter", "0");
            }
        }
    }

    @Test
    void databaseHeldByAnotherProcessIsReportedAndNotMovedAside() throws Exception {
        Process p = child("hold");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("open", out.readLine());
            StoreException e = assertThrows(StoreException.class, () -> Nvs.open(data));
            assertTrue(e.getMessage().contains("is in use by another process"), e.getMessage());
            try (var files = Files.list(data)) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().contains("damaged")));
            }
        } finally {
            p.getOutputStream().close();
            p.waitFor();
        }
        try (Nvs nvs = Nvs.open(data)) {
            assertFalse(nvs.recoveredFromDamage());
        }
    }
}
