package io.argate.image.lab;

import io.argate.image.Options;
import io.argate.image.Router;
import io.argate.shell.cmd.Privilege;
import io.argate.shell.session.Session;
import io.argate.shell.session.SessionKind;
import io.argate.shell.testing.BufferIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static io.argate.image.lab.Lab.in;
import static io.argate.image.lab.Lab.must;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lab: Linux hosts in namespaces lanA and lanB, argate between them on real TUN
 * devices (vlan1 in lanA, eth0 in lanB with a 1,280-byte MTU), configured through its shell.
 */
class IpLabTest {
    @TempDir
    Path data;

    static void ok(Router r, String line) {
        BufferIo io = new BufferIo(false);
        Session s = new Session(1, SessionKind.BATCH, io);
        s.login("manager", Privilege.MANAGER, Clock.systemUTC().instant());
        if (!r.shell().processor().execute(s, line)) {
            throw new AssertionError(line + " -> " + io.text());
        }
    }

    static String output(Router r, String line) {
        BufferIo io = new BufferIo(false);
        Session s = new Session(1, SessionKind.BATCH, io);
        s.login("manager", Privilege.MANAGER, Clock.systemUTC().instant());
        r.shell().processor().execute(s, line);
        return io.text();
    }

    @Test
    void hostsPingTheRouterAndEachOtherThroughIt() throws Exception {
        Lab.requireRoot();
        Lab.addNetns("lanA");
        Lab.addNetns("lanB");
        Path platform = data.resolve("platform.txt");
        Files.writeString(platform, "vlan1 tun dev=lana0 netns=lanA mtu=1500\neth0 tun dev=lanb0 netns=lanB mtu=1280\n");
        Router r = null;
        try {
            r = new Router(Options.parse("--data", data.resolve("d").toString(), "--telnet", "off", "--platform", platform.toString()),
                    Clock.systemUTC(), 1000);
            r.boot();
            ok(r, "add ip int=vlan1 ip=192.168.10.1 mask=255.255.255.0");
            ok(r, "add ip int=eth0 ip=192.168.20.1 mask=255.255.255.0");
            ok(r, "enable ip");
            must(in("lanA", "ip", "addr", "add", "192.168.10.5/24", "dev", "lana0"), "address in lanA");
            must(in("lanA", "ip", "route", "add", "default", "via", "192.168.10.1"), "route in lanA");
            must(in("lanB", "ip", "addr", "add", "192.168.20.7/24", "dev", "lanb0"), "address in lanB");
            must(in("lanB", "ip", "route", "add", "default", "via", "192.168.20.1"), "route in lanB");

            must(in("lanA", "ping", "-c", "2", "-W", "2", "192.168.10.1"), "host A pings the router");
            must(in("lanB", "ping", "-c", "2", "-W", "2", "192.168.20.1"), "host B pings the router");
            must(in("lanA", "ping", "-c", "3", "-W", "2", "192.168.20.7"), "host A pings host B through the router");
            must(in("lanB", "ping", "-c", "3", "-W", "2", "192.168.10.5"), "host B pings host A through the router");
            must(in("lanA", "ping", "-c", "2", "-W", "3", "-s", "3000", "192.168.20.7"), "a 3000-byte ping across the 1280-byte MTU link");
            assertTrue(r.forwarder().counters().fragmentsCreated.sum() > 0, "argate fragmented for the 1280 link");
            Lab.Result ttl = in("lanA", "ping", "-c", "1", "-W", "2", "-t", "1", "192.168.20.7");
            assertTrue(ttl.out().contains("Time to live exceeded"), ttl.out());
            assertEquals(1, r.forwarder().counters().drops(io.argate.ip.forward.DropReason.TTL_EXCEEDED));

            // the eth0 TUN device is deleted from outside: the port goes down, the router keeps going
            must(in("lanB", "ip", "link", "del", "lanb0"), "delete lanb0");
            Thread.sleep(500);
            in("lanA", "ping", "-c", "1", "-W", "1", "192.168.20.7");
            must(in("lanA", "ping", "-c", "2", "-W", "2", "192.168.10.1"), "host A still reaches the router");
            assertTrue(r.forwarder().counters().drops(io.argate.ip.forward.DropReason.PORT_DOWN) >= 1,
                    "traffic to the lost port is dropped and counted");
            String ports = output(r, "show port");
            assertTrue(ports.lines().anyMatch(l -> l.startsWith("eth0") && l.contains("Down")), ports);
        } finally {
            if (r != null) {
                r.close();
            }
            Lab.delNetns("lanA");
            Lab.delNetns("lanB");
        }
    }
}
