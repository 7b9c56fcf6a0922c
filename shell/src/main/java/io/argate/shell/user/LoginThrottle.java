package io.argate.shell.user;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@link #FREE_FAILURES} consecutive failures for a user name
 * or from a port, further attempts are refused for a delay that doubles with each failure up
 * to {@link #MAX_DELAY}. A success clears the user's and the port's record.
 */
final class LoginThrottle {
    static final int FREE_FAILURES = 3;
    static final Duration FIRST_DELAY = Duration.ofSeconds(5);
    static final Duration MAX_DELAY = Duration.ofMinutes(5);

    private record Record(int failures, Instant until) {
    }

    private final Clock clock;
    private final Map<String, Record> records = new ConcurrentHashMap<>();

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Seconds still to wait before {@code user} may try from {@code port}; 0 when allowed. */
    long waitSeconds(String user, String port) {
        Instant now = clock.instant();
        long wait = 0;
        for (String k : new String[]{"u:" + user.toLowerCase(Locale.ROOT), "p:" + port}) {
            Record r = records.get(k);
            if (r != null && r.until() != null && r.until().isAfter(now)) {
                wait = Math.max(wait, Duration.between(now, r.until()).toSeconds() + 1);
            }
        }
        return wait;
    }

    /** Records a failure; returns true when it starts (or extends) a lockout. */
    boolean failed(String user, String port) {
        boolean locked = false;
        for (String k : new String[]{"u:" + user.toLowerCase(Locale.ROOT), "p:" + port}) {
            Record r = records.merge(k, new Record(1, null), (old, one) -> new Record(old.failures() + 1, null));
            if (r.failures() >= FREE_FAILURES) {
                long factor = 1L << Math.min(20, r.failures() - FREE_FAILURES);
                Duration d = FIRST_DELAY.multipliedBy(factor);
                if (d.compareTo(MAX_DELAY) > 0) {
                    d = MAX_DELAY;
                }
                records.put(k, new Record(r.failures(), clock.instant().plus(d)));
                locked = true;
            }
        }
        return locked;
    }

    void succeeded(String user, String port) {
        records.remove("u:" + user.toLowerCase(Locale.ROOT));
        records.remove("p:" + port);
    }
}
