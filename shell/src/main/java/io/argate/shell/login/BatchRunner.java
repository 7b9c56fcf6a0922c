package io.argate.shell.login;

import io.argate.shell.Authenticator.LoginResult;
import io.argate.shell.Authenticator.Origin;
import io.argate.shell.session.Session;
import io.argate.shell.session.LineIo;
import io.argate.shell.session.SessionIo;
import io.argate.shell.session.SessionKind;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;

/**
 * {@code ./argate --batch FILE}: logs in, runs each line as typed at the prompt, echoing
 * {@code <prompt><command>} before its output as an interactive session shows it, with no pager.
 * The exit status is 0 when every command succeeded and 1 when any failed (or the login did).
 */
public final class BatchRunner {
    private final ShellContext ctx;

    public BatchRunner(ShellContext ctx) {
        this.ctx = ctx;
    }

    public int run(BufferedReader input, PrintStream out, String user, String password) throws IOException {
        SessionIo io = new LineIo(out::println);
        Session session = new Session(ctx.registry().nextId(), SessionKind.BATCH, io, ctx.clock().instant());
        LoginResult r = ctx.auth().login(user, password, Origin.local(session.portLabel()));
        if (!r.ok()) {
            out.println("Login as " + user + " failed: " + r.reason());
            return 1;
        }
        session.login(r.user(), r.privilege(), ctx.clock().instant());
        ctx.registry().add(session);
        boolean allOk = true;
        try {
            String line;
            while ((line = input.readLine()) != null) {
                out.println(Prompt.of(ctx.systemName().get(), session.privilege()) + line);
                allOk &= ctx.processor().execute(session, line);
                Session.Request req = session.takeRequest();
                if (req != Session.Request.NONE) {
                    // a script cannot answer login: prompts; LOGOFF ends it
                    break;
                }
            }
        } finally {
            ctx.registry().remove(session);
        }
        out.flush();
        return allOk ? 0 : 1;
    }
}
