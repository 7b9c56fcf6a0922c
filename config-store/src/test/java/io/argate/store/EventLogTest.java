package io.argate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogTest {

    @TempDir
    Path data;

    private final SteppingClock clock = new SteppingClock("2024-05-23T03:41:07Z");
    private Nvs nvs;

    @BeforeEach
    void openNvs() {
        nvs = Nvs.open(data);
    }

    @AfterEach
    void closeNvs() {
        nvs.close();
    }

    private static List<String> messages(List<LogEntry> entries) {
        return entries.stream().map(LogEntry::message).toList();
    }

    private int storedRows() {
        return nvs.transaction(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM event_log")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Test
    void loggedEntriesComeBackOldestFirstWithTheirFields() {
        EventLog log = new EventLog(nvs, clock);
        log.log(Severity.INFO, "user", "User", "login", "manager login on port TELNET 0");
        clock.advance(Duration.ofSeconds(5));
        log.log(Severity.NOTICE, "SYS", "RSTRT", "START", "Router startup");
        List<LogEntry> entries = log.query(LogFilter.all());
        assertEquals(2, entries.size());
        LogEntry first = entries.get(0);
        assertEquals(Instant.parse("2024-05-23T03:41:07Z"), first.at());
        assertEquals(Severity.INFO, first.severity());
        assertEquals(List.of("USER", "USER", "LOGIN"), List.of(first.module(), first.type(), first.subtype()));
        assertEquals("Router startup", entries.get(1).message());
        assertTrue(entries.get(0).seq() < entries.get(1).seq());
        assertEquals(EventLog.DEFAULT_CAPACITY, log.capacity());
        assertEquals(0, log.failures());
    }

    @Test
    void entriesSurviveARestartAndNumberingContinues() {
        EventLog before = new EventLog(nvs, clock);
        before.log(Severity.INFO, "SYS", "RSTRT", "START", "first boot");
        long firstSeq = before.query(LogFilter.all()).get(0).seq();
        nvs.close();
        nvs = Nvs.open(data);
        EventLog after = new EventLog(nvs, clock);
        after.log(Severity.INFO, "SYS", "RSTRT", "START", "second boot");
        List<LogEntry> entries = after.query(LogFilter.all());
        assertEquals(List.of("first boot", "second boot"), messages(entries));
        assertEquals(firstSeq + 1, entries.get(1).seq());
    }

    @Test
    void oldestEntriesAreDroppedBeyondCapacity() {
        EventLog log = new EventLog(nvs, clock, 5);
        for (int i = 1; i <= 12; i++) {
            log.log(Severity.INFO, "SYS", "TEST", "", "entry " + i);
        }
        assertEquals(List.of("entry 8", "entry 9", "entry 10", "entry 11", "entry 12"),
                messages(log.query(LogFilter.all())));
        assertEquals(5, storedRows());
    }

    @Test
    void filtersSelectByModuleTypeSeverityAndCount() {
        EventLog log = new EventLog(nvs, clock);
        log.log(Severity.INFO, "USER", "USER", "LOGIN", "a");
        log.log(Severity.NOTICE, "USER", "USER", "LOGFAIL", "b");
        log.log(Severity.DEBUG, "IPSEC", "SA", "NEW", "c");
        log.log(Severity.CRITICAL, "SYS", "RSTRT", "START", "d");
        log.log(Severity.IMPORTANT, "USER", "SEC", "MODE", "e");
        assertEquals(List.of("a", "b", "e"), messages(log.query(LogFilter.all().module("user"))));
        assertEquals(List.of("a", "b"), messages(log.query(LogFilter.all().module("USER").type("USER"))));
        assertEquals(List.of("b", "d", "e"), messages(log.query(LogFilter.all().severity(Severity.NOTICE))));
        assertEquals(List.of("d", "e"), messages(log.query(LogFilter.all().last(2))));
        assertEquals(List.of("b", "e"), messages(log.query(LogFilter.all().module("USER").severity(Severity.NOTICE))));
        assertEquals(List.of("e"), messages(log.query(LogFilter.all().module("USER").last(1))));
        assertEquals(List.of(), messages(log.query(LogFilter.all().module("FIRE"))));
        assertEquals(List.of("a", "b", "c", "d", "e"), messages(log.query(LogFilter.all().severity(Severity.DEBUG))));
    }

    @Test
    void listenersSeeNewEntriesUntilRemoved() {
        EventLog log = new EventLog(nvs, clock);
        List<String> seen = new ArrayList<>();
        java.util.function.Consumer<LogEntry> session = e -> seen.add(e.message());
        log.addListener(session);
        log.log(Severity.INFO, "USER", "USER", "LOGIN", "one");
        log.removeListener(session);
        log.log(Severity.INFO, "USER", "USER", "LOGIN", "two");
        assertEquals(List.of("one"), seen);
    }

    @Test
    void aFailingListenerIsCountedAndDoesNotStopOthers() {
        EventLog log = new EventLog(nvs, clock);
        List<String> seen = new ArrayList<>();
        log.addListener(e -> {
            throw new IllegalStateException("telnet session gone");
        });
        log.addListener(e -> seen.add(e.message()));
        log.log(Severity.INFO, "USER", "USER", "LOGOUT", "manager logout");
        assertEquals(List.of("manager logout"), seen);
        assertEquals(1, log.listenerFailures());
        assertEquals(1, log.query(LogFilter.all()).size());
    }

    @Test
    void storageFailureIsCountedAndTheEntryStillShows() {
        EventLog log = new EventLog(nvs, clock);
        log.log(Severity.INFO, "SYS", "RSTRT", "START", "stored");
        nvs.close();
        log.log(Severity.URGENT, "CFG", "NVS", "FAIL", "kept in memory");
        assertEquals(1, log.failures());
        List<LogEntry> shown = log.query(LogFilter.all());
        assertEquals(List.of("kept in memory"), messages(shown), "the stored entry cannot be read back now");
        assertEquals(2, log.failures(), "the failed read is counted too");
        assertEquals(List.of(), log.query(LogFilter.all().severity(Severity.CRITICAL)));
    }

    @Test
    void memoryRingIsBounded() {
        EventLog log = new EventLog(nvs, clock);
        nvs.close();
        for (int i = 1; i <= EventLog.UNSAVED_LIMIT + 10; i++) {
            log.log(Severity.INFO, "SYS", "TEST", "", "m" + i);
        }
        List<LogEntry> shown = log.query(LogFilter.all());
        assertEquals(EventLog.UNSAVED_LIMIT, shown.size());
        assertEquals("m11", shown.get(0).message());
        assertEquals(EventLog.UNSAVED_LIMIT + 10, log.failures() - 1);
    }

    @Test
    void entriesHeldInMemoryAreWrittenOnceStorageWorksAgain() {
        EventLog log = new EventLog(nvs, clock);
        nvs.transaction(c -> c.createStatement().executeUpdate("DROP TABLE event_log"));
        log.log(Severity.INFO, "SYS", "TEST", "", "while broken");
        assertEquals(1, log.failures());
        nvs.transaction(c -> c.createStatement().executeUpdate("CREATE TABLE event_log(seq BIGINT PRIMARY KEY,"
                + " at TIMESTAMP, severity INT, module VARCHAR, type VARCHAR, subtype VARCHAR, message VARCHAR)"));
        log.log(Severity.INFO, "SYS", "TEST", "", "after repair");
        assertEquals(2, storedRows());
        assertEquals(List.of("while broken", "after repair"), messages(log.query(LogFilter.all())));
        assertEquals(1, log.failures());
    }

    @Test
    void logOnAClosedDatabaseFromTheStartNeverThrows() {
        nvs.close();
        EventLog log = new EventLog(nvs, clock);
        assertEquals(1, log.failures());
        log.log(Severity.CRITICAL, "SYS", "RSTRT", "START", "boot without NVS");
        assertEquals(List.of("boot without NVS"), messages(log.query(LogFilter.all())));
    }

    @Test
    void messagesStayOneBoundedLine() {
        EventLog log = new EventLog(nvs, clock);
        log.log(null, null, null, null, null);
        log.log(Severity.INFO, "US\nER", "T", "S", "line one\nline two\r\tend");
        log.log(Severity.INFO, "SYS", "T", "S", "y".repeat(5000));
        List<LogEntry> entries = log.query(LogFilter.all());
        assertEquals(Severity.INFO, entries.get(0).severity());
        assertEquals("", entries.get(0).module());
        assertEquals("", entries.get(0).message());
        assertEquals("US_ER", entries.get(1).module());
        assertEquals("line one line two  end", entries.get(1).message());
        assertEquals(EventLog.MESSAGE_MAX, entries.get(2).message().length());
    }

    @Test
    void clearEmptiesTheLog() {
        EventLog log = new EventLog(nvs, clock);
        log.log(Severity.INFO, "SYS", "TEST", "", "gone");
        log.clear();
        assertEquals(List.of(), log.query(LogFilter.all()));
        assertEquals(0, storedRows());
    }

    @Test
    void renderShowsQueriedEntriesInTheLogLayout() {
        EventLog log = new EventLog(nvs, clock);
        log.log(Severity.INFO, "USER", "USER", "LOGIN", "manager login on port TELNET 0");
        assertTrue(log.render(log.query(LogFilter.all()), ZoneOffset.UTC)
                .endsWith("\n23 03:41:07     3 USER USER LOGIN manager login on port TELNET 0\n"));
    }

    @Test
    void filterRejectsANegativeCount() {
        assertEquals("The number of entries must be 0 or more, not -1",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> LogFilter.all().last(-1)).getMessage());
    }
}
