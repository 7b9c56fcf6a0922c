package io.argate.shell.log;

import io.argate.shell.Module;
import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.Values;
import io.argate.shell.msg.Kind;
import io.argate.shell.msg.Message;
import io.argate.shell.msg.MessageDef;
import io.argate.store.EventLog;
import io.argate.store.LogEntry;
import io.argate.store.LogFilter;
import io.argate.store.Severity;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The LOG module: SHOW LOG with MODULE=, TYPE=, SEVERITY= and TAIL= filters, PURGE LOG. */
public final class LogModule implements Module {
    /** Every message of the LOG module (module 39). */
    public enum LogMessages implements MessageDef {
        BAD_SEVERITY(Kind.ERROR, 1, "SEVERITY %s is not a level; use 0..7 or DEBUG, TRIVIAL, DETAIL, INFO, NOTICE, IMPORTANT, URGENT, CRITICAL"),
        PURGED(Kind.INFO, 2, "The log has been cleared"),
        AMBIGUOUS_CODE(Kind.ERROR, 3, "%s=%s could be %s; type more of it");

        private final Message message;

        LogMessages(Kind kind, int number, String text) {
            this.message = new Message(kind, 39, number, text);
        }

        @Override
        public Message message() {
            return message;
        }
    }

    private final EventLog log;

    public LogModule(EventLog log) {
        this.log = log;
    }

    @Override
    public String name() {
        return "LOG";
    }

    @Override
    public int number() {
        return 39;
    }

    @Override
    public int configOrder() {
        return 32;
    }

    @Override
    public void commands(CommandTable t) {
        t.add(CommandSpec.of("SHOW LOG")
                .optional("MODULE", Values.text(1, 16), "all", "only entries of this module: its code or a unique prefix (IPSE, isak)")
                .optional("TYPE", Values.text(1, 16), "all", "only entries of this type: its code or a unique prefix (SCRI, IPSC)")
                .optional("SEVERITY", Values.text(1, 9), "0", "only entries at this level or above (0..7 or a name)")
                .optional("TAIL", Values.integer(1, 100000), "all", "only the last N entries")
                .help("Show the event log").handler(this::show));
        t.add(CommandSpec.of("PURGE LOG").security().help("Clear the event log").handler(this::purge));
    }

    private void show(Invocation inv) throws CommandException {
        LogFilter f = LogFilter.all();
        if (inv.has("MODULE") || inv.has("TYPE")) {
            List<LogEntry> all = log.query(LogFilter.all());
            if (inv.has("MODULE")) {
                f = f.module(code("MODULE", inv.string("MODULE"), all.stream().map(LogEntry::module)));
            }
            if (inv.has("TYPE")) {
                f = f.type(code("TYPE", inv.string("TYPE"), all.stream().map(LogEntry::type)));
            }
        }
        if (inv.has("SEVERITY")) {
            try {
                f = f.severity(Severity.parse(inv.string("SEVERITY")));
            } catch (IllegalArgumentException e) {
                throw new CommandException(LogMessages.BAD_SEVERITY, inv.string("SEVERITY"));
            }
        }
        if (inv.has("TAIL")) {
            f = f.last(inv.integer("TAIL"));
        }
        inv.out().print(log.render(log.query(f), ZoneId.systemDefault()).stripTrailing());
    }

    /**
     * The full code a MODULE= or TYPE= value names among the codes in the log: the code itself,
     * or any unique prefix of it, which covers the 4-letter forms the Mod and Type columns print
     * ({@code IPSE} for IPSEC, {@code SCRI} for SCRIPT) and the reference's {@code module=isak}.
     * A value that names no code in the log is kept as typed and matches nothing.
     */
    static String code(String param, String typed, Stream<String> known) throws CommandException {
        String want = typed.strip().toUpperCase(Locale.ROOT);
        Set<String> codes = known.map(c -> c.toUpperCase(Locale.ROOT)).collect(Collectors.toCollection(TreeSet::new));
        if (codes.contains(want)) {
            return want;
        }
        List<String> hits = codes.stream().filter(c -> c.startsWith(want)).toList();
        if (hits.size() > 1) {
            throw new CommandException(LogMessages.AMBIGUOUS_CODE, param, typed, String.join(", ", hits));
        }
        return hits.isEmpty() ? want : hits.get(0);
    }

    private void purge(Invocation inv) {
        log.clear();
        inv.say(LogMessages.PURGED);
    }
}
