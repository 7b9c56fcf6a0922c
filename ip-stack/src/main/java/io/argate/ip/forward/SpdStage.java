package io.argate.ip.forward;

import io.netty.buffer.ByteBuf;

/**
 * The SPD stage (IPsec outbound, RFC 4301 section 5.1): judges a packet by its egress
 * interface's policies and returns its verdict to the path instead of sending anything itself.
 */
@FunctionalInterface
public interface SpdStage {
    enum Verdict {
        /** No policy applies, or PERMIT: the packet goes on to FRAGMENT on its route. */
        PASS,
        /**
         * Protected: the path sends {@link PacketContext#emit}ted packets (one or more packets,
         * possibly in {@code buf}'s own buffer) on {@link PacketContext#route()}, the route to
         * the peer; {@code buf} is no longer the path's.
         */
        PROTECTED,
        /** The stage keeps the packet (held while ISAKMP negotiates its SA). */
        TAKEN,
        /** DENY, the implicit deny, or no usable SA: counted and released by the stage. */
        DROP
    }

    Verdict outbound(PacketContext packet, ByteBuf buf);
}
