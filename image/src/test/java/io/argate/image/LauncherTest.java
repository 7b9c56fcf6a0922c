package io.argate.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./argate} end to end, as a user runs it: batch mode, help, service mode and SIGTERM. */
class LauncherTest {
    @TempDir
    Path data;

    static Path repo() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isExecutable(p.resolve("argate"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("run from inside the repository");
        }
        return p;
    }

    record Result(int status, String out) {
    }

    Result argate(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(repo().resolve("argate").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(repo().toFile()).redirectErrorStream(true).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("argate did not exit: " + out);
        }
        return new Result(p.exitValue(), out);
    }

    @Test
    void batchEchoesPromptAndCommandAndReportsSuccess() throws Exception {
        Result r = argate("set system name=lab\nshow config dynamic=system\n", "--data", data.toString(), "--telnet", "off", "--batch", "-");
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().contains("Manager > set system name=lab\nInfo (134003): Operation successful.\nlab Manager > show config dynamic=system\n"
                + "#\n# SYSTEM configuration\n#\nset system name=lab\n"), r.out());
    }

    @Test
    void aFailingCommandMakesTheExitStatusOne() throws Exception {
        Path script = data.resolveSibling(data.getFileName() + ".txt");
        Files.writeString(script, "show time\nfrobnicate\nshow time\n");
        try {
            Result r = argate("", "--data", data.toString(), "--telnet", "off", "--batch", script.toString());
            assertEquals(1, r.status(), r.out());
            assertTrue(r.out().contains("Manager > frobnicate\nError (334001): Unknown command \"frobnicate\"."), r.out());
            assertTrue(r.out().split("System time is").length == 3, "the batch goes on after a failure");
        } finally {
            Files.deleteIfExists(script);
        }
    }

    @Test
    void wrongBatchLoginFails() throws Exception {
        Result r = argate("show time\n", "--data", data.toString(), "--telnet", "off", "--batch", "-", "--password", "nope");
        assertEquals(1, r.status());
        assertTrue(r.out().contains("Login as manager failed: Login incorrect"), r.out());
    }

    @Test
    void helpAndBadOptions() throws Exception {
        Result help = argate("", "--help");
        assertEquals(0, help.status(), help.out());
        assertTrue(help.out().contains("--batch FILE"), help.out());
        Result bad = argate("", "--frob");
        assertEquals(2, bad.status(), bad.out());
        assertTrue(bad.out().contains("argate: unknown option --frob"), bad.out());
    }

    @Test
    void serviceModeRunsUntilSigterm() throws Exception {
        Process p = new ProcessBuilder(repo().resolve("argate").toString(), "--data", data.toString(), "--telnet", "127.0.0.1:0")
                .directory(repo().toFile()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        StringBuilder out = new StringBuilder();
        long end = System.currentTimeMillis() + 60_000;
        var in = p.getInputStream();
        while (!out.toString().contains("Running as a service") && System.currentTimeMillis() < end) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            out.append((char) b);
        }
        assertTrue(out.toString().contains("Running as a service"), out.toString());
        assertTrue(p.isAlive());
        p.toHandle().destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "SIGTERM stops it");
        assertEquals(0, p.exitValue() == 143 ? 0 : p.exitValue(), "clean exit on SIGTERM");
        try (RouterRig r = new RouterRig(data)) {
            r.ok("show log module=sys");
            assertTrue(r.out().contains("argate shut down"), "the shutdown was clean: " + r.out());
        }
    }
}
