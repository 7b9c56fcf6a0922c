package io.argate.ip.port;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.buffer.UnpooledUnsafeHeapByteBuf;
import io.netty.util.internal.PlatformDependent;

/**
 * The allocator every packet of the data path comes from: plain arrays on the Java heap.
 *
 * <p>Heap, not direct, because the crypto is the JDK's: its AES-GCM and HMAC intrinsics work on
 * byte arrays, and given a direct buffer JDK 17's GCM copies through temporary arrays. Nothing is
 * lost at the edges: TUN ports copy between the device's native memory and the packet anyway,
 * and NIO copies a heap datagram once.
 *
 * <p>Not pooled, because a packet lives for microseconds: a fresh array is a bump of the thread's
 * allocation buffer and dies young, which the collector reclaims for nothing, while Netty's pool
 * spends more on its recycler and thread caches than the allocation costs (EspEngineBench:
 * about 170 ns more per forwarded packet). And a buffer some drop path forgets to release is
 * garbage, not a permanent hole in a pool. No leak detection and no memory metrics either: both
 * would cost per packet and tell nothing the collector does not already handle.
 */
public final class PacketBuffers extends AbstractByteBufAllocator {
    public static final ByteBufAllocator ALLOC = new PacketBuffers();

    /** Direct buffers only when a caller insists (Netty internals); packets never ask for them. */
    private final ByteBufAllocator direct = new UnpooledByteBufAllocator(true, true);

    private PacketBuffers() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return PlatformDependent.hasUnsafe()
                ? new UnpooledUnsafeHeapByteBuf(this, initialCapacity, maxCapacity)
                : new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return direct.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }
}
