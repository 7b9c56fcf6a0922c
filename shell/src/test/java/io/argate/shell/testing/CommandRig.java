package io.argate.shell.testing;

import io.argate.shell.CommandProcessor;
import io.argate.shell.Module;
import io.argate.shell.SecurityContext;
import io.argate.shell.cmd.Privilege;
import io.argate.shell.session.Session;
import io.argate.shell.session.SessionKind;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Runs commands of some modules against an in-memory session, logged in as a manager, in
 * normal mode. For unit tests of a module's command table:
 * <pre>
 * CommandRig rig = new CommandRig(List.of(new IpModule(...)));
 * assertTrue(rig.run("add ip int=eth0 ip=192.0.2.1"));
 * assertThat(rig.lastOutput()).contains("Operation successful");
 * </pre>
 */
public final class CommandRig {
    private final BufferIo io = new BufferIo(false);
    private final Session session = new Session(0, SessionKind.BATCH, io);
    private final CommandProcessor processor;
    private boolean securityMode;
    private int mark;

    public CommandRig(List<Module> modules) {
        this(modules, Clock.systemUTC());
    }

    public CommandRig(List<Module> modules, Clock clock) {
        SecurityContext sc = new SecurityContext() {
            @Override
            public boolean securityMode() {
                return securityMode;
            }

            @Override
            public Duration securityTimeout() {
                return Duration.ofSeconds(60);
            }

            @Override
            public boolean checkPassword(String user, String password) {
                return "friend".equals(password);
            }
        };
        processor = new CommandProcessor(modules, sc, clock);
        session.login("manager", Privilege.MANAGER, clock.instant());
    }

    public CommandRig as(Privilege p) {
        session.login(session.user() == null ? "tester" : session.user(), p, java.time.Instant.now());
        return this;
    }

    public CommandRig securityMode(boolean on) {
        this.securityMode = on;
        return this;
    }

    /** Runs one line; returns whether it succeeded. */
    public boolean run(String line) {
        mark = io.lines().size();
        return processor.execute(session, line);
    }

    /** Output of the last {@link #run}. */
    public String lastOutput() {
        List<String> all = io.lines();
        return String.join("\n", all.subList(mark, all.size()));
    }

    public CommandProcessor processor() {
        return processor;
    }

    public Session session() {
        return session;
    }
}
