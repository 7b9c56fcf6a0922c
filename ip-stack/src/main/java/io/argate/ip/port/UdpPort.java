package io.argate.ip.port;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.SegmentedDatagramPacket;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.internal.PlatformDependent;

import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A wire made of UDP: one IP packet per datagram between a local and a fixed remote address
 * (Netty, one event loop thread per port for run-to-completion). Lets two argate processes, or a
 * test, be connected without root.
 *
 * <p>Received packets are handed on in heap buffers with {@link Port#HEADROOM} free bytes before
 * and after, so IPsec puts its headers around them in place instead of copying the packet.
 *
 * <p>Where the kernel and Netty's native transport allow it ({@link #batched()}), the socket is
 * read with {@code recvmmsg} (up to {@link #BATCH} datagrams per system call, into one direct
 * staging buffer) and written with {@code sendmmsg}: transmitted packets wait in a bounded queue
 * and the port's thread writes every packet queued so far, then flushes once, so a burst leaves
 * in one system call. Each received datagram is then moved from the staging buffer into its own
 * heap buffer with headroom: the one copy NIO's heap receive makes too (the JDK reads into a
 * temporary direct buffer), kept because the JDK's AES-GCM and HMAC work on heap arrays without
 * allocating. Without epoll the port reads with NIO straight into the headroom buffer, one
 * datagram per call, as before.
 *
 * <p>With offloads (the default; {@code offload=off} in the platform file turns them off) a run
 * of equal-size datagrams queued together leaves as one UDP GSO send (UDP_SEGMENT; see
 * {@link GsoRun}) and the socket asks for UDP GRO, the kernel handing over datagrams of one
 * sender coalesced, up to 64 KB a read, which Netty splits back into datagrams before they reach
 * the port. Either falls back where the kernel or the transport lacks it (GSO also after the
 * first send the kernel refuses, whose datagrams are then sent one by one); SHOW PORT says which
 * the port uses ({@link #offloads()}) and counts GSO sends and GRO reads as super-packets.
 */
public final class UdpPort implements Port {
    /** Datagrams per recvmmsg call, and the most packets waiting to be sent. */
    public static final int BATCH = 32;
    static final int TX_QUEUE = 4096;
    /** Bytes per receive slot with GRO: the largest datagram a coalesced read can give (64 KB). */
    static final int GRO_SLOT = 65536;

    private final String name;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final int mtu;
    private final boolean batched;
    private final PortCounters counters = new PortCounters();
    private final EventLoopGroup loop;
    private final Queue<ByteBuf> txQueue = PlatformDependent.newFixedMpscQueue(TX_QUEUE);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    private volatile Channel channel;
    /** Runs of equal-size datagrams leave as one UDP GSO send; cleared for good when the kernel refuses one. */
    private volatile boolean gso;
    private volatile boolean gro;
    private final boolean offload;
    private final GsoRun run = new GsoRun();
    private GroReads groReads;

    public UdpPort(String name, InetSocketAddress local, InetSocketAddress remote, int mtu) {
        this(name, local, remote, mtu, Epoll.isAvailable(), true);
    }

    /** @param batched use the native epoll transport (recvmmsg, sendmmsg); ignored where it is absent */
    UdpPort(String name, InetSocketAddress local, InetSocketAddress remote, int mtu, boolean batched) {
        this(name, local, remote, mtu, batched, true);
    }

    /**
     * @param batched use the native epoll transport (recvmmsg, sendmmsg); ignored where it is absent
     * @param offload use UDP GSO and GRO where the kernel and the transport have them
     */
    public UdpPort(String name, InetSocketAddress local, InetSocketAddress remote, int mtu, boolean batched, boolean offload) {
        this.name = name;
        this.local = local;
        this.remote = remote;
        this.mtu = mtu;
        this.batched = batched && Epoll.isAvailable();
        this.offload = offload;
        this.gso = this.batched && offload && SegmentedDatagramPacket.isSupported();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "rx-" + name);
            t.setDaemon(true);
            return t;
        };
        this.loop = this.batched ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String driver() {
        return "udp";
    }

    @Override
    public int mtu() {
        return mtu;
    }

    /** Whether this port reads and writes many datagrams per system call (native epoll). */
    public boolean batched() {
        return batched;
    }

    @Override
    public boolean linkUp() {
        Channel c = channel;
        return c != null && c.isActive();
    }

    @Override
    public void start(PacketSink sink) {
        try {
            Bootstrap b = new Bootstrap().group(loop).handler(new SimpleChannelInboundHandler<DatagramPacket>(false) {
                /** A batch announced to the sink and not yet ended (only the channel's event loop reads it). */
                private boolean inBatch;

                @Override
                protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket d) {
                    if (!inBatch) {
                        inBatch = true;
                        sink.batchStart(UdpPort.this);
                    }
                    if (gro && groReads.coalesced(d.content())) {
                        counters.rxSuperPackets.increment();
                    }
                    receive(sink, d.content());
                }

                @Override
                public void channelReadComplete(ChannelHandlerContext ctx) {
                    inBatch = false;
                    sink.batchEnd(UdpPort.this);
                }
            });
            if (batched) {
                // one byte more than the MTU per datagram lets one too long for the port be seen
                // (and counted) instead of arriving cut short; BATCH of them per recvmmsg
                b.channel(EpollDatagramChannel.class).option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                        .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, mtu + 1)
                        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator((mtu + 1) * BATCH));
                if (offload) {
                    Channel c = b.register().sync().channel();
                    gro = UdpGro.enable(c, GRO_SLOT);
                    groReads = new GroReads(GRO_SLOT);
                    channel = c.bind(local).sync().channel();
                    return;
                }
            } else {
                b.channel(NioDatagramChannel.class).option(ChannelOption.ALLOCATOR, PacketBuffers.ALLOC)
                        .option(ChannelOption.RCVBUF_ALLOCATOR, new HeadroomRecvAllocator(mtu + 1));
            }
            channel = b.bind(local).sync().channel();
        } catch (Exception e) {
            throw new IllegalStateException("port " + name + ": cannot bind UDP " + local + ": " + e.getMessage(), e);
        }
    }

    /** One received datagram: too long for the port is counted and dropped, else handed on with headroom. */
    private void receive(PacketSink sink, ByteBuf b) {
        int length = b.readableBytes();
        if (length > mtu) {
            counters.rxDrops.increment();
            b.release();
            return;
        }
        ByteBuf packet = b;
        if (b.readerIndex() < HEADROOM || !b.hasArray() || b.writableBytes() < HEADROOM) {
            // from the recvmmsg staging buffer into a packet of its own with room around it
            packet = PacketBuffers.ALLOC.heapBuffer(HEADROOM + length + HEADROOM);
            packet.setIndex(HEADROOM, HEADROOM).writeBytes(b, b.readerIndex(), length);
            b.release();
        }
        counters.received(length);
        sink.receive(this, packet);
    }

    @Override
    public boolean transmit(ByteBuf packet) {
        Channel c = channel;
        if (c == null || !c.isActive() || packet.readableBytes() > mtu || !txQueue.offer(packet)) {
            counters.txDrops.increment();
            packet.release();
            return false;
        }
        counters.sent(packet.readableBytes());
        if (drainScheduled.compareAndSet(false, true)) {
            c.eventLoop().execute(drain);
        }
        return true;
    }

    /**
     * On the port's thread: writes every packet queued so far and flushes once (one sendmmsg
     * for the lot with epoll; with GSO, each run of equal-size datagrams one message of it).
     * The flag is cleared before the queue is read, so a packet queued after the last read
     * schedules a new drain and none is left waiting.
     */
    private void drain() {
        drainScheduled.set(false);
        Channel c = channel;
        int n = 0;
        for (ByteBuf p; (p = txQueue.poll()) != null; n++) {
            if (!gso) {
                c.write(new DatagramPacket(p, remote), c.voidPromise());
            } else if (!run.offer(p)) {
                writeRun(c);
                run.offer(p);
            }
        }
        if (n > 0) {
            writeRun(c);
            c.flush();
        }
    }

    /** Writes the run gathered so far: one datagram as it is, more as one GSO send. */
    private void writeRun(Channel c) {
        int count = run.count();
        if (count == 0) {
            return;
        }
        if (count == 1) {
            c.write(new DatagramPacket(run.takeSingle(), remote), c.voidPromise());
            return;
        }
        int size = run.segmentSize();
        ByteBuf[] datagrams = new ByteBuf[count];
        ByteBuf all = run.join(c.alloc(), datagrams);
        c.write(new SegmentedDatagramPacket(all, size, remote)).addListener(f -> {
            if (f.isSuccess()) {
                counters.txSuperPackets.increment();
                for (ByteBuf d : datagrams) {
                    d.release();
                }
                return;
            }
            if (!c.isActive()) {
                // the port closed under the send: nothing to fall back to
                for (ByteBuf d : datagrams) {
                    d.release();
                }
                return;
            }
            // the kernel refused GSO here (a link MTU below the segment size, a device without
            // checksum offload on an older kernel): one by one from now on, these datagrams too
            gso = false;
            counters.txErrors.increment();
            for (ByteBuf d : datagrams) {
                c.write(new DatagramPacket(d, remote), c.voidPromise());
            }
            c.flush();
        });
    }

    /** What the port uses of the kernel's UDP offloads, for SHOW PORT: "GSO GRO", "GSO", "GRO" or "none". */
    @Override
    public String offloads() {
        String s = (gso ? "GSO " : "") + (gro ? "GRO" : "");
        return s.isEmpty() ? "none" : s.trim();
    }

    /** Runs {@code r} on the port's thread (tests queue a burst there so that it drains as one). */
    void onPortThread(Runnable r) {
        loop.execute(r);
    }

    /** The socket's receive-buffer overflows, which the host counts and argate never sees. */
    @Override
    public HostDrops hostDrops() {
        return channel == null ? null : HostStatistics.udp(local);
    }

    @Override
    public PortCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        Channel c = channel;
        if (c != null) {
            c.close().awaitUninterruptibly();
        }
        loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
        for (ByteBuf p; (p = txQueue.poll()) != null; ) {
            p.release();
        }
    }
}
