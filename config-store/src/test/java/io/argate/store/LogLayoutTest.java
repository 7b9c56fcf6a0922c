package io.argate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLayoutTest {

    private static final String RULE = "-".repeat(79);

    private static LogEntry entry(String at, Severity s, String mod, String type, String sub, String message) {
        return new LogEntry(1, Instant.parse(at), s, mod, type, sub, message);
    }

    @Test
    void rendersTheAlliedWareColumns() {
        String shown = LogLayout.render(List.of(
                entry("2024-05-23T03:41:07Z", Severity.INFO, "USER", "USER", "LOGIN", "manager login on port TELNET 0"),
                entry("2024-05-23T03:42:10Z", Severity.NOTICE, "SYS", "RSTRT", "START", "Router startup")),
                ZoneOffset.UTC);
        assertEquals(""
                + "Date/Time       S Mod  Type SType Message\n"
                + RULE + "\n"
                + "23 03:41:07     3 USER USER LOGIN manager login on port TELNET 0\n"
                + "23 03:42:10     4 SYS  RSTR START Router startup\n", shown);
    }

    @Test
    void longCodesAreCutToTheirColumns() {
        String shown = LogLayout.render(List.of(
                entry("2024-05-01T00:00:00Z", Severity.URGENT, "ISAKMP", "EXCHANGE", "LOGFAIL", "x")), ZoneOffset.UTC);
        assertTrue(shown.endsWith("01 00:00:00     6 ISAK EXCH LOGFA x\n"), shown);
    }

    @Test
    void longMessagesWrapUnderTheMessageColumn() {
        String message = "ISAKMP exchange 12 with peer 203.0.113.2 failed: peer offered 3DES/MD5/group 2,"
                + " policy i allows DES/SHA/group 1";
        String shown = LogLayout.render(List.of(
                entry("2024-05-23T03:41:07Z", Severity.IMPORTANT, "IKMP", "EXCH", "FAIL", message)), ZoneOffset.UTC);
        String indent = " ".repeat(34);
        assertEquals(""
                + "Date/Time       S Mod  Type SType Message\n"
                + RULE + "\n"
                + "23 03:41:07     5 IKMP EXCH FAIL  ISAKMP exchange 12 with peer 203.0.113.2\n"
                + indent + "failed: peer offered 3DES/MD5/group 2, policy\n"
                + indent + "i allows DES/SHA/group 1\n", shown);
        assertEquals(79, shown.lines().skip(3).findFirst().orElseThrow().length(), "a line may fill all 79 columns");
        shown.lines().forEach(line -> assertTrue(line.length() <= 79, line));
    }

    @Test
    void aWordWiderThanTheColumnIsSplit() {
        String word = "x".repeat(50);
        assertEquals(List.of("x".repeat(45), "xxxxx"), LogLayout.wrap(word, 45));
        assertEquals(List.of("ab", "x".repeat(45), "xxxxx cd"), LogLayout.wrap("ab " + word + " cd", 45));
    }

    @Test
    void emptyMessageAndEmptyCodesLeaveNoTrailingSpaces() {
        String shown = LogLayout.render(List.of(entry("2024-05-01T00:00:00Z", Severity.DEBUG, "CFG", "", "", "")),
                ZoneOffset.UTC);
        assertTrue(shown.endsWith("\n01 00:00:00     0 CFG\n"), shown);
    }

    @Test
    void timesAreShownInTheRoutersZone() {
        String shown = LogLayout.render(List.of(
                entry("2024-05-23T20:00:01Z", Severity.INFO, "SYS", "TIME", "SET", "x")), ZoneId.of("Asia/Tokyo"));
        assertTrue(shown.contains("\n24 05:00:01     3 SYS"), shown);
    }

    @Test
    void noEntriesGiveJustTheHeading() {
        assertEquals("Date/Time       S Mod  Type SType Message\n" + RULE + "\n",
                LogLayout.render(List.of(), ZoneOffset.UTC));
    }
}
