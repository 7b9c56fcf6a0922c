package io.argate.enco.cli;

import java.util.Optional;

/**
 * Something configured in another module that names ENCO keys by number (an IPsec SA
 * specification's ENCKEY and HASHKEY). ENCO asks before it destroys a key, so no configuration
 * is left pointing at a key that is gone; the module that holds the reference answers, because
 * ENCO sits below it and cannot know its objects (DESIGN.md section 1: arrows point down).
 */
@FunctionalInterface
public interface KeyUser {

    /** What uses key {@code id}, as the user names it ("IPsec SA specification 3 (ENCKEY)"), or empty. */
    Optional<String> userOf(int id);
}
