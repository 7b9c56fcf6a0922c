package io.argate.shell.loop;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * A clock that moves only when told to. With it the {@link ControlLoop} runs timers only in
 * {@link ControlLoop#advance}, so lifetimes, retransmissions and timeouts are tested by stepping
 * time instead of sleeping (DESIGN.md section 5).
 */
public class ManualClock extends Clock {
    private volatile Instant now;

    public ManualClock(Instant start) {
        this.now = start;
    }

    /** Moves the clock forward; timers on a loop are run by {@link ControlLoop#advance}, not here. */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time does not go backwards: " + d);
        }
        now = now.plus(d);
    }

    public void advanceSeconds(long s) {
        advance(Duration.ofSeconds(s));
    }

    void set(Instant t) {
        if (t.isAfter(now)) {
            now = t;
        }
    }

    @Override
    public ZoneId getZone() {
        return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
