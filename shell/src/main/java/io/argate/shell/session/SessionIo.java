package io.argate.shell.session;

import java.util.Optional;

/**
 * The terminal side of a session. Console (JLine on the system terminal), telnet (JLine over a
 * Netty connection), batch and tests implement it; the shell never knows which it is.
 */
public interface SessionIo extends Output {

    /** Reads one line after showing {@code prompt}; empty at end of input or disconnect. */
    Optional<String> readLine(String prompt);

    /** Reads a secret without echo; empty when none can be read (batch, disconnect). */
    Optional<String> readSecret(String prompt);

    /** True for a person at a terminal: paging and password re-prompts apply. */
    boolean interactive();

    /** Lines per page for the --More-- pager; 0 for no paging. */
    default int pageHeight() {
        return 0;
    }

    /**
     * Called by the pager after each full page of output: shows {@code --More--} and waits for
     * a key. Returns false when the user asked to stop (the rest of the output is dropped).
     */
    default boolean more() {
        return true;
    }

    /**
     * Prints a line that did not come from the command being run (debug output, a notice):
     * above the prompt and the line being typed on a terminal. Called from the session's tap
     * thread only.
     */
    default void printAsync(String line) {
        println(line);
    }

    /** Closes the connection (telnet) or ends input. */
    default void close() {
    }
}
