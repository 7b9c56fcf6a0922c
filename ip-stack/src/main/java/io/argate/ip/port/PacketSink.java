package io.argate.ip.port;

import io.argate.ip.packet.Offloads;
import io.argate.ip.packet.VirtioNetHeader;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/** Where a port delivers what it receives; the sink owns (and releases) the buffer. */
@FunctionalInterface
public interface PacketSink {
    void receive(Port port, ByteBuf packet);

    /**
     * A packet a port with offloads received half-finished ({@code header} says what is left:
     * a checksum to complete, a super-packet to segment). A sink that can carry it on as it is
     * overrides this; the default finishes it in software and receives the result. The header
     * is the port's, reused for its next packet.
     */
    default void receive(Port port, ByteBuf packet, VirtioNetHeader header) {
        List<ByteBuf> out = new ArrayList<>();
        if (!Offloads.finish(packet, header, PacketBuffers.ALLOC, Port.HEADROOM, out)) {
            port.counters().rxErrors.increment();
            return;
        }
        for (ByteBuf b : out) {
            receive(port, b);
        }
    }

    /**
     * The port's receive thread is about to deliver what one wake-up brought, and will call
     * {@link #batchEnd} after it. Once per batch, not per packet: a sink that holds back what the
     * thread sends until the batch's end marks the batch open here. Packets a port delivers
     * without announcing a batch are sent at once.
     */
    default void batchStart(Port port) {
    }

    /**
     * The port's receive thread has delivered all it read in one wake-up (the device had no
     * more, or a batch's worth). Whatever the sink held back on this thread to send together
     * (coalesced segments, a run of datagrams for one system call) goes out now.
     */
    default void batchEnd(Port port) {
    }
}
