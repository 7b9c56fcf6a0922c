package io.argate.image.interop;

import io.argate.image.lab.Lab;

import java.util.ArrayList;
import java.util.List;

/** One network namespace of an {@link InteropNet}: commands run inside it. */
public record Netns(String name) {

    /** Runs a command in this namespace. */
    public Lab.Result exec(String... cmd) {
        return Lab.in(name, cmd);
    }

    /** Runs a command in this namespace that must succeed; {@code what} names it in the failure. */
    public void must(String what, String... cmd) {
        Lab.must(exec(cmd), what + " in " + name);
    }

    public void address(String dev, String cidr) {
        must("address " + cidr + " on " + dev, "ip", "addr", "add", cidr, "dev", dev);
    }

    /** A route to {@code dest} ("default" or a prefix) via a gateway. */
    public void route(String dest, String via) {
        must("route " + dest + " via " + via, "ip", "route", "add", dest, "via", via);
    }

    /** Puts a LAN address on lo, the way a gateway's protected network is modelled here. */
    public void loopbackLan(String cidr) {
        address("lo", cidr);
    }

    public void forwarding() {
        must("ip_forward", "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
    }

    /**
     * Pings {@code to} from source address {@code from}: {@code count} requests 0.3 s apart, each
     * answered within 2 s. Through a tunnel the first request can race the responder's SA install
     * after Quick Mode, so callers ask for a few and accept some loss.
     */
    public Lab.Result ping(String from, String to, int count) {
        List<String> cmd = new ArrayList<>(List.of("ping", "-n", "-c", Integer.toString(count), "-i", "0.3", "-W", "2"));
        if (from != null) {
            cmd.addAll(List.of("-I", from));
        }
        cmd.add(to);
        return exec(cmd.toArray(new String[0]));
    }

    /** How many echo replies a ping's output reports. */
    public static int received(Lab.Result ping) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) received").matcher(ping.out());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
