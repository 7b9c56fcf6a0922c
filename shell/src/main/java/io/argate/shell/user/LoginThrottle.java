package io.argate.shell.user;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Slows password guessing over the network without letting a guesser lock anyone out.
 *
 * <ul>
 * <li>Per source address: after {@link #FREE_FAILURES} consecutive failures, further logins from
 * that address wait {@link #FIRST_DELAY}, doubling with each failure up to {@link #MAX_DELAY}.
 * Only the guessing address waits.</li>
 * <li>Per user name: after {@link #USER_FREE_FAILURES} failures from any addresses, logins as that
 * name wait too, but never more than {@link #USER_MAX_DELAY}: guessing one name from many
 * addresses is slowed, and whoever drives it can hold the real user up for seconds, not
 * minutes.</li>
 * <li>The console and batch logins are local and never throttled (the caller does not ask).</li>
 * </ul>
 * A record with no failure for {@link #FORGET_AFTER} is forgotten, and each table keeps at most
 * {@link #MAX_RECORDS} records (oldest dropped first), so a flood of names or addresses costs
 * bounded memory. Callers serialise access (the methods are synchronized).
 */
final class LoginThrottle {
    static final int FREE_FAILURES = 3;
    static final Duration FIRST_DELAY = Duration.ofSeconds(5);
    static final Duration MAX_DELAY = Duration.ofMinutes(5);
    static final int USER_FREE_FAILURES = 10;
    static final Duration USER_MAX_DELAY = Duration.ofSeconds(30);
    static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    static final int MAX_RECORDS = 4096;

    private record Record(int failures, Instant last, Instant until) {
    }

    private final Clock clock;
    private final Table sources = new Table(FREE_FAILURES, MAX_DELAY);
    private final Table users = new Table(USER_FREE_FAILURES, USER_MAX_DELAY);

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Whole seconds {@code user} must still wait before trying from {@code address}; 0 when allowed. */
    synchronized long waitSeconds(String user, String address) {
        Instant now = clock.instant();
        return Math.max(sources.wait(address, now), users.wait(key(user), now));
    }

    /** Records a failure; returns true when it starts (or lengthens) a delay for the address. */
    synchronized boolean failed(String user, String address) {
        Instant now = clock.instant();
        users.failed(key(user), now);
        return sources.failed(address, now);
    }

    synchronized void succeeded(String user, String address) {
        users.records.remove(key(user));
        sources.records.remove(address);
    }

    private static String key(String user) {
        return user.toLowerCase(Locale.ROOT);
    }

    /** One kind of record (addresses or names), in order of last failure. */
    private static final class Table {
        private final int free;
        private final Duration max;
        /** Access order: the least recently failed record is first, and dropped first when full. */
        private final LinkedHashMap<String, Record> records = new LinkedHashMap<>(64, 0.75f, true);

        Table(int free, Duration max) {
            this.free = free;
            this.max = max;
        }

        long wait(String key, Instant now) {
            Record r = records.get(key);
            if (r == null || r.until() == null || !r.until().isAfter(now)) {
                return 0;
            }
            Duration left = Duration.between(now, r.until());
            // rounded up: "try again in 5 s" must not be a second too early
            long seconds = left.toSeconds();
            return left.equals(Duration.ofSeconds(seconds)) ? seconds : seconds + 1;
        }

        boolean failed(String key, Instant now) {
            forgetOld(now);
            Record old = records.get(key);
            int failures = old == null ? 1 : old.failures() + 1;
            Instant until = null;
            if (failures >= free) {
                long factor = 1L << Math.min(20, failures - free);
                Duration d = FIRST_DELAY.multipliedBy(factor);
                until = now.plus(d.compareTo(max) > 0 ? max : d);
            }
            records.put(key, new Record(failures, now, until));
            return until != null;
        }

        private void forgetOld(Instant now) {
            Iterator<Map.Entry<String, Record>> it = records.entrySet().iterator();
            while (it.hasNext()) {
                Record r = it.next().getValue();
                boolean stale = Duration.between(r.last(), now).compareTo(FORGET_AFTER) > 0
                        && (r.until() == null || !r.until().isAfter(now));
                if (stale || records.size() >= MAX_RECORDS) {
                    it.remove();
                } else {
                    break;
                }
            }
        }
    }
}
