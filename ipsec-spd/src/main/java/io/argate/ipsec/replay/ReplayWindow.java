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
        if (seq > top) {
            long fromWord = top >>> 6;
            long toWord = seq >>> 6;
            long clear = Math.min(toWord - fromWord, ring.length);
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
        if (seq > top) {
            return Verdict.OK;
        }
        if (top - seq >= size) {
            return Verdict.TOO_OLD;
        }
        long bit = ring[(int) ((seq >>> 6) & ringMask)] & (1L << (seq & 63));
        return bit != 0 ? Verdict.DUPLICATE : Verdict.OK;
    }
}
