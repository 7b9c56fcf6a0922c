package io.argate.ip.cli;

import java.util.Optional;

/**
 * Something configured in another module that names an IP interface (an IPsec policy's
 * INTERFACE or SRCINTERFACE). IP asks before it deletes an interface, so no policy is left on an
 * interface that is gone; the module that holds the reference answers, because IP sits below
 * it (DESIGN.md section 1: arrows point down).
 */
@FunctionalInterface
public interface InterfaceUser {

    /** What uses the interface {@code name} (canonical {@code port-index}, e.g. eth0-0), or empty. */
    Optional<String> userOf(String name);
}
