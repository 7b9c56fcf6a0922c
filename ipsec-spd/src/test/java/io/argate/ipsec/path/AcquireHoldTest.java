package io.argate.ipsec.path;

import io.argate.shell.testing.StepClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AcquireHoldTest {
    final StepClock clock = new StepClock();
    final AcquireHold hold = new AcquireHold(clock);

    static ByteBuf packet(int tag) {
        return Unpooled.buffer(4).writeInt(tag);
    }

    @Test
    void firstPacketAsksThenOnlyEveryIntervalAndBeyondTheBoundPacketsAreReleased() {
        assertEquals(AcquireHold.Outcome.HELD_ACQUIRE, hold.hold("vpn", packet(1)));
        assertEquals(AcquireHold.Outcome.HELD, hold.hold("VPN", packet(2)), "policy names are case-insensitive, as in the CLI");
        assertEquals(AcquireHold.Outcome.HELD, hold.hold("vpn", packet(3)));
        assertEquals(AcquireHold.Outcome.HELD, hold.hold("vpn", packet(4)));
        ByteBuf fifth = packet(5);
        assertEquals(AcquireHold.Outcome.OVERFLOW, hold.hold("vpn", fifth));
        assertEquals(0, fifth.refCnt(), "a packet that is not held is released");
        clock.advance(AcquireHold.ACQUIRE_INTERVAL);
        assertEquals(AcquireHold.Outcome.OVERFLOW_ACQUIRE, hold.hold("vpn", packet(6)), "still no SA: ask again");
        assertEquals(4, hold.held("vpn"));
        List<Integer> tags = new ArrayList<>();
        for (ByteBuf b : hold.release("vpn")) {
            tags.add(b.getInt(0));
        }
        assertEquals(List.of(1, 2, 3, 4), tags, "released in arrival order");
        assertEquals(0, hold.total());
        assertEquals(AcquireHold.Outcome.HELD_ACQUIRE, hold.hold("vpn", packet(7)), "a new wait asks at once");
    }

    @Test
    void packetsOlderThanTheHoldTimeExpire() {
        ByteBuf old = packet(1);
        hold.hold("a", old);
        clock.advance(Duration.ofSeconds(20));
        hold.hold("a", packet(2));
        hold.hold("b", packet(3));
        assertEquals(0, hold.expire());
        clock.advance(Duration.ofSeconds(11));
        assertEquals(1, hold.expire(), "only the packet held for more than 30 s");
        assertEquals(0, old.refCnt());
        assertEquals(1, hold.held("a"));
        assertEquals(2, hold.total());
        clock.advance(AcquireHold.HOLD_TIME);
        assertEquals(2, hold.expire());
        assertEquals(0, hold.total());
        assertEquals(List.of(), hold.policies(), "idle queues are forgotten");
    }

    @Test
    void theTotalBoundHoldsAcrossPolicies() {
        int policies = AcquireHold.TOTAL / AcquireHold.PER_POLICY;
        for (int p = 0; p < policies; p++) {
            for (int i = 0; i < AcquireHold.PER_POLICY; i++) {
                hold.hold("p" + p, packet(i));
            }
        }
        assertEquals(AcquireHold.TOTAL, hold.total());
        assertEquals(AcquireHold.Outcome.OVERFLOW_ACQUIRE, hold.hold("another", packet(0)), "asked, but not held: memory is bounded");
        hold.release("p0");
        assertEquals(AcquireHold.Outcome.HELD, hold.hold("another", packet(0)));
    }
}
