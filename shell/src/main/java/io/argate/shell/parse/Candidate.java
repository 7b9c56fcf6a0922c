package io.argate.shell.parse;

/**
 * Something that may come next on the line, for TAB and {@code ?}.
 *
 * @param word  the text to complete to ({@code INTERFACE=} or {@code ESP})
 * @param usage the syntax shown by {@code ?} ({@code INTERFACE=a name of ...})
 * @param help  one line of description (may be empty)
 */
public record Candidate(String word, String usage, String help) {
}
