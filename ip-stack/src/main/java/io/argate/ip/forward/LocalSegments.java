package io.argate.ip.forward;

import io.argate.ip.packet.Offloads;
import io.argate.ip.port.Port;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * LOCAL for a UDP super-packet addressed to the router itself (a host's UDP_SEGMENT sender, or
 * the kernel's GRO, coalesced IKE on 500/4500, ESP in UDP on 4500 or 2746): the router's
 * handlers read one datagram at a time, so it is cut into its datagrams here and each meets
 * LOCAL on its own, as if it had arrived alone (IPsec inbound then sees every ESP packet),
 * without a UDP checksum ({@link Offloads#segmentForRouter}: none of the router's handlers
 * reads one).
 */
final class LocalSegments {
    private LocalSegments() {
    }

    /**
     * Cuts {@code p} as {@code c.offload()} describes and hands each datagram to {@code local}
     * with the context reset to the packet's arrival, offload clear. Takes ownership of
     * {@code p}; a header that does not fit the packet is counted as BAD_OFFLOAD.
     */
    static void deliver(PacketContext c, ByteBuf p, ByteBufAllocator alloc, IpCounters counters, Consumer<ByteBuf> local) {
        List<ByteBuf> datagrams = new ArrayList<>();
        if (Offloads.segmentForRouter(p, c.offload(), alloc, Port.HEADROOM, datagrams) == 0) {
            counters.drop(DropReason.BAD_OFFLOAD);
            return;
        }
        counters.splitForLocal.increment();
        String in = c.inInterface();
        boolean originated = c.originated();
        for (ByteBuf d : datagrams) {
            // a handler may have decapsulated the previous datagram and moved the context on
            c.reset(in, originated);
            local.accept(d);
        }
    }
}
