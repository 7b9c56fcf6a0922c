package io.argate.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 11 item 4: the batch password need not be on the command line, where ps shows it. */
class OptionsTest {
    @TempDir
    Path dir;

    @Test
    void thePasswordComesFromTheFirstLineOfAFile() throws Exception {
        Path pw = Files.writeString(dir.resolve("pw"), "s3cret pass\nignored\n");
        Options o = Options.parse("--batch", "cmds", "--password-file", pw.toString());
        assertEquals("s3cret pass", o.password());
        assertEquals("friend", Options.parse("--batch", "cmds").password(), "the default stays");
        assertEquals("x", Options.parse("--password", "x").password(), "--password still works");
        assertTrue(Options.USAGE.contains("--password-file FILE"));
    }

    @Test
    void orFromStandardInput() {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream("from stdin\n".getBytes(StandardCharsets.UTF_8)));
            assertEquals("from stdin", Options.parse("--batch", "cmds", "--password-file", "-").password());
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void aMissingOrEmptyFileOrTwoReadersOfStandardInputAreUsageErrors() throws Exception {
        var missing = assertThrows(Options.UsageException.class,
                () -> Options.parse("--password-file", dir.resolve("none").toString()));
        assertTrue(missing.getMessage().startsWith("--password-file " + dir.resolve("none") + " cannot be read"), missing.getMessage());
        Path empty = Files.writeString(dir.resolve("empty"), "");
        assertTrue(assertThrows(Options.UsageException.class, () -> Options.parse("--password-file", empty.toString()))
                .getMessage().contains("is empty"));
        assertEquals("--password-file - and --batch - cannot both read standard input",
                assertThrows(Options.UsageException.class, () -> Options.parse("--batch", "-", "--password-file", "-")).getMessage());
    }
}
