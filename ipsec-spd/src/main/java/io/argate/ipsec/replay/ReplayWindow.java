package io.argate.ipsec.replay;

/**
 * The receiver's anti-replay window of RFC 4303 section 3.4.3 (and RFC 4302 section 3.4.3):
 * a sliding bitmap of the last {@code size} sequence numbers below the highest one accepted.
 *
 * <p>Two steps, because the ICV must be verified before the window moves (RFC 4303: "the
 * receive window is updated only if the integrity verification succeeds"): {@link #check}
 * is a cheap early reject before any crypto, {@link #accept} re-checks and records the number
 * after the ICV verified. The bitmap is a ring of 64-bit words, so advancing the window clears
 * whole words instead of shifting bits.
 *
 * <p>Sequence numbers are unsigned 64-bit values. With extended sequence numbers (RFC 4303
 * section 2.2.1) only the low 32 bits are on the wire; {@link #infer} recovers the high 32 bits
 * from the window's position as Appendix A2.2 prescribes, and the ICV, checked with the inferred
 * value, confirms or refutes the guess before {@link #accept} moves the window.
 *
 * <p>One SA's inbound packets are processed on one thread at a time; the methods are
 * synchronized so a second receiving port cannot corrupt the bitmap, and an uncontended lock
 * costs a few nanoseconds.
 */
public final class ReplayWindow {
    /** Window sizes the AR accepts for REPLAYWINDOWSIZE. */
    public static final int MIN_SIZE = 32;
    public static final int MAX_SIZE = 256;

    /** Why a sequence number was refused. */
    public enum Verdict {
        OK,
        /** Sequence number 0 is never sent (RFC 4303 section 3.3.3: the first packet is 1). */
        ZERO,
        /** Already received once. */
        DUPLICATE,
        /** Below the window: too old to tell, so refused. */
        TOO_OLD
    }

    private final int size;
    private final long[] ring;
    private final int ringMask;
    private long top;

    public ReplayWindow(int size) {
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException("replay window size " + size + " outside " + MIN_SIZE + ".." + MAX_SIZE);
        }
        this.size = size;
        // one spare word so the word holding (top - size) is never the word holding top
        int words = Integer.highestOneBit((size >>> 6) + 1) << 1;
        this.ring = new long[words];
        this.ringMask = words - 1;
    }

    public int size() {
        return size;
    }

    /** Highest sequence number accepted so far (0 before the first). */
    public synchronized long highest() {
        return top;
    }

    /**
     * The full 64-bit sequence number of a packet whose wire field holds {@code low} (RFC 4303
     * Appendix A2.2). With T the highest number accepted, Tl and Th its halves and W the window
     * size:
     * <ul>
     * <li>Tl >= W - 1, the window lies within one 2^32 subspace: a low value at or above the
     * window's bottom belongs to subspace Th, a lower one has wrapped into Th + 1;</li>
     * <li>Tl < W - 1, the window spans the end of subspace Th - 1 and the start of Th: a low
     * value at or above the bottom (taken modulo 2^32) is in Th - 1, any other in Th.</li>
     * </ul>
     * Before the first packet (and while Th is 0) there is no earlier subspace, so Th is used.
     */
    public synchronized long infer(long low) {
        long seql = low & 0xFFFF_FFFFL;
        long tl = top & 0xFFFF_FFFFL;
        long th = top >>> 32;
        long bottom = (tl - size + 1) & 0xFFFF_FFFFL;
        long seqh;
        if (tl >= size - 1) {
            seqh = seql >= bottom ? th : th + 1;
        } else {
            seqh = seql >= bottom && th > 0 ? th - 1 : th;
        }
        return (seqh << 32) | seql;
    }

    /** Whether {@code seq} could be accepted; does not change the window. */
    public synchronized Verdict check(long seq) {
        return verdict(seq);
    }

    /** Records {@code seq} after its ICV verified; returns the verdict (OK when recorded). */
    public synchronized Verdict accept(long seq) {
        Verdict v = verdict(seq);
        if (v != Verdict.OK) {
            return v;
        }
        if (Long.compareUnsigned(seq, top) > 0) {
            long fromWord = top >>> 6;
            long toWord = seq >>> 6;
            long clear = Long.compareUnsigned(toWord - fromWord, ring.length) < 0 ? toWord - fromWord : ring.length;
            for (long i = 1; i <= clear; i++) {
                ring[(int) ((fromWord + i) & ringMask)] = 0;
            }
            top = seq;
        }
        ring[(int) ((seq >>> 6) & ringMask)] |= 1L << (seq & 63);
        return Verdict.OK;
    }

    private Verdict verdict(long seq) {
        if (seq == 0) {
            return Verdict.ZERO;
        }
        if (Long.compareUnsigned(seq, top) > 0) {
            return Verdict.OK;
        }
        if (Long.compareUnsigned(top - seq, size) >= 0) {
            return Verdict.TOO_OLD;
        }
        long bit = ring[(int) ((seq >>> 6) & ringMask)] & (1L << (seq & 63));
        return bit != 0 ? Verdict.DUPLICATE : Verdict.OK;
    }
}
