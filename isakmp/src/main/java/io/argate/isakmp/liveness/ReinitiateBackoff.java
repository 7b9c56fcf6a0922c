package io.argate.isakmp.liveness;

import io.argate.isakmp.IsakmpLimits;

import java.time.Duration;

/**
 * How long to wait before the next attempt to reach a peer that was declared dead: the first
 * after {@link IsakmpLimits#REINITIATE_FIRST}, then doubling up to
 * {@link IsakmpLimits#REINITIATE_MAX}, so a peer that stays away costs a phase 1 every few
 * minutes rather than a storm.
 */
public final class ReinitiateBackoff {
    private int attempts;

    public Duration next() {
        Duration d = IsakmpLimits.REINITIATE_FIRST.multipliedBy(1L << Math.min(attempts, 20));
        attempts++;
        return d.compareTo(IsakmpLimits.REINITIATE_MAX) > 0 ? IsakmpLimits.REINITIATE_MAX : d;
    }

    public int attempts() {
        return attempts;
    }
}
