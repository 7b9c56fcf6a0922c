package io.argate.image.lab;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The middle of a udp wire between two routers: router A's eth1 sends to {@link #portA()},
 * router B's to {@link #portB()}, and the tap passes each datagram (one IP packet) on to the
 * other router, noting what the packet was, so a test can see what crossed the wire.
 */
final class WireTap implements AutoCloseable {
    /** What one IP packet on the wire was: its protocol, addresses, UDP destination port. */
    record Seen(int protocol, String source, String destination, int udpDestination, boolean firstFragment) {
        /** "ESP", "AH", "IPCOMP", "UDP:2746", "ICMP" ...; non-first fragments are "FRAGMENT". */
        String kind() {
            if (!firstFragment) {
                return "FRAGMENT";
            }
            return switch (protocol) {
                case 1 -> "ICMP";
                case 17 -> "UDP:" + udpDestination;
                case 50 -> "ESP";
                case 51 -> "AH";
                case 108 -> "IPCOMP";
                default -> "PROTO:" + protocol;
            };
        }
    }

    private final DatagramSocket towardsA;
    private final DatagramSocket towardsB;
    private final InetSocketAddress routerA;
    private final InetSocketAddress routerB;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Thread ab;
    private final Thread ba;
    private volatile boolean running = true;

    /** Binds two free loopback ports; {@code routerA}/{@code routerB} are the routers' own local ports. */
    WireTap(int routerAPort, int routerBPort) throws SocketException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        towardsA = new DatagramSocket(new InetSocketAddress(lo, 0));
        towardsB = new DatagramSocket(new InetSocketAddress(lo, 0));
        routerA = new InetSocketAddress(lo, routerAPort);
        routerB = new InetSocketAddress(lo, routerBPort);
        ab = relay(towardsA, towardsB, routerB, "tap-a-to-b");
        ba = relay(towardsB, towardsA, routerA, "tap-b-to-a");
    }

    /** The port router A sends to (its eth1 remote). */
    int portA() {
        return towardsA.getLocalPort();
    }

    /** The port router B sends to (its eth1 remote). */
    int portB() {
        return towardsB.getLocalPort();
    }

    private Thread relay(DatagramSocket from, DatagramSocket via, InetSocketAddress to, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65536];
            while (running) {
                DatagramPacket d = new DatagramPacket(buf, buf.length);
                try {
                    from.receive(d);
                    note(buf, d.getLength());
                    via.send(new DatagramPacket(buf, d.getLength(), to));
                } catch (IOException e) {
                    return;
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void note(byte[] b, int n) {
        if (n < 20 || (b[0] & 0xf0) != 0x40) {
            seen.add(new Seen(-1, "?", "?", -1, true));
            return;
        }
        int ihl = (b[0] & 0x0f) * 4;
        int offset = ((b[6] & 0x1f) << 8) | (b[7] & 0xff);
        int protocol = b[9] & 0xff;
        int udpDst = protocol == 17 && offset == 0 && n >= ihl + 4 ? ((b[ihl + 2] & 0xff) << 8) | (b[ihl + 3] & 0xff) : -1;
        seen.add(new Seen(protocol, dotted(b, 12), dotted(b, 16), udpDst, offset == 0));
    }

    private static String dotted(byte[] b, int at) {
        return (b[at] & 0xff) + "." + (b[at + 1] & 0xff) + "." + (b[at + 2] & 0xff) + "." + (b[at + 3] & 0xff);
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** How many packets of each kind crossed, e.g. {ESP=12, FRAGMENT=2}. */
    Map<String, Integer> kinds() {
        Map<String, Integer> m = new TreeMap<>();
        for (Seen s : seen) {
            m.merge(s.kind(), 1, Integer::sum);
        }
        return m;
    }

    @Override
    public void close() {
        running = false;
        towardsA.close();
        towardsB.close();
        try {
            ab.join(1000);
            ba.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
