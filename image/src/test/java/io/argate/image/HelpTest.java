package io.argate.image;

import io.argate.shell.parse.Candidate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HELP and ? cover every module and object, including the reference's modules not built yet (issue 16). */
class HelpTest {
    @TempDir
    Path data;

    @Test
    void helpTakesAModuleOrObjectWords() throws Exception {
        try (RouterRig r = new RouterRig(data)) {
            r.ok("help ipsec");
            assertTrue(r.out().contains("CREATE IPSEC POLICY") && r.out().contains("SHOW IPSEC SA"), r.out());
            assertFalse(r.out().contains("SHOW IP ROUTE"), r.out());
            r.ok("help ipsec policy");
            assertTrue(r.out().contains("SET IPSEC POLICY") && !r.out().contains("CREATE IPSEC SASPECIFICATION"), r.out());
            r.ok("help saspec");
            assertTrue(r.out().contains("CREATE IPSEC SASPECIFICATION"), r.out());
            r.ok("help log");
            assertTrue(r.out().contains("SHOW LOG"), r.out());
            r.ok("help create ipsec");
            assertTrue(r.out().contains("CREATE IPSEC BUNDLESPECIFICATION"), r.out());
            r.ok("help isakmp");
            assertTrue(r.out().contains("CREATE ISAKMP POLICY"), r.out());
            r.ok("help firewall");
            assertTrue(r.out().contains("CREATE FIREWALL POLICY"), r.out());
            r.ok("help pki");
            assertTrue(r.out().contains("CREATE PKI CERTIFICATE") && r.out().contains("ADD PKI CERTIFICATE"), r.out());
            assertFalse(r.run("help frobnicate"));
            assertEquals("Error (337003): No commands match \"FROBNICATE\".", r.out());
        }
    }

    @Test
    void everyModuleTheReferenceUsesIsBuiltAndAnswersQuestionMarkAndShowConfig() throws Exception {
        try (RouterRig r = new RouterRig(data)) {
            for (String module : List.of("pki", "isakmp", "firewall", "ipsec")) {
                assertFalse(r.router.shell().processor().next(r.session, "create " + module + " ").isEmpty(), module);
                r.ok("show config dynamic=" + module);
            }
            List<Candidate> next = r.router.shell().processor().next(r.session, "create pki ");
            assertTrue(next.stream().anyMatch(c -> c.word().equalsIgnoreCase("CERTIFICATE=")), next.toString());
            assertFalse(r.run("create frob"));
            assertTrue(r.out().contains("Parameter \"frob\" is not valid for CREATE"), r.out());
        }
    }
}
