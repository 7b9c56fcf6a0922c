package io.argate.isakmp.liveness;

import io.argate.isakmp.config.Liveness;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The heartbeat's 8 bytes as documented in HeartbeatMessage, both ways, and what a receiver refuses. */
class HeartbeatMessageTest {
    @Test
    void encodesTheDocumentedLayoutAndDecodesItBack() {
        HeartbeatMessage m = new HeartbeatMessage(HeartbeatMessage.FLAG_RECEIVES, 10, 0x01020304);
        assertEquals("0101000a01020304", HexFormat.of().formatHex(m.encode()));
        assertEquals(m, HeartbeatMessage.decode(m.encode()).orElseThrow());
        assertTrue(m.senderReceives());
    }

    @Test
    void anotherVersionAWrongLengthOrAZeroIntervalIsNotAHeartbeat() {
        assertFalse(HeartbeatMessage.decode(HexFormat.of().parseHex("0201000a01020304")).isPresent());
        assertFalse(HeartbeatMessage.decode(HexFormat.of().parseHex("0101000a010203")).isPresent());
        assertFalse(HeartbeatMessage.decode(HexFormat.of().parseHex("0101000001020304")).isPresent());
        assertFalse(HeartbeatMessage.decode(null).isPresent());
    }

    @Test
    void aReplayedHeartbeatIsRefused() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        HeartbeatWatch w = new HeartbeatWatch(Liveness.HeartbeatMode.RECEIVE, t);
        assertTrue(w.received(new HeartbeatMessage(0, 10, 5), t));
        assertFalse(w.received(new HeartbeatMessage(0, 10, 5), t.plusSeconds(1)));
        assertEquals(HeartbeatWatch.Step.QUIET, w.tick(t.plusSeconds(29)));
        assertEquals(HeartbeatWatch.Step.DEAD, w.tick(t.plusSeconds(30)));
    }
}
