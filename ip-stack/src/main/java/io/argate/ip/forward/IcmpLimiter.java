package io.argate.ip.forward;

import java.time.Clock;

/**
 * Token bucket for ICMP errors (RFC 1812 section 4.3.2.8: a router must be able to limit the
 * ICMP errors it sends): {@code rate} per second, bursts up to {@code burst}.
 */
final class IcmpLimiter {
    private final Clock clock;
    private final double rate;
    private final double burst;
    private double tokens;
    private long last;

    IcmpLimiter(Clock clock, double rate, double burst) {
        this.clock = clock;
        this.rate = rate;
        this.burst = burst;
        this.tokens = burst;
        this.last = clock.millis();
    }

    synchronized boolean allow() {
        long now = clock.millis();
        tokens = Math.min(burst, tokens + (now - last) * rate / 1000.0);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
