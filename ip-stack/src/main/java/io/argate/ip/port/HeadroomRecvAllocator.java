package io.argate.ip.port;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;

/**
 * Receive buffers for a NIO datagram channel that leave {@link Port#HEADROOM} free bytes before
 * the datagram and as many after it: heap arrays (the JDK's crypto works on them without
 * copying), sized for {@code datagram} bytes, with the reader and writer index at the headroom so
 * the channel reads the datagram straight behind it. A tunnel then writes its headers around the
 * packet in place instead of copying it into a bigger buffer.
 */
final class HeadroomRecvAllocator extends DefaultMaxMessagesRecvByteBufAllocator {
    private final int datagram;

    HeadroomRecvAllocator(int datagram) {
        this.datagram = datagram;
    }

    @Override
    public RecvByteBufAllocator.Handle newHandle() {
        return new MaxMessageHandle() {
            @Override
            public ByteBuf allocate(ByteBufAllocator alloc) {
                ByteBuf b = PacketBuffers.ALLOC.heapBuffer(Port.HEADROOM + datagram + Port.HEADROOM);
                // the channel reads into all the writable bytes: a datagram longer than the
                // port's MTU still shows as too long (and is counted), one that fits leaves at
                // least the headroom free behind it
                return b.setIndex(Port.HEADROOM, Port.HEADROOM);
            }

            @Override
            public int guess() {
                return datagram;
            }
        };
    }
}
