package io.argate.ip.port;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One io_uring instance (linux/io_uring.h) through JNA, only as much of it as a port's I/O needs:
 * a submission queue of 64-byte entries and a completion queue of 16-byte ones, both shared with
 * the kernel through mmap, so many reads and writes cost one {@code io_uring_enter} system call
 * instead of one each. On this machine class a system call's entry and exit alone cost about a
 * microsecond (a paravirtualised guest), as much as the rest of forwarding a small packet.
 *
 * <p>The ring is made for one thread (IORING_SETUP_SINGLE_ISSUER) and the kernel runs its
 * completion work only when that thread asks for completions (IORING_SETUP_DEFER_TASKRUN, Linux
 * 6.1), so packets that arrive while the thread is busy are read in one go at its next call, not
 * by interrupting it. Not thread-safe: the owning thread alone submits and reaps.
 *
 * <p>Shared counters follow the kernel's protocol: the submission tail and completion head are
 * stored with release semantics after the entries they publish, the submission head and
 * completion tail loaded with acquire semantics before the entries they cover.
 */
final class IoUring implements AutoCloseable {
    // system call numbers: the same on every architecture (the unified table from Linux 5.1)
    private static final long SYS_SETUP = 425;
    private static final long SYS_ENTER = 426;
    private static final long SYS_REGISTER = 427;

    private static final int SETUP_CQSIZE = 1 << 3;
    private static final int SETUP_SUBMIT_ALL = 1 << 7;
    private static final int SETUP_COOP_TASKRUN = 1 << 8;
    private static final int SETUP_SINGLE_ISSUER = 1 << 12;
    private static final int SETUP_DEFER_TASKRUN = 1 << 13;
    private static final int FEAT_SINGLE_MMAP = 1;
    private static final int FEAT_EXT_ARG = 1 << 8;
    private static final long OFF_SQ_RING = 0L;
    private static final long OFF_CQ_RING = 0x8000000L;
    private static final long OFF_SQES = 0x10000000L;
    private static final int ENTER_GETEVENTS = 1;
    private static final int ENTER_EXT_ARG = 1 << 3;

    static final int OP_WRITE = 23;
    static final int OP_READ_MULTISHOT = 49;
    /** SQE flag: the read takes a buffer from a provided-buffer group ({@link BufferRing}). */
    static final int SQE_BUFFER_SELECT = 1 << 5;
    /** CQE flag: the upper 16 bits of the flags name the provided buffer used. */
    static final int CQE_F_BUFFER = 1;
    /** CQE flag: the multishot request stays armed and will complete again. */
    static final int CQE_F_MORE = 2;
    static final int CQE_BUFFER_SHIFT = 16;
    static final int REGISTER_PBUF_RING = 22;

    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EBUSY = 16;
    static final int EINVAL = 22;
    static final int ENOSYS = 38;
    static final int ETIME = 62;
    static final int EBADFD = 77;
    static final int EOPNOTSUPP = 95;
    static final int ENOBUFS = 105;

    private static final int PROT_RW = 3;
    private static final int MAP_SHARED = 1;
    private static final int MAP_PRIVATE = 2;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_POPULATE = 0x8000;

    private static final int SQE_SIZE = 64;
    private static final int CQE_SIZE = 16;
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /** libc by JNA direct mapping; errno is read with {@link Native#getLastError()}. */
    static final class LibC {
        static {
            Native.register("c");
        }

        private LibC() {
        }

        static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

        static native Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

        static native int munmap(Pointer addr, long length);

        static native int close(int fd);
    }

    /** io_uring cannot be used here; the message says why (no kernel support, forbidden, too old). */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    /** What {@link #reap} hands each completion to. */
    @FunctionalInterface
    interface Completion {
        void complete(long userData, int result, int flags);
    }

    private final int fd;
    private final Pointer rings;
    private final long ringsSize;
    private final Pointer cqRingMap;
    private final long cqRingSize;
    private final Pointer sqesMap;
    private final long sqesSize;
    private final ByteBuffer sq;
    private final ByteBuffer cq;
    private final ByteBuffer sqes;
    private final int sqHead;
    private final int sqTail;
    private final int sqMask;
    private final int sqEntries;
    private final int cqHead;
    private final int cqTail;
    private final int cqMask;
    private final int cqes;
    private final boolean extArg;
    /** io_uring_getevents_arg (24 bytes) and the __kernel_timespec it points to. */
    private final Memory waitArg = new Memory(40);
    /** Our copy of the submission tail: entries up to it are filled, up to {@link #published} told to the kernel. */
    private int tail;
    private int published;
    private boolean closed;

    private IoUring(int fd, Memory params, int flags) throws Unavailable {
        this.fd = fd;
        int sqEntriesGot = params.getInt(0);
        int cqEntriesGot = params.getInt(4);
        int features = params.getInt(20);
        // struct io_sqring_offsets at 40, struct io_cqring_offsets at 80 (8 u32 fields, then a u64)
        int sqOffArray = params.getInt(40 + 24);
        this.sqHead = params.getInt(40);
        this.sqTail = params.getInt(44);
        int sqMaskOff = params.getInt(48);
        this.cqHead = params.getInt(80);
        this.cqTail = params.getInt(84);
        int cqMaskOff = params.getInt(88);
        this.cqes = params.getInt(80 + 20);
        this.extArg = (features & FEAT_EXT_ARG) != 0;
        long sqSize = sqOffArray + 4L * sqEntriesGot;
        long cqSize = cqes + (long) CQE_SIZE * cqEntriesGot;
        boolean single = (features & FEAT_SINGLE_MMAP) != 0;
        this.ringsSize = single ? Math.max(sqSize, cqSize) : sqSize;
        this.rings = map(fd, ringsSize, OFF_SQ_RING);
        this.cqRingSize = single ? 0 : cqSize;
        this.cqRingMap = single ? null : map(fd, cqSize, OFF_CQ_RING);
        this.sqesSize = (long) SQE_SIZE * sqEntriesGot;
        this.sqesMap = map(fd, sqesSize, OFF_SQES);
        this.sq = rings.getByteBuffer(0, ringsSize).order(ByteOrder.nativeOrder());
        this.cq = (single ? rings.getByteBuffer(0, ringsSize) : cqRingMap.getByteBuffer(0, cqSize)).order(ByteOrder.nativeOrder());
        this.sqes = sqesMap.getByteBuffer(0, sqesSize).order(ByteOrder.nativeOrder());
        this.sqMask = sq.getInt(sqMaskOff);
        this.sqEntries = sqEntriesGot;
        this.cqMask = cq.getInt(cqMaskOff);
        // the index array maps submission slots to entries; argate fills entries in ring order, so it is the identity
        for (int i = 0; i < sqEntriesGot; i++) {
            sq.putInt(sqOffArray + 4 * i, i);
        }
        this.tail = (int) INT.getAcquire(sq, sqTail);
        this.published = tail;
    }

    /**
     * A ring with room for {@code entries} submissions and {@code completions} completions
     * (both powers of two). Unavailable when the kernel lacks io_uring or a feature used here
     * (Linux 6.1), or forbids it (kernel.io_uring_disabled, a seccomp filter).
     */
    static IoUring open(int entries, int completions) throws Unavailable {
        Memory params = new Memory(120);
        params.clear();
        int flags = SETUP_CQSIZE | SETUP_SUBMIT_ALL | SETUP_COOP_TASKRUN | SETUP_SINGLE_ISSUER | SETUP_DEFER_TASKRUN;
        params.setInt(4, completions);
        params.setInt(8, flags);
        long fd;
        try {
            fd = LibC.syscall(SYS_SETUP, entries, Pointer.nativeValue(params), 0, 0, 0, 0);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new Unavailable("no native access: " + e.getMessage());
        }
        if (fd < 0) {
            int e = Native.getLastError();
            throw new Unavailable(switch (e) {
                case ENOSYS -> "the kernel has no io_uring";
                case 1, 13 -> "io_uring is not permitted here (kernel.io_uring_disabled or a seccomp filter)";
                case EINVAL -> "the kernel's io_uring is older than Linux 6.1";
                default -> "io_uring_setup failed: errno " + e;
            });
        }
        try {
            return new IoUring((int) fd, params, flags);
        } catch (Unavailable | RuntimeException e) {
            LibC.close((int) fd);
            throw e;
        }
    }

    private static Pointer map(int fd, long size, long offset) throws Unavailable {
        return map(size, MAP_SHARED | MAP_POPULATE, fd, offset, "the io_uring");
    }

    /** Page-aligned anonymous memory of {@code size} bytes (a provided-buffer ring's descriptors). */
    static Pointer mapAnonymous(long size, String what) throws Unavailable {
        return map(size, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0, what);
    }

    private static Pointer map(long size, int flags, int fd, long offset, String what) throws Unavailable {
        Pointer p = LibC.mmap(null, size, PROT_RW, flags, fd, offset);
        if (p == null || Pointer.nativeValue(p) == -1L) {
            throw new Unavailable("mmap of " + what + " failed: errno " + Native.getLastError());
        }
        return p;
    }

    /** Submission entries free for {@link #prepare}. */
    int free() {
        return sqEntries - (tail - (int) INT.getAcquire(sq, sqHead));
    }

    /** Entries prepared and not yet handed to the kernel. */
    int unsubmitted() {
        return tail - published;
    }

    /**
     * Fills the next submission entry; false (nothing filled) when the queue is full. The kernel
     * sees it at the next {@link #enter}. {@code bufGroup} names the provided-buffer group when
     * {@code flags} has {@link #SQE_BUFFER_SELECT}.
     */
    boolean prepare(int opcode, int flags, int fd, long addr, int len, long userData, int bufGroup) {
        if (free() <= 0) {
            return false;
        }
        int at = (tail & sqMask) * SQE_SIZE;
        for (int i = 0; i < SQE_SIZE; i += 8) {
            sqes.putLong(at + i, 0L);
        }
        sqes.put(at, (byte) opcode);
        sqes.put(at + 1, (byte) flags);
        sqes.putInt(at + 4, fd);
        sqes.putLong(at + 16, addr);
        sqes.putInt(at + 24, len);
        sqes.putLong(at + 32, userData);
        sqes.putShort(at + 40, (short) bufGroup);
        tail++;
        return true;
    }

    /**
     * Hands the kernel what was prepared and, when {@code wait} is positive, waits until at
     * least that many completions are in the queue or {@code timeoutNanos} has passed (only with
     * EXT_ARG, Linux 5.11: otherwise the wait is unbounded). Returns the entries submitted, or
     * -errno: -ETIME on a timeout, -EINTR on a signal, which the caller treats as no completion.
     */
    int enter(int wait, long timeoutNanos) {
        int submit = tail - published;
        if (submit == 0 && wait <= 0) {
            return 0;
        }
        if (submit > 0) {
            INT.setRelease(sq, sqTail, tail);
            published = tail;
        }
        int flags = wait > 0 ? ENTER_GETEVENTS : 0;
        long arg = 0;
        long argSize = 0;
        if (wait > 0 && timeoutNanos >= 0 && extArg) {
            waitArg.clear();
            waitArg.setLong(24, timeoutNanos / 1_000_000_000L);
            waitArg.setLong(32, timeoutNanos % 1_000_000_000L);
            waitArg.setLong(16, Pointer.nativeValue(waitArg) + 24);
            flags |= ENTER_EXT_ARG;
            arg = Pointer.nativeValue(waitArg);
            argSize = 24;
        }
        long r = LibC.syscall(SYS_ENTER, fd, submit, Math.max(wait, 0), flags, arg, argSize);
        return r < 0 ? -Native.getLastError() : (int) r;
    }

    /**
     * Hands every waiting completion to {@code c}, in the order the kernel posted them, and
     * frees their slots once at the end (c only records what it is given); how many.
     */
    int reap(Completion c) {
        int head = cq.getInt(cqHead);
        int n = 0;
        for (int end = (int) INT.getAcquire(cq, cqTail); head != end; end = (int) INT.getAcquire(cq, cqTail)) {
            for (; head != end; head++, n++) {
                int at = cqes + (head & cqMask) * CQE_SIZE;
                c.complete(cq.getLong(at), cq.getInt(at + 8), cq.getInt(at + 12));
            }
            INT.setRelease(cq, cqHead, head);
        }
        return n;
    }

    /** io_uring_register; 0 or -errno. */
    int register(int opcode, Pointer arg, int count) {
        long r = LibC.syscall(SYS_REGISTER, fd, opcode, Pointer.nativeValue(arg), count, 0, 0);
        return r < 0 ? -Native.getLastError() : 0;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LibC.munmap(sqesMap, sqesSize);
        if (cqRingMap != null) {
            LibC.munmap(cqRingMap, cqRingSize);
        }
        LibC.munmap(rings, ringsSize);
        LibC.close(fd);
    }
}
