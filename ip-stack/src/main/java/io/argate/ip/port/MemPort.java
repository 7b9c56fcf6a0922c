package io.argate.ip.port;

import io.netty.buffer.ByteBuf;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * In-process link for tests and benchmarks: two MemPorts with the same link name are wired
 * together. Each port receives on its own thread (run-to-completion as with real ports);
 * a full receive queue drops and counts, like a NIC ring.
 */
public final class MemPort implements Port {
    /** Packets a port queues before it drops. */
    public static final int QUEUE = 1024;
    private static final Map<String, MemPort[]> LINKS = new ConcurrentHashMap<>();

    private final String name;
    private final String link;
    private final int mtu;
    private final PortCounters counters = new PortCounters();
    private final BlockingQueue<ByteBuf> queue = new ArrayBlockingQueue<>(QUEUE);
    private volatile MemPort peer;
    private volatile boolean running;
    private Thread rx;

    public MemPort(String name, String link, int mtu) {
        this.name = name;
        this.link = link;
        this.mtu = mtu;
        MemPort[] ends = LINKS.computeIfAbsent(link, l -> new MemPort[2]);
        synchronized (ends) {
            if (ends[0] == null) {
                ends[0] = this;
            } else if (ends[1] == null) {
                ends[1] = this;
                ends[0].peer = this;
                this.peer = ends[0];
            } else {
                throw new IllegalStateException("mem link " + link + " already has two ends");
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String driver() {
        return "mem";
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public boolean linkUp() {
        return peer != null;
    }

    @Override
    public void start(PacketSink sink) {
        running = true;
        rx = new Thread(() -> {
            boolean inBatch = false;
            while (running) {
                try {
                    ByteBuf p = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (p != null) {
                        if (!inBatch) {
                            inBatch = true;
                            sink.batchStart(this);
                        }
                        counters.received(p.readableBytes());
                        sink.receive(this, p);
                        if (queue.isEmpty()) {
                            inBatch = false;
                            sink.batchEnd(this);
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rx-" + name);
        rx.setDaemon(true);
        rx.start();
    }

    /** Puts a packet on the wire towards this port, as if the peer had sent it (tests). */
    public boolean inject(ByteBuf packet) {
        if (!queue.offer(packet)) {
            counters.rxDrops.increment();
            packet.release();
            return false;
        }
        return true;
    }

    @Override
    public boolean transmit(ByteBuf packet) {
        MemPort p = peer;
        if (p == null || packet.readableBytes() > mtu) {
            counters.txDrops.increment();
            packet.release();
            return false;
        }
        counters.sent(packet.readableBytes());
        return p.inject(packet);
    }

    @Override
    public PortCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        running = false;
        if (rx != null) {
            rx.interrupt();
        }
        MemPort[] ends = LINKS.get(link);
        if (ends != null) {
            synchronized (ends) {
                if (ends[0] == this || ends[1] == this) {
                    LINKS.remove(link);
                }
            }
        }
        MemPort p = peer;
        if (p != null) {
            p.peer = null;
        }
        ByteBuf b;
        while ((b = queue.poll()) != null) {
            b.release();
        }
    }
}
