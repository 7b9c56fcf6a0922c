package io.argate.shell.cmd;

import java.util.List;

/**
 * A typed parameter value: how to parse it, how to describe the accepted form in errors and
 * {@code ?} help, which words TAB may offer, and how to write a parsed value back into a
 * configuration script.
 */
public interface ValueType {

    /** Parses the raw text (quotes already removed); throws {@link BadValue} when not accepted. */
    Object parse(String raw) throws BadValue;

    /** The accepted form, e.g. {@code 0..255} or {@code DES|3DES|AES128}. */
    String describe();

    /** Keywords this type accepts, for completion; empty when the value is free-form. */
    default List<String> keywords() {
        return List.of();
    }

    /** Script spelling of a parsed value (quoted when it holds spaces). */
    default String format(Object value) {
        return Values.quoteIfNeeded(String.valueOf(value));
    }

    /** Raised by {@link #parse}; the message, if any, adds detail to the expected form. */
    final class BadValue extends Exception {
        public BadValue(String detail) {
            super(detail, null, false, false);
        }
    }
}
