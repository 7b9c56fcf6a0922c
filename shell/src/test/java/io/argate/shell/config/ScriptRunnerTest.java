package io.argate.shell.config;

import io.argate.shell.CommandProcessor;
import io.argate.shell.Module;
import io.argate.shell.SecurityContext;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.ValueType;
import io.argate.shell.cmd.Values;
import io.argate.store.EventLog;
import io.argate.store.LogEntry;
import io.argate.store.LogFilter;
import io.argate.store.Nvs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A script line that fails, however it fails, is logged with its number and the script goes on (issue 11 item 5). */
class ScriptRunnerTest {
    @TempDir
    Path data;

    private final List<Long> applied = new ArrayList<>();

    /** A value type with a fault: it throws instead of refusing. */
    private static final ValueType FAULTY = new ValueType() {
        @Override
        public Object parse(String raw) {
            throw new IllegalStateException("fault in a value type");
        }

        @Override
        public String describe() {
            return "anything";
        }
    };

    private final Module module = new Module() {
        @Override
        public String name() {
            return "T";
        }

        @Override
        public int number() {
            return 98;
        }

        @Override
        public int configOrder() {
            return 1;
        }

        @Override
        public void commands(CommandTable t) {
            t.add(CommandSpec.of("SET T").required("N", Values.integer(0, 255), "n").handler(inv -> applied.add(inv.number("N"))));
            t.add(CommandSpec.of("SET FAULTY").required("X", FAULTY, "x").handler(inv -> applied.add(-1L)));
        }
    };

    private static final SecurityContext NORMAL = new SecurityContext() {
        @Override
        public boolean securityMode() {
            return false;
        }

        @Override
        public Duration securityTimeout() {
            return Duration.ofMinutes(1);
        }

        @Override
        public boolean checkPassword(String user, String password) {
            return false;
        }
    };

    @Test
    void badNumbersAndFaultsFailTheirLineAndTheScriptGoesOn() {
        try (Nvs nvs = Nvs.open(data, Clock.systemUTC())) {
            EventLog log = new EventLog(nvs, Clock.systemUTC());
            ScriptRunner runner = new ScriptRunner(new CommandProcessor(List.of(module), NORMAL, Clock.systemUTC()), log, Clock.systemUTC());
            String script = "set t n=1\nset t n=99999999999999999999\nset faulty x=1\nset t n=\u0661\nset t n=2\n";
            ScriptRunner.Outcome o = runner.run("boot.cfg", script.getBytes(StandardCharsets.UTF_8));

            assertEquals(List.of(1L, 2L), applied);
            assertEquals(3, o.failed(), String.join("\n", o.errors()));
            assertEquals("boot.cfg line 2: Error (334006): Value \"99999999999999999999\" is not valid for N: expected 0..255 (out of range).",
                    o.errors().get(0));
            assertTrue(o.errors().get(1).startsWith("boot.cfg line 3: internal error java.lang.IllegalStateException"), o.errors().get(1));
            assertTrue(o.errors().get(2).startsWith("boot.cfg line 4: Error (334006)"), o.errors().get(2));
            List<String> logged = log.query(LogFilter.all().module("CFG").type("SCRIPT")).stream().map(LogEntry::message).toList();
            assertTrue(logged.containsAll(o.errors()), logged.toString());
            assertTrue(logged.contains("Configuration boot.cfg loaded: 5 lines, 3 failed"), logged.toString());
        }
    }
}
