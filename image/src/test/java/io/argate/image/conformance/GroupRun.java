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
        SETUP, MISSING, REFERENCE, CHECK
    }

    /** One command of the script; {@code answers} are the lines that answer LOGIN's prompts. */
    static final class Step {
        final Origin origin;
        final String command;
        final List<String> answers;
        final ReferenceLine line;
        final String note;
        Boolean ok;
        String output = "";

        Step(Origin origin, String text, ReferenceLine line, String note) {
            String[] parts = text.split("\n");
            this.origin = origin;
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
        for (ReferenceLine l : group.lines) {
            Group.Before b = group.before.get(l.number());
            if (b != null) {
                if (!b.expectedText().equals(l.text())) {
                    throw new IllegalStateException(group.name + ": the suite prepares reference line " + l.number()
                            + " as \"" + b.expectedText() + "\" but the seed has \"" + l.text() + "\"");
                }
                for (String s : b.lines()) {
                    steps.add(new Step(b.missingStep() == null ? Origin.SETUP : Origin.MISSING, s, l, b.missingStep()));
                }
            }
            if (l.kind() == ReferenceLine.Kind.COMMAND) {
                steps.add(new Step(Origin.REFERENCE, l.text(), l, null));
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
        group.checks.forEach(c -> steps.add(new Step(Origin.CHECK, c.command(), null, null)));
    }

    GroupRun run(Path data) throws Exception {
        StringBuilder script = new StringBuilder();
        for (Step s : steps) {
            script.append(s.command).append('\n');
            s.answers.forEach(a -> script.append(a).append('\n'));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Router router = new Router(Options.parse(new String[]{"--data", data.toString(), "--telnet", "off"}),
                Clock.systemDefaultZone(), 1000)) {
            router.boot();
            int[] next = {0};
            int[] mark = {0};
            new BatchRunner(router.shell()).run(new BufferedReader(new StringReader(script.toString())), out, "manager", "friend",
                    (line, ok) -> {
                        Step s = steps.get(next[0]++);
                        if (!s.command.equals(line)) {
                            throw new IllegalStateException("batch ran \"" + line + "\" where the suite expected \"" + s.command + "\"");
                        }
                        s.ok = ok;
                        Group.After a = s.origin == Origin.REFERENCE ? group.after.get(s.line.number()) : null;
                        if (a != null) {
                            a.action().accept(router, ReferenceConformanceTest.sampleOutput(seed, s.line.number()));
                        }
                        String all = bytes.toString(StandardCharsets.UTF_8);
                        s.output = all.substring(mark[0]);
                        mark[0] = all.length();
                    });
        }
        return this;
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
