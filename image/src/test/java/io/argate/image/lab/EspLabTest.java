package io.argate.image.lab;

import io.argate.image.Options;
import io.argate.image.Router;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static io.argate.image.lab.IpLabTest.ok;
import static io.argate.image.lab.IpLabTest.output;
import static io.argate.image.lab.Lab.in;
import static io.argate.image.lab.Lab.must;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's manual-key example end to end: two argate routers joined by a udp wire, each with a
 * TUN LAN in its own namespace holding a Linux host, an ESP tunnel (DES/SHA1 with the seed's
 * keys and SPIs 1000/1001) between the LANs, and the hosts pinging each other through it.
 */
class EspLabTest {
    @TempDir
    Path data;

    static List<String> config(boolean a) {
        String lan = a ? "192.168.10" : "192.168.20";
        String peerLan = a ? "192.168.20" : "192.168.10";
        return List.of(
                "create enco key=1 type=des value=0xf888cac6c66ecf52",
                "create enco key=2 type=general value=0x431d62cd3cb76fb8101dacaf43aa4dbfb919e957",
                "add ip int=vlan1 ip=" + lan + ".1 mask=255.255.255.0",
                "add ip int=eth1 ip=10.0.0." + (a ? 1 : 2) + " mask=255.255.255.252",
                "add ip route=" + peerLan + ".0 mask=255.255.255.0 int=eth1 next=10.0.0." + (a ? 2 : 1),
                "enable ip",
                "create ipsec sas=1 key=manual prot=esp encalg=des enckey=1 hashalg=sha hashkey=2 inspi=" + (a ? 1000 : 1001)
                        + " outspi=" + (a ? 1001 : 1000) + " antireplay=yes",
                "create ipsec bundle=1 key=manual string=\"1\"",
                "create ipsec policy=vpn int=eth1 action=ipsec key=manual bundle=1 peer=10.0.0." + (a ? 2 : 1),
                "set ipsec policy=vpn lad=" + lan + ".0 lma=255.255.255.0 rad=" + peerLan + ".0 rma=255.255.255.0",
                "create ipsec policy=inet int=eth1 action=permit",
                "enable ipsec");
    }

    @Test
    void hostsPingEachOtherThroughAnEspTunnelBetweenTwoRouters() throws Exception {
        Lab.requireRoot();
        Lab.addNetns("lanE");
        Lab.addNetns("lanF");
        Path pa = data.resolve("a.txt");
        Path pb = data.resolve("b.txt");
        Files.writeString(pa, "vlan1 tun dev=lane0 netns=lanE\neth1 udp local=127.0.0.1:40201 remote=127.0.0.1:40202\n");
        Files.writeString(pb, "vlan1 tun dev=lanf0 netns=lanF\neth1 udp local=127.0.0.1:40202 remote=127.0.0.1:40201\n");
        Router a = null;
        Router b = null;
        try {
            a = new Router(Options.parse("--data", data.resolve("da").toString(), "--telnet", "off", "--platform", pa.toString()), Clock.systemUTC(), 1000);
            b = new Router(Options.parse("--data", data.resolve("db").toString(), "--telnet", "off", "--platform", pb.toString()), Clock.systemUTC(), 1000);
            a.boot();
            b.boot();
            for (String line : config(true)) {
                ok(a, line);
            }
            for (String line : config(false)) {
                ok(b, line);
            }
            must(in("lanE", "ip", "addr", "add", "192.168.10.5/24", "dev", "lane0"), "address in lanE");
            must(in("lanE", "ip", "route", "add", "default", "via", "192.168.10.1"), "route in lanE");
            must(in("lanF", "ip", "addr", "add", "192.168.20.7/24", "dev", "lanf0"), "address in lanF");
            must(in("lanF", "ip", "route", "add", "default", "via", "192.168.20.1"), "route in lanF");
            must(in("lanE", "ping", "-c", "3", "-W", "2", "192.168.20.7"), "host E pings host F through the ESP tunnel");
            must(in("lanF", "ping", "-c", "2", "-W", "2", "-s", "1200", "192.168.10.5"), "and back, with larger packets");
            String counters = output(a, "show ipsec counters");
            assertTrue(counters.lines().anyMatch(l -> l.contains("outProtected") && !l.trim().endsWith(" 0")), counters);
            String sa = output(b, "show ipsec sa=0");
            assertTrue(sa.contains("Inbound SPI ........................ 1001"), sa);
            assertTrue(sa.lines().anyMatch(l -> l.startsWith("Inbound packets") && !l.trim().endsWith(" 0")), sa);
        } finally {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
            Lab.delNetns("lanE");
            Lab.delNetns("lanF");
        }
    }
}
