package io.argate.image.conformance;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One line of the reference that looks like input to the router, as {@link #classify} sorts it.
 * {@code number} is the 1-based line of the seed file, {@code text} the command without its
 * marker or prompt.
 */
record ReferenceLine(int number, String text, Kind kind, String prompt) {

    enum Kind {
        /** A real command line: run it. */
        COMMAND("command"),
        /** Syntax notation ({@code {A|B}}, {@code [..]}, {@code name...}): a template, not input. */
        TEMPLATE("syntax template"),
        /** Part of a command (a STRING value, an ellipsis standing for "and so on"). */
        FRAGMENT("fragment"),
        /** Debug output the router printed after a prompt ({@code SecOff > ISAKMP Tx Message}). */
        OUTPUT_AFTER_PROMPT("output after a prompt");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** How the reference marks input: a trailing down arrow (the Enter key). */
    static final String ENTER = "↓";
    /** A sample session line: {@code Manager > show enco key=1}. */
    static final Pattern PROMPT = Pattern.compile("^(Manager|SecOff|User) >\\s?(.*)$");
    /** AR command verbs; the first word of a command is one of them or an abbreviation of one ({@code ena}). */
    static final List<String> VERBS = List.of("ACTIVATE", "ADD", "CREATE", "DEACTIVATE", "DELETE", "DESTROY", "DISABLE",
            "ENABLE", "LOGIN", "LOGOFF", "PING", "PURGE", "RENAME", "RESET", "RESTART", "SET", "SHOW");
    /** {@code {A|B}}, {@code [..]} or a placeholder such as {@code selectors...}. */
    private static final Pattern SYNTAX = Pattern.compile("\\{[^}]*\\|[^}]*}|\\[[^]]*]|[A-Za-z_]\\.\\.\\.");
    /** The reference's configuration listings print commands without the arrow: ASCII, an upper-case verb first. */
    private static final Pattern UNMARKED = Pattern.compile("^[A-Z]+ [A-Z][A-Za-z0-9_=\".,\\- ]*$");

    /** Reads one seed line; null when it is not input at all (prose, tables, output). */
    static ReferenceLine classify(int number, String raw) {
        String line = raw.strip();
        if (line.endsWith(ENTER)) {
            String text = line.substring(0, line.length() - ENTER.length()).strip();
            return new ReferenceLine(number, text, kindOf(text), null);
        }
        var m = PROMPT.matcher(line);
        if (m.matches()) {
            String text = m.group(2).strip();
            if (text.isEmpty()) {
                return null;
            }
            return new ReferenceLine(number, text, startsWithVerb(text) ? Kind.COMMAND : Kind.OUTPUT_AFTER_PROMPT, m.group(1));
        }
        if (UNMARKED.matcher(line).matches() && startsWithVerb(line)) {
            return new ReferenceLine(number, line, Kind.COMMAND, null);
        }
        return null;
    }

    private static Kind kindOf(String text) {
        if (SYNTAX.matcher(text).find()) {
            return Kind.TEMPLATE;
        }
        return startsWithVerb(text) ? Kind.COMMAND : Kind.FRAGMENT;
    }

    static boolean startsWithVerb(String text) {
        String first = text.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        if (first.length() < 2 || !first.chars().allMatch(Character::isLetter)) {
            return false;
        }
        return VERBS.stream().anyMatch(v -> v.startsWith(first));
    }

    boolean sampleSession() {
        return prompt != null;
    }

    @Override
    public String toString() {
        return String.format("%4d  %s%s", number, prompt == null ? "" : prompt + " > ", text);
    }
}
