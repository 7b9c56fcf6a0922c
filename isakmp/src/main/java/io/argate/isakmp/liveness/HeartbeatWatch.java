package io.argate.isakmp.liveness;

import io.argate.isakmp.IsakmpLimits;
import io.argate.isakmp.config.Liveness;

import java.time.Duration;
import java.time.Instant;

/**
 * HEARTBEATMODE for one ISAKMP SA, as a pure state machine the daemon ticks: SEND/BOTH sends a
 * {@link HeartbeatMessage} every {@link IsakmpLimits#HEARTBEAT_INTERVAL}; RECEIVE/BOTH starts
 * watching at the peer's first heartbeat (so a peer that never sends one is not declared dead)
 * and declares it dead after {@link IsakmpLimits#HEARTBEAT_MISSES} of the peer's own intervals
 * without one.
 */
public final class HeartbeatWatch {
    /** What the daemon does after a tick. */
    public enum Step {
        QUIET, SEND, DEAD
    }

    private final Liveness.HeartbeatMode mode;
    private Instant lastSent;
    private Instant lastReceived;
    private Duration peerInterval;
    private long lastSequence;
    private int nextSequence;
    private boolean watching;

    public HeartbeatWatch(Liveness.HeartbeatMode mode, Instant now) {
        this.mode = mode;
        this.lastSent = now;
    }

    public Step tick(Instant now) {
        if (mode.receives() && watching
                && Duration.between(lastReceived, now).compareTo(peerInterval.multipliedBy(IsakmpLimits.HEARTBEAT_MISSES)) >= 0) {
            return Step.DEAD;
        }
        if (mode.sends() && Duration.between(lastSent, now).compareTo(IsakmpLimits.HEARTBEAT_INTERVAL) >= 0) {
            return Step.SEND;
        }
        return Step.QUIET;
    }

    /** The heartbeat to send now. */
    public HeartbeatMessage next(Instant now) {
        lastSent = now;
        return new HeartbeatMessage(mode.receives() ? HeartbeatMessage.FLAG_RECEIVES : 0,
                (int) IsakmpLimits.HEARTBEAT_INTERVAL.getSeconds(), ++nextSequence);
    }

    /** A heartbeat from the peer: false when it repeats or goes back (a replay, dropped). */
    public boolean received(HeartbeatMessage m, Instant now) {
        long seq = Integer.toUnsignedLong(m.sequence());
        if (watching && seq <= lastSequence) {
            return false;
        }
        lastSequence = seq;
        lastReceived = now;
        peerInterval = Duration.ofSeconds(m.intervalSeconds());
        watching = mode.receives();
        return true;
    }

    public Duration peerInterval() {
        return peerInterval;
    }
}
