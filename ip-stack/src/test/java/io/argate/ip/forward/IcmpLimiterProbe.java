package io.argate.ip.forward;

import io.argate.shell.testing.StepClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token bucket behind ICMP errors, on a stepped clock. */
final class IcmpLimiterProbe {
    private IcmpLimiterProbe() {
    }


    static void check() {
        StepClock clock = new StepClock();
        IcmpLimiter l = new IcmpLimiter(clock, 10, 5);
        int allowed = 0;
        for (int i = 0; i < 20; i++) {
            if (l.allow()) {
                allowed++;
            }
        }
        assertEquals(5, allowed, "a burst of 5, then nothing");
        assertFalse(l.allow());
        clock.advance(java.time.Duration.ofMillis(100));
        assertTrue(l.allow(), "10 per second: one more after 100 ms");
        assertFalse(l.allow());
        clock.advanceSeconds(10);
        allowed = 0;
        for (int i = 0; i < 20; i++) {
            if (l.allow()) {
                allowed++;
            }
        }
        assertEquals(5, allowed, "the bucket never holds more than the burst");
    }
}
