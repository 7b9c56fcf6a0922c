package io.argate.image.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.argate.image.lab.Lab.in;
import static io.argate.image.lab.Lab.must;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two argate processes (./argate in service mode, each booted from its own script) wired by a
 * udp port pair on loopback, each with a TUN LAN in its own namespace: host C pings host D
 * across both routers, then both stop cleanly on SIGTERM.
 */
class TwoRoutersLabTest {
    @TempDir
    Path data;

    static Path repo() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isExecutable(p.resolve("argate"))) {
            p = p.getParent();
        }
        return p;
    }

    Process start(String name, String platform, String script) throws Exception {
        Path dir = Files.createDirectories(data.resolve(name));
        Files.writeString(dir.resolve("platform.txt"), platform);
        Files.writeString(dir.resolve(name + ".cfg"), script);
        return new ProcessBuilder(repo().resolve("argate").toString(), "--data", dir.resolve("data").toString(), "--telnet", "off",
                "--platform", dir.resolve("platform.txt").toString(), "--config", dir.resolve(name + ".cfg").toString())
                .directory(repo().toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    }

    static void waitForDevice(String netns, String dev) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (in(netns, "ip", "link", "show", dev).status() == 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(dev + " did not appear in " + netns);
    }

    @Test
    void twoArgateProcessesOnAUdpWireForwardBetweenTheirLans() throws Exception {
        Lab.requireRoot();
        // build the image (if it is stale) before two launchers start at once
        Lab.must(Lab.run(repo().resolve("argate").toString(), "--help"), "./argate --help");
        Lab.addNetns("lanC");
        Lab.addNetns("lanD");
        Process a = null;
        Process b = null;
        try {
            a = start("rta", "vlan1 tun dev=lanc0 netns=lanC\neth1 udp local=127.0.0.1:40101 remote=127.0.0.1:40102\n",
                    "add ip int=vlan1 ip=172.16.1.1 mask=255.255.255.0\nadd ip int=eth1 ip=10.0.0.1 mask=255.255.255.252\n"
                            + "add ip route=172.16.2.0 mask=255.255.255.0 int=eth1 next=10.0.0.2\nenable ip\n");
            b = start("rtb", "vlan1 tun dev=land0 netns=lanD\neth1 udp local=127.0.0.1:40102 remote=127.0.0.1:40101\n",
                    "add ip int=vlan1 ip=172.16.2.1 mask=255.255.255.0\nadd ip int=eth1 ip=10.0.0.2 mask=255.255.255.252\n"
                            + "add ip route=172.16.1.0 mask=255.255.255.0 int=eth1 next=10.0.0.1\nenable ip\n");
            waitForDevice("lanC", "lanc0");
            waitForDevice("lanD", "land0");
            must(in("lanC", "ip", "addr", "add", "172.16.1.5/24", "dev", "lanc0"), "address in lanC");
            must(in("lanC", "ip", "route", "add", "default", "via", "172.16.1.1"), "route in lanC");
            must(in("lanD", "ip", "addr", "add", "172.16.2.7/24", "dev", "land0"), "address in lanD");
            must(in("lanD", "ip", "route", "add", "default", "via", "172.16.2.1"), "route in lanD");
            Lab.Result ping = null;
            for (int i = 0; i < 20; i++) {
                ping = in("lanC", "ping", "-c", "3", "-W", "2", "172.16.2.7");
                if (ping.status() == 0) {
                    break;
                }
                Thread.sleep(500);
            }
            assertEquals(0, ping.status(), "host C pings host D across two argate processes: " + ping.out());
            must(in("lanD", "ping", "-c", "2", "-W", "2", "10.0.0.1"), "host D pings router A's wire address");
            a.toHandle().destroy();
            b.toHandle().destroy();
            a.waitFor(30, TimeUnit.SECONDS);
            b.waitFor(30, TimeUnit.SECONDS);
        } finally {
            for (Process p : new Process[]{a, b}) {
                if (p != null && p.isAlive()) {
                    p.destroyForcibly();
                }
            }
            Lab.delNetns("lanC");
            Lab.delNetns("lanD");
        }
    }
}
