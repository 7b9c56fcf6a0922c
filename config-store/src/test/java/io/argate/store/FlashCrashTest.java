package io.argate.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process that is rewriting a flash file at random moments and checks that the file is
 * always exactly the old or the new content (DESIGN.md section 3: crash-safe writes).
 */
class FlashCrashTest {

    private static final int SIZE = 2 * 1024 * 1024;
    private static final int KILLS = 20;
    private static final String FILE = "boot.cfg";

    @TempDir
    Path data;

    /** A content that differs from the other one in every byte, with a recognisable pattern. */
    static byte[] content(char marker, int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (marker + (i % 7));
        }
        return bytes;
    }

    @Test
    void killedRewriterLeavesOldOrNewContentNeverAMix() throws Exception {
        Path dir = data.resolve("flash");
        byte[] a = content('A', SIZE);
        byte[] b = content('B', SIZE);
        new Flash(dir).write(FILE, a);
        Random random = new Random(20240517L);
        int interruptedWrites = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Process child = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                    FlashRewriter.class.getName(), dir.toString(), FILE, Integer.toString(SIZE))
                    .redirectErrorStream(true)
                    .start();
            try {
                BufferedReader out = new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
                int writesToSee = 1 + random.nextInt(4);
                for (int i = 0; i < writesToSee; i++) {
                    String line = out.readLine();
                    assertNotNull(line, "rewriter died before it was killed");
                    if (!line.startsWith("wrote ")) {
                        fail("rewriter said: " + line);
                    }
                }
                // Land the kill at a random point inside the next write.
                Thread.sleep(random.nextInt(12));
            } finally {
                child.destroyForcibly();
                child.waitFor();
            }
            if (!tempFiles(dir).isEmpty()) {
                interruptedWrites++;
            }
            byte[] found = new Flash(dir).read(FILE);
            if (!Arrays.equals(found, a)) {
                assertArrayEquals(b, found, "after kill " + kill + " the file is neither the old nor the new content");
            }
            assertTrue(tempFiles(dir).isEmpty(), "reopening the flash removes the crash's temp file");
        }
        // Shows that the kills really hit writes in flight, so the check above is not vacuous.
        assertTrue(interruptedWrites > 0, "no kill interrupted a write");
    }

    private static List<Path> tempFiles(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(Flash.TEMP_PREFIX)).toList();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
