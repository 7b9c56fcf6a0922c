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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Linux TUN device as a port: the device is attached ({@link TunFd}), then MTU and link up are
 * set with iproute2, optionally after moving the device into a network namespace (argate keeps
 * the file descriptor, so the Linux side of the link lives in the namespace). Receives on its
 * own thread per queue. Where the kernel has it (Linux 6.7), the thread reads and writes through
 * its own io_uring ({@link UringIo}): one multishot read stays armed, and every TUN write the
 * thread makes during a batch goes to the kernel with its next wait for packets, so a batch
 * costs one system call however many packets it reads and writes (about 6 MB of native memory
 * per queue: read buffers for 32 super-packets and a write arena). Elsewhere, or with
 * {@code io=syscall}: one poll, then reads until the device has nothing more (EAGAIN), a
 * system call per packet read or written.
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
    /**
     * Packets the host's side of the device queues toward argate (Linux txqueuelen; the kernel's
     * TUN default is 500). Through io_uring a sender hands the host a whole batch at once, a
     * burst of up to a few thousand packets (a batch of super-packets protected one ESP packet
     * per segment), and a receive thread the scheduler holds back for a few milliseconds on a
     * busy 2-core machine found 500 too few: its TCP lost a tenth of its packets there. 4,096
     * absorbed it (0 retransmits), about 20 ms of argate's packet rate.
     */
    public static final int HOST_QUEUE = 4096;
    public static final int MIN_HOST_QUEUE = 16;
    public static final int MAX_HOST_QUEUE = 65536;
    /** The largest packet a read can bring: a super-packet of 64 KB (or an IPv4 packet's most). */
    static final int LARGEST = 65536;

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
    /** Read and write through io_uring where the kernel can (io=uring, the default); false: a system call per packet. */
    private final boolean uring;
    /** The txqueuelen argate gave the device, 0 when it set none (a test's fake). */
    private final int hostQueue;
    /** Queues whose thread runs an io_uring now. */
    private final AtomicInteger ringQueues = new AtomicInteger();
    /** Why a queue reads without io_uring, when the kernel refused it. */
    private volatile String ioRefusal;

    TunPort(String name, String dev, TunDevice device, int mtu, Clock clock) {
        this(name, dev, null, new TunDevice[] {device}, mtu, clock, true, 0);
    }

    TunPort(String name, String dev, String netns, TunDevice[] queues, int mtu, Clock clock, boolean uring, int hostQueue) {
        this.name = name;
        this.uring = uring;
        this.hostQueue = hostQueue;
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
        return open(name, dev, netns, mtu, 1, true, true, HOST_QUEUE);
    }

    /**
     * Creates the device with {@code queues} receive queues (fewer when the kernel refuses a
     * multi-queue device: then one) and, when {@code offload}, the virtio-net header and TSO;
     * {@code uring} reads and writes through io_uring where the kernel can; the host queues up to
     * {@code hostQueue} packets toward argate.
     */
    public static TunPort open(String name, String dev, String netns, int mtu, int queues, boolean offload, boolean uring, int hostQueue) {
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
                ip("-n", netns, "link", "set", "dev", dev, "mtu", Integer.toString(mtu), "txqueuelen", Integer.toString(hostQueue), "up");
            } else {
                ip("link", "set", "dev", dev, "mtu", Integer.toString(mtu), "txqueuelen", Integer.toString(hostQueue), "up");
            }
            return new TunPort(name, dev, netns, fds.toArray(new TunDevice[0]), mtu, Clock.systemUTC(), uring, hostQueue);
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
            Thread t = new UringIo.Owner(() -> {
                if (!uring || q.descriptor() < 0 || !receiveThroughRing(q, sink)) {
                    receiveLoop(q, sink);
                }
            }, queues.length == 1 ? "rx-" + name : "rx-" + name + "-" + i);
            t.setDaemon(true);
            rx.add(t);
            t.start();
        }
    }

    /** The receive loop one system call per read (no io_uring here, or the port asked for none). */
    private void receiveLoop(TunDevice q, PacketSink sink) {
        VirtioNetHeader header = new VirtioNetHeader();
        while (running) {
            if (!receiveOnce(q, header, sink, POLL_MILLIS) && running) {
                pauseUntilRetry();
            }
        }
    }

    /**
     * The receive loop through the thread's own io_uring ({@link UringIo}): one system call per
     * batch for its reads and for every TUN write the thread makes. False when this kernel
     * cannot, or the ring failed (the reason goes to SHOW PORT), so the caller reads the old way.
     */
    private boolean receiveThroughRing(TunDevice q, PacketSink sink) {
        UringIo.Owner self = (UringIo.Owner) Thread.currentThread();
        UringIo io;
        try {
            io = UringIo.open(q.descriptor(), q.headerSize(), LARGEST);
        } catch (IoUring.Unavailable e) {
            ioRefusal = e.getMessage();
            return false;
        }
        self.io = io;
        ringQueues.incrementAndGet();
        VirtioNetHeader header = new VirtioNetHeader();
        try {
            while (running) {
                int ready = io.await(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
                if (ready < 0) {
                    ioRefusal = io.failure();
                    return false;
                }
                if (ready == 0) {
                    continue;
                }
                if (io.refused()) {
                    ioRefusal = "the kernel refused a multishot read (older than Linux 6.7)";
                    return false;
                }
                if (!io.deliver(this, header, sink) && running) {
                    io.submit();
                    pauseUntilRetry();
                }
            }
            return true;
        } finally {
            self.io = null;
            ringQueues.decrementAndGet();
            io.close();
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

    void deliver(ByteBuf b, VirtioNetHeader header, PacketSink sink) {
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

    /**
     * Writes on the queue of the calling thread (spread by thread, so two senders rarely wait for
     * each other): through the thread's io_uring when it has one (the write goes to the kernel with
     * the thread's next wait for packets), else one system call now.
     */
    private boolean write(ByteBuf packet, VirtioNetHeader header) {
        TunDevice device = queues[queues.length == 1 ? 0 : (int) (Thread.currentThread().getId() % queues.length)];
        UringIo io = UringIo.current();
        if (io != null && device.descriptor() >= 0 && linkUp() && io.write(this, device.descriptor(), device.headerSize(), packet, header)) {
            return true;
        }
        try {
            int n = packet.readableBytes();
            if (!linkUp()) {
                counters.txDrops.increment();
                return false;
            }
            synchronized (device) {
                device.write(packet, header);
            }
            counters.txCalls.increment();
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

    @Override
    public int hostQueue() {
        return hostQueue;
    }

    /** The device's own drop counts, read from the host (inside its namespace, when it lives in one). */
    @Override
    public HostDrops hostDrops() {
        return HostStatistics.tun(dev, netns);
    }

    /** A write through io_uring that the device refused: a send error and a lost link, as for a direct write. */
    void writeFailed(int bytes) {
        counters.unsent(bytes);
        // a batch's writes all fail together: the first takes the link down, the rest do not lengthen the wait again
        if (up) {
            linkLost();
        }
    }

    /**
     * Null when this kernel lets a thread read and write TUN devices through io_uring (a ring can
     * be set up), else why not: what a port's Packet I/O line then names.
     */
    public static String ioUringRefusal() {
        try {
            IoUring.open(2, 2).close();
            return null;
        } catch (IoUring.Unavailable e) {
            return e.getMessage();
        }
    }

    /**
     * How this port reads and writes its device, for SHOW PORT: through io_uring (one system call
     * per batch), or one system call per packet and why.
     */
    @Override
    public String packetIo() {
        int ring = ringQueues.get();
        if (ring == queues.length) {
            return "io_uring";
        }
        String why = !uring ? "io=syscall" : ioRefusal != null ? ioRefusal : "starting";
        return (ring > 0 ? "io_uring on " + ring + " of " + queues.length + " queues, " : "") + "a system call per packet (" + why + ")";
    }

    /** The device failed: down until {@link #retryAt}, each consecutive failure waiting twice as long. */
    synchronized void linkLost() {
        Duration wait = retryWait;
        up = false;
        retryAt = clock.instant().plus(wait);
        Duration next = wait.multipliedBy(2);
        retryWait = next.compareTo(RETRY_MAX) > 0 ? RETRY_MAX : next;
    }

    /** The device took or gave a packet: the link is up. */
    void linkAnswered() {
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
