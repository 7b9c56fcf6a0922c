package io.argate.shell.config;

import io.argate.shell.CommandProcessor;
import io.argate.shell.cmd.Privilege;
import io.argate.shell.session.Session;
import io.argate.shell.session.SessionIo;
import io.argate.shell.session.SessionKind;
import io.argate.store.EventLog;
import io.argate.store.Severity;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a configuration script through the command processor, as the boot does (DESIGN.md
 * section 3): each line in a SCRIPT session with full privilege; a failing line is logged with
 * its number and the error, and the script goes on. Binary or damaged files are read as text
 * line by line, so garbage fails line by line instead of stopping the boot.
 */
public final class ScriptRunner {
    /** What running a script did. */
    public record Outcome(int lines, int failed, List<String> errors) {
    }

    private final CommandProcessor processor;
    private final EventLog log;
    private final Clock clock;

    public ScriptRunner(CommandProcessor processor, EventLog log, Clock clock) {
        this.processor = processor;
        this.log = log;
        this.clock = clock;
    }

    public Outcome run(String name, byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        String[] lines = text.split("\r?\n|\r", -1);
        List<String> errors = new ArrayList<>();
        LineCapture io = new LineCapture();
        Session s = new Session(0, SessionKind.SCRIPT, io);
        s.login("script", Privilege.SECURITY_OFFICER, clock.instant());
        int failed = 0;
        for (int i = 0; i < lines.length; i++) {
            io.last = null;
            if (!processor.execute(s, lines[i])) {
                failed++;
                String err = name + " line " + (i + 1) + ": " + (io.last == null ? "failed" : io.last);
                errors.add(err);
                log.log(Severity.NOTICE, "CFG", "SCRIPT", "ERROR", err);
            }
        }
        log.log(failed == 0 ? Severity.INFO : Severity.NOTICE, "CFG", "SCRIPT", "LOAD",
                "Configuration " + name + " loaded: " + lines.length + " lines, " + failed + " failed");
        return new Outcome(lines.length, failed, errors);
    }

    /** Keeps the last line a script command printed (its error, when it failed). */
    private static final class LineCapture implements SessionIo {
        String last;

        @Override
        public void println(String line) {
            if (line.startsWith("Error") || last == null) {
                last = line;
            }
        }

        @Override
        public Optional<String> readLine(String prompt) {
            return Optional.empty();
        }

        @Override
        public Optional<String> readSecret(String prompt) {
            return Optional.empty();
        }

        @Override
        public boolean interactive() {
            return false;
        }
    }
}
