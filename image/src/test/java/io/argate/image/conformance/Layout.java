package io.argate.image.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How argate's answer to a command in one of the reference's sample sessions is compared with
 * the sample: the same header lines (spacing aside) and rows of the same shape (field order and
 * kind, not the values). Each rule is checked against the reference's own sample too, so a
 * rule cannot drift from what the reference prints.
 */
record Layout(String name, Pattern command, List<String> headers, Pattern rowSelector, List<Pattern> rows) {

    static final List<Layout> ALL = List.of(
            new Layout("SHOW IPSEC SA", Pattern.compile("(?i)sh\\w* ipsec sa"),
                    List.of("SA Id Policy Bundle State Protocol OutSPI InSPI"),
                    Pattern.compile("^\\d"),
                    List.of(Pattern.compile("^\\d+ \\S+ \\d+ (Valid|Undef|Creating|Removing) (ESP|AH|IPComp) \\d+ \\d+$"))),
            new Layout("SHOW IPSEC POLICY SABUNDLE", Pattern.compile("(?i)sh\\w* ipsec pol\\w* sabundle"),
                    List.of("Ipsec Policy SA Bundles", "Bundle Expiry Limits - hard/soft/used", "Index SA's State Bytes Seconds"),
                    Pattern.compile("^(\\d|Policy )"),
                    List.of(Pattern.compile("^Policy \\.{10}\\S+$"),
                            Pattern.compile("^\\d+ \\d+(,\\d+)* [A-Z]+ (-|\\d+)/(-|\\d+)/\\d+ (-|\\d+)/(-|\\d+)/\\d+$"))),
            new Layout("SHOW ISAKMP SA", Pattern.compile("(?i)sh\\w* isakmp sa"),
                    List.of("Expiry Limits - hard/soft/used", "SA Id PeerAddress EncA. HashA. Bytes Seconds"),
                    Pattern.compile("^\\d"),
                    List.of(Pattern.compile("^\\d+ \\d+\\.\\d+\\.\\d+\\.\\d+ [A-Z0-9]+ [A-Z0-9]+ (-|\\d+)/(-|\\d+)/(-|\\d+) (-|\\d+)/(-|\\d+)/(-|\\d+)$"))),
            new Layout("SHOW ISAKMP EXCHANGE", Pattern.compile("(?i)sh\\w* isakmp exc\\w*"),
                    List.of("ISAKMP Exchanges", "Id Phase State PeerAddress Type"),
                    Pattern.compile("^\\d"),
                    List.of(Pattern.compile("^\\d+ \\d+ [A-Z0-9_]+ \\d+\\.\\d+\\.\\d+\\.\\d+ [A-Z]+$"))),
            // the message, then (PKT) each ISAKMP message decoded: its header, then its payloads
            new Layout("ENABLE ISAKMP DEBUG=PKT", Pattern.compile("(?i)ena\\w* isakmp debug=pkt"),
                    List.of("Info (182057): ISAKMP Debugging has been enabled."),
                    Pattern.compile("^(Cookie's|Xchg Type|MessageID|Payload #|DOI|Proposal#|Transform#):"),
                    List.of(Pattern.compile("^Cookie's: [0-9a-f]{16}:[0-9a-f]{16}$"),
                            Pattern.compile("^Xchg Type: [A-Z_]+\\(\\d+\\) Ver: \\d+ Flags: [0-9a-f]{2}$"),
                            Pattern.compile("^MessageID: [0-9a-f]{8} Total Length: \\d+$"),
                            Pattern.compile("^Payload #: \\d+ Length: \\d+ Type: .+ \\(\\w+\\)$"),
                            Pattern.compile("^DOI: \\w+\\(\\d+\\) Situation: [0-9a-f]{8}$"),
                            Pattern.compile("^Proposal#: \\d+ Protocol: \\w+\\(\\d+\\) #Trans: \\d+ SPI:( [0-9a-f]+)?$"),
                            Pattern.compile("^Transform#: \\d+$"))),
            new Layout("SHOW LOG", Pattern.compile("(?i)sh\\w* log( .*)?"),
                    List.of("Date/Time S Mod Type SType Message"),
                    Pattern.compile("^\\d\\d \\d\\d:"),
                    List.of(Pattern.compile("^\\d\\d \\d\\d:\\d\\d:\\d\\d \\d [A-Z]{1,4} [A-Z]{1,4} [A-Z]{1,5} \\S.*$"))),
            new Layout("SHOW ENCO KEY (DES)", Pattern.compile("(?i)sh\\w* enco key=1"),
                    List.of(),
                    Pattern.compile("\\S"),
                    // the character form, then the value in upper-case hex
                    List.of(Pattern.compile("^[a-z0-9]{14}$"), Pattern.compile("^0x[0-9A-F]{16}$"))),
            new Layout("SHOW ENCO KEY (GENERAL)", Pattern.compile("(?i)sh\\w* enco key=2"),
                    List.of(),
                    Pattern.compile("\\S"),
                    List.of(Pattern.compile("^0x[0-9a-f]+$"))),
            new Layout("ENABLE IPSEC POLICY DEBUG=PACKET", Pattern.compile("(?i)ena\\w* ipsec pol\\w*=\\S+ debug=packet"),
                    List.of("Info (181057): IPSEC Policy Debugging has been enabled."),
                    Pattern.compile("^(IPSEC |IP: |TCP: |UDP: |ICMP: |ESP: |AH: |data:)"),
                    List.of(Pattern.compile("^IPSEC \\S+: \\d+: (OUT|IN): (pre|post) processing:$"),
                            Pattern.compile("^IP: [0-9a-f]{40,}$"),
                            Pattern.compile("^(TCP|UDP|ICMP): [0-9a-f]+$"),
                            Pattern.compile("^(ESP|AH): [0-9a-f]+:[0-9a-f]+$"),
                            Pattern.compile("^data:( [0-9a-f]+)?$"))));

    static Layout forCommand(String command) {
        for (Layout l : ALL) {
            if (l.command.matcher(command.strip()).matches()) {
                return l;
            }
        }
        return null;
    }

    /** What differs; empty when argate's output has the sample's layout. */
    List<String> differences(List<String> sample, List<String> ours, boolean needOurRows) {
        List<String> problems = new ArrayList<>();
        List<String> sampleText = collapse(sample);
        List<String> ourText = collapse(ours);
        for (String h : headers) {
            String want = collapse(h);
            if (!sampleText.contains(want)) {
                problems.add("rule error: the reference's sample has no header \"" + h + "\"");
            }
            if (!ourText.contains(want)) {
                problems.add("argate prints no header \"" + h + "\"");
            }
        }
        problems.addAll(rows("the reference's sample", sampleText, true));
        problems.addAll(rows("argate", ourText, needOurRows && !rowsOf(sampleText).isEmpty()));
        return problems;
    }

    boolean hasRows(List<String> ours) {
        return !rowsOf(collapse(ours)).isEmpty();
    }

    private List<String> rowsOf(List<String> lines) {
        return lines.stream().filter(l -> rowSelector.matcher(l).find()).filter(l -> !headers.contains(l)).toList();
    }

    private List<String> rows(String who, List<String> lines, boolean needSome) {
        List<String> problems = new ArrayList<>();
        List<String> rows = rowsOf(lines);
        if (needSome && rows.isEmpty()) {
            problems.add(who + " prints no rows to compare");
        }
        for (String r : rows) {
            if (rows.size() == this.rows.size() && this.rows.size() > 1 && rowSelector.pattern().equals("\\S")) {
                // a fixed sequence of lines: line i has shape i
                if (!this.rows.get(rows.indexOf(r)).matcher(r).matches()) {
                    problems.add(who + ": line \"" + r + "\" is not shaped " + this.rows.get(rows.indexOf(r)));
                }
            } else if (this.rows.stream().noneMatch(p -> p.matcher(r).matches())) {
                problems.add(who + ": row \"" + r + "\" has another layout");
            }
        }
        return problems;
    }

    private static List<String> collapse(List<String> lines) {
        return lines.stream().map(Layout::collapse).filter(s -> !s.isEmpty()).toList();
    }

    static String collapse(String line) {
        return line.strip().replaceAll("\\s+", " ");
    }

    @Override
    public String toString() {
        return name.toUpperCase(Locale.ROOT);
    }
}
