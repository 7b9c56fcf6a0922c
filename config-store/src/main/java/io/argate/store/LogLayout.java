package io.argate.store;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The SHOW LOG table in the AlliedWare layout (ar-cli-facts section 1.10, recollection):
 *
 * <pre>
 * Date/Time       S Mod  Type SType Message
 * -------------------------------------------------------------------------------
 * 23 03:41:07     3 USER USER LOGIN manager login on port TELNET 0
 * </pre>
 *
 * Day of month and time, the severity number, the codes cut to 4/4/5 characters, and the
 * message wrapped at word boundaries under its own column so no line passes 79 characters.
 */
public final class LogLayout {

    public static final int WIDTH = 79;
    static final String HEADER = "Date/Time       S Mod  Type SType Message";
    /** Where the Message column starts. */
    static final int MESSAGE_COLUMN = 34;

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd HH:mm:ss");

    private LogLayout() {
    }

    /** Header, rule and one or more lines per entry, each line ending in a newline. */
    public static String render(List<LogEntry> entries, ZoneId zone) {
        StringBuilder out = new StringBuilder();
        out.append(HEADER).append('\n').append("-".repeat(WIDTH)).append('\n');
        for (LogEntry e : entries) {
            appendEntry(out, e, zone);
        }
        return out.toString();
    }

    private static void appendEntry(StringBuilder out, LogEntry e, ZoneId zone) {
        String prefix = String.format("%-16s%d %-4s %-4s %-5s ",
                WHEN.format(e.at().atZone(zone)), e.severity().number(),
                cut(e.module(), 4), cut(e.type(), 4), cut(e.subtype(), 5));
        List<String> lines = wrap(e.message(), WIDTH - MESSAGE_COLUMN);
        String indent = " ".repeat(MESSAGE_COLUMN);
        for (int i = 0; i < lines.size(); i++) {
            out.append((i == 0 ? prefix : indent) + lines.get(i)).append('\n');
            stripTrailingSpaces(out);
        }
    }

    private static void stripTrailingSpaces(StringBuilder out) {
        int end = out.length() - 1;
        int start = end;
        while (start > 0 && out.charAt(start - 1) == ' ') {
            start--;
        }
        out.delete(start, end);
    }

    private static String cut(String code, int width) {
        return code.length() <= width ? code : code.substring(0, width);
    }

    /** Greedy word wrap; a word longer than the column is split. Never returns an empty list. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split(" +")) {
            while (word.length() > width) {
                if (line.length() > 0) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                lines.add(word.substring(0, width));
                word = word.substring(width);
            }
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0 || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }
}
