package io.argate.image;

import io.argate.shell.console.Console;
import io.argate.shell.login.BatchRunner;
import io.argate.shell.user.PasswordHash;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/** The firmware entry point: parses options, boots the router, then console, batch or service mode. */
public final class Firmware {
    private Firmware() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println("argate: " + e.getMessage());
            }
            (e.getMessage() == null ? System.out : System.err).println(Options.USAGE);
            return e.getMessage() == null ? 0 : 2;
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        final Router router;
        try {
            router = new Router(options, Clock.systemDefaultZone(), PasswordHash.ITERATIONS);
            router.boot();
        } catch (Exception e) {
            System.err.println("argate: cannot boot: " + e.getMessage());
            return 2;
        }
        try {
            if (options.batch() != null) {
                BufferedReader in = options.batch().equals("-")
                        ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                        : Files.newBufferedReader(Path.of(options.batch()), StandardCharsets.UTF_8);
                return new BatchRunner(router.shell()).run(in, out, options.user(), options.password());
            }
            banner(out, router, options);
            if (System.console() != null) {
                Console.system(router.shell()).run();
                return 0;
            }
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                router.close();
                stop.countDown();
            }, "argate-shutdown"));
            out.println("Running as a service (standard input is not a terminal); stop with SIGTERM or SIGINT.");
            stop.await();
            return 0;
        } catch (Exception e) {
            System.err.println("argate: " + e.getMessage());
            return 1;
        } finally {
            router.close();
        }
    }

    private static void banner(PrintStream out, Router router, Options options) {
        out.println("");
        out.println("argate " + router.version() + " - AR410-style IPsec VPN router");
        out.println("Data directory: " + options.data().toAbsolutePath());
        out.println("Telnet: " + (router.telnetAddress() == null ? "off" : router.telnetAddress().getHostString() + ":" + router.telnetAddress().getPort()));
        out.println("Boot configuration: " + (router.currentConfig() == null ? "none (factory defaults)" : router.currentConfig()));
        out.println("");
    }
}
