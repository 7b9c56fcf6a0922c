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
 * script run), with no script and with a generated 10,000-line boot script. Single-shot: each
 * measurement is one whole boot on a fresh data directory, as a restart is.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(1)
public class BootBench {
    @Param({"0", "10000"})
    int scriptLines;

    private Path data;
    private Router router;

    @Setup(Level.Invocation)
    public void prepare() throws Exception {
        data = Files.createTempDirectory("argate-boot");
        if (scriptLines > 0) {
            Path flash = Files.createDirectories(data.resolve("flash"));
            StringBuilder b = new StringBuilder("# generated boot script\n");
            for (int i = 1; i < scriptLines; i++) {
                switch (i % 4) {
                    case 0 -> b.append("set system name=site").append(i).append('\n');
                    case 1 -> b.append("set system idletimeout=").append(i % 1440).append('\n');
                    case 2 -> b.append("set user securedelay=").append(10 + i % 3000).append('\n');
                    default -> b.append("# section ").append(i).append('\n');
                }
            }
            Files.writeString(flash.resolve("boot.cfg"), b);
        }
    }

    @Benchmark
    public Router boot() throws Exception {
        router = new Router(Options.parse("--data", data.toString(), "--telnet", "off"), Clock.systemUTC(), 1000);
        router.boot();
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
