package io.argate.shell.session;

/** Where command output goes: a terminal (paged when interactive), a batch stream, or a buffer. */
@FunctionalInterface
public interface Output {
    void println(String line);

    /** Prints multi-line text, one call per line. */
    default void print(String text) {
        for (String line : text.split("\n", -1)) {
            println(line);
        }
    }
}
