package io.argate.shell.testing;

import io.argate.shell.loop.ManualClock;

import java.time.Instant;

/** A clock tests move by hand, so timers and lifetimes are tested without sleeping. */
public final class StepClock extends ManualClock {
    public StepClock() {
        this(Instant.parse("2026-11-23T00:00:00Z"));
    }

    public StepClock(Instant start) {
        super(start);
    }
}
