package io.argate.ip.forward;

import io.netty.buffer.ByteBuf;

/**
 * Takes the packets addressed to the router for one IP protocol or UDP port in the LOCAL stage
 * (ICMP, the router's UDP endpoints, ESP/AH/IPComp).
 */
@FunctionalInterface
public interface LocalHandler {
    /**
     * Takes {@code packet} (its buffer is the handler's now). Returns null when the handler
     * consumed or dropped it, or the packet to run through the path again from INPUT: IPsec's
     * decapsulated inner packet, with {@link PacketContext#decapsulated} set. The path loops;
     * it never recurses.
     */
    ByteBuf deliver(PacketContext packet, ByteBuf buf);
}
