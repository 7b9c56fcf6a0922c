package io.argate.shell.parse;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * AR command-language modules the AR410 reference uses whose commands this firmware may not
 * have yet (they are being built as modules of their own). When a command names one that no
 * loaded module provides, the shell says so instead of "not valid here", and {@code ?} and HELP
 * name it; once a module with that name is loaded its own commands take over.
 */
public final class ArModules {
    /** ISAKMP (IKE), FIREWALL (with NAT) and PKI (certificates for RSA-signature IKE). */
    static final List<String> REFERENCE = List.of("ISAKMP", "FIREWALL", "PKI");

    private ArModules() {
    }

    /**
     * The module a typed word names (exactly or as a prefix of at least three letters) when no
     * loaded module provides it, or empty.
     */
    public static Optional<String> notBuilt(String typed, Set<String> loaded) {
        String up = typed.toUpperCase(Locale.ROOT);
        if (up.length() < 3) {
            return Optional.empty();
        }
        return REFERENCE.stream().filter(m -> m.startsWith(up) && !loaded.contains(m)).findFirst();
    }
}
