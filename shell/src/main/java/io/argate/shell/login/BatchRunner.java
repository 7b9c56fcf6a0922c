package io.argate.shell.login;

import io.argate.shell.Authenticator.LoginResult;
import io.argate.shell.Authenticator.Origin;
import io.argate.shell.session.Session;
import io.argate.shell.session.LineIo;
import io.argate.shell.session.Session;
import io.argate.shell.session.SessionIo;
import io.argate.shell.session.SessionKind;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;

/**
 * {@code ./argate --batch FILE}: logs in, runs each line as typed at the prompt, echoing
 * {@code <prompt><command>} before its output as an interactive session shows it, with no pager.
 * The exit status is 0 when every command succeeded and 1 when any failed (or a login did).
 *
 * <p>The script is what a person would type at the terminal, so LOGIN and LOGOFF work as on the
 * console: after them the router asks {@code login:} and {@code Password:}, and the script's next
 * two lines answer (the reference's walkthroughs log in again as the Security Officer halfway
 * through). The password is not echoed. A login that fails stops the script with status 1: the
 * lines after it were written for that user. A script that ends right after LOGOFF ends there.
 */
public final class BatchRunner {
    /** Told about each command line a script ran and whether it succeeded (a LOGIN with its answers is one line). */
    public interface Listener {
        void ran(String line, boolean ok);
    }

    private final ShellContext ctx;

    public BatchRunner(ShellContext ctx) {
        this.ctx = ctx;
    }

    public int run(BufferedReader input, PrintStream out, String user, String password) throws IOException {
        return run(input, out, user, password, (line, ok) -> { });
    }

    public int run(BufferedReader input, PrintStream out, String user, String password, Listener listener) throws IOException {
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
                boolean ok = ctx.processor().execute(session, line);
                Outcome next = Outcome.GO_ON;
                switch (session.takeRequest()) {
                    case LOGIN -> {
                        session.logoff();
                        next = login(input, out, session, true);
                    }
                    case LOGOFF -> {
                        session.logoff();
                        out.println("");
                        out.println("Logged off.");
                        next = login(input, out, session, false);
                    }
                    case NONE -> { }
                }
                ok &= next != Outcome.FAILED;
                allOk &= ok;
                listener.ran(line, ok);
                if (next != Outcome.GO_ON) {
                    break;
                }
            }
        } finally {
            ctx.registry().remove(session);
        }
        out.flush();
        return allOk ? 0 : 1;
    }

    private enum Outcome {
        GO_ON, END, FAILED
    }

    /**
     * Answers {@code login:} and {@code Password:} from the script's next two lines. After LOGIN
     * the answers must be there; after LOGOFF the end of the script simply ends the run.
     */
    private Outcome login(BufferedReader input, PrintStream out, Session session, boolean required) throws IOException {
        String name = input.readLine();
        if (name == null) {
            if (required) {
                out.println("LOGIN needs the login name and the password on the next two lines of the script.");
                return Outcome.FAILED;
            }
            return Outcome.END;
        }
        out.println("login: " + name.strip());
        String password = input.readLine();
        out.println("Password: ");
        if (password == null) {
            out.println("The script ended before the password of " + name.strip() + "; the rest of the script is not run.");
            return Outcome.FAILED;
        }
        LoginResult r = ctx.auth().login(name.strip(), password, Origin.local(session.portLabel()));
        if (!r.ok()) {
            out.println("Login as " + name.strip() + " failed: " + r.reason() + "; the rest of the script is not run.");
            return Outcome.FAILED;
        }
        session.login(r.user(), r.privilege(), ctx.clock().instant());
        out.println("");
        return Outcome.GO_ON;
    }
}
