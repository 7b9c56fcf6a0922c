package io.argate.ipsec.sad;

import io.argate.ipsec.replay.ReplayWindow;
import io.argate.ipsec.spec.IpsecProtocol;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One direction of one protocol's SA: its SPI, sequence numbers (outbound) or replay window
 * (inbound), the transform that does its crypto or compression, and its counters.
 *
 * @param <T> the transform type (ESP, AH or IPComp engine bound to ENCO channels)
 */
public final class Sa<T> {
    /** Largest sequence number before the counter would wrap (RFC 4303 section 3.3.3). */
    public static final long LAST_SEQUENCE_32 = 0xFFFF_FFFFL;

    private final int id;
    private final IpsecProtocol protocol;
    private final int spi;
    private final boolean inbound;
    private final int specNumber;
    private final T transform;
    private final ReplayWindow replay;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final LongAdder packets = new LongAdder();
    /** Set by the bundle's constructor; the receive path finds the policy through it. */
    private SaBundle<T> bundle;

    /**
     * @param id SA id shown by SHOW IPSEC SA; both directions of one protocol share it
     */
    public Sa(int id, IpsecProtocol protocol, int spi, boolean inbound, int specNumber, T transform, ReplayWindow replay) {
        this.id = id;
        this.protocol = protocol;
        this.spi = spi;
        this.inbound = inbound;
        this.specNumber = specNumber;
        this.transform = transform;
        this.replay = replay;
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

    /** The anti-replay window, or null when ANTIREPLAYENABLED is false (or outbound). */
    public ReplayWindow replay() {
        return replay;
    }

    /**
     * The next outbound sequence number, or -1 when the 32-bit counter is used up: the SA must
     * not wrap and is refused until a new one replaces it (RFC 4303 section 3.3.3).
     */
    public long nextSequence() {
        long next = sequence.incrementAndGet();
        if (next > LAST_SEQUENCE_32) {
            sequence.set(LAST_SEQUENCE_32 + 1);
            return -1;
        }
        return next;
    }

    /** Last sequence number sent. */
    public long lastSequence() {
        return Math.min(sequence.get(), LAST_SEQUENCE_32);
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
