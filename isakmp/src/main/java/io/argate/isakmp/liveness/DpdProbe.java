package io.argate.isakmp.liveness;

import io.argate.isakmp.IsakmpLimits;

import java.time.Duration;
import java.time.Instant;

/**
 * RFC 3706 dead peer detection for one ISAKMP SA, as a pure state machine the daemon ticks on
 * the control loop. The tunnel counts as alive while traffic arrives (the inbound packet count of
 * the peer's IPsec SAs moves, or an authenticated ISAKMP message comes in), so R-U-THERE is
 * asked only after {@code idle} of silence (section 5.3: "only when there is no traffic"). An
 * unanswered R-U-THERE is repeated with the next sequence number every
 * {@link IsakmpLimits#DPD_RETRY_INTERVAL}; after {@link IsakmpLimits#DPD_MAX_UNANSWERED} the peer
 * is dead. An ACK counts only when its sequence number answers one of this round's questions
 * (section 7: replay protection).
 */
public final class DpdProbe {
    /** What the daemon does after a tick. */
    public sealed interface Step permits Quiet, Ask, Dead {
    }

    /** Nothing to send. */
    public record Quiet() implements Step {
    }

    /** Send R-U-THERE with this sequence number. */
    public record Ask(int sequence) implements Step {
    }

    /** The peer answered none of {@code asked} R-U-THEREs. */
    public record Dead(int asked) implements Step {
    }

    private static final Quiet QUIET = new Quiet();

    private final Duration idle;
    private long inboundPackets = -1;
    private Instant lastHeard;
    private int nextSequence;
    /** First sequence number of the round in progress; meaningful while {@link #asking}. */
    private int roundStart;
    private boolean asking;
    /** A round was started at least once, so {@link #roundStart} means something. */
    private boolean asked;
    /** Offset from {@link #roundStart} of the last accepted ACK, -1 for none: a repeated ACK is a replay. */
    private long lastAcked = -1;
    private int unanswered;
    private Instant lastAsked;

    /**
     * @param idle          DPDIDLETIMEOUT
     * @param firstSequence random (section 5.5: the first sequence number should be random)
     */
    public DpdProbe(Duration idle, int firstSequence, Instant now) {
        this.idle = idle;
        this.nextSequence = firstSequence;
        this.lastHeard = now;
    }

    /** Something authenticated came from the peer: it is alive and any round ends. */
    public void heard(Instant now) {
        lastHeard = now;
        asking = false;
        unanswered = 0;
    }

    public Instant lastHeard() {
        return lastHeard;
    }

    public boolean asking() {
        return asking;
    }

    /**
     * One tick: {@code inboundPackets} is the current inbound packet count of the peer's IPsec
     * SAs (a counter read; a change is traffic heard since the last tick).
     */
    public Step tick(Instant now, long inboundPackets) {
        if (this.inboundPackets >= 0 && inboundPackets != this.inboundPackets) {
            heard(now);
        }
        this.inboundPackets = inboundPackets;
        if (asking) {
            if (Duration.between(lastAsked, now).compareTo(IsakmpLimits.DPD_RETRY_INTERVAL) < 0) {
                return QUIET;
            }
            if (unanswered >= IsakmpLimits.DPD_MAX_UNANSWERED) {
                return new Dead(unanswered);
            }
            return ask(now);
        }
        if (Duration.between(lastHeard, now).compareTo(idle) >= 0) {
            asking = true;
            asked = true;
            roundStart = nextSequence;
            lastAcked = -1;
            return ask(now);
        }
        return QUIET;
    }

    private Ask ask(Instant now) {
        unanswered++;
        lastAsked = now;
        return new Ask(nextSequence++);
    }

    /**
     * An R-U-THERE-ACK: true when it answers a question of the latest round not answered before
     * (the round may have ended already because the peer's own R-U-THERE or other traffic came
     * first); otherwise it is to be dropped (section 7).
     */
    public boolean acknowledged(int sequence, Instant now) {
        if (!asked) {
            return false;
        }
        // unsigned distance from the round's first question, so the 32-bit counter may wrap
        long offset = Integer.toUnsignedLong(sequence - roundStart);
        long askedSoFar = Integer.toUnsignedLong(nextSequence - roundStart);
        if (offset >= askedSoFar || offset <= lastAcked) {
            return false;
        }
        lastAcked = offset;
        heard(now);
        return true;
    }
}
