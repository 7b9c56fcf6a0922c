package io.argate.ip.port;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads the drop counts the host keeps for a port's device or socket (for SHOW PORT; read on
 * demand, never on the data path): a network device's statistics in sysfs, and a UDP socket's
 * line in /proc/net/udp. A figure that cannot be read is left out (null), never guessed.
 */
final class HostStatistics {
    private HostStatistics() {
    }

    /**
     * A TUN device's rx_dropped and tx_dropped. The kernel counts from its own side: its
     * tx_dropped are packets it could not queue to argate (argate's receive losses), its
     * rx_dropped are packets argate wrote that it threw away. A device in another namespace is
     * read inside it ({@code ip netns exec} mounts that namespace's sysfs).
     */
    static HostDrops tun(String dev, String netns) {
        String dir = "/sys/class/net/" + dev + "/statistics/";
        String out;
        if (netns == null) {
            try {
                out = Files.readString(Path.of(dir + "tx_dropped")) + Files.readString(Path.of(dir + "rx_dropped"));
            } catch (IOException e) {
                return null;
            }
        } else {
            out = run(List.of("ip", "netns", "exec", netns, "cat", dir + "tx_dropped", dir + "rx_dropped"));
            if (out == null) {
                return null;
            }
        }
        String[] v = out.strip().split("\\s+");
        try {
            return new HostDrops(Long.parseLong(v[0]), Long.parseLong(v[1]), "Linux " + dev + " tx_dropped/rx_dropped");
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The drops column of the UDP socket bound to {@code local}, from /proc/net/udp (the host counts no send drops there). */
    static HostDrops udp(InetSocketAddress local) {
        try {
            return udp(Files.readString(Path.of("/proc/net/udp")), local);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The drops of {@code local}'s socket in a /proc/net/udp text: the local address is the
     * address's four bytes as one hex number in the host's (little-endian) order, then the port.
     */
    static HostDrops udp(String procNetUdp, InetSocketAddress local) {
        byte[] a = local.getAddress().getAddress();
        int addr = ((a[3] & 0xff) << 24) | ((a[2] & 0xff) << 16) | ((a[1] & 0xff) << 8) | (a[0] & 0xff);
        String want = String.format("%08X:%04X", addr, local.getPort());
        String any = String.format("%08X:%04X", 0, local.getPort());
        for (String line : procNetUdp.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 13 && (f[1].equalsIgnoreCase(want) || f[1].equalsIgnoreCase(any))) {
                try {
                    return new HostDrops(Long.parseLong(f[f.length - 1]), -1, "/proc/net/udp drops");
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
