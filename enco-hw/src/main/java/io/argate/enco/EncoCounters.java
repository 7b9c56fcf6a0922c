package io.argate.enco;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** SHOW ENCO COUNTERS: per driver, operations, failures and fallbacks to software. */
public final class EncoCounters {
    /** One driver's counters. */
    public static final class Driver {
        public final LongAdder channelsOpened = new LongAdder();
        public final LongAdder failures = new LongAdder();
        public final LongAdder fallbacks = new LongAdder();
        public final LongAdder exhausted = new LongAdder();
    }

    private final Map<String, Driver> byDriver = new ConcurrentHashMap<>();

    public Driver of(String driver) {
        return byDriver.computeIfAbsent(driver, d -> new Driver());
    }

    public Map<String, Driver> all() {
        return byDriver;
    }

    public void reset() {
        byDriver.clear();
    }
}
