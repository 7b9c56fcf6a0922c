package io.argate.bench.shell;

import io.argate.image.Options;
import io.argate.image.Router;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/**
 * Boot to the point where a login prompt could be served (storage open, modules started, boot
 * script run), in the same run for: no script; a 10,000-line script of system, user and IPsec
 * lines; and a script of 100,000 IPsec policies (issue 11 item 8: a script costs little more
 * than its parse because the SPD is compiled once, at its end). Single-shot: each measurement
 * is one whole boot on a fresh data directory, as a restart is. Read the ratios against
 * {@code empty} from the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class BootBench {
    @Param({"empty", "lines10000", "policies100000"})
    String script;

    private Path data;
    private Path file;
    private Router router;

    @Setup(Level.Invocation)
    public void prepare() throws Exception {
        data = Files.createTempDirectory("argate-boot");
        file = null;
        StringBuilder b = new StringBuilder("# generated boot script\n");
        switch (script) {
            case "lines10000" -> {
                b.append("add ip int=eth0 ip=192.0.2.1 mask=255.255.255.0\nenable ipsec\n");
                for (int i = 1; i < 10_000; i++) {
                    switch (i % 4) {
                        case 0 -> b.append("set system name=site").append(i).append('\n');
                        case 1 -> b.append("set user securedelay=").append(10 + i % 3000).append('\n');
                        case 2 -> policy(b, i);
                        default -> b.append("# section ").append(i).append('\n');
                    }
                }
            }
            case "policies100000" -> {
                b.append("add ip int=eth0 ip=192.0.2.1 mask=255.255.255.0\nenable ipsec\n");
                for (int i = 1; i <= 100_000; i++) {
                    policy(b, i);
                }
            }
            default -> {
                return;
            }
        }
        file = data.resolve("boot.cfg");
        Files.writeString(file, b);
    }

    /** A PERMIT policy for one /32 pair, as a large site's script has thousands of. */
    private static void policy(StringBuilder b, int i) {
        b.append("create ipsec policy=p").append(i).append(" int=eth0 action=permit lad=10.").append(i >>> 16 & 255).append('.')
                .append(i >>> 8 & 255).append('.').append(i & 255).append(" rad=172.16.").append(i >>> 8 & 255).append('.')
                .append(i & 255).append('\n');
    }

    @Benchmark
    public Router boot() throws Exception {
        router = file == null
                ? new Router(Options.parse("--data", data.toString(), "--telnet", "off"), Clock.systemUTC(), 1000)
                : new Router(Options.parse("--data", data.toString(), "--telnet", "off", "--config", file.toString()), Clock.systemUTC(), 1000);
        router.boot();
        if (file != null && router.lastBoot().failed() > 0) {
            throw new IllegalStateException("the generated script failed: " + router.lastBoot().errors().subList(0, 1));
        }
        return router;
    }

    @TearDown(Level.Invocation)
    public void clean() throws Exception {
        router.close();
        try (var walk = Files.walk(data)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
