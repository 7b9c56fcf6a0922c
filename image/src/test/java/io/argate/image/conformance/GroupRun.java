package io.argate.image.conformance;

import io.argate.image.Options;
import io.argate.image.Router;
import io.argate.shell.login.BatchRunner;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one group as a batch script on a fresh in-process router, logged in as the default
 * manager, exactly as {@code ./argate --batch} would: setup, then the reference's lines in order
 * with the suite's steps before those that need them, then the group's checks. Every command
 * line's result and output is kept.
 */
final class GroupRun {
    enum Origin {
        SETUP, MISSING, REFERENCE, CHECK, ROUND_TRIP
    }

    /** One command of the script; {@code answers} are the lines that answer LOGIN's prompts. */
    static final class Step {
        final Origin origin;
        final String router;
        final String command;
        final List<String> answers;
        final ReferenceLine line;
        final String note;
        Boolean ok;
        String output = "";

        Step(Origin origin, String text, ReferenceLine line, String note) {
            this(origin, Group.MAIN, text, line, note);
        }

        Step(Origin origin, String router, String text, ReferenceLine line, String note) {
            String[] parts = text.split("\n");
            this.origin = origin;
            this.router = router;
            this.command = parts[0];
            this.answers = List.of(parts).subList(1, parts.length);
            this.line = line;
            this.note = note;
        }

        boolean ran() {
            return ok != null;
        }
    }

    final Group group;
    final List<Step> steps = new ArrayList<>();

    private final List<String> seed;

    GroupRun(Group group, List<String> seed) {
        this.group = group;
        this.seed = seed;
        group.setup.forEach(s -> steps.add(new Step(Origin.SETUP, s, null, null)));
        group.routers.forEach((r, setup) -> setup.forEach(s -> steps.add(new Step(Origin.SETUP, r, s, null, null))));
        for (Group.Elsewhere e : group.elsewhere.values()) {
            if (group.lines.stream().noneMatch(l -> l.number() == e.number() && l.text().equals(e.expectedText())
                    && l.kind() == ReferenceLine.Kind.COMMAND)) {
                throw new IllegalStateException(group.name + ": the suite runs reference line " + e.number() + " \"" + e.expectedText()
                        + "\" on router " + e.router() + ", but it is not a command line of this group");
            }
        }
        for (ReferenceLine l : group.lines) {
            String router = group.routerOf(l.number());
            Group.Before b = group.before.get(l.number());
            if (b != null) {
                if (!b.expectedText().equals(l.text())) {
                    throw new IllegalStateException(group.name + ": the suite prepares reference line " + l.number()
                            + " as \"" + b.expectedText() + "\" but the seed has \"" + l.text() + "\"");
                }
                for (String s : b.lines()) {
                    steps.add(new Step(b.missingStep() == null ? Origin.SETUP : Origin.MISSING, router, s, l, b.missingStep()));
                }
            }
            if (l.kind() == ReferenceLine.Kind.COMMAND) {
                steps.add(new Step(Origin.REFERENCE, router, l.text(), l, null));
            }
        }
        for (Group.After a : group.after.values()) {
            if (group.lines.stream().noneMatch(l -> l.number() == a.number() && l.text().equals(a.expectedText()))) {
                throw new IllegalStateException(group.name + ": the suite acts after reference line " + a.number() + " \""
                        + a.expectedText() + "\", which is not a command line of this group");
            }
        }
        for (Integer n : group.before.keySet()) {
            if (group.lines.stream().noneMatch(l -> l.number() == n)) {
                throw new IllegalStateException(group.name + ": the suite prepares reference line " + n + ", which is not a command line of this group");
            }
        }
        group.checks.forEach(c -> steps.add(new Step(Origin.CHECK, c.router(), c.command(), null, null)));
        for (Group.RoundTrip t : group.roundTrips) {
            steps.add(new Step(Origin.ROUND_TRIP, t.config(), null, null));
            t.shows().forEach(c -> steps.add(new Step(Origin.ROUND_TRIP, c, null, null)));
        }
    }

    /** The routers of the group, the main one first. */
    List<String> routers() {
        List<String> all = new ArrayList<>();
        all.add(Group.MAIN);
        all.addAll(group.routers.keySet());
        return all;
    }

    GroupRun run(Path data) throws Exception {
        for (String r : routers()) {
            runOn(data.resolve(r), steps.stream().filter(s -> s.router.equals(r)).toList(), seed, group);
        }
        return this;
    }

    /**
     * A round trip: on a fresh router, {@code t.setup()}, then every command line {@code config}
     * printed (comments and blank lines aside), then {@code t.shows()}; the steps of the last.
     */
    static List<Step> replay(Path data, Group.RoundTrip t, Step config) throws Exception {
        List<Step> script = new ArrayList<>();
        t.setup().forEach(s -> script.add(new Step(Origin.SETUP, s, null, null)));
        for (String l : outputLines(config)) {
            String c = l.strip();
            if (!c.isEmpty() && !c.startsWith("#")) {
                script.add(new Step(Origin.ROUND_TRIP, c, null, "from " + config.command));
            }
        }
        t.shows().forEach(c -> script.add(new Step(Origin.CHECK, c, null, null)));
        runOn(data, script, null, null);
        return script;
    }

    /** Runs {@code script} as one batch on a fresh router logged in as the default manager. */
    private static void runOn(Path data, List<Step> script, List<String> seed, Group group) throws Exception {
        StringBuilder text = new StringBuilder();
        for (Step s : script) {
            text.append(s.command).append('\n');
            s.answers.forEach(a -> text.append(a).append('\n'));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Router router = new Router(Options.parse(new String[]{"--data", data.toString(), "--telnet", "off"}),
                Clock.systemDefaultZone(), 1000)) {
            router.boot();
            int[] next = {0};
            int[] mark = {0};
            new BatchRunner(router.shell()).run(new BufferedReader(new StringReader(text.toString())), out, "manager", "friend",
                    (line, ok) -> {
                        Step s = script.get(next[0]++);
                        if (!s.command.equals(line)) {
                            throw new IllegalStateException("batch ran \"" + line + "\" where the suite expected \"" + s.command + "\"");
                        }
                        s.ok = ok;
                        Group.After a = group != null && s.origin == Origin.REFERENCE ? group.after.get(s.line.number()) : null;
                        if (a != null) {
                            a.action().accept(router, ReferenceConformanceTest.sampleOutput(seed, s.line.number()));
                            settle(bytes);
                        }
                        String all = bytes.toString(StandardCharsets.UTF_8);
                        s.output = all.substring(mark[0]);
                        mark[0] = all.length();
                    });
        }
    }

    /**
     * What the action makes the router print (DEBUG=PACKET) reaches the session through its tap's
     * own thread: waits, at most 5 s, until the output has grown and then stayed the same for
     * 200 ms, so the step's output holds it. Not a timing assertion: only how long to wait.
     */
    private static void settle(ByteArrayOutputStream bytes) {
        int before = bytes.size();
        int last = before;
        long stableSince = System.nanoTime();
        for (long end = System.nanoTime() + 5_000_000_000L; System.nanoTime() < end; ) {
            int now = bytes.size();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (now > before && System.nanoTime() - stableSince > 200_000_000L) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    List<Step> reference() {
        return steps.stream().filter(s -> s.origin == Origin.REFERENCE).toList();
    }

    /** The output lines of a step without its echoed prompt and command. */
    static List<String> outputLines(Step s) {
        List<String> lines = new ArrayList<>(s.output.lines().toList());
        if (!lines.isEmpty()) {
            lines.remove(0);
        }
        return lines;
    }
}
