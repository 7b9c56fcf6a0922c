package io.argate.image.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One part of the reference run on its own router: where it starts in the seed (a heading or
 * the first words of a paragraph), the minimum setup it needs, lines the suite runs just before
 * a given reference line (each pinned to that line's number and text, so an edited seed is
 * noticed), and checks of what the group's lines should have left behind.
 */
final class Group {
    /** Lines the suite runs before reference line {@code number}; {@code missingStep} names the prose step they carry out, or is null for plain setup. */
    record Before(int number, String expectedText, String missingStep, List<String> lines) {
    }

    /** Something the suite does on the router right after reference line {@code number} ran, given that line's sample output. */
    record After(int number, String expectedText, String what, java.util.function.BiConsumer<io.argate.image.Router, List<String>> action) {
    }

    /** After the group: {@code command}'s output must contain every one of {@code expected}. */
    record Check(String command, List<String> expected) {
    }

    final String name;
    final Predicate<String> anchor;
    final String anchorText;
    final List<String> setup = new ArrayList<>();
    final Map<Integer, Before> before = new LinkedHashMap<>();
    final List<Check> checks = new ArrayList<>();
    final Map<Integer, After> after = new LinkedHashMap<>();
    /** Lines of this group, filled in when the seed is cut into groups. */
    final List<ReferenceLine> lines = new ArrayList<>();

    private Group(String name, Predicate<String> anchor, String anchorText) {
        this.name = name;
        this.anchor = anchor;
        this.anchorText = anchorText;
    }

    /** A group that starts at the seed line equal to {@code heading}. */
    static Group heading(String name, String heading) {
        return new Group(name, line -> line.strip().equals(heading), heading);
    }

    /** A group that starts at the seed line beginning with {@code words}. */
    static Group paragraph(String name, String words) {
        return new Group(name, line -> line.strip().startsWith(words), words + "...");
    }

    Group setup(String... commands) {
        setup.addAll(List.of(commands));
        return this;
    }

    /** Setup run just before reference line {@code number}, which must read {@code text}. */
    Group before(int number, String text, String... commands) {
        before.put(number, new Before(number, text, null, List.of(commands)));
        return this;
    }

    /** A step the reference's prose asks for without printing its command line, run before line {@code number}. */
    Group missing(int number, String text, String prose, String... commands) {
        before.put(number, new Before(number, text, prose, List.of(commands)));
        return this;
    }

    Group after(int number, String text, String what, java.util.function.BiConsumer<io.argate.image.Router, List<String>> action) {
        after.put(number, new After(number, text, what, action));
        return this;
    }

    Group check(String command, String... expected) {
        checks.add(new Check(command, List.of(expected)));
        return this;
    }
}
