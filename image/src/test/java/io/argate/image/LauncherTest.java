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
        return argate(java.util.Map.of(), stdin, args);
    }

    Result argate(java.util.Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(repo().resolve("argate").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo().toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
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

    /**
     * A JDK of the given major version that says so on stderr when it starts argate's jar (not
     * when the launcher's Maven build runs on it) and then runs the real java, so a test sees
     * which JDK the launcher chose.
     */
    private Path fakeJdk(String name, int major) throws IOException {
        Path home = Files.createDirectories(data.resolve(name).resolve("bin"));
        String real = ProcessHandle.current().info().command().orElseThrow();
        Files.writeString(home.getParent().resolve("release"), "JAVA_VERSION=\"" + major + ".0.1\"\n");
        Path java = home.resolve("java");
        Files.writeString(java, "#!/bin/sh\ncase \" $* \" in *\" -jar \"*) echo \"running on " + name + "\" >&2;; esac\nexec '" + real + "' \"$@\"\n");
        java.toFile().setExecutable(true);
        return home.getParent();
    }

    @Test
    void javaHomeIsUsedWhenItIsJava17OrLater() throws Exception {
        // the machine may have newer JDKs; the user's JAVA_HOME still wins
        Path jdk = fakeJdk("chosen-jdk", 17);
        Result r = argate(java.util.Map.of("JAVA_HOME", jdk.toString()), "", "--help");
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().contains("running on chosen-jdk"), r.out());
        assertTrue(r.out().contains("--batch FILE"), r.out());
    }

    @Test
    void anOlderJavaHomeIsPassedOverWithAWord() throws Exception {
        Path jdk = fakeJdk("old-jdk", 11);
        Result r = argate(java.util.Map.of("JAVA_HOME", jdk.toString()), "", "--help");
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().contains("argate: JAVA_HOME=" + jdk + " is Java 11, not 17 or later; looking for a newer JDK"), r.out());
        assertTrue(!r.out().contains("running on old-jdk"), r.out());
        assertTrue(r.out().contains("--batch FILE"), r.out());
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
