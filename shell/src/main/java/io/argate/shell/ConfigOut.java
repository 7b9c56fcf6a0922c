package io.argate.shell;

/**
 * Where a module writes its section of the running configuration. Lines are commands in the
 * script style of the fact sheet section 1.6: lower case, keywords abbreviated, values quoted
 * when they hold spaces. Every line written here must parse back to the same state.
 */
public interface ConfigOut {

    /** Adds one command line (no trailing newline). */
    void line(String command);

    /** Adds a blank separator line inside a section. */
    default void blank() {
        line("");
    }
}
