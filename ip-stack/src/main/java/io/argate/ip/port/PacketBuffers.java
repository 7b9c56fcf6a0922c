package io.argate.ip.port;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.buffer.UnpooledUnsafeHeapByteBuf;
import io.netty.util.internal.PlatformDependent;

/**
 * The allocator every packet of the data path comes from: arrays on the Java heap, packet-sized
 * ones recycled through a small cache on each thread.
 *
 * <p>Heap, not direct, because the crypto is the JDK's: its AES-GCM and HMAC intrinsics work on
 * byte arrays, and given a direct buffer JDK 17's GCM copies through temporary arrays. Nothing is
 * lost at the edges: TUN ports copy between the device's native memory and the packet anyway,
 * and NIO copies a heap datagram once.
 *
 * <p>A request for up to {@link #SLOT} bytes (a packet of a 1,500-byte MTU with
 * {@link Port#HEADROOM} on both sides) gets a {@link #SLOT}-byte buffer from the calling thread's
 * cache, and the buffer goes back into the cache of the thread that releases it, up to
 * {@link #CACHED} buffers per thread; beyond that, and for bigger packets, the collector takes
 * it. So a receive thread that does the whole path for its packets (one pipeline per core) and
 * whose packets leave on its own thread reuses the same few buffers and allocates nothing. No
 * locks: a cache belongs to one thread. Netty's own pool was measured slower here (its recycler
 * and arenas cost about 170 ns per forwarded packet, EspEngineBench); this cache is a ThreadLocal
 * and an array stack. A buffer some drop path forgets to release is garbage, not a permanent hole
 * in a pool. {@code -Dargate.packetCache=0} turns the cache off.
 */
public final class PacketBuffers extends AbstractByteBufAllocator {
    public static final ByteBufAllocator ALLOC = new PacketBuffers();
    /** Capacity of a cached packet buffer. */
    public static final int SLOT = 2048;
    /** Buffers each thread keeps for reuse. */
    public static final int CACHED = Integer.getInteger("argate.packetCache", 256);

    private static final ThreadLocal<Cache> CACHE = ThreadLocal.withInitial(Cache::new);

    /** Direct buffers only when a caller insists (Netty internals); packets never ask for them. */
    private final ByteBufAllocator direct = new UnpooledByteBufAllocator(true, true);

    private PacketBuffers() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        if (CACHED > 0 && initialCapacity <= SLOT && maxCapacity >= SLOT && PlatformDependent.hasUnsafe()) {
            Recycled b = CACHE.get().take();
            return b != null ? b.reuse() : new Recycled(this);
        }
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

    /** One thread's spare packet buffers: a bounded stack. */
    private static final class Cache {
        private final Recycled[] spare = new Recycled[CACHED];
        private int count;

        Recycled take() {
            if (count == 0) {
                return null;
            }
            Recycled b = spare[--count];
            spare[count] = null;
            return b;
        }

        boolean give(Recycled b) {
            if (count == spare.length) {
                return false;
            }
            spare[count++] = b;
            return true;
        }
    }

    /**
     * A {@link #SLOT}-byte heap buffer that, released for the last time, goes back to the
     * releasing thread's cache with its array instead of to the collector (unless it was grown
     * to another size meanwhile, or the cache is full).
     */
    static final class Recycled extends UnpooledUnsafeHeapByteBuf {
        Recycled(ByteBufAllocator alloc) {
            super(alloc, SLOT, Integer.MAX_VALUE);
        }

        Recycled reuse() {
            resetRefCnt();
            clear();
            markReaderIndex();
            markWriterIndex();
            return this;
        }

        @Override
        protected void deallocate() {
            if (capacity() != SLOT || !CACHE.get().give(this)) {
                super.deallocate();
            }
        }
    }
}
