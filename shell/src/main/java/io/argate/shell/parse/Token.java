package io.argate.shell.parse;

/**
 * One word of a command line: {@code NAME}, {@code NAME=value} or {@code NAME="quoted value"}.
 *
 * @param name   the keyword as typed (case kept)
 * @param value  the value with quotes removed, or null when no {@code =} was typed
 * @param column where the token starts in the line (for error pointers and completion)
 */
public record Token(String name, String value, int column) {
    public boolean hasValue() {
        return value != null;
    }
}
