package io.argate.shell;

import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.Privilege;
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

/**
 * Runs command lines for sessions: parse against the merged grammar, check privilege and
 * security mode, run the handler, and print the AR result message. Console, telnet, batch and
 * boot scripts all come through here.
 */
public final class CommandProcessor {
    private final Grammar grammar;
    private final SecurityContext security;
    private final Clock clock;
    private volatile BiConsumer<CommandSpec, RuntimeException> failureListener = (s, e) -> { };
    /**
     * The control plane is single-threaded (DESIGN.md section 5): commands from every session
     * and script run one at a time, so modules need no locks. Reentrant, because a command such
     * as RESTART ROUTER runs a boot script through this same processor.
     */
    private final java.util.concurrent.locks.ReentrantLock controlPlane = new java.util.concurrent.locks.ReentrantLock();

    public CommandProcessor(List<Module> modules, SecurityContext security, Clock clock) {
        List<CommandSpec> specs = new ArrayList<>();
        for (Module m : modules) {
            CommandTable t = new CommandTable(m.name());
            m.commands(t);
            specs.addAll(t.commands());
        }
        this.grammar = new Grammar(specs);
        this.security = security;
        this.clock = clock;
    }

    public Grammar grammar() {
        return grammar;
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
        controlPlane.lock();
        try {
            return executeLocked(session, line);
        } finally {
            controlPlane.unlock();
        }
    }

    private boolean executeLocked(Session session, String line) {
        Output out = Pager.of(session.io());
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return true;
        }
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
        Invocation inv = new Invocation(parsed.spec(), parsed.values(), session, out);
        try {
            parsed.spec().handler().handle(inv);
        } catch (CommandException e) {
            out.println(e.rendered());
            return false;
        } catch (RuntimeException bug) {
            failureListener.accept(parsed.spec(), bug);
            out.println(CliMessages.INTERNAL.render(parsed.spec().module(), bug.getClass().getSimpleName()
                    + (bug.getMessage() == null ? "" : " " + bug.getMessage())));
            return false;
        }
        if (parsed.spec().isSecurity()) {
            session.securityCommandRun(clock.instant());
        }
        if (parsed.spec().reportsSuccess() && !inv.reported()) {
            out.println(CliMessages.OPERATION_SUCCESSFUL.render());
        }
        return true;
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
}
