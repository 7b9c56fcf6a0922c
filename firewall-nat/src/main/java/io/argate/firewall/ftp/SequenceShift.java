package io.argate.firewall.ftp;

/**
 * How far one direction's TCP sequence numbers moved because the firewall changed the length of
 * data it carried (a PORT line that got longer or shorter under NAT). Segments after the last
 * rewritten one move by {@code after}, earlier ones (retransmissions) by {@code before}; the other
 * direction's acknowledgments move back the same way, so each end sees a consistent stream (the
 * scheme RFC 3022 section 5.3 asks of an ALG that changes payload lengths). Only the most recent
 * change point is kept: a retransmission from before the one before it is not corrected.
 */
final class SequenceShift {
    private boolean moved;
    private int correctionPos;
    private int before;
    private int after;

    /** The sequence number a segment starting at {@code seq} (as its sender numbered it) goes out with. */
    synchronized int shift(int seq) {
        if (!moved) {
            return seq;
        }
        return seq - correctionPos > 0 ? seq + after : seq + before;
    }

    /** An acknowledgment of this direction's stream as the receiver sent it, back in the sender's numbering. */
    synchronized int unshift(int ack) {
        if (!moved) {
            return ack;
        }
        return ack - before - correctionPos > 0 ? ack - after : ack - before;
    }

    /**
     * The segment starting at {@code seq} had its data changed by {@code diff} bytes. A
     * retransmission of a segment already counted (not after the last change point) moves nothing.
     */
    synchronized void record(int seq, int diff) {
        if (moved && seq - correctionPos <= 0) {
            return;
        }
        before = after;
        after += diff;
        correctionPos = seq;
        moved = true;
    }

    synchronized int offset() {
        return after;
    }
}
