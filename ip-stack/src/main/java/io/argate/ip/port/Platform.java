package io.argate.ip.port;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the appliance's ports from the platform file's specs, or the AR410's own ports
 * unconnected when there is none (the WAN Ethernet eth0 and the LAN switch vlan1).
 */
public final class Platform {
    /** The AR410's IP-capable ports. */
    public static final List<String> AR410_PORTS = List.of("eth0", "vlan1");

    private Platform() {
    }

    public static Map<String, Port> defaults() {
        Map<String, Port> out = new LinkedHashMap<>();
        for (String p : AR410_PORTS) {
            out.put(p, new NonePort(p));
        }
        return out;
    }

    /** Opens every port of the specs; a port that cannot be opened is an error naming it. */
    public static Map<String, Port> open(List<PortSpec> specs) {
        Map<String, Port> out = new LinkedHashMap<>();
        try {
            for (PortSpec s : specs) {
                int mtu = Integer.parseInt(s.options().getOrDefault("mtu", "1500"));
                Port p = switch (s.driver()) {
                    case "mem" -> new MemPort(s.name(), s.options().get("link"), mtu);
                    case "udp" -> new UdpPort(s.name(), endpoint(s.options().get("local")), endpoint(s.options().get("remote")), mtu,
                            true, !"off".equals(s.options().get("offload")));
                    case "tun" -> TunPort.open(s.name(), s.options().get("dev"), s.options().get("netns"), mtu,
                            Integer.parseInt(s.options().getOrDefault("queues", "1")), !"off".equals(s.options().get("offload")),
                            !"syscall".equals(s.options().get("io")),
                            Integer.parseInt(s.options().getOrDefault("txqueuelen", Integer.toString(TunPort.HOST_QUEUE))));
                    default -> throw new IllegalArgumentException("unknown driver " + s.driver());
                };
                out.put(s.name(), p);
            }
            return out;
        } catch (RuntimeException e) {
            out.values().forEach(Port::close);
            throw e;
        }
    }

    private static InetSocketAddress endpoint(String v) {
        int c = v.lastIndexOf(':');
        return new InetSocketAddress(v.substring(0, c), Integer.parseInt(v.substring(c + 1)));
    }
}
