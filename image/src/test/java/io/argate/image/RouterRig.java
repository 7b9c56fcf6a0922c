package io.argate.image;

import io.argate.shell.cmd.Privilege;
import io.argate.shell.session.Session;
import io.argate.shell.session.SessionKind;
import io.argate.shell.testing.BufferIo;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** A whole router booted in-process on a data directory, with one logged-in batch session. */
final class RouterRig implements AutoCloseable {
    final Router router;
    final BufferIo io = new BufferIo(false);
    final Session session;
    private int mark;

    RouterRig(Path data, String... extraArgs) throws Exception {
        this(data, Clock.systemDefaultZone(), extraArgs);
    }

    RouterRig(Path data, Clock clock, String... extraArgs) throws Exception {
        String[] args = new String[extraArgs.length + 4];
        args[0] = "--data";
        args[1] = data.toString();
        args[2] = "--telnet";
        args[3] = "off";
        System.arraycopy(extraArgs, 0, args, 4, extraArgs.length);
        router = new Router(Options.parse(args), clock, 1000);
        router.boot();
        session = new Session(99, SessionKind.BATCH, io);
        session.login("manager", Privilege.MANAGER, clock.instant());
    }

    boolean run(String line) {
        mark = io.lines().size();
        return router.shell().processor().execute(session, line);
    }

    String out() {
        List<String> l = io.lines();
        return String.join("\n", l.subList(mark, l.size()));
    }

    void ok(String line) {
        if (!run(line)) {
            throw new AssertionError(line + " -> " + out());
        }
    }

    @Override
    public void close() {
        router.close();
    }
}
