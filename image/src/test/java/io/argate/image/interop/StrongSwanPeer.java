package io.argate.image.interop;

import io.argate.image.lab.Lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private strongSwan 5.9 charon in one namespace of an {@link InteropNet}, controlled with
 * swanctl over its own VICI socket.
 * <p>
 * Everything the instance owns lives in its own {@code ia-swan-*} directory: strongswan.conf
 * (rendered from {@code interop/strongswan/strongswan.conf}), swanctl.conf, the VICI socket,
 * charon.log (with key material at level 4, for decrypting captures) and a {@code run}
 * directory bind-mounted over /run inside the mount namespace {@code ip netns exec} gives the
 * daemon, because charon writes {@code /run/charon.pid} whatever it is told. So several peers
 * and the system's own charon never clash. ESP is kernel-libipsec's, in userspace through TUN
 * {@code ipsec0} in the namespace; it only speaks ESP in UDP (RFC 3948).
 * <p>
 * {@link #close()} stops the daemon by its pid and removes the directory (kept when
 * {@code -Dargate.interop.keep=true}).
 */
public final class StrongSwanPeer implements AutoCloseable {
    private static final List<String> CHARON = List.of("/usr/lib/ipsec/charon", "/usr/libexec/ipsec/charon",
            "/usr/lib/strongswan/charon", "/usr/libexec/strongswan/charon");
    private static final List<String> SWANCTL = List.of("/usr/sbin/swanctl", "/usr/bin/swanctl");
    /** Credential directories swanctl --load-all scans beside swanctl.conf; empty is quiet. */
    private static final List<String> CRED_DIRS = List.of("x509", "x509ca", "x509ocsp", "x509aa", "x509ac",
            "x509crl", "pubkey", "private", "rsa", "ecdsa", "bliss", "pkcs8", "pkcs12");
    private static final long START_TIMEOUT_MS = 10_000;
    private static final long STOP_TIMEOUT_MS = 5_000;
    private static final int INITIATE_TIMEOUT_S = 20;

    private final Netns ns;
    private final Path dir;
    private final Process charon;
    private final String swanctl;

    private StrongSwanPeer(Netns ns, Path dir, Process charon, String swanctl) {
        this.ns = ns;
        this.dir = dir;
        this.charon = charon;
        this.swanctl = swanctl;
    }

    /** Where the Debian package put charon, or null. */
    static String charonPath() {
        return CHARON.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
    }

    static String swanctlPath() {
        return SWANCTL.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
    }

    /** Skips (or fails, when lab tests are required) unless charon, swanctl and kernel-libipsec are installed. */
    public static void requireInstalled() {
        String charon = charonPath();
        if (charon == null) {
            Prerequisite.missing("strongSwan's charon is not installed (apt-get install strongswan-charon)");
        } else if (swanctlPath() == null) {
            Prerequisite.missing("strongSwan's swanctl is not installed (apt-get install strongswan-swanctl)");
        } else if (!Files.exists(Path.of(charon).resolveSibling("plugins/libstrongswan-kernel-libipsec.so"))) {
            Prerequisite.missing("strongSwan's kernel-libipsec plugin is missing (apt-get install libcharon-extra-plugins)");
        } else if (!Files.exists(Path.of("/dev/net/tun"))) {
            Prerequisite.missing("/dev/net/tun is missing (kernel-libipsec needs TUN)");
        }
    }

    /**
     * Starts charon in {@code ns} and loads {@code config}; the peer is closed with the network
     * (and may be closed before it).
     */
    public static StrongSwanPeer start(InteropNet net, Netns ns, SwanctlConfig config) {
        requireInstalled();
        Path dir;
        try {
            dir = Files.createTempDirectory("ia-swan-" + ns.name().substring(InteropNet.PREFIX.length()) + "-");
            Files.createDirectories(dir.resolve("run"));
            for (String d : CRED_DIRS) {
                Files.createDirectories(dir.resolve(d));
            }
            Files.writeString(dir.resolve("strongswan.conf"),
                    Template.render("strongswan/strongswan.conf", Map.of("DIR", dir.toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", ns.name(), "sh", "-c",
                "mount --bind \"$1/run\" /run && exec \"$2\"", "sh", dir.toString(), charonPath())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("charon.stdout").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("STRONGSWAN_CONF", dir.resolve("strongswan.conf").toString());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StrongSwanPeer peer = new StrongSwanPeer(ns, dir, p, swanctlPath());
        net.onClose(peer::close);
        try {
            peer.awaitSocket();
            peer.load(config);
        } catch (RuntimeException | Error e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    private void awaitSocket() {
        Path sock = dir.resolve("charon.vici");
        long end = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (!Files.exists(sock)) {
            if (!charon.isAlive() || System.currentTimeMillis() > end) {
                throw new AssertionError("charon in " + ns.name() + " did not come up: " + read("charon.stdout")
                        + "\n" + read("charon.log"));
            }
            pause(50);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** Replaces the loaded configuration (connections and secrets) with {@code config}. */
    public void load(SwanctlConfig config) {
        Path file = dir.resolve("swanctl.conf");
        try {
            Files.writeString(file, config.render());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Lab.must(swanctl("--load-all", "--clear", "--noprompt", "--file", file.toString()), "swanctl --load-all in " + ns.name());
    }

    /** Runs swanctl against this charon (from outside the namespace: the socket is a file). */
    public Lab.Result swanctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(swanctl));
        cmd.addAll(List.of(args));
        cmd.add("--uri");
        cmd.add("unix://" + dir.resolve("charon.vici"));
        return Lab.run(cmd.toArray(new String[0]));
    }

    /**
     * Initiates phase 1 and Quick Mode for {@code child} of {@code ike} and waits for the result
     * (swanctl prints "initiate completed successfully" or "initiate failed").
     */
    public Lab.Result initiate(String child, String ike) {
        return swanctl("--initiate", "--child", child, "--ike", ike, "--timeout", Integer.toString(INITIATE_TIMEOUT_S));
    }

    /** True when {@link #initiate} printed success. */
    public static boolean succeeded(Lab.Result initiate) {
        return initiate.status() == 0 && initiate.out().contains("initiate completed successfully");
    }

    /** The SAs charon holds now. */
    public List<SwanSa.Ike> listSas() {
        Lab.Result r = swanctl("--list-sas", "--pretty");
        Lab.must(r, "swanctl --list-sas in " + ns.name());
        return SwanSa.parse(r.out());
    }

    /** The IKE SA of connection {@code ike}, or an error with what charon holds. */
    public SwanSa.Ike ikeSa(String ike) {
        List<SwanSa.Ike> sas = listSas();
        return sas.stream().filter(s -> s.name().equals(ike)).findFirst()
                .orElseThrow(() -> new AssertionError("no IKE SA " + ike + " in " + ns.name() + ": " + sas));
    }

    /** Deletes the IKE SA (and its children), sending delete notifications. */
    public Lab.Result terminate(String ike) {
        return swanctl("--terminate", "--ike", ike, "--timeout", "5");
    }

    /** Deletes one child SA, sending a delete notification. */
    public Lab.Result terminateChild(String child) {
        return swanctl("--terminate", "--child", child, "--timeout", "5");
    }

    /** charon's log (IKE at level 4: includes SKEYID/Ka and ESP keys for decrypting captures). */
    public String log() {
        return read("charon.log");
    }

    public Path logFile() {
        return dir.resolve("charon.log");
    }

    /** The last {@code lines} lines of the log, for failure messages. */
    public String logTail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    public Path dir() {
        return dir;
    }

    public Netns namespace() {
        return ns;
    }

    public long pid() {
        return charon.pid();
    }

    private String read(String name) {
        try {
            Path f = dir.resolve(name);
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    /**
     * Kills charon by its pid with no chance to send Deletes, as a crash or a power cut would: a
     * peer then has only its liveness checks (DPD) to notice. The directory goes with {@link #close}.
     */
    public void kill() {
        charon.destroyForcibly();
        try {
            charon.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops charon by its pid (TERM, then KILL after 5 s) and removes its directory. */
    @Override
    public void close() {
        if (charon.isAlive()) {
            charon.destroy();
            try {
                if (!charon.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                    charon.destroyForcibly();
                    charon.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                charon.destroyForcibly();
            }
        }
        if (!Boolean.getBoolean("argate.interop.keep")) {
            deleteTree(dir);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a socket still bound or the like: the rest still goes
                }
            });
        } catch (IOException e) {
            // nothing more to do
        }
    }
}
