package io.argate.shell.console;

import io.argate.shell.CommandProcessor;
import io.argate.shell.SecurityContext;
import org.jline.terminal.Size;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 11 item 4: a terminal that reports 0x0 (a serial line) still shows the prompts. */
class JLineIoTest {
    @Test
    void aZeroSizedTerminalGetsEightyByTwentyFourAndShowsItsPrompt() throws Exception {
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        ExternalTerminal serial = new ExternalTerminal("serial", "vt100",
                new ByteArrayInputStream("manager\r".getBytes(StandardCharsets.US_ASCII)), shown, StandardCharsets.UTF_8);
        // what a serial console reports (TIOCGWINSZ gives 0 rows, 0 columns)
        serial.setSize(new Size(0, 0));
        SecurityContext sc = new SecurityContext() {
            @Override
            public boolean securityMode() {
                return false;
            }

            @Override
            public Duration securityTimeout() {
                return Duration.ofSeconds(60);
            }

            @Override
            public boolean checkPassword(String user, String password) {
                return false;
            }
        };
        JLineIo io = new JLineIo(serial, new CommandProcessor(List.of(), sc, Clock.systemUTC()), () -> { });
        Optional<String> line = io.readLine("login: ");
        serial.close();
        assertEquals(Optional.of("manager"), line);
        assertTrue(shown.toString(StandardCharsets.UTF_8).contains("login: "), "prompt shown: " + shown);
        assertEquals(80, serial.getWidth());
        assertEquals(24, io.pageHeight());
    }
}
