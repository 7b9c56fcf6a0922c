package io.argate.ip.port;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The platform file: which port is which host device, one port per line
 * ({@code name driver key=value ...}, {@code #} comments). Every mistake is reported with its
 * line number: unknown drivers, duplicate ports, unknown or malformed options.
 */
public final class PlatformFile {
    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "tun", Set.of("dev", "netns", "mtu", "queues", "offload", "io", "txqueuelen"),
            "udp", Set.of("local", "remote", "mtu", "offload"),
            "mem", Set.of("link", "mtu"));
    /** Receive queues a TUN port may ask for: one thread each, and this machine class has few cores. */
    public static final int MAX_QUEUES = 16;
    private static final Pattern PORT = Pattern.compile("[a-z][a-z0-9]{0,14}");
    private static final Pattern ENDPOINT = Pattern.compile("[0-9.]+:[0-9]{1,5}");

    /** A platform file that cannot be used; the message names the line. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private PlatformFile() {
    }

    public static List<PortSpec> parse(String text) throws Invalid {
        List<PortSpec> out = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int n = i + 1;
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] words = line.split("\\s+");
            if (words.length < 2) {
                throw new Invalid("line " + n + ": a port needs a name and a driver (tun, udp or mem)");
            }
            String name = words[0];
            String driver = words[1];
            if (!PORT.matcher(name).matches()) {
                throw new Invalid("line " + n + ": \"" + name + "\" is not a port name (lower-case letters and digits)");
            }
            if (!OPTIONS.containsKey(driver)) {
                throw new Invalid("line " + n + ": unknown driver \"" + driver + "\" for port " + name + "; drivers are tun, udp, mem");
            }
            if (seen.containsKey(name)) {
                throw new Invalid("line " + n + ": port " + name + " is already defined on line " + seen.get(name));
            }
            Map<String, String> opts = new LinkedHashMap<>();
            for (int w = 2; w < words.length; w++) {
                int eq = words[w].indexOf('=');
                if (eq <= 0 || eq == words[w].length() - 1) {
                    throw new Invalid("line " + n + ": option \"" + words[w] + "\" is not key=value");
                }
                String k = words[w].substring(0, eq);
                String v = words[w].substring(eq + 1);
                if (!OPTIONS.get(driver).contains(k)) {
                    throw new Invalid("line " + n + ": " + driver + " ports take " + String.join(", ", OPTIONS.get(driver).stream().sorted().toList())
                            + ", not \"" + k + "\"");
                }
                check(n, k, v);
                opts.put(k, v);
            }
            if (driver.equals("tun") && !opts.containsKey("dev")) {
                throw new Invalid("line " + n + ": tun port " + name + " needs dev=<linux device name>");
            }
            if (driver.equals("udp") && (!opts.containsKey("local") || !opts.containsKey("remote"))) {
                throw new Invalid("line " + n + ": udp port " + name + " needs local=ADDR:PORT and remote=ADDR:PORT");
            }
            if (driver.equals("mem") && !opts.containsKey("link")) {
                throw new Invalid("line " + n + ": mem port " + name + " needs link=<name>");
            }
            seen.put(name, n);
            out.add(new PortSpec(name, driver, Map.copyOf(opts), n));
        }
        return out;
    }

    private static void check(int n, String k, String v) throws Invalid {
        switch (k) {
            case "mtu" -> range(n, k, v, 68, 65535);
            case "local", "remote" -> {
                if (!ENDPOINT.matcher(v).matches() || Integer.parseInt(v.substring(v.indexOf(':') + 1)) > 65535) {
                    throw new Invalid("line " + n + ": " + k + "=" + v + " is not ADDRESS:PORT");
                }
            }
            case "dev" -> {
                if (v.length() > 15) {
                    throw new Invalid("line " + n + ": dev=" + v + " is longer than a Linux interface name (15)");
                }
            }
            case "queues" -> range(n, k, v, 1, MAX_QUEUES);
            case "txqueuelen" -> range(n, k, v, TunPort.MIN_HOST_QUEUE, TunPort.MAX_HOST_QUEUE);
            case "io" -> oneOf(n, k, v, "uring", "syscall");
            case "offload" -> oneOf(n, k, v, "on", "off");
            default -> { }
        }
    }

    /** {@code k=v} must be a whole number in {@code min..max}. */
    private static void range(int n, String k, String v, int min, int max) throws Invalid {
        int x;
        try {
            x = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            x = min - 1;
        }
        if (x < min || x > max) {
            throw new Invalid("line " + n + ": " + k + "=" + v + " is not " + min + ".." + max);
        }
    }

    /** {@code k=v} must be {@code a} or {@code b}. */
    private static void oneOf(int n, String k, String v, String a, String b) throws Invalid {
        if (!v.equals(a) && !v.equals(b)) {
            throw new Invalid("line " + n + ": " + k + "=" + v + " is not " + a + " or " + b);
        }
    }
}
