package io.argate.shell.console;

import io.argate.shell.login.SessionRunner;
import io.argate.shell.login.ShellContext;
import io.argate.shell.session.Session;
import io.argate.shell.session.SessionKind;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;

import java.nio.charset.StandardCharsets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The console port: JLine on the system terminal (or on given streams, as a dumb terminal, for
 * tests). Runs the login/command loop until end of input.
 */
public final class Console {
    private final ShellContext ctx;
    private final Terminal terminal;

    private Console(ShellContext ctx, Terminal terminal) {
        this.ctx = ctx;
        this.terminal = terminal;
    }

    public static Console system(ShellContext ctx) throws IOException {
        return new Console(ctx, TerminalBuilder.builder().system(true).name("argate console").build());
    }

    /** A dumb terminal over streams (tests, and consoles that are not a TTY). */
    public static Console streams(ShellContext ctx, InputStream in, OutputStream out) throws IOException {
        return new Console(ctx, new DumbTerminal("console", "dumb", in, out, StandardCharsets.UTF_8));
    }

    public Terminal terminal() {
        return terminal;
    }

    /** Runs the console session on the calling thread until end of input. */
    public void run() {
        JLineIo io = new JLineIo(terminal, ctx.processor(), () -> { });
        Session s = new Session(0, SessionKind.CONSOLE, io, ctx.clock().instant());
        io.attach(s);
        new SessionRunner(ctx, s).run();
    }
}
