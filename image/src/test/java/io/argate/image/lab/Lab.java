package io.argate.image.lab;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The lab harness: Linux hosts in network namespaces that tests create and remove. Needs root;
 * without it the test is skipped with the reason, unless lab tests are required (CI sets
 * ARGATE_LAB_REQUIRED=true or -Dargate.lab.required=true), when a missing prerequisite fails.
 */
public final class Lab {
    private Lab() {
    }

    public static boolean required() {
        return "true".equals(System.getenv("ARGATE_LAB_REQUIRED")) || Boolean.getBoolean("argate.lab.required");
    }

    /** Skips (or fails, when required) unless this runs as root with iproute2. */
    public static void requireRoot() {
        boolean root = "root".equals(System.getProperty("user.name"));
        String why = root ? null : "lab tests need root (network namespaces and TUN devices)";
        if (why == null && run("ip", "-V").status() != 0) {
            why = "lab tests need iproute2 (the ip command)";
        }
        if (why != null) {
            if (required()) {
                throw new AssertionError(why + ", and ARGATE_LAB_REQUIRED is set");
            }
            Assumptions.abort("skipped: " + why);
        }
    }

    /** Skips (or fails, when required) unless tshark is installed and runs. */
    public static void requireTshark() {
        String why = null;
        if (!java.nio.file.Files.isExecutable(java.nio.file.Path.of(TSHARK))) {
            why = "this lab test needs tshark (" + TSHARK + "; apt-get install tshark)";
        } else if (run(TSHARK, "-v").status() != 0) {
            why = "this lab test needs tshark, but " + TSHARK + " -v fails";
        }
        if (why != null) {
            if (required()) {
                throw new AssertionError(why + ", and ARGATE_LAB_REQUIRED is set");
            }
            Assumptions.abort("skipped: " + why);
        }
    }

    public static final String TSHARK = "/usr/bin/tshark";

    /** What a command printed and its exit status. */
    public record Result(int status, String out) {
    }

    public static Result run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, out + " (timed out)");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** Runs a command inside a namespace. */
    public static Result in(String netns, String... cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        all.addAll(List.of(cmd));
        return run(all.toArray(new String[0]));
    }

    public static void must(Result r, String what) {
        if (r.status() != 0) {
            throw new AssertionError(what + " failed: " + r.out());
        }
    }

    public static void addNetns(String name) {
        run("ip", "netns", "del", name);
        must(run("ip", "netns", "add", name), "ip netns add " + name);
        must(in(name, "ip", "link", "set", "lo", "up"), "lo up in " + name);
    }

    public static void delNetns(String name) {
        run("ip", "netns", "del", name);
    }
}
