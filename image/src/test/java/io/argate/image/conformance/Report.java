package io.argate.image.conformance;

import java.util.ArrayList;
import java.util.List;

/** The conformance report: per group the accepted, refused and missing lines, the lines not run, the layout comparisons. */
final class Report {
    private final StringBuilder text = new StringBuilder();
    private final List<String> summary = new ArrayList<>();
    private int accepted;
    private int refused;
    private int missing;
    private int notInput;
    private int layoutsSame;
    private int layoutsCompared;

    void group(Group g, GroupRun run) {
        List<GroupRun.Step> ref = run.reference();
        long ok = ref.stream().filter(s -> Boolean.TRUE.equals(s.ok)).count();
        List<GroupRun.Step> no = ref.stream().filter(s -> !Boolean.TRUE.equals(s.ok)).toList();
        List<GroupRun.Step> miss = run.steps.stream().filter(s -> s.origin == GroupRun.Origin.MISSING).toList();
        List<ReferenceLine> skipped = g.lines.stream().filter(l -> l.kind() != ReferenceLine.Kind.COMMAND).toList();
        accepted += ok;
        refused += no.size();
        missing += miss.stream().map(s -> s.note).distinct().count();
        notInput += skipped.size();
        text.append("\n== ").append(g.name).append(" (from \"").append(g.anchorText).append("\")\n");
        text.append(String.format("   %d accepted, %d refused, %d missing, %d not input%n", ok, no.size(),
                miss.stream().map(s -> s.note).distinct().count(), skipped.size()));
        summary.add(String.format("  %-32s %3d accepted %3d refused %2d missing %2d not input", g.name, ok, no.size(),
                miss.stream().map(s -> s.note).distinct().count(), skipped.size()));
        for (GroupRun.Step s : run.steps) {
            switch (s.origin) {
                case SETUP -> text.append("   setup     ").append(on(s)).append(s.command).append(s.line == null ? "" : "   (before line " + s.line.number() + ")").append('\n');
                case MISSING -> text.append("   MISSING   ").append(on(s)).append(s.command).append("   (before line ").append(s.line.number()).append(": ").append(s.note).append(")\n");
                case REFERENCE -> {
                    String known = KnownGaps.reason(g.name, s.command);
                    String verdict = !s.ran() ? "NOT RUN " : s.ok ? "accepted" : "REFUSED ";
                    text.append(String.format("   %s %s%s%n", verdict, on(s), s.line));
                    if (!Boolean.TRUE.equals(s.ok)) {
                        text.append("              ").append(known == null ? "NOT A KNOWN GAP" : "known gap: " + known).append('\n');
                        s.output.lines().skip(1).forEach(o -> text.append("              | ").append(o).append('\n'));
                    }
                }
                case ROUND_TRIP -> text.append("   round trip ").append(s.command).append(Boolean.TRUE.equals(s.ok) ? "" : "   FAILED").append('\n');
                case CHECK -> text.append("   check     ").append(on(s)).append(s.command).append(Boolean.TRUE.equals(s.ok) ? "" : "   FAILED").append('\n');
            }
        }
        for (ReferenceLine l : skipped) {
            text.append("   not run   ").append(l).append("   (").append(l.kind().label).append(")\n");
        }
    }

    /** Steps on another router than the group's main one are marked with its name. */
    private static String on(GroupRun.Step s) {
        return s.router.equals(Group.MAIN) ? "" : "[router " + s.router + "] ";
    }

    void note(String line) {
        text.append("              ").append(line).append('\n');
    }

    void checkFailed(String command, String want) {
        text.append("   CHECK FAILED: ").append(command).append(" should show \"").append(want).append("\"\n");
    }

    void layout(Group g, GroupRun.Step s, Layout layout, List<String> diff) {
        boolean compared = layout != null && diff.stream().noneMatch(d -> d.startsWith("not compared"));
        if (compared) {
            layoutsCompared++;
            if (diff.isEmpty()) {
                layoutsSame++;
            }
        }
        text.append("   layout    line ").append(s.line.number()).append(" ").append(layout == null ? "(no rule)" : layout.name()).append(": ")
                .append(diff.isEmpty() ? "same layout as the reference's sample" : String.join("; ", diff)).append('\n');
        if (layout != null && Boolean.TRUE.equals(s.ok)) {
            GroupRun.outputLines(s).forEach(o -> text.append("              | ").append(o).append('\n'));
        }
    }

    void problems(List<String> problems) {
        text.append("\n== ").append(problems.isEmpty() ? "no problems" : problems.size() + " problems").append('\n');
        problems.forEach(p -> text.append(" - ").append(p).append('\n'));
    }

    String summary() {
        return "AR410 reference conformance: " + accepted + " of " + (accepted + refused) + " command lines accepted, " + refused
                + " refused (known gaps), " + missing + " missing steps supplied, " + notInput + " templates/fragments/output not run; "
                + layoutsSame + " of " + layoutsCompared + " sample outputs in the same layout\n" + String.join("\n", summary);
    }

    String text() {
        return summary() + "\n" + text;
    }
}
