package io.argate.ip.forward;

import io.netty.buffer.ByteBuf;

/**
 * What a module puts into one of the filtering stages (IPSEC_INGRESS, FIREWALL_INGRESS,
 * FIREWALL_EGRESS). It may rewrite the packet in place (NAT) but not replace its buffer.
 */
@FunctionalInterface
public interface StageFilter {
    /** What the stage decided. */
    enum Verdict {
        /** Carry on along the path. */
        PASS,
        /** Drop it: the filter has counted why; the path releases the buffer and counts FILTERED. */
        DROP
    }

    Verdict filter(PacketContext packet, ByteBuf buf);
}
