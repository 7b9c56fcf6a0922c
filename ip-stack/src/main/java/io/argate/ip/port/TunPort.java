package io.argate.ip.port;

import io.argate.ip.packet.Ipv4;
import io.argate.ip.packet.Offloads;
import io.argate.ip.packet.Tcp;
import io.argate.ip.packet.VirtioNetHeader;
import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Linux TUN device as a port: the device is attached ({@link TunFd}), then MTU and link up are
 * set with iproute2, optionally after moving the device into a network namespace (argate keeps
 * the file descriptor, so the Linux side of the link lives in the namespace). Receives on its
 * own thread per queue: one poll, then reads until the device has nothing more (EAGAIN), so a
 * burst costs one wake-up, not one per packet.
 *
 * <p>With offloads (the default; {@code offload=off} in the platform file turns them off) the
 * device carries a virtio-net header with each packet and the kernel hands over TCP super-packets,
 * UDP super-packets (USO4, Linux 6.2 on) and partial checksums (TSO4, CSUM), and takes them back;
 * a kernel that refuses USO keeps TSO4 and CSUM, one that refuses all leaves the port as it was.
 * With TSO4, what a receive thread sends during its batch is held and consecutive segments of a
 * flow (equal datagrams of one flow too, with USO4) leave as one super-packet at the batch's end
 * ({@link TunCoalescer}). With {@code queues=N} the device is multi-queue and each queue has its
 * own receive thread (the kernel spreads flows over them); a kernel that refuses gives one queue.
 *
 * <p>The port follows its link: a failed write or read (the host side set down: the kernel
 * refuses writes to a TUN device that is not up) counts an error and takes the port down; after
 * {@link #RETRY_FIRST} the port is offered again and the next packet is the probe, the wait
 * doubling up to {@link #RETRY_MAX} while probes fail; any packet read from the host means the
 * link is up at once. The receive thread survives device errors, so nothing needs a restart.
 */
public final class TunPort implements Port {
    /** First wait before a port that lost its link is tried again. */
    public static final Duration RETRY_FIRST = Duration.ofSeconds(1);
    /** Longest wait between tries while the link stays down. */
    public static final Duration RETRY_MAX = Duration.ofSeconds(30);
    /** How long the receive thread waits for a packet before it looks at {@code running} again. */
    static final int POLL_MILLIS = 200;
    /** Most packets one wake-up reads before the thread looks at {@code running} again. */
    static final int BATCH = 256;

    private final String name;
    private final String dev;
    private final int mtu;
    private final TunDevice[] queues;
    private final String netns;
    /** The TUNSETOFFLOAD flags every queue accepted. */
    private final int offloads;
    private final Clock clock;
    private final PortCounters counters = new PortCounters();
    private volatile boolean up = true;
    /** When a down link is next tried; meaningful only while down. */
    private volatile Instant retryAt = Instant.MIN;
    /** The wait after the next failure: {@link #RETRY_FIRST} while the link works, longer while probes fail. */
    private volatile Duration retryWait = RETRY_FIRST;
    private volatile boolean running;
    private final List<Thread> rx = new ArrayList<>();
    /** Per sending thread, what it holds back in a receive batch to leave as super-packets; null when the device takes none. */
    private final ThreadLocal<TunCoalescer> coalescers;

    TunPort(String name, String dev, TunDevice device, int mtu, Clock clock) {
        this(name, dev, null, new TunDevice[] {device}, mtu, clock);
    }

    TunPort(String name, String dev, String netns, TunDevice[] queues, int mtu, Clock clock) {
        this.name = name;
        this.dev = dev;
        this.netns = netns;
        this.queues = queues.clone();
        this.mtu = mtu;
        this.clock = clock;
        int common = ~0;
        for (TunDevice q : queues) {
            common &= q.offloads();
        }
        this.offloads = common;
        int merging = TunFd.TUN_F_CSUM | TunFd.TUN_F_TSO4;
        boolean udp = (common & TunFd.TUN_F_USO4) != 0;
        this.coalescers = (common & merging) == merging ? ThreadLocal.withInitial(() -> new TunCoalescer(udp, counters, this::write)) : null;
    }

    /** Creates the device with offloads and one queue; a clear error names the port when it cannot (no root, no /dev/net/tun). */
    public static TunPort open(String name, String dev, String netns, int mtu) {
        return open(name, dev, netns, mtu, 1, true);
    }

    /**
     * Creates the device with {@code queues} receive queues (fewer when the kernel refuses a
     * multi-queue device: then one) and, when {@code offload}, the virtio-net header and TSO.
     */
    public static TunPort open(String name, String dev, String netns, int mtu, int queues, boolean offload) {
        List<TunDevice> fds = new ArrayList<>();
        try {
            if (queues > 1) {
                try {
                    for (int i = 0; i < queues; i++) {
                        fds.add(TunFd.attach(name, dev, offload, true));
                    }
                } catch (IllegalStateException refused) {
                    // no multi-queue TUN here (or the queue limit reached): the queues opened so far serve
                    if (fds.isEmpty()) {
                        fds.add(TunFd.attach(name, dev, offload, false));
                    }
                }
            } else {
                fds.add(TunFd.attach(name, dev, offload, false));
            }
            if (netns != null) {
                ip("link", "set", "dev", dev, "netns", netns);
                ip("-n", netns, "link", "set", "dev", dev, "mtu", Integer.toString(mtu), "up");
            } else {
                ip("link", "set", "dev", dev, "mtu", Integer.toString(mtu), "up");
            }
            return new TunPort(name, dev, netns, fds.toArray(new TunDevice[0]), mtu, Clock.systemUTC());
        } catch (IllegalStateException e) {
            fds.forEach(TunDevice::close);
            throw new IllegalStateException(e.getMessage().startsWith("port ") ? e.getMessage() : "port " + name + ": " + e.getMessage());
        }
    }

    private static void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ip (iproute2): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String driver() {
        return "tun";
    }

    @Override
    public int mtu() {
        return mtu;
    }

    /** Up, or down until the retry time, when the port is offered again (the next packet probes it). */
    @Override
    public boolean linkUp() {
        if (!up && !clock.instant().isBefore(retryAt)) {
            up = true;
        }
        return up;
    }

    @Override
    public void start(PacketSink sink) {
        running = true;
        for (int i = 0; i < queues.length; i++) {
            TunDevice q = queues[i];
            Thread t = new Thread(() -> {
                VirtioNetHeader header = new VirtioNetHeader();
                while (running) {
                    if (!receiveOnce(q, header, sink, POLL_MILLIS) && running) {
                        pauseUntilRetry();
                    }
                }
            }, queues.length == 1 ? "rx-" + name : "rx-" + name + "-" + i);
            t.setDaemon(true);
            rx.add(t);
            t.start();
        }
    }

    /** {@link #receiveOnce(TunDevice, VirtioNetHeader, PacketSink, int)} on the first queue (tests). */
    boolean receiveOnce(PacketSink sink, int millis) {
        return receiveOnce(queues[0], new VirtioNetHeader(), sink, millis);
    }

    /**
     * One turn of a queue's receive loop: waits up to {@code millis} for packets and delivers
     * all the device has (at most {@link #BATCH}, so a flood cannot keep the thread from
     * noticing a close). False when the device failed (counted; the link is down until it
     * answers again).
     */
    boolean receiveOnce(TunDevice device, VirtioNetHeader header, PacketSink sink, int millis) {
        try {
            if (!device.poll(millis)) {
                return true;
            }
            counters.rxWakeups.increment();
            sink.batchStart(this);
            try {
                for (int n = 0; n < BATCH; n++) {
                    ByteBuf b = device.read(HEADROOM, header);
                    if (b == null) {
                        return true;
                    }
                    if (n == 0) {
                        linkAnswered();
                    }
                    deliver(b, header, sink);
                }
                return true;
            } finally {
                sink.batchEnd(this);
            }
        } catch (TunDevice.Failure e) {
            counters.rxErrors.increment();
            linkLost();
            return false;
        }
    }

    private void deliver(ByteBuf b, VirtioNetHeader header, PacketSink sink) {
        counters.received(b.readableBytes());
        try {
            if (header.pending()) {
                if (header.superPacket()) {
                    counters.rxSuperPackets.increment();
                }
                sink.receive(this, b, header);
            } else {
                sink.receive(this, b);
            }
        } catch (RuntimeException e) {
            counters.rxErrors.increment();
        }
    }

    /**
     * After a device error the receive thread waits for the retry time rather than spin on a
     * device that keeps failing (one deleted from outside), at most a poll period past it.
     */
    private void pauseUntilRetry() {
        long millis = Duration.between(clock.instant(), retryAt).toMillis();
        try {
            Thread.sleep(Math.max(POLL_MILLIS, Math.min(millis, RETRY_MAX.toMillis())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public boolean transmit(ByteBuf packet) {
        if (packet.readableBytes() > mtu) {
            counters.txDrops.increment();
            packet.release();
            return false;
        }
        if (coalescers != null && ReceiveBatch.open()) {
            return coalescers.get().offer(packet, null);
        }
        return write(packet, null);
    }

    /**
     * A super-packet of TCP/IPv4 (UDP/IPv4) whose segments fit the MTU, or a packet whose
     * checksum is partial, when the kernel accepted TSO4 (USO4, CSUM) for this device.
     */
    @Override
    public boolean takes(ByteBuf packet, VirtioNetHeader header) {
        if ((offloads & TunFd.TUN_F_CSUM) == 0) {
            return false;
        }
        if (!header.superPacket()) {
            return packet.readableBytes() <= mtu;
        }
        if (header.udpSuperPacket()) {
            return offersUso4() && UdpSuperPackets.fit(packet, header, mtu);
        }
        if ((offloads & TunFd.TUN_F_TSO4) == 0 || header.gsoType() != VirtioNetHeader.GSO_TCPV4 || !header.needsChecksum()) {
            return false;
        }
        int at = packet.readerIndex();
        int ihl = Ipv4.headerLength(packet, at);
        return Ipv4.protocol(packet, at) == Ipv4.PROTO_TCP && packet.readableBytes() >= ihl + Tcp.MIN_HEADER
                && ihl + Tcp.headerLength(packet, at + ihl) + header.gsoSize() <= mtu;
    }

    @Override
    public boolean transmit(ByteBuf packet, VirtioNetHeader header) {
        if (!takes(packet, header) || !Offloads.preparePartial(packet, header)) {
            counters.txDrops.increment();
            packet.release();
            return false;
        }
        if (coalescers != null && ReceiveBatch.open()) {
            return coalescers.get().offer(packet, header);
        }
        boolean sent = write(packet, header);
        if (sent && header.superPacket()) {
            counters.txSuperPackets.increment();
        }
        return sent;
    }

    /** Sends what the calling thread held back in this batch (runs of segments as super-packets). */
    @Override
    public void flush() {
        if (coalescers != null) {
            coalescers.get().flush();
        }
    }

    /** Writes on the queue of the calling thread (spread by thread, so two senders rarely wait for each other). */
    private boolean write(ByteBuf packet, VirtioNetHeader header) {
        TunDevice device = queues[queues.length == 1 ? 0 : (int) (Thread.currentThread().getId() % queues.length)];
        try {
            int n = packet.readableBytes();
            if (!linkUp()) {
                counters.txDrops.increment();
                return false;
            }
            synchronized (device) {
                device.write(packet, header);
            }
            linkAnswered();
            counters.sent(n);
            return true;
        } catch (TunDevice.Failure e) {
            counters.txErrors.increment();
            linkLost();
            return false;
        } finally {
            packet.release();
        }
    }

    @Override
    public String offloads() {
        if ((offloads & TunFd.TUN_F_CSUM) == 0) {
            return "none";
        }
        return ((offloads & TunFd.TUN_F_TSO4) != 0 ? "TSO4 " : "") + (offersUso4() ? "USO4 " : "") + "CSUM";
    }

    /** The kernel takes and gives UDP/IPv4 super-packets on this device (USO4, Linux 6.2 on). */
    @Override
    public boolean offersUso4() {
        return (offloads & TunFd.TUN_F_USO4) != 0 && (offloads & TunFd.TUN_F_CSUM) != 0;
    }

    @Override
    public int queues() {
        return queues.length;
    }

    /** The device's own drop counts, read from the host (inside its namespace, when it lives in one). */
    @Override
    public HostDrops hostDrops() {
        return HostStatistics.tun(dev, netns);
    }

    /** The device failed: down until {@link #retryAt}, each consecutive failure waiting twice as long. */
    private synchronized void linkLost() {
        Duration wait = retryWait;
        up = false;
        retryAt = clock.instant().plus(wait);
        Duration next = wait.multipliedBy(2);
        retryWait = next.compareTo(RETRY_MAX) > 0 ? RETRY_MAX : next;
    }

    /** The device took or gave a packet: the link is up. */
    private void linkAnswered() {
        if (!up || retryWait != RETRY_FIRST) {
            synchronized (this) {
                up = true;
                retryWait = RETRY_FIRST;
            }
        }
    }

    @Override
    public PortCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : rx) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (TunDevice q : queues) {
            q.close();
        }
    }

    /** The Linux device name. */
    public String device() {
        return dev;
    }
}
