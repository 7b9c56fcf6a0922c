package io.argate.ip.port;

import io.netty.buffer.ByteBuf;

/** Where a port delivers what it receives; the sink owns (and releases) the buffer. */
@FunctionalInterface
public interface PacketSink {
    void receive(Port port, ByteBuf packet);
}
