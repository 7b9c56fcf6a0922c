package io.argate.isakmp.exchange;

import io.argate.isakmp.Datagram;
import io.argate.isakmp.IkeNetwork;
import io.argate.shell.loop.ControlLoop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A wire between two daemons on one control loop: every datagram is recorded and delivered as a
 * loop task; a filter may drop or change datagrams in flight (lost messages, mutations).
 */
final class FakeWire {
    static final int A = 0xc0000201;
    static final int B = 0xc0000202;

    record Sent(int from, int fromPort, int to, int toPort, byte[] payload) {
    }

    private final ControlLoop loop;
    private final Map<Integer, IsakmpDaemon> daemons = new HashMap<>();
    final List<Sent> sent = new ArrayList<>();
    /** Returns the payload to deliver, or null to lose it. */
    UnaryOperator<Sent> filter = s -> s;
    /** Runs each delivery (the receiving daemon's task): a test may look at the daemon before and after. */
    java.util.function.BiConsumer<Sent, Runnable> delivery = (s, task) -> task.run();
    /** Named interfaces' addresses by "router address/interface" (SRCINTERFACE). */
    final Map<String, Integer> interfaces = new HashMap<>();

    FakeWire(ControlLoop loop) {
        this.loop = loop;
    }

    static int peerOf(int a) {
        return a == A ? B : A;
    }

    void attach(int address, IsakmpDaemon d) {
        daemons.put(address, d);
    }

    IkeNetwork port(int address) {
        return new IkeNetwork() {
            public void send(int local, int localPort, int remote, int remotePort, byte[] payload) {
                Sent s = new Sent(local, localPort, remote, remotePort, payload.clone());
                sent.add(s);
                Sent d = filter.apply(s);
                IsakmpDaemon to = daemons.get(remote);
                if (d != null && to != null) {
                    loop.execute(() -> delivery.accept(d, () -> to.receive(new Datagram(d.from(), d.fromPort(), d.to(), d.toPort(), d.payload()))));
                }
            }

            public int sourceFor(int remote) {
                return address;
            }

            public int addressOf(String iface) {
                return interfaces.getOrDefault(address + "/" + iface, 0);
            }
        };
    }

    /** Runs the loop until no datagram is in flight. */
    void settle() {
        int before;
        do {
            before = sent.size();
            if (before > 5000) {
                throw new AssertionError("a storm of " + before + " datagrams: the daemons answer each other endlessly");
            }
            loop.drain();
            loop.drain();
        } while (sent.size() != before);
    }
}
