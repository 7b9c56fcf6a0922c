package io.argate.ip.port;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.argate.ip.packet.VirtioNetHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.List;

/**
 * The io_uring of one TUN receive thread: it reads the thread's queue and carries every TUN
 * write the thread makes, so a receive batch costs one system call however many packets come
 * in and go out. (A write and a read each cost a system call before; on this machine class the
 * call alone is about a microsecond, more than argate spends on a small packet.)
 *
 * <p>Reading: one multishot read (Linux 6.7) with a {@link BufferRing} stays armed on the
 * device; each packet the kernel reads arrives as a completion naming its buffer, in queue
 * order. Writing: a write copies the packet (behind its virtio-net header) into a staging arena
 * and queues a write request; the requests go to the kernel with the next wait for packets, and a
 * TUN write completes during that submission, so the arena is free again when the call returns.
 *
 * <p>The loop: submit what the last batch wrote and wait for packets (at most
 * {@link TunPort#POLL_MILLIS}, so a close is noticed) in one {@code io_uring_enter}; reap the
 * completions; deliver the packets as one batch, whose writes are queued here. Nothing is
 * shared with other threads: a port written by several receive threads gets a write request
 * from each thread's own ring.
 */
final class UringIo implements AutoCloseable {
    /** Submission entries: a batch's writes beyond this are submitted early (a batch of 64 super-packets protected is 2,816). */
    static final int ENTRIES = 1024;
    /** Completion entries: room for a batch's writes and every read buffer's packet. */
    static final int COMPLETIONS = 4096;
    /** Native memory staging one batch's writes; a batch that writes more submits early. */
    static final int ARENA = 4 << 20;
    /** Native memory for read buffers: 32 of 64 KB (a super-packet each), more when the packets can only be smaller. */
    static final int READ_MEMORY = 2 << 20;
    private static final int MIN_BUFFERS = 32;
    private static final int MAX_BUFFERS = 256;
    private static final int GROUP = 1;
    private static final long KIND = 3L << 62;
    private static final long READ = 1L << 62;
    private static final long WRITE = 2L << 62;

    /** A receive thread that owns a ring; its TUN writes go through it. */
    static final class Owner extends Thread {
        /** The thread's ring while it runs one; read by the thread alone. */
        UringIo io;

        Owner(Runnable task, String name) {
            super(task, name);
        }
    }

    private final IoUring ring;
    private final BufferRing buffers;
    private final int readFd;
    private final int readHeader;
    private final int arenaSize;
    private final Memory arena;
    private final long arenaBase;
    private final ByteBuf arenaView;
    private int arenaUsed;
    /** Writes queued or submitted whose completion has not come back. */
    private int inFlight;
    /** The ports written through this ring; a write request names its port by index here. */
    private final List<TunPort> targets = new ArrayList<>();
    /**
     * Read completions reaped and not yet delivered, each its result (high half) and flags (low
     * half). Two arrays: a batch being delivered is read from one while writes that must wait for
     * the kernel (a full arena) reap new ones into the other, for the next batch.
     */
    private long[] readsReaped = new long[2 * MAX_BUFFERS + 8];
    private long[] spare = new long[readsReaped.length];
    private int reads;
    private boolean armed;
    /** {@link #completed} as the ring's callback, made once: nothing is allocated per call. */
    private final IoUring.Completion onCompletion = this::completed;
    /** The errno io_uring_enter failed with, 0 while it works. */
    private int failure;
    /** The targets (bits by index) written since the last submission, each counting one write call there. */
    private long written;

    private UringIo(IoUring ring, BufferRing buffers, int readFd, int readHeader, int arenaSize) {
        this.ring = ring;
        this.arenaSize = arenaSize;
        this.arena = new Memory(arenaSize);
        this.arenaBase = Pointer.nativeValue(arena);
        this.arenaView = Unpooled.wrappedBuffer(arena.getByteBuffer(0, arenaSize));
        this.buffers = buffers;
        this.readFd = readFd;
        this.readHeader = readHeader;
    }

    /**
     * A ring for the calling thread reading {@code device} (its descriptor, its header size,
     * packets up to {@code largest} bytes). Unavailable when this kernel cannot.
     */
    static UringIo open(int fd, int header, int largest) throws IoUring.Unavailable {
        return open(fd, header, largest, ENTRIES, ARENA);
    }

    /** {@link #open(int, int, int)} with a smaller submission queue and arena (tests: to make writes wait mid-batch). */
    static UringIo open(int fd, int header, int largest, int entries, int arena) throws IoUring.Unavailable {
        IoUring ring = IoUring.open(entries, COMPLETIONS);
        try {
            int size = header + largest;
            int count = Integer.highestOneBit(Math.max(MIN_BUFFERS, Math.min(MAX_BUFFERS, READ_MEMORY / size)));
            return new UringIo(ring, new BufferRing(ring, GROUP, count, size), fd, header, arena);
        } catch (IoUring.Unavailable | RuntimeException e) {
            ring.close();
            throw e;
        }
    }

    /** The ring of the calling thread, or null when it has none (its writes go one system call each). */
    static UringIo current() {
        return Thread.currentThread() instanceof Owner o ? o.io : null;
    }

    /**
     * Submits the writes queued since the last call and waits up to {@code timeoutNanos} for
     * packets (re-arming the read when it ended), then reaps: write results go to their ports,
     * packets wait for {@link #deliver}. Returns the number of packets (and read errors) ready,
     * or -1 when the ring itself failed (io_uring_enter refused for a reason other than a
     * timeout, a signal or a full completion queue): the thread must stop using it.
     */
    int await(long timeoutNanos) {
        if (!armed) {
            armed = ring.prepare(IoUring.OP_READ_MULTISHOT, IoUring.SQE_BUFFER_SELECT, readFd, 0, 0, READ, buffers.group());
        }
        noteSubmitted();
        // packets reaped during the last batch are delivered without waiting for more
        int r = ring.enter(reads > 0 ? 0 : inFlight + 1, timeoutNanos);
        if (r < 0 && r != -IoUring.ETIME && r != -IoUring.EINTR && r != -IoUring.EBUSY && r != -IoUring.EAGAIN) {
            failure = -r;
            return -1;
        }
        ring.reap(onCompletion);
        if (inFlight == 0) {
            arenaUsed = 0;
        }
        return reads;
    }

    /**
     * Hands the packets reaped by {@link #await} to {@code port}'s receiver as one batch.
     * False when the device failed a read (counted by the port; the read is re-armed at the
     * next await).
     */
    boolean deliver(TunPort port, VirtioNetHeader header, PacketSink sink) {
        boolean ok = true;
        int n = reads;
        long[] batch = readsReaped;
        readsReaped = spare;
        spare = batch;
        reads = 0;
        ByteBuf view = buffers.view();
        boolean any = false;
        sink.batchStart(port);
        try {
            for (int i = 0; i < n; i++) {
                int res = (int) (batch[i] >> 32);
                int flags = (int) batch[i];
                if (res >= 0 && (flags & IoUring.CQE_F_BUFFER) != 0) {
                    int bid = flags >>> IoUring.CQE_BUFFER_SHIFT;
                    int at = buffers.offset(bid);
                    ByteBuf b = null;
                    if (res > readHeader) {
                        if (readHeader > 0) {
                            header.decode(view, at);
                        } else {
                            header.clear();
                        }
                        int len = res - readHeader;
                        b = PacketBuffers.ALLOC.buffer(Port.HEADROOM + len + Port.HEADROOM);
                        b.writerIndex(Port.HEADROOM).readerIndex(Port.HEADROOM);
                        b.writeBytes(view, at + readHeader, len);
                    }
                    buffers.give(bid);
                    if (b == null) {
                        port.counters().rxErrors.increment();
                        continue;
                    }
                    if (!any) {
                        any = true;
                        port.counters().rxWakeups.increment();
                        port.linkAnswered();
                    }
                    port.deliver(b, header, sink);
                } else if (res < 0 && res != -IoUring.ENOBUFS) {
                    // ENOBUFS: every buffer was out; the packets wait in the device's queue for the re-armed read
                    port.counters().rxErrors.increment();
                    ok = false;
                }
            }
            buffers.publish();
        } finally {
            sink.batchEnd(port);
        }
        if (!ok) {
            port.linkLost();
        }
        return ok;
    }

    /** Why the ring failed ({@link #await} returned -1), for SHOW PORT. */
    String failure() {
        return "io_uring_enter failed: errno " + failure;
    }

    /**
     * True when the only thing reaped is the kernel refusing the multishot read itself (older
     * than Linux 6.7, or a device it cannot poll): the thread must read the old way.
     */
    boolean refused() {
        int res = (int) (readsReaped[0] >> 32);
        return reads == 1 && !armed && ((int) readsReaped[0] & IoUring.CQE_F_BUFFER) == 0
                && (res == -IoUring.EINVAL || res == -IoUring.EBADFD || res == -IoUring.EOPNOTSUPP);
    }

    private void completed(long userData, int res, int flags) {
        long kind = userData & KIND;
        if (kind == READ) {
            if ((flags & IoUring.CQE_F_MORE) == 0) {
                armed = false;
            }
            if (reads < readsReaped.length) {
                readsReaped[reads++] = (long) res << 32 | (flags & 0xffffffffL);
            } else if ((flags & IoUring.CQE_F_BUFFER) != 0) {
                // cannot happen (each packet holds one of at most MAX_BUFFERS buffers); the buffer must still come back
                buffers.give(flags >>> IoUring.CQE_BUFFER_SHIFT);
                buffers.publish();
            }
        } else if (kind == WRITE) {
            inFlight--;
            int port = (int) ((userData >>> 32) & 0xffff);
            int len = (int) (userData & 0xffffffffL);
            if (port < targets.size()) {
                if (res == len) {
                    targets.get(port).linkAnswered();
                } else {
                    targets.get(port).writeFailed(len);
                }
            }
        }
    }

    /**
     * Queues {@code packet} (released here) behind {@code header} for {@code fd}, a queue of
     * {@code port} whose packets carry a {@code headerSize}-byte virtio-net header. The port
     * counts it as sent now and takes it back if the kernel refuses it. False, the packet still
     * the caller's, once the ring has failed: the caller writes it directly.
     */
    boolean write(TunPort port, int fd, int headerSize, ByteBuf packet, VirtioNetHeader header) {
        int n = packet.readableBytes();
        int total = headerSize + n;
        if (failure == 0 && (arenaUsed + total > arenaSize || ring.free() == 0)) {
            drainWrites();
        }
        if (failure != 0 || total > arenaSize || ring.free() == 0) {
            return false;
        }
        try {
            int at = arenaUsed;
            if (headerSize > 0) {
                if (header == null) {
                    arenaView.setZero(at, headerSize);
                } else {
                    header.encode(arenaView, at);
                }
            }
            arenaView.setBytes(at + headerSize, packet, packet.readerIndex(), n);
            int index = target(port);
            long userData = WRITE | ((long) index << 32) | total;
            written |= 1L << index;
            ring.prepare(IoUring.OP_WRITE, 0, fd, arenaBase + at, total, userData, 0);
            // the next write starts on an 8-byte boundary, so each copy and header write stays aligned
            arenaUsed = (at + total + 7) & ~7;
            inFlight++;
            port.counters().sent(n);
            return true;
        } finally {
            packet.release();
        }
    }

    /** Submits the queued writes now (before the thread pauses) and waits for them. */
    void submit() {
        drainWrites();
    }

    /**
     * Submits the queued writes and waits for all of them, so the arena can be reused. A TUN
     * write completes during its submission; should the ring itself fail, the writes still
     * queued are counted as refused rather than waited for.
     */
    private void drainWrites() {
        noteSubmitted();
        while (inFlight > 0) {
            int r = ring.enter(1, 200_000_000L);
            ring.reap(onCompletion);
            if (r < 0 && r != -IoUring.ETIME && r != -IoUring.EINTR && r != -IoUring.EBUSY && r != -IoUring.EAGAIN) {
                failure = -r;
                break;
            }
        }
        if (inFlight == 0) {
            arenaUsed = 0;
        }
    }

    /** Counts one write system call for the ports written since the last submission. */
    private void noteSubmitted() {
        for (int i = 0; written != 0; i++, written >>>= 1) {
            if ((written & 1) != 0) {
                targets.get(i).counters().txCalls.increment();
            }
        }
    }

    private int target(TunPort port) {
        for (int i = 0; i < targets.size(); i++) {
            if (targets.get(i) == port) {
                return i;
            }
        }
        if (targets.size() == 64) {
            throw new IllegalStateException("more than 64 TUN ports written by one receive thread");
        }
        targets.add(port);
        return targets.size() - 1;
    }

    @Override
    public void close() {
        if (inFlight > 0) {
            drainWrites();
        }
        ring.close();
        buffers.close();
    }
}
