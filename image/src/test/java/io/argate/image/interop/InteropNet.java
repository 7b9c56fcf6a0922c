package io.argate.image.interop;

import io.argate.image.lab.Lab;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.argate.image.lab.Lab.must;
import static io.argate.image.lab.Lab.run;

/**
 * The interop lab's network: Linux network namespaces, veth pairs, addresses, routes and an
 * optional masquerading NAT, all created by one test and all removed by {@link #close()}.
 * <p>
 * Every name starts with {@code ia-<pid>-<n>} (this JVM's pid and a per-JVM counter, base 36) so
 * that several checkouts' labs never clash, and so that {@link #open} can remove namespaces a
 * killed JVM left behind: a namespace whose owning pid no longer runs is stale. Namespace names
 * stay short enough that the device names built from them fit Linux's 15 characters.
 * <p>
 * Cleanup runs in reverse order of creation, from {@link #close()} (tests use try-with-resources)
 * and, as a backstop for a JVM that exits without closing, from a shutdown hook.
 */
public final class InteropNet implements AutoCloseable {
    /** Every name this harness creates starts with this. */
    public static final String PREFIX = "ia-";
    private static final Pattern OWNED = Pattern.compile("^" + PREFIX + "([0-9a-z]+)-[0-9a-z]+");
    private static final AtomicInteger SERIAL = new AtomicInteger();
    /** Linux's IFNAMSIZ less the terminating NUL. */
    private static final int MAX_IFNAME = 15;

    private final String tag;
    private final Deque<Runnable> undo = new ArrayDeque<>();
    private final Thread hook;
    private boolean closed;

    private InteropNet(String tag) {
        this.tag = tag;
        this.hook = new Thread(this::cleanup, tag + "cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * A fresh lab network. Skips the test (or fails it when {@code ARGATE_LAB_REQUIRED=true})
     * unless this runs as root with iproute2; removes stale {@code ia-} namespaces first.
     */
    public static InteropNet open() {
        Lab.requireRoot();
        removeStale();
        long pid = ProcessHandle.current().pid();
        String tag = PREFIX + Long.toString(pid, 36) + "-" + Integer.toString(SERIAL.getAndIncrement() % 36, 36);
        return new InteropNet(tag);
    }

    /** Deletes {@code ia-} namespaces whose creating JVM is gone (it was killed before cleanup). */
    static void removeStale() {
        for (String line : run("ip", "netns", "list").out().split("\n")) {
            String name = line.split(" ")[0].trim();
            Matcher m = OWNED.matcher(name);
            if (!m.find()) {
                continue;
            }
            long owner;
            try {
                owner = Long.parseLong(m.group(1), 36);
            } catch (NumberFormatException e) {
                continue;
            }
            if (ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            killAll(name);
            run("ip", "netns", "del", name);
        }
    }

    /** {@code ia-<pid>-<n>}: the prefix of every name in this network. */
    public String tag() {
        return tag;
    }

    /** The full name for {@code suffix}: {@code ia-<pid>-<n><suffix>}, at most 15 characters. */
    public String name(String suffix) {
        String n = tag + suffix;
        if (n.length() > MAX_IFNAME) {
            throw new IllegalArgumentException("name too long for a Linux device: " + n);
        }
        return n;
    }

    /**
     * A new namespace {@code name(suffix)} with lo up, IPv4 reverse-path filtering off (LAN
     * addresses live on lo and arrive through tunnels) and IPv6 off (keeps router solicitations
     * out of captures and peer logs).
     */
    public Netns namespace(String suffix) {
        Netns ns = new Netns(name(suffix));
        run("ip", "netns", "del", ns.name());
        must(run("ip", "netns", "add", ns.name()), "ip netns add " + ns.name());
        undo.push(() -> {
            killAll(ns.name());
            run("ip", "netns", "del", ns.name());
        });
        ns.must("lo up", "ip", "link", "set", "lo", "up");
        ns.must("sysctls", "sysctl", "-q", "-w",
                "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0",
                "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        return ns;
    }

    /**
     * A veth pair between two namespaces: {@code a}'s end named {@code name(aSuffix)} with
     * address {@code aCidr}, {@code b}'s end {@code name(bSuffix)} with {@code bCidr}, both up.
     * Deleting either namespace deletes the pair.
     */
    public void veth(Netns a, String aSuffix, String aCidr, Netns b, String bSuffix, String bCidr) {
        String ia = name(aSuffix);
        String ib = name(bSuffix);
        must(run("ip", "link", "add", ia, "netns", a.name(), "type", "veth", "peer", "name", ib, "netns", b.name()),
                "veth " + ia + " <-> " + ib);
        a.address(ia, aCidr);
        b.address(ib, bCidr);
        a.must("link up", "ip", "link", "set", ia, "up");
        b.must("link up", "ip", "link", "set", ib, "up");
    }

    /** Makes {@code ns} a masquerading NAT router: forwarding on, MASQUERADE out {@code outDev}. */
    public void masquerade(Netns ns, String outDev) {
        ns.forwarding();
        ns.must("masquerade", "iptables", "-t", "nat", "-A", "POSTROUTING", "-o", outDev, "-j", "MASQUERADE");
    }

    /** Registers more cleanup (a peer's stop) to run before the namespaces are removed. */
    public void onClose(Runnable r) {
        undo.push(r);
    }

    /** Kills (by pid) whatever still runs in a namespace this harness made. */
    private static void killAll(String ns) {
        List<Long> pids = pids(ns);
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(p -> {
                try {
                    p.onExit().get(3, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            });
        }
    }

    private static List<Long> pids(String ns) {
        List<Long> pids = new ArrayList<>();
        for (String s : run("ip", "netns", "pids", ns).out().split("\\s+")) {
            if (s.matches("\\d+")) {
                pids.add(Long.parseLong(s));
            }
        }
        return pids;
    }

    private synchronized void cleanup() {
        if (closed) {
            return;
        }
        closed = true;
        while (!undo.isEmpty()) {
            try {
                undo.pop().run();
            } catch (RuntimeException | Error e) {
                // keep cleaning: one failed step must not leave the rest behind
            }
        }
    }

    @Override
    public void close() {
        cleanup();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is this cleanup
        }
    }
}
