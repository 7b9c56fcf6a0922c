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
import io.argate.store.LogFilter;
import io.argate.store.Severity;

import java.time.ZoneId;

/** The LOG module: SHOW LOG with MODULE=, TYPE=, SEVERITY= and TAIL= filters, PURGE LOG. */
public final class LogModule implements Module {
    /** Every message of the LOG module (module 39). */
    public enum LogMessages implements MessageDef {
        BAD_SEVERITY(Kind.ERROR, 1, "SEVERITY %s is not a level; use 0..7 or DEBUG, TRIVIAL, DETAIL, INFO, NOTICE, IMPORTANT, URGENT, CRITICAL"),
        PURGED(Kind.INFO, 2, "The log has been cleared");

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
                .optional("MODULE", Values.text(1, 16), "all", "only entries of this module (e.g. USER, CFG, IPSEC)")
                .optional("TYPE", Values.text(1, 16), "all", "only entries of this type")
                .optional("SEVERITY", Values.text(1, 9), "0", "only entries at this level or above (0..7 or a name)")
                .optional("TAIL", Values.integer(1, 100000), "all", "only the last N entries")
                .help("Show the event log").handler(this::show));
        t.add(CommandSpec.of("PURGE LOG").security().help("Clear the event log").handler(this::purge));
    }

    private void show(Invocation inv) throws CommandException {
        LogFilter f = LogFilter.all();
        if (inv.has("MODULE")) {
            f = f.module(inv.string("MODULE"));
        }
        if (inv.has("TYPE")) {
            f = f.type(inv.string("TYPE"));
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

    private void purge(Invocation inv) {
        log.clear();
        inv.say(LogMessages.PURGED);
    }
}
