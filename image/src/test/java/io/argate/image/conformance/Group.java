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

    /** After the group: {@code command}'s output on {@code router} must contain every one of {@code expected}. */
    record Check(String router, String command, List<String> expected) {
    }

    /**
     * After the group: {@code config} (a SHOW CONFIG) printed on the main router, run as a script
     * on a fresh router after {@code setup}, must leave every one of {@code shows} printing what it
     * prints on the main router.
     */
    record RoundTrip(String config, List<String> setup, List<String> shows) {
    }

    /** Reference line {@code number}, which must read {@code expectedText}, runs on {@code router}. */
    record Elsewhere(int number, String expectedText, String router) {
    }

    /** The router the group's lines run on unless {@link #on} sends them elsewhere. */
    static final String MAIN = "main";

    final String name;
    final Predicate<String> anchor;
    final String anchorText;
    final List<String> setup = new ArrayList<>();
    final Map<Integer, Before> before = new LinkedHashMap<>();
    final List<Check> checks = new ArrayList<>();
    final Map<Integer, After> after = new LinkedHashMap<>();
    /** Other routers of the group (the other side of a VPN, another alternative) and their setup. */
    final Map<String, List<String>> routers = new LinkedHashMap<>();
    /** Reference lines (number, pinned text) that run on another router than {@link #MAIN}. */
    final Map<Integer, Elsewhere> elsewhere = new LinkedHashMap<>();
    final List<RoundTrip> roundTrips = new ArrayList<>();
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
        return checkOn(MAIN, command, expected);
    }

    Group checkOn(String router, String command, String... expected) {
        checks.add(new Check(router, command, List.of(expected)));
        return this;
    }

    /** Another router of this group, fresh, with its own setup. */
    Group router(String name, String... setup) {
        routers.put(name, List.of(setup));
        return this;
    }

    /**
     * Reference line {@code number} ({@code text}) runs on {@code router}: the reference means it for
     * another router than the lines around it (the other side of the VPN, an alternative).
     */
    Group on(String router, int number, String text) {
        if (!routers.containsKey(router)) {
            throw new IllegalStateException(name + ": line " + number + " runs on router " + router + ", which the group does not have");
        }
        elsewhere.put(number, new Elsewhere(number, text, router));
        return this;
    }

    Group roundTrip(String config, List<String> setup, String... shows) {
        roundTrips.add(new RoundTrip(config, setup, List.of(shows)));
        return this;
    }

    /** The router reference line {@code number} runs on. */
    String routerOf(int number) {
        Elsewhere e = elsewhere.get(number);
        return e == null ? MAIN : e.router();
    }
}
