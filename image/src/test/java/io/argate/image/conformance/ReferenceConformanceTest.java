package io.argate.image.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16: every command line of the AR410 reference, taken from the seed file itself, runs in
 * the reference's own order and groups on an in-process router. Prints per group what was
 * accepted, refused (each refusal must be a known gap with its reason), and missing (steps the
 * prose asks for without a command line, which the suite runs), lists the templates and
 * fragments it did not run and why, and compares the reference's sample outputs with argate's
 * layout. The full report is {@code image/target/conformance-report.txt}.
 *
 * <p>Run it alone: {@code mvn -o -q -B -pl image -am test -Dtest=ReferenceConformanceTest -Dsurefire.failIfNoSpecifiedTests=false}
 */
class ReferenceConformanceTest {
    @TempDir
    Path data;

    @Test
    void everyCommandLineOfTheReferenceRunsAsWritten() throws Exception {
        List<String> seed = ReferenceSeed.lines();
        List<Group> groups = cut(seed);
        List<String> problems = new ArrayList<>();
        Set<String> gapsSeen = new HashSet<>();
        Report report = new Report();
        int i = 0;
        for (Group g : groups) {
            GroupRun run = new GroupRun(g, seed).run(data.resolve("group" + i++));
            report.group(g, run);
            for (GroupRun.Step s : run.steps) {
                switch (s.origin) {
                    case SETUP, MISSING -> {
                        if (!Boolean.TRUE.equals(s.ok)) {
                            problems.add(g.name + ": suite step \"" + s.command + "\" failed: " + s.output.strip());
                        }
                    }
                    case CHECK -> {
                        Group.Check c = g.checks.stream().filter(x -> x.command().equals(s.command) && x.router().equals(s.router))
                                .findFirst().orElseThrow();
                        for (String want : c.expected()) {
                            if (!Boolean.TRUE.equals(s.ok) || !s.output.contains(want)) {
                                problems.add(g.name + ": after the group, \"" + s.command + "\" should show \"" + want + "\":\n" + s.output);
                                report.checkFailed(s.command, want);
                            }
                        }
                    }
                    case ROUND_TRIP -> {
                        if (!Boolean.TRUE.equals(s.ok)) {
                            problems.add(g.name + ": round trip step \"" + s.command + "\" failed: " + s.output.strip());
                        }
                    }
                    case REFERENCE -> {
                        String known = KnownGaps.reason(g.name, s.command);
                        if (known != null) {
                            gapsSeen.add(KnownGaps.key(g.name, s.command));
                        }
                        if (!s.ran()) {
                            problems.add(g.name + ": line " + s.line.number() + " did not run: " + s.command);
                        } else if (s.ok && known != null) {
                            problems.add(g.name + ": line " + s.line.number() + " is accepted now; take it out of the known gaps ("
                                    + known + "): " + s.command);
                        } else if (!s.ok && known != null && !s.output.contains(KnownGaps.gap(g.name, s.command).refusal())) {
                            problems.add(g.name + ": line " + s.line.number() + " is a known gap (" + known + "), but it is refused for something"
                                    + " else, or the refusal does not say why (it should say \"" + KnownGaps.gap(g.name, s.command).refusal()
                                    + "\"): " + s.output.strip());
                        } else if (!s.ok && known == null) {
                            problems.add(g.name + ": line " + s.line.number() + " is refused and is not a known gap: " + s.command
                                    + "\n" + s.output.strip());
                        }
                        compareLayout(seed, g, s, known, problems, report);
                    }
                }
            }
            int t = 0;
            for (Group.RoundTrip trip : g.roundTrips) {
                roundTrip(g, trip, run, data.resolve("group" + (i - 1) + "-roundtrip" + t++), problems, report);
            }
        }
        for (String k : KnownGaps.keys()) {
            if (!gapsSeen.contains(k)) {
                problems.add("known gap matches no command line of the reference: " + k);
            }
        }
        report.problems(problems);
        Path file = Path.of("target", "conformance-report.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report.text(), StandardCharsets.UTF_8);
        System.out.println(report.summary());
        System.out.println("Conformance report: " + file.toAbsolutePath());
        assertTrue(problems.isEmpty(), String.join("\n\n", problems));
    }

    /**
     * SHOW CONFIG's lines run on a fresh router must rebuild what the group built: every SHOW of
     * the round trip prints the same there as on the group's router.
     */
    private static void roundTrip(Group g, Group.RoundTrip trip, GroupRun run, Path data, List<String> problems, Report report)
            throws Exception {
        List<GroupRun.Step> mine = run.steps.stream().filter(s -> s.origin == GroupRun.Origin.ROUND_TRIP).toList();
        GroupRun.Step config = mine.stream().filter(s -> s.command.equals(trip.config())).findFirst().orElseThrow();
        List<GroupRun.Step> replayed = GroupRun.replay(data, trip, config);
        for (GroupRun.Step s : replayed) {
            if (!Boolean.TRUE.equals(s.ok)) {
                problems.add(g.name + ": round trip of \"" + trip.config() + "\": \"" + s.command + "\" failed on a fresh router: "
                        + s.output.strip());
            }
        }
        for (String show : trip.shows()) {
            List<String> here = GroupRun.outputLines(mine.stream().filter(s -> s.command.equals(show)).findFirst().orElseThrow());
            List<String> there = GroupRun.outputLines(replayed.stream()
                    .filter(s -> s.origin == GroupRun.Origin.CHECK && s.command.equals(show)).findFirst().orElseThrow());
            boolean same = here.equals(there) && !here.isEmpty();
            report.note("round trip: " + trip.config() + " then \"" + show + "\" on a fresh router: "
                    + (same ? "same output" : "DIFFERENT OUTPUT"));
            if (!same) {
                problems.add(g.name + ": \"" + show + "\" differs after " + trip.config() + " was replayed on a fresh router:\n"
                        + String.join("\n", here) + "\n---- replayed:\n" + String.join("\n", there));
            }
        }
    }

    /** The reference's sample output after a session line, and its comparison with argate's. */
    private static void compareLayout(List<String> seed, Group g, GroupRun.Step s, String known, List<String> problems, Report report) {
        if (!s.line.sampleSession()) {
            return;
        }
        List<String> sample = sampleOutput(seed, s.line.number());
        Layout layout = Layout.forCommand(s.command);
        if (known != null) {
            report.layout(g, s, layout, List.of("not compared: " + known));
            return;
        }
        if (layout == null) {
            report.layout(g, s, null, sample.isEmpty() ? List.of() : List.of("no layout rule for this sample"));
            if (!sample.isEmpty()) {
                problems.add(g.name + ": line " + s.line.number() + " has a sample output and no layout rule: " + s.command);
            }
            return;
        }
        String rowsGap = KnownGaps.layoutRows(g.name, s.command);
        List<String> diff = new ArrayList<>(layout.differences(sample, GroupRun.outputLines(s), rowsGap == null));
        if (rowsGap != null) {
            if (layout.hasRows(GroupRun.outputLines(s))) {
                diff.add("argate prints rows now; take the layout gap out of the known gaps (" + rowsGap + ")");
            }
            report.note("rows not compared: " + rowsGap);
        }
        report.layout(g, s, layout, diff);
        for (String d : diff) {
            problems.add(g.name + ": line " + s.line.number() + " (" + s.command + ") layout: " + d + "\nargate printed:\n" + s.output);
        }
    }

    /** Lines after a sample command up to the end mark ({@code |}) or the next sample command. */
    static List<String> sampleOutput(List<String> seed, int number) {
        List<String> out = new ArrayList<>();
        for (int n = number + 1; n <= seed.size(); n++) {
            String raw = seed.get(n - 1);
            if (raw.strip().equals("|")) {
                break;
            }
            ReferenceLine l = ReferenceLine.classify(n, raw);
            if (l != null && l.sampleSession() && l.kind() == ReferenceLine.Kind.COMMAND) {
                break;
            }
            out.add(raw);
        }
        return out;
    }

    /** Every input-like line of the seed, each in the group whose start comes last before it. */
    static List<Group> cut(List<String> seed) {
        List<Group> groups = Groups.all();
        Group current = null;
        int g = 0;
        for (int n = 1; n <= seed.size(); n++) {
            String raw = seed.get(n - 1);
            if (g < groups.size() && groups.get(g).anchor.test(raw)) {
                current = groups.get(g++);
            }
            ReferenceLine l = ReferenceLine.classify(n, raw);
            if (l == null) {
                continue;
            }
            if (current == null) {
                throw new IllegalStateException("line " + n + " comes before the first group: " + raw);
            }
            current.lines.add(l);
        }
        if (g < groups.size()) {
            throw new IllegalStateException("the seed has no start for group \"" + groups.get(g).name + "\" ("
                    + groups.get(g).anchorText + ") after the groups before it");
        }
        return groups;
    }
}
