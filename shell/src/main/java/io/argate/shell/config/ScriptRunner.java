package io.argate.shell.config;

import io.argate.shell.CommandProcessor;
import io.argate.shell.cmd.Privilege;
import io.argate.shell.session.Session;
import io.argate.shell.session.LineIo;
import io.argate.shell.session.SessionKind;
import io.argate.store.EventLog;
import io.argate.store.Severity;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * Runs the script on the control plane as one batch: the modules apply its changes to the
     * data path once, at the end, not after every line.
     */
    public Outcome run(String name, byte[] content) {
        return processor.batch(() -> runLines(name, content));
    }

    private Outcome runLines(String name, byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        // a final line break ends the last line; it does not start an empty one
        String[] lines = text.isEmpty() ? new String[0] : text.split("\r?\n|\r");
        List<String> errors = new ArrayList<>();
        String[] last = new String[1];
        // keeps the line a failing command printed: its error, for the log
        LineIo io = new LineIo(line -> {
            if (line.startsWith("Error") || last[0] == null) {
                last[0] = line;
            }
        });
        Session s = new Session(0, SessionKind.SCRIPT, io);
        s.login("script", Privilege.SECURITY_OFFICER, clock.instant());
        int failed = 0;
        for (int i = 0; i < lines.length; i++) {
            last[0] = null;
            boolean ok;
            try {
                ok = processor.execute(s, lines[i]);
            } catch (RuntimeException bug) {
                // a fault in the shell itself fails this line, never the rest of the boot
                ok = false;
                last[0] = "internal error " + bug;
            }
            if (!ok) {
                failed++;
                String err = name + " line " + (i + 1) + ": " + (last[0] == null ? "failed" : last[0]);
                errors.add(err);
                log.log(Severity.NOTICE, "CFG", "SCRIPT", "ERROR", err);
            }
        }
        log.log(failed == 0 ? Severity.INFO : Severity.NOTICE, "CFG", "SCRIPT", "LOAD",
                "Configuration " + name + " loaded: " + lines.length + " lines, " + failed + " failed");
        return new Outcome(lines.length, failed, errors);
    }
}
