package io.argate.image.interop;

import io.argate.image.Options;
import io.argate.image.Router;
import io.argate.shell.cmd.Privilege;
import io.argate.shell.session.Session;
import io.argate.shell.session.SessionKind;
import io.argate.shell.testing.BufferIo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The argate side of a {@link Topology}: a whole router in this JVM on the topology's TUN ports,
 * booted, with its IP configuration and the given lines applied, then attached to the namespaces.
 * Closed with the {@link InteropNet}.
 */
final class ArgateSide {
    final Router router;

    private ArgateSide(Router router) {
        this.router = router;
    }

    /** Boots argate on {@code t}'s argate side with its data under {@code data}, and runs {@code lines} after the IP setup. */
    static ArgateSide boot(InteropNet net, Topology t, Path data, List<String> lines) throws Exception {
        Path platform = data.resolve("ia-platform.txt");
        Files.writeString(platform, t.argatePlatform());
        Router router = new Router(Options.parse("--data", data.resolve("flash").toString(), "--telnet", "off",
                "--platform", platform.toString()), Clock.systemUTC(), 1000);
        net.onClose(router::close);
        router.boot();
        ArgateSide side = new ArgateSide(router);
        for (String line : t.argateIpConfig()) {
            side.ok(line);
        }
        for (String line : lines) {
            side.ok(line);
        }
        t.argateAttached();
        return side;
    }

    /** Runs a command as the manager; fails the test with its output when it is refused. */
    void ok(String line) {
        BufferIo io = new BufferIo(false);
        if (!run(line, io)) {
            throw new AssertionError(line + " -> " + io.text());
        }
    }

    /** The output of some SHOW commands, for a failure's message. */
    String show(String... commands) {
        StringBuilder b = new StringBuilder();
        for (String c : commands) {
            BufferIo io = new BufferIo(false);
            run(c, io);
            b.append("> ").append(c).append('\n').append(io.text()).append('\n');
        }
        return b.toString();
    }

    private boolean run(String line, BufferIo io) {
        Session s = new Session(1, SessionKind.BATCH, io);
        s.login("manager", Privilege.MANAGER, Clock.systemUTC().instant());
        return router.shell().processor().execute(s, line);
    }
}
