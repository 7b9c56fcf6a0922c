package io.argate.image;

import io.argate.store.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SHOW LOG MODULE= and TYPE= take the codes the log's own Mod and Type columns print, and any unique prefix (issue 16). */
class LogCodesTest {
    @TempDir
    Path data;

    @Test
    void theDisplayedCodesAndUniquePrefixesSelectEntries() throws Exception {
        try (RouterRig r = new RouterRig(data, "--config", "missing.cfg")) {
            r.ok("enable ipsec");
            r.ok("show log module=IPSE");
            assertTrue(r.out().contains("IPSE IPSC MSG   IPSEC has been enabled"), r.out());
            r.ok("show log type=ipsc");
            assertTrue(r.out().contains("IPSEC has been enabled"), r.out());
            r.ok("show log type=SCRI");
            assertTrue(r.out().contains("cannot boot from missing.cfg"), r.out());
            assertFalse(r.out().contains("IPSEC has been enabled"), r.out());
            r.ok("show log module=cf");
            assertTrue(r.out().contains("cannot boot from missing.cfg"), r.out());
        }
    }

    @Test
    void aModuleWithNoEntriesShowsAnEmptyLogAndAnAmbiguousPrefixListsTheCodes() throws Exception {
        try (RouterRig r = new RouterRig(data)) {
            r.ok("show log module=isak");
            assertEquals("Date/Time       S Mod  Type SType Message\n" + "-".repeat(79), r.out());
            r.router.log().log(Severity.INFO, "TEST", "SAMPLE", "X", "one");
            r.router.log().log(Severity.INFO, "TEST", "SAVE", "X", "two");
            assertFalse(r.run("show log type=sa"));
            assertEquals("Error (339003): TYPE=sa could be SAMPLE, SAVE; type more of it.", r.out());
            r.ok("show log type=sam");
            assertTrue(r.out().contains("one") && !r.out().contains("two"), r.out());
        }
    }
}
