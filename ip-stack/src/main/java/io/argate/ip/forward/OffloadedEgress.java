package io.argate.ip.forward;

import io.argate.ip.packet.Offloads;
import io.argate.ip.packet.VirtioNetHeader;
import io.argate.ip.port.Port;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * TRANSMIT for a packet a TUN port received half-finished (a TCP or UDP super-packet, a
 * partial checksum) when its egress port cannot take it that way: the path finishes it in software,
 * just before FRAGMENT, after the one route (and SPD) decision made for the whole super-packet.
 * Each segment then meets FRAGMENT like any packet (a segment too big for a smaller egress MTU
 * with DF set gets the ICMP that tells its sender, as Linux does for GSO when forwarding).
 */
final class OffloadedEgress {
    private OffloadedEgress() {
    }

    /**
     * Segments or completes {@code p} and sends each result through {@code next} (FRAGMENT and
     * TRANSMIT); counts on {@code port} what it had to do in software. Takes ownership of
     * {@code p}.
     */
    static boolean finish(ByteBuf p, VirtioNetHeader h, Port port, ByteBufAllocator alloc, IpCounters counters, Predicate<ByteBuf> next) {
        List<ByteBuf> out = new ArrayList<>();
        boolean segmenting = h.superPacket();
        if (!Offloads.finish(p, h, alloc, Port.HEADROOM, out)) {
            counters.drop(DropReason.BAD_OFFLOAD);
            return false;
        }
        (segmenting ? port.counters().txSegmented : port.counters().txChecksummed).increment();
        boolean ok = true;
        for (ByteBuf b : out) {
            ok &= next.test(b);
        }
        return ok;
    }
}
