package io.argate.ipsec.sad;

import io.argate.ipsec.replay.ReplayWindow;
import io.argate.ipsec.spec.IpsecProtocol;

import io.argate.enco.spi.DriverFailure;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * One direction of one protocol's SA: its SPI, sequence numbers (outbound) or replay window
 * (inbound), the transform that does its crypto or compression, and its counters.
 *
 * <p>With extended sequence numbers ({@link #esn()}, RFC 4303 section 2.2.1, RFC 4302 section
 * 2.5.1) the counter is 64 bits wide and the wire carries its low 32 bits; the receiver infers
 * the rest (Appendix A2.2). Manually keyed SAs never use ESN (the AR has no such option);
 * ISAKMP will set it when the peer agrees (RFC 4304).
 *
 * @param <T> the transform type (ESP, AH or IPComp engine bound to ENCO channels)
 */
public final class Sa<T> {
    /** Largest sequence number before the counter would wrap (RFC 4303 section 3.3.3). */
    public static final long LAST_SEQUENCE_32 = 0xFFFF_FFFFL;
    /** Largest extended sequence number, 2^64 - 1 as an unsigned long (RFC 4303 section 3.3.3). */
    public static final long LAST_SEQUENCE_64 = 0xFFFF_FFFF_FFFF_FFFFL;
    /** What {@link #nextSequence()} returns once the counter is used up; 0 is never sent. */
    public static final long EXHAUSTED = 0;

    private final int id;
    private final IpsecProtocol protocol;
    private final int spi;
    private final boolean inbound;
    private final int specNumber;
    private final T transform;
    private final ReplayWindow replay;
    private final boolean esn;
    /** Infers the high sequence bits of inbound ESN packets: the replay window, or one kept only for that. */
    private final ReplayWindow esnWindow;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final LongAdder packets = new LongAdder();
    /** Set by the bundle's constructor; the receive path finds the policy through it. */
    private SaBundle<T> bundle;
    /** Per {@link ThreadSlot}: that thread's own transform; made on a thread's first packet. */
    private volatile AtomicReferenceArray<T> contexts;
    /** The transform's channels cannot be duplicated: every thread shares {@link #transform} under this SA's lock. */
    private volatile boolean shared;

    /** Makes a thread's copy of a transform (its own channels and scratch), or null when it cannot. */
    @FunctionalInterface
    public interface Forker<T> {
        T fork(T transform) throws DriverFailure;
    }

    /** An SA with 32-bit sequence numbers (no ESN); {@code id} as for the full constructor. */
    public Sa(int id, IpsecProtocol protocol, int spi, boolean inbound, int specNumber, T transform, ReplayWindow replay) {
        this(id, protocol, spi, inbound, specNumber, transform, replay, false);
    }

    /**
     * @param id  SA id shown by SHOW IPSEC SA; both directions of one protocol share it
     * @param esn extended (64-bit) sequence numbers
     */
    public Sa(int id, IpsecProtocol protocol, int spi, boolean inbound, int specNumber, T transform, ReplayWindow replay, boolean esn) {
        this.id = id;
        this.protocol = protocol;
        this.spi = spi;
        this.inbound = inbound;
        this.specNumber = specNumber;
        this.transform = transform;
        this.replay = replay;
        this.esn = esn;
        // the high bits enter every ICV, so both ends keep them even with anti-replay off (RFC 4303 section 2.2.1)
        this.esnWindow = !esn || !inbound ? null : replay != null ? replay : new ReplayWindow(ReplayWindow.MAX_SIZE);
    }

    public int id() {
        return id;
    }

    public IpsecProtocol protocol() {
        return protocol;
    }

    public int spi() {
        return spi;
    }

    /** SPI as SHOW IPSEC SA prints it: unsigned decimal. */
    public long spiUnsigned() {
        return Integer.toUnsignedLong(spi);
    }

    public boolean inbound() {
        return inbound;
    }

    public int specNumber() {
        return specNumber;
    }

    public T transform() {
        return transform;
    }

    /**
     * The calling thread's own transform for this SA, which it may use without any lock, or
     * null when it must use {@link #transform()} under this SA's lock (the channels cannot be
     * duplicated, or more threads run than there are {@link ThreadSlot}s). Each thread gets a
     * fork, made on its first packet through the SA; the SA's own transform is only ever used
     * under the lock, so a thread whose fork failed can share it while the others keep theirs.
     */
    public T local(Forker<T> forker) {
        int slot = ThreadSlot.current();
        if (slot == ThreadSlot.NONE) {
            return null;
        }
        AtomicReferenceArray<T> c = contexts;
        if (c == null) {
            synchronized (this) {
                if (contexts == null) {
                    contexts = new AtomicReferenceArray<>(ThreadSlot.COUNT);
                }
                c = contexts;
            }
        }
        T mine = c.get(slot);
        if (mine != null) {
            return mine;
        }
        if (shared) {
            return null;
        }
        T copy;
        try {
            copy = forker.fork(transform);
        } catch (DriverFailure | RuntimeException e) {
            copy = null;
        }
        if (copy == null) {
            // the channels cannot be duplicated (or ENCO refused another): this thread, and any
            // that asks later, shares the SA's own transform under its lock
            shared = true;
            return null;
        }
        c.set(slot, copy);
        return copy;
    }

    /** Each thread's own transform made so far, for closing their channels when the SA goes. */
    public java.util.List<T> locals() {
        AtomicReferenceArray<T> c = contexts;
        java.util.List<T> out = new java.util.ArrayList<>();
        for (int i = 0; c != null && i < c.length(); i++) {
            if (c.get(i) != null) {
                out.add(c.get(i));
            }
        }
        return out;
    }

    /** The anti-replay window, or null when ANTIREPLAYENABLED is false (or outbound). */
    public ReplayWindow replay() {
        return replay;
    }

    /** Extended (64-bit) sequence numbers. */
    public boolean esn() {
        return esn;
    }

    /**
     * The next outbound sequence number (unsigned; with ESN it may exceed 2^63), or
     * {@link #EXHAUSTED} when the counter is used up: 2^32 - 1 without ESN, 2^64 - 1 with it. The
     * counter must not wrap, so the SA is refused until a new one replaces it (RFC 4303 section
     * 3.3.3, RFC 4302 section 3.3.2).
     */
    public long nextSequence() {
        long last = esn ? LAST_SEQUENCE_64 : LAST_SEQUENCE_32;
        while (true) {
            long current = sequence.get();
            if (current == last) {
                return EXHAUSTED;
            }
            if (sequence.compareAndSet(current, current + 1)) {
                return current + 1;
            }
        }
    }

    /** Last sequence number sent (unsigned). */
    public long lastSequence() {
        return sequence.get();
    }

    /**
     * The full sequence number of an inbound packet whose header carries {@code wire}: with ESN
     * the high 32 bits inferred from the window (RFC 4303 Appendix A2.2), otherwise the wire value.
     */
    public long inboundSequence(long wire) {
        return esnWindow == null ? wire & 0xFFFF_FFFFL : esnWindow.infer(wire);
    }

    /**
     * Records an inbound sequence number whose ICV verified: the replay window moves, or with
     * ESN and anti-replay off the window that only infers the high bits (RFC 4303 section 3.4.3:
     * the window moves only after the integrity check succeeded). Not OK when another receive
     * thread recorded the same number first (or the window has passed it meanwhile): the
     * packet must then be dropped, so it is delivered once.
     */
    public ReplayWindow.Verdict received(long seq) {
        if (replay != null) {
            return replay.accept(seq);
        }
        if (esnWindow != null) {
            esnWindow.accept(seq);
        }
        return ReplayWindow.Verdict.OK;
    }

    /** Sets the counter, for tests of the rollover rule. */
    void sequenceForTest(long value) {
        sequence.set(value);
    }

    /** Counts a packet of {@code length} bytes; returns the bytes carried so far. */
    public long count(int length) {
        packets.increment();
        return bytes.addAndGet(length);
    }

    public long bytes() {
        return bytes.get();
    }

    public long packets() {
        return packets.sum();
    }

    /** The bundle this SA belongs to, set once when the bundle is made. */
    public SaBundle<T> bundle() {
        return bundle;
    }

    void attach(SaBundle<T> b) {
        if (bundle != null && bundle != b) {
            throw new IllegalArgumentException(protocol.display() + " SA " + spiUnsigned() + " already belongs to bundle " + bundle.id());
        }
        bundle = b;
    }
}
