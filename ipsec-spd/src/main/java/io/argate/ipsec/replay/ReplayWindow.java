package io.argate.ipsec.replay;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The receiver's anti-replay window of RFC 4303 section 3.4.3 (and RFC 4302 section 3.4.3):
 * a sliding bitmap of the last {@code size} sequence numbers below the highest one accepted.
 *
 * <p>Two steps, because the ICV must be verified before the window moves (RFC 4303: "the
 * receive window is updated only if the integrity verification succeeds"): {@link #check}
 * is a cheap early reject before any crypto, {@link #accept} re-checks and records the number
 * after the ICV verified.
 *
 * <p>Sequence numbers are unsigned 64-bit values. With extended sequence numbers (RFC 4303
 * section 2.2.1) only the low 32 bits are on the wire; {@link #infer} recovers the high 32 bits
 * from the window's position as Appendix A2.2 prescribes, and the ICV, checked with the inferred
 * value, confirms or refutes the guess before {@link #accept} moves the window.
 *
 * <p>Two receive threads may open packets of one SA at once (one pipeline per core), so the
 * window takes no lock. As in RFC 6479 the bitmap is a ring of blocks of 32 sequence numbers,
 * with one block more than the window spans, so moving the window never clears a block still in
 * it. Each ring slot is one {@code long} holding the block's number (its low 32 bits) beside the
 * block's 32 bits, and changes only by compare-and-set of the whole slot: marking a number is
 * one CAS, and a slot still holding an older block is taken over for the new one by the same CAS
 * (which clears its bits), so no thread can set a bit in a block that another thread has just
 * recycled, and of two threads accepting the same number exactly one wins the CAS and the other
 * then sees the bit (DUPLICATE). A slot holding a newer block than the number's means the number
 * has fallen out of the window (TOO_OLD). The highest number is raised afterwards by a CAS that
 * only ever increases it; the too-old test reads it, and a number marked concurrently with a
 * jump ahead is decided by its slot's block tag, not by a stale copy of the highest number.
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

    private static final int BLOCK_BITS = 5;

    private final int size;
    /** Slot i: (block number & 0xFFFFFFFF) << 32 | the block's 32 bits, for a block = i mod length. */
    private final AtomicLongArray ring;
    private final int ringMask;
    private final AtomicLong top = new AtomicLong();

    public ReplayWindow(int size) {
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException("replay window size " + size + " outside " + MIN_SIZE + ".." + MAX_SIZE);
        }
        this.size = size;
        // the window spans at most size/32 + 1 blocks; one more so the block being entered is
        // never one still inside the window (RFC 6479 section 2)
        int blocks = Integer.highestOneBit((size >>> BLOCK_BITS) + 1) << 1;
        this.ring = new AtomicLongArray(blocks);
        this.ringMask = blocks - 1;
    }

    public int size() {
        return size;
    }

    /** Highest sequence number accepted so far (0 before the first). */
    public long highest() {
        return top.get();
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
    public long infer(long low) {
        long t = top.get();
        long seql = low & 0xFFFF_FFFFL;
        long tl = t & 0xFFFF_FFFFL;
        long th = t >>> 32;
        long bottom = (tl - size + 1) & 0xFFFF_FFFFL;
        long seqh;
        if (tl >= size - 1) {
            seqh = seql >= bottom ? th : th + 1;
        } else {
            seqh = seql >= bottom && th > 0 ? th - 1 : th;
        }
        return (seqh << 32) | seql;
    }

    /** Whether {@code seq} could be accepted; does not change the window (the cheap test before any crypto). */
    public Verdict check(long seq) {
        if (seq == 0) {
            return Verdict.ZERO;
        }
        long t = top.get();
        if (Long.compareUnsigned(seq, t) <= 0 && Long.compareUnsigned(t - seq, size) >= 0) {
            return Verdict.TOO_OLD;
        }
        long slot = ring.get(index(seq));
        int behind = behind(seq, t, slot);
        if (behind < 0) {
            return Verdict.TOO_OLD;
        }
        return behind == 0 && ((int) slot & bit(seq)) != 0 ? Verdict.DUPLICATE : Verdict.OK;
    }

    /**
     * Records {@code seq} after its ICV verified; returns OK when this call recorded it, else why
     * not (a concurrent receiver may have recorded the same number first: DUPLICATE).
     */
    public Verdict accept(long seq) {
        if (seq == 0) {
            return Verdict.ZERO;
        }
        int i = index(seq);
        long tag = tag(seq) & 0xFFFF_FFFFL;
        int bit = bit(seq);
        while (true) {
            long t = top.get();
            if (far(seq, t)) {
                Verdict v = leap(seq);
                if (v != null) {
                    return v;
                }
                continue;
            }
            if (Long.compareUnsigned(seq, t) <= 0 && Long.compareUnsigned(t - seq, size) >= 0) {
                return Verdict.TOO_OLD;
            }
            long slot = ring.get(i);
            int behind = behind(seq, t, slot);
            long next;
            if (behind < 0) {
                // the slot already serves a newer block: this number has left the window
                return Verdict.TOO_OLD;
            } else if (behind == 0) {
                if (((int) slot & bit) != 0) {
                    return Verdict.DUPLICATE;
                }
                next = slot | (bit & 0xFFFF_FFFFL);
            } else {
                // the slot still holds a block that the window has passed: take it over, cleared
                next = (tag << 32) | (bit & 0xFFFF_FFFFL);
            }
            if (ring.compareAndSet(i, slot, next)) {
                break;
            }
        }
        for (long t = top.get(); Long.compareUnsigned(seq, t) > 0; t = top.get()) {
            if (top.compareAndSet(t, seq)) {
                break;
            }
        }
        return Verdict.OK;
    }

    /**
     * How many blocks the slot's block lies behind {@code seq}'s: 0 the same block, above 0 an
     * older one (the slot may be taken over), below 0 a newer one (seq has left the window).
     * The slot keeps only 32 bits of its block number, which tell the order while the two are
     * within 2^31 blocks of each other; {@link #leap} keeps every slot that close to the top.
     */
    private static int behind(long seq, long top, long slot) {
        if (far(seq, top)) {
            // ahead by more than any slot's tag can tell: only leap() may take this number
            return 1;
        }
        return tag(seq) - (int) (slot >>> 32);
    }

    /** {@code seq} lies more than 2^35 numbers ahead of {@code top}: beyond what 32-bit block tags can order. */
    private static boolean far(long seq, long top) {
        return Long.compareUnsigned(seq, top) > 0 && Long.compareUnsigned(seq - top, 1L << 35) >= 0;
    }

    /**
     * A number more than 2^35 ahead of the window (with ESN only an SA's first packet far from
     * 1, as in test vectors: inference never puts a packet more than 2^32 ahead). Taken under
     * this window's lock, so two copies of it cannot both pass: the top moves first (a copy that
     * comes second then meets an ordinary window), then every slot is re-tagged one ring turn
     * behind the blocks of the new window, cleared, so their 32-bit tags order correctly again.
     */
    private synchronized Verdict leap(long seq) {
        long t = top.get();
        if (!far(seq, t)) {
            return null;
        }
        top.set(seq);
        long block = seq >>> BLOCK_BITS;
        for (int k = 0; k < ring.length(); k++) {
            long b = block - k;
            ring.set((int) (b & ringMask), ((b - ring.length()) & 0xFFFF_FFFFL) << 32);
        }
        ring.set(index(seq), ((block & 0xFFFF_FFFFL) << 32) | (bit(seq) & 0xFFFF_FFFFL));
        return Verdict.OK;
    }

    private int index(long seq) {
        return (int) (seq >>> BLOCK_BITS) & ringMask;
    }

    private static int tag(long seq) {
        return (int) (seq >>> BLOCK_BITS);
    }

    private static int bit(long seq) {
        return 1 << (seq & 31);
    }
}
