package io.argate.isakmp.exchange;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** What goes into the UDP payload on 500 and 4500 (RFC 3948 sections 2.2 and 2.3). */
class FramingTest {
    @Test
    void aKeepaliveIsTheSingleByteAloneAndIkeOn4500FollowsTheNonEspMarker() {
        byte[] keepalive = {(byte) 0xff};
        assertArrayEquals(keepalive, IsakmpDaemon.frame(4500, keepalive), "RFC 3948 2.3: the byte alone, no marker");
        byte[] ike = {1, 2, 3, 4, 5, 6, 7, 8};
        assertArrayEquals(new byte[]{0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8}, IsakmpDaemon.frame(4500, ike));
        assertArrayEquals(ike, IsakmpDaemon.frame(500, ike), "no marker on 500");
    }
}
