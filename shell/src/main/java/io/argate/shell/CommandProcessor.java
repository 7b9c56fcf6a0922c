package io.argate.shell;

import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Follow;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.Privilege;
import io.argate.shell.loop.ControlLoop;
import io.argate.shell.msg.CliMessages;
import io.argate.shell.parse.Candidate;
import io.argate.shell.parse.Grammar;
import io.argate.shell.parse.Parsed;
import io.argate.shell.session.Output;
import io.argate.shell.session.Pager;
import io.argate.shell.session.Session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Runs command lines for sessions: parse against the merged grammar, check privilege and
 * security mode, run the handler, and print the AR result message. Console, telnet, batch and
 * boot scripts all come through here.
 *
 * <p>Handlers run on the {@link ControlLoop} (DESIGN.md section 5), one at a time, so modules
 * need no locks. Everything that waits for a person stays on the session's own thread: the
 * security timer's password prompt before the handler, the {@code --More--} pager over the
 * handler's collected output after it, and a PING's replies as they come ({@link Follow}). A
 * long command in one session therefore never holds up another session, a timer or IKE.
 */
public final class CommandProcessor {
    private final Grammar grammar;
    private final SecurityContext security;
    private final Clock clock;
    private final ControlLoop loop;
    private final List<Module> modules;
    private volatile BiConsumer<CommandSpec, RuntimeException> failureListener = (s, e) -> { };
    /** Loop-confined: scripts being run; their changes are committed once, when the outermost ends. */
    private int batchDepth;

    /** A processor with a control loop of its own (module unit tests). */
    public CommandProcessor(List<Module> modules, SecurityContext security, Clock clock) {
        this(modules, security, new ControlLoop(clock, "control-plane-" + Integer.toHexString(System.identityHashCode(modules))));
    }

    public CommandProcessor(List<Module> modules, SecurityContext security, ControlLoop loop) {
        List<CommandSpec> specs = new ArrayList<>();
        for (Module m : modules) {
            CommandTable t = new CommandTable(m.name());
            m.commands(t);
            specs.addAll(t.commands());
        }
        this.grammar = new Grammar(specs);
        this.security = security;
        this.clock = loop.clock();
        this.loop = loop;
        this.modules = List.copyOf(modules);
    }

    public Grammar grammar() {
        return grammar;
    }

    public ControlLoop loop() {
        return loop;
    }

    /** Told about handler bugs (an exception escaping a handler) so they can be logged. */
    public void onHandlerFailure(BiConsumer<CommandSpec, RuntimeException> listener) {
        this.failureListener = listener;
    }

    /**
     * Runs one line. Returns true when it succeeded (blank and comment lines succeed silently),
     * false when it was refused; the reason has been printed to the session.
     */
    public boolean execute(Session session, String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return true;
        }
        if (loop.inLoop()) {
            // a script run by a command (RESTART ROUTER) or by the boot: its session is not a terminal
            return prepareAndRun(session, trimmed, session.io());
        }
        Output out = Pager.of(session.io());
        Instant now = clock.instant();
        session.touch(now);
        Parsed parsed;
        try {
            parsed = grammar.parse(trimmed);
            authorize(session, parsed.spec(), now);
        } catch (CommandException e) {
            out.println(e.rendered());
            return false;
        }
        Collected collected = new Collected();
        Invocation inv = new Invocation(parsed.spec(), parsed.values(), session, collected);
        boolean ok = loop.call(() -> runHandler(inv));
        for (String l : collected.lines) {
            out.println(l);
        }
        Follow follow = inv.following();
        return follow == null ? ok : ok & follow.drainTo(out);
    }

    /** Parse, authorize and run on the loop itself (scripts): no prompt can be shown there. */
    private boolean prepareAndRun(Session session, String trimmed, Output out) {
        Parsed parsed;
        try {
            parsed = grammar.parse(trimmed);
            authorize(session, parsed.spec(), clock.instant());
        } catch (CommandException e) {
            out.println(e.rendered());
            return false;
        }
        Invocation inv = new Invocation(parsed.spec(), parsed.values(), session, out);
        boolean ok = runHandler(inv);
        Follow follow = inv.following();
        if (follow != null) {
            // scripts do not wait for commands that go on (a PING in a boot script): it runs on
            follow.finish(ok);
        }
        return ok;
    }

    /** On the loop: the handler, then the changes it made reach the data path unless a script is running. */
    private boolean runHandler(Invocation inv) {
        CommandSpec spec = inv.spec();
        boolean ok;
        try {
            spec.handler().handle(inv);
            ok = true;
        } catch (CommandException e) {
            inv.out().println(e.rendered());
            ok = false;
        } catch (RuntimeException bug) {
            failureListener.accept(spec, bug);
            inv.out().println(CliMessages.INTERNAL.render(spec.module(), bug.getClass().getSimpleName()
                    + (bug.getMessage() == null ? "" : " " + bug.getMessage())));
            ok = false;
        }
        if (batchDepth == 0) {
            commit();
        }
        if (!ok) {
            return false;
        }
        if (spec.isSecurity()) {
            inv.session().securityCommandRun(clock.instant());
        }
        if (spec.reportsSuccess() && !inv.reported()) {
            inv.out().println(CliMessages.OPERATION_SUCCESSFUL.render());
        }
        return true;
    }

    /**
     * Runs {@code work} (a script: the boot's, RESTART's, SET CONFIG's) on the loop with the
     * modules' commits held back until it ends, so a 10,000-line script compiles the SPD once.
     */
    public <T> T batch(Supplier<T> work) {
        return loop.call(() -> {
            batchDepth++;
            try {
                return work.get();
            } finally {
                if (--batchDepth == 0) {
                    commit();
                }
            }
        });
    }

    /** Every module applies its pending changes to the data path. */
    private void commit() {
        for (Module m : modules) {
            try {
                m.commit();
            } catch (RuntimeException bug) {
                failureListener.accept(null, bug);
            }
        }
    }

    private void authorize(Session session, CommandSpec spec, Instant now) throws CommandException {
        if (!session.loggedIn() && spec.privilege() != Privilege.USER) {
            throw new CommandException(CliMessages.NOT_LOGGED_IN);
        }
        if (!session.privilege().atLeast(spec.privilege())) {
            throw new CommandException(CliMessages.PRIVILEGE, spec.privilege() == Privilege.SECURITY_OFFICER
                    ? "SECURITY OFFICER" : spec.privilege().name());
        }
        if (!spec.isSecurity() || !security.securityMode()) {
            return;
        }
        if (session.privilege() != Privilege.SECURITY_OFFICER) {
            throw new CommandException(CliMessages.SECURITY_MODE);
        }
        Instant last = session.lastSecurityCommand();
        Duration timeout = security.securityTimeout();
        if (session.io().interactive() && last != null && Duration.between(last, now).compareTo(timeout) > 0) {
            if (loop.inLoop()) {
                throw new CommandException(CliMessages.SECURITY_TIMER);
            }
            String pw = session.io().readSecret("Password: ").orElse(null);
            if (pw == null || !security.checkPassword(session.user(), pw)) {
                throw new CommandException(CliMessages.SECURITY_TIMER);
            }
            session.securityCommandRun(now);
        }
    }

    /** What may come next after {@code line}, for TAB and {@code ?}. */
    public List<Candidate> next(Session session, String line) {
        return grammar.next(line);
    }

    /** A handler's output, printed by the session's thread once the handler is done. */
    private static final class Collected implements Output {
        final List<String> lines = new ArrayList<>();

        @Override
        public void println(String line) {
            lines.add(line);
        }
    }
}
