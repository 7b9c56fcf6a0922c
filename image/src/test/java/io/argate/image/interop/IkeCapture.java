package io.argate.image.interop;

import io.argate.image.lab.Lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * tshark in a peer's namespace recording the ISAKMP datagrams on UDP 500 and 4500 (ESP in UDP and
 * NAT keepalives left out), then read back as one {@link Datagram} per frame with its UDP payload
 * exactly as it crossed (on 4500 with its non-ESP marker). The IKEv1 corpus for the mutation
 * tests is made of these ({@link Ikev1CorpusLabTest}).
 */
final class IkeCapture implements AutoCloseable {
    /** One captured datagram: who sent it (by address), the ports, the UDP payload. */
    record Datagram(String source, int sourcePort, String destination, int destinationPort, String payloadHex) {
    }

    private final Process tshark;
    private final Path file;
    private final Path log;

    private IkeCapture(Process tshark, Path file, Path log) {
        this.tshark = tshark;
        this.file = file;
        this.log = log;
    }

    static IkeCapture start(Netns ns, Path file) throws Exception {
        Path log = file.resolveSibling(file.getFileName() + ".log");
        Process p = new ProcessBuilder("ip", "netns", "exec", ns.name(), Lab.TSHARK, "-n", "-i", "any", "-f", "udp port 500 or udp port 4500",
                "-w", file.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        IkeCapture c = new IkeCapture(p, file, log);
        for (int i = 0; i < 300; i++) {
            if (Files.readString(log).contains("Capturing on")) {
                return c;
            }
            if (!p.isAlive()) {
                throw new AssertionError("tshark in " + ns.name() + " exited: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        c.close();
        throw new AssertionError("tshark did not start: " + Files.readString(log));
    }

    /**
     * Stops tshark and reads the ISAKMP datagrams in order. libpcap's TPACKET_V3 ring hands
     * packets to dumpcap a block at a time, when the block fills or its timeout (about a second)
     * passes, so the last exchange's packets may not have left the kernel yet when the scenario
     * ends: wait past that timeout, then stop with SIGINT (as Ctrl-C: dumpcap drains and closes
     * the file) rather than killing it.
     */
    List<Datagram> stop() throws Exception {
        Thread.sleep(2_500);
        if (tshark.isAlive()) {
            new ProcessBuilder("kill", "-INT", Long.toString(tshark.pid())).start().waitFor(5, TimeUnit.SECONDS);
            tshark.waitFor(20, TimeUnit.SECONDS);
        }
        close();
        Lab.Result r = Lab.run(Lab.TSHARK, "-n", "-r", file.toString(), "-T", "fields", "-E", "separator=,", "-e", "ip.src", "-e", "udp.srcport",
                "-e", "ip.dst", "-e", "udp.dstport", "-e", "udp.payload");
        List<Datagram> out = new ArrayList<>();
        for (String line : r.out().lines().toList()) {
            String[] f = line.split(",");
            if (f.length != 5 || !f[1].matches("\\d+") || !f[4].matches("[0-9a-f]+")) {
                continue;
            }
            String hex = f[4];
            boolean natT = f[1].equals("4500") || f[3].equals("4500");
            // on 4500 only the non-ESP-marked messages are ISAKMP (RFC 3948 section 2.2); 0xff alone is a keepalive
            if (natT && !hex.startsWith("00000000") || hex.length() < 2 * 28) {
                continue;
            }
            out.add(new Datagram(f[0], Integer.parseInt(f[1]), f[2], Integer.parseInt(f[3]), hex));
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        if (tshark.isAlive()) {
            tshark.destroy();
            if (!tshark.waitFor(20, TimeUnit.SECONDS)) {
                tshark.destroyForcibly();
            }
        }
    }
}
