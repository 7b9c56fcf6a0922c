package io.argate.image.lab;

import io.argate.image.Options;
import io.argate.image.Router;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static io.argate.image.lab.Lab.in;
import static io.argate.image.lab.Lab.must;

/**
 * The one wiring of the two-router labs: argate routers A and B in this JVM, each with a TUN LAN
 * port (vlan1) in its own namespace holding a Linux host (A's LAN 192.168.10.0/24 with host
 * .5, B's 192.168.20.0/24 with host .7), and their eth1 ports joined by a WAN:
 * <ul>
 * <li>{@link Wan#UDP}: a udp port pair through a {@link WireTap} (A 10.0.0.1, B 10.0.0.2, one
 * /30), so a test sees every packet that crossed;</li>
 * <li>{@link Wan#TUN}: each eth1 a TUN device in a third namespace that routes between them
 * (Linux forwarding on): A 10.0.1.1 with the namespace at 10.0.1.2, B 10.0.2.1 with it at
 * 10.0.2.2, so the kernel forwards every packet argate puts on the wire.</li>
 * </ul>
 * Namespace and device names carry this JVM's pid so that two checkouts' labs can run at once.
 * {@link #close()} removes routers, namespaces and the tap whatever state the test left.
 */
final class RouterPair implements AutoCloseable {
    enum Wan { UDP, TUN }

    static final String HOST_A = "192.168.10.5";
    static final String HOST_B = "192.168.20.7";

    /** One router's addresses as its configuration needs them. */
    record Side(boolean isA, String lan, String peerLan, String wan, String peerWan, String gateway) {
        /** The router's LAN address (x.x.x.1). */
        String lanAddress() {
            return lan.substring(0, lan.length() - 1) + "1";
        }
    }

    private final Wan wan;
    private final String tag;
    final String lanA;
    final String lanB;
    /** The routing namespace between the routers ({@link Wan#TUN}), else null. */
    final String wanNs;
    /** A's and B's WAN TUN devices inside {@link #wanNs} ({@link Wan#TUN}). */
    final String wanDevA;
    final String wanDevB;
    private WireTap tap;
    private Router a;
    private Router b;

    private RouterPair(Wan wan, String name) {
        this.wan = wan;
        this.tag = name + Long.toString(ProcessHandle.current().pid() % 46656, 36);
        this.lanA = tag + "a";
        this.lanB = tag + "b";
        this.wanNs = wan == Wan.TUN ? tag + "w" : null;
        this.wanDevA = tag + "wa";
        this.wanDevB = tag + "wb";
    }

    /**
     * Builds the namespaces, boots both routers with their IP configuration (addresses, a default
     * route over eth1, IP enabled) and gives the hosts their addresses and default routes.
     * {@code name} (up to 6 letters) prefixes namespaces and devices.
     */
    static RouterPair open(Path dir, String name, Wan wan) throws Exception {
        Lab.requireRoot();
        RouterPair p = new RouterPair(wan, name);
        try {
            p.build(dir);
            return p;
        } catch (Exception | Error e) {
            p.close();
            throw e;
        }
    }

    private void build(Path dir) throws Exception {
        Lab.addNetns(lanA);
        Lab.addNetns(lanB);
        String ethA;
        String ethB;
        if (wan == Wan.UDP) {
            int pa = freeUdpPort();
            int pb = freeUdpPort();
            tap = new WireTap(pa, pb);
            ethA = "eth1 udp local=127.0.0.1:" + pa + " remote=127.0.0.1:" + tap.portA();
            ethB = "eth1 udp local=127.0.0.1:" + pb + " remote=127.0.0.1:" + tap.portB();
        } else {
            Lab.addNetns(wanNs);
            must(in(wanNs, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1"), "ip_forward in " + wanNs);
            ethA = "eth1 tun dev=" + wanDevA + " netns=" + wanNs + " mtu=1500";
            ethB = "eth1 tun dev=" + wanDevB + " netns=" + wanNs + " mtu=1500";
        }
        a = boot(dir, "a", "vlan1 tun dev=" + lanA + "0 netns=" + lanA + " mtu=1500\n" + ethA + "\n");
        b = boot(dir, "b", "vlan1 tun dev=" + lanB + "0 netns=" + lanB + " mtu=1500\n" + ethB + "\n");
        for (String line : ipConfig(side(true))) {
            IpLabTest.ok(a, line);
        }
        for (String line : ipConfig(side(false))) {
            IpLabTest.ok(b, line);
        }
        if (wan == Wan.TUN) {
            must(in(wanNs, "ip", "addr", "add", "10.0.1.2/30", "dev", wanDevA), "address on " + wanDevA);
            must(in(wanNs, "ip", "addr", "add", "10.0.2.2/30", "dev", wanDevB), "address on " + wanDevB);
        }
        host(lanA, lanA + "0", HOST_A + "/24", "192.168.10.1");
        host(lanB, lanB + "0", HOST_B + "/24", "192.168.20.1");
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    private static Router boot(Path dir, String name, String platform) throws Exception {
        Path file = dir.resolve(name + "-platform.txt");
        Files.writeString(file, platform);
        Router r = new Router(Options.parse("--data", dir.resolve(name).toString(), "--telnet", "off", "--platform", file.toString()),
                Clock.systemUTC(), 1000);
        r.boot();
        return r;
    }

    private static void host(String ns, String dev, String address, String gateway) {
        must(in(ns, "ip", "addr", "add", address, "dev", dev), "address in " + ns);
        must(in(ns, "ip", "route", "add", "default", "via", gateway), "route in " + ns);
    }

    Side side(boolean isA) {
        String wanA = wan == Wan.UDP ? "10.0.0.1" : "10.0.1.1";
        String wanB = wan == Wan.UDP ? "10.0.0.2" : "10.0.2.1";
        return isA ? new Side(true, "192.168.10.0", "192.168.20.0", wanA, wanB, wan == Wan.UDP ? wanB : "10.0.1.2")
                : new Side(false, "192.168.20.0", "192.168.10.0", wanB, wanA, wan == Wan.UDP ? wanA : "10.0.2.2");
    }

    private static List<String> ipConfig(Side s) {
        return List.of(
                "add ip int=vlan1 ip=" + s.lanAddress() + " mask=255.255.255.0",
                "add ip int=eth1 ip=" + s.wan() + " mask=255.255.255.252",
                "add ip route=0.0.0.0 mask=0.0.0.0 int=eth1 next=" + s.gateway(),
                "enable ip");
    }

    Router a() {
        return a;
    }

    Router b() {
        return b;
    }

    Router router(boolean isA) {
        return isA ? a : b;
    }

    /** The tap on the udp wire ({@link Wan#UDP}), else null. */
    WireTap tap() {
        return tap;
    }

    /** Runs {@code lines} on router A or B, each of which must succeed. */
    void configure(boolean isA, List<String> lines) {
        for (String line : lines) {
            IpLabTest.ok(router(isA), line);
        }
    }

    /**
     * The host behind A (or B) pings the other host: {@code count} requests 0.2 s apart, each
     * answered within 2 s, with {@code extra} ping options (-s 1400 ...).
     */
    Lab.Result ping(boolean fromA, int count, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("ping", "-n", "-c", Integer.toString(count), "-i", "0.2", "-W", "2"));
        cmd.addAll(List.of(extra));
        cmd.add(fromA ? HOST_B : HOST_A);
        return in(fromA ? lanA : lanB, cmd.toArray(new String[0]));
    }

    @Override
    public void close() {
        for (Router r : new Router[]{a, b}) {
            if (r != null) {
                try {
                    r.close();
                } catch (RuntimeException e) {
                    // keep cleaning up
                }
            }
        }
        if (tap != null) {
            tap.close();
        }
        Lab.delNetns(lanA);
        Lab.delNetns(lanB);
        if (wanNs != null) {
            Lab.delNetns(wanNs);
        }
    }
}
