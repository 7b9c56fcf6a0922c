package io.argate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 3: a flood of events (31,330 failed logins grew NVS to 268 MB) neither grows the
 * file without bound nor fills the log with copies: identical events are summarised.
 */
class EventLogFloodTest {

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

    @Test
    void aFloodOfIdenticalEventsIsStoredAsASummary() {
        EventLog log = new EventLog(nvs, clock);
        log.log(Severity.INFO, "SYS", "RSTRT", "START", "Router startup");
        for (int i = 0; i < 5000; i++) {
            log.log(Severity.NOTICE, "USER", "USER", "LOGFAIL", "Login failed for an unknown user on TELNET 3 from 192.0.2.9");
            if (i % 100 == 0) {
                clock.advance(Duration.ofMillis(100));
            }
        }
        clock.advance(EventLog.REPEAT_WINDOW);
        log.log(Severity.INFO, "USER", "USER", "LOGIN", "manager logged in on CONSOLE 0");
        List<String> messages = log.query(LogFilter.all()).stream().map(LogEntry::message).limit(10).toList();
        assertEquals(4999, log.repeated());
        assertEquals(List.of("Router startup",
                "Login failed for an unknown user on TELNET 3 from 192.0.2.9",
                "Repeated 4999 times in 30 s: Login failed for an unknown user on TELNET 3 from 192.0.2.9",
                "manager logged in on CONSOLE 0"), messages);
    }

    @Test
    void aFloodOfDistinctEventsKeepsTheFileSmall() throws Exception {
        EventLog log = new EventLog(nvs, clock, 2000);
        for (int i = 0; i < 30_000; i++) {
            log.log(Severity.NOTICE, "USER", "USER", "LOGFAIL", "Login failed for user" + i + " on TELNET " + i + " from 192.0.2.9");
        }
        assertEquals(2000, log.query(LogFilter.all()).size());
        long size = Files.size(data.resolve(Nvs.FILE_NAME));
        assertTrue(size < EventLog.DISK_BUDGET, "nvs.mv.db is " + size / 1024 + " kB after 30,000 events");
    }
}
