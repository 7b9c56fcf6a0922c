package io.argate.shell.parse;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A firmware built without one of the reference's modules names it when a command asks for it
 * (the full image has them all; a build or test rig with fewer modules meets this).
 */
class ArModulesTest {
    @Test
    void aReferenceModuleThatIsNotLoadedIsNamedByWordOrPrefix() {
        assertEquals(Optional.of("PKI"), ArModules.notBuilt("pki", Set.of("ISAKMP", "FIREWALL")));
        assertEquals(Optional.of("FIREWALL"), ArModules.notBuilt("fire", Set.of("ISAKMP", "PKI")));
        assertEquals(Optional.empty(), ArModules.notBuilt("pki", Set.of("ISAKMP", "FIREWALL", "PKI")), "loaded: its own commands answer");
        assertEquals(Optional.empty(), ArModules.notBuilt("pk", Set.of()), "two letters are too few to name a module");
        assertEquals(Optional.empty(), ArModules.notBuilt("frob", Set.of()));
    }
}
