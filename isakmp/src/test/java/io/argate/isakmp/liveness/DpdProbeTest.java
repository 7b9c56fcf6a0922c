package io.argate.isakmp.liveness;

import io.argate.isakmp.IsakmpLimits;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 3706's rules as the probe keeps them: idle only, sequence numbers that wrap, ACKs that answer nothing dropped. */
class DpdProbeTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void asksOnlyAfterTheIdleTimeoutAndRepeatsWithTheNextNumberUntilDead() {
        DpdProbe p = new DpdProbe(Duration.ofSeconds(10), 0xffff_fffe, T0);
        assertInstanceOf(DpdProbe.Quiet.class, p.tick(T0.plusSeconds(9), 0));
        assertEquals(new DpdProbe.Ask(0xffff_fffe), p.tick(T0.plusSeconds(10), 0));
        assertInstanceOf(DpdProbe.Quiet.class, p.tick(T0.plusSeconds(11), 0), "waits DPD_RETRY_INTERVAL before asking again");
        Instant t = T0.plusSeconds(10);
        for (int i = 1; i < IsakmpLimits.DPD_MAX_UNANSWERED; i++) {
            t = t.plus(IsakmpLimits.DPD_RETRY_INTERVAL);
            // the 32-bit counter wraps from ffffffff to 0
            assertEquals(new DpdProbe.Ask(0xffff_fffe + i), p.tick(t, 0));
        }
        t = t.plus(IsakmpLimits.DPD_RETRY_INTERVAL);
        assertEquals(new DpdProbe.Dead(IsakmpLimits.DPD_MAX_UNANSWERED), p.tick(t, 0));
    }

    @Test
    void anAckAcrossTheWrapEndsTheRoundOnceAndAReplayOrStrangerIsRefused() {
        DpdProbe p = new DpdProbe(Duration.ofSeconds(10), 0xffff_ffff, T0);
        assertFalse(p.acknowledged(0xffff_ffff, T0), "nothing asked yet");
        p.tick(T0.plusSeconds(10), 0);
        p.tick(T0.plusSeconds(15), 0);
        assertFalse(p.acknowledged(1, T0.plusSeconds(16)), "1 was never asked");
        assertTrue(p.acknowledged(0, T0.plusSeconds(16)), "0 was asked after the wrap");
        assertFalse(p.asking());
        assertFalse(p.acknowledged(0, T0.plusSeconds(17)), "a replayed ACK");
        assertFalse(p.acknowledged(0xffff_ffff, T0.plusSeconds(17)), "an older question of the round, after a newer was answered");
    }

    @Test
    void inboundTrafficCountsAsHeard() {
        DpdProbe p = new DpdProbe(Duration.ofSeconds(10), 1, T0);
        p.tick(T0, 5);
        assertInstanceOf(DpdProbe.Quiet.class, p.tick(T0.plusSeconds(9), 6));
        assertInstanceOf(DpdProbe.Quiet.class, p.tick(T0.plusSeconds(18), 6), "heard at 9 s, so idle only from 19 s");
        assertInstanceOf(DpdProbe.Ask.class, p.tick(T0.plusSeconds(19), 6));
    }
}
