package io.argate.image.interop;

import io.argate.image.lab.Lab;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private Libreswan 4.10 pluto in one namespace of an {@link InteropNet}, controlled with whack
 * over its own control socket.
 * <p>
 * Debian's libreswan package conflicts with strongSwan's, so the harness does not install it:
 * {@code .ci/run} unpacks the .deb into {@link #DEFAULT_ROOT} (override with
 * {@code -Dargate.libreswan.root=DIR}; {@code /} when it is installed normally). pluto runs
 * programs from {@code /usr/libexec/ipsec} by compiled-in path, so that tree is bind-mounted over
 * {@code /usr/libexec} inside the mount namespace {@code ip netns exec} gives the daemon.
 * ipsec.conf, ipsec.secrets, the NSS database, control socket, pid file and pluto.log live in
 * an {@code ia-lsw-*} directory. This kernel has no ESP in XFRM, so Quick Mode cannot install
 * SAs: tests assert phase 1 and that Quick Mode messages are exchanged.
 * <p>
 * Configuration parameters (template {@code interop/libreswan/main-psk.conf}): CONN, LOCAL,
 * LOCAL_ID, LOCAL_TS, REMOTE ({@code %any} on a responder), REMOTE_ID, REMOTE_TS,
 * IKE_PROPOSALS and ESP_PROPOSALS (Libreswan syntax, e.g. {@code aes128-sha1;modp2048}),
 * AGGRESSIVE, ENCAP (yes forces NAT-T), PSK.
 */
public final class LibreswanPeer implements AutoCloseable {
    public static final String DEFAULT_ROOT = "/opt/argate-interop/libreswan";
    /** The connection name the template uses. */
    public static final String CONN = "ia";
    private static final long START_TIMEOUT_MS = 10_000;
    private static final long STOP_TIMEOUT_MS = 5_000;

    private final Netns ns;
    private final Path dir;
    private final Process pluto;
    private final String root;

    private LibreswanPeer(Netns ns, Path dir, Process pluto, String root) {
        this.ns = ns;
        this.dir = dir;
        this.pluto = pluto;
        this.root = root;
    }

    /** The tree holding usr/libexec/ipsec/pluto, or null. */
    static String root() {
        String configured = System.getProperty("argate.libreswan.root");
        for (String r : configured != null ? List.of(configured) : List.of(DEFAULT_ROOT, "/")) {
            if (Files.isExecutable(Path.of(r, "usr/libexec/ipsec/pluto"))) {
                return r;
            }
        }
        return null;
    }

    /** Skips (or fails, when lab tests are required) unless pluto and NSS's certutil are there. */
    public static void requireInstalled() {
        if (root() == null) {
            Prerequisite.missing("Libreswan's pluto is not unpacked in " + DEFAULT_ROOT + " (see .ci/run)");
        } else if (Lab.run("certutil", "-H").out().isEmpty()) {
            Prerequisite.missing("NSS's certutil is missing (apt-get install libnss3-tools)");
        }
    }

    /** Default parameters for a Main Mode PSK gateway in a {@link Topology}. */
    public static Map<String, String> gateway(Topology.Side self, Topology.Side other) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("CONN", CONN);
        v.put("LOCAL", self.wan());
        v.put("LOCAL_ID", self.wan());
        v.put("LOCAL_TS", self.lanSubnet());
        v.put("REMOTE", other.seenAs());
        v.put("REMOTE_ID", "%any");
        v.put("REMOTE_TS", other.lanSubnet());
        v.put("IKE_PROPOSALS", "aes128-sha1;modp2048");
        v.put("ESP_PROPOSALS", "aes128-sha1;modp2048");
        v.put("AGGRESSIVE", "no");
        v.put("ENCAP", "no");
        v.put("PSK", SwanctlConfig.DEFAULT_PSK);
        return v;
    }

    /** Starts pluto in {@code ns} with the rendered configuration (connection added, not started). */
    public static LibreswanPeer start(InteropNet net, Netns ns, Map<String, String> params) {
        requireInstalled();
        String root = root();
        Path dir;
        try {
            dir = Files.createTempDirectory("ia-lsw-" + ns.name().substring(InteropNet.PREFIX.length()) + "-");
            Files.createDirectories(dir.resolve("run"));
            Files.createDirectories(dir.resolve("nss"));
            Files.writeString(dir.resolve("ipsec.conf"), Template.render("libreswan/main-psk.conf", params));
            Files.writeString(dir.resolve("ipsec.secrets"), Template.render("libreswan/ipsec.secrets", params));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Lab.must(Lab.run("certutil", "-N", "-d", "sql:" + dir.resolve("nss"), "--empty-password"), "NSS database for pluto");
        String d = dir.toString();
        // --config first: later options override what it sets
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns.name(), "sh", "-c",
                "[ \"$1\" = / ] || mount --bind \"$1/usr/libexec\" /usr/libexec || exit 1; shift; exec \"$@\"", "sh", root,
                "/usr/libexec/ipsec/pluto", "--config", d + "/ipsec.conf", "--nofork", "--rundir", d + "/run",
                "--dumpdir", d + "/run", "--nssdir", d + "/nss", "--secretsfile", d + "/ipsec.secrets",
                "--ipsecdir", d, "--no-dnssec", "--logfile", d + "/pluto.log"));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("pluto.stdout").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LibreswanPeer peer = new LibreswanPeer(ns, dir, p, root);
        net.onClose(peer::close);
        try {
            peer.awaitConnection();
        } catch (RuntimeException | Error e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    private void awaitConnection() {
        long end = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (!status().contains("\"" + CONN + "\":")) {
            if (!pluto.isAlive() || System.currentTimeMillis() > end) {
                throw new AssertionError("pluto in " + ns.name() + " did not load its connection:\n" + read("pluto.stdout")
                        + "\n" + log());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    /** Runs whack against this pluto. */
    public Lab.Result whack(String... args) {
        List<String> cmd = new ArrayList<>(List.of(root + "/usr/libexec/ipsec/whack", "--ctlsocket", dir + "/run/pluto.ctl"));
        cmd.addAll(List.of(args));
        return Lab.run(cmd.toArray(new String[0]));
    }

    /** Starts Main (or Aggressive) Mode and Quick Mode for the connection; returns at once. */
    public Lab.Result initiate() {
        return whack("--initiate", "--asynchronous", "--name", CONN);
    }

    public Lab.Result terminate() {
        return whack("--terminate", "--name", CONN);
    }

    /** {@code whack --status}: connections and states (STATE_MAIN_I4 / R3 once phase 1 is up). */
    public String status() {
        return whack("--status").out();
    }

    /**
     * True when pluto holds an established ISAKMP SA (phase 1 complete, either role): 4.10 shows
     * it as {@code STATE_MAIN_I4 (IKE SA established)} (R3 as responder, AGGR_I2/R2 in
     * Aggressive Mode).
     */
    public boolean phaseOneEstablished() {
        return status().contains("(IKE SA established)");
    }

    public String log() {
        return read("pluto.log");
    }

    public long pid() {
        return pluto.pid();
    }

    private String read(String name) {
        try {
            Path f = dir.resolve(name);
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    /** Stops pluto by its pid and removes its directory (kept with -Dargate.interop.keep=true). */
    @Override
    public void close() {
        if (pluto.isAlive()) {
            pluto.destroy();
            try {
                if (!pluto.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                    pluto.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pluto.destroyForcibly();
            }
        }
        if (!Boolean.getBoolean("argate.interop.keep")) {
            StrongSwanPeer.deleteTree(dir);
        }
    }
}
