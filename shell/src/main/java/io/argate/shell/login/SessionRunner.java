package io.argate.shell.login;

import io.argate.shell.Authenticator.LoginResult;
import io.argate.shell.Authenticator.Origin;
import io.argate.shell.session.Session;
import io.argate.shell.session.SessionKind;

import java.util.Optional;

/**
 * Drives one interactive session: the {@code login:}/{@code Password:} loop, then the command
 * loop with the prompt, acting on LOGIN and LOGOFF. Ends at end of input or disconnect.
 */
public final class SessionRunner implements Runnable {
    private final ShellContext ctx;
    private final Session session;
    private final Runnable onLogin;

    public SessionRunner(ShellContext ctx, Session session) {
        this(ctx, session, () -> { });
    }

    /** {@code onLogin} runs after each successful login (telnet counts who is still a stranger). */
    public SessionRunner(ShellContext ctx, Session session, Runnable onLogin) {
        this.ctx = ctx;
        this.session = session;
        this.onLogin = onLogin;
    }

    @Override
    public void run() {
        ctx.registry().add(session);
        try {
            while (true) {
                if (!session.loggedIn()) {
                    if (!login()) {
                        return;
                    }
                    continue;
                }
                Optional<String> line = session.io().readLine(Prompt.of(ctx.systemName().get(), session.privilege()));
                if (line.isEmpty()) {
                    return;
                }
                ctx.processor().execute(session, line.get());
                switch (session.takeRequest()) {
                    case LOGOFF -> {
                        session.logoff();
                        session.io().println("");
                        session.io().println("Logged off.");
                        if (session.kind() == SessionKind.TELNET) {
                            return;
                        }
                    }
                    case LOGIN -> session.logoff();
                    case NONE -> { }
                }
            }
        } finally {
            ctx.registry().remove(session);
            session.end();
            session.io().close();
        }
    }

    /** A telnet login comes from its peer's address and is throttled; console logins are local. */
    private static Origin origin(Session s) {
        return s.kind() == SessionKind.TELNET ? Origin.network(s.portLabel(), s.peer()) : Origin.local(s.portLabel());
    }

    /** One login attempt; false when input ended. */
    private boolean login() {
        Optional<String> user = session.io().readLine("login: ");
        if (user.isEmpty()) {
            return false;
        }
        String name = user.get().strip();
        if (name.isEmpty()) {
            return true;
        }
        Optional<String> pw = session.io().readSecret("Password: ");
        if (pw.isEmpty()) {
            return false;
        }
        LoginResult r = ctx.auth().login(name, pw.get(), origin(session));
        if (!r.ok()) {
            session.io().println(r.reason());
            session.io().println("");
            return true;
        }
        session.login(r.user(), r.privilege(), ctx.clock().instant());
        onLogin.run();
        session.io().println("");
        return true;
    }
}
