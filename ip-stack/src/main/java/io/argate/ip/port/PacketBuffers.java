package io.argate.ip.port;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The allocator every packet of the data path comes from: pooled, on the Java heap.
 *
 * <p>Heap, not direct, because the crypto is the JDK's: its AES-GCM and HMAC intrinsics work on
 * byte arrays, and given a direct buffer JDK 17's GCM copies in chunks and runs GHASH in Java
 * ({@code EspEngineBench}, buffers=heap against buffers=direct in the same run: about 1.3 to 1.5
 * times the ESP throughput on heap). Nothing is lost at the edges: TUN ports copy between the
 * device's native memory and the packet anyway, and NIO copies a heap datagram once.
 */
public final class PacketBuffers {
    public static final ByteBufAllocator ALLOC = new PooledByteBufAllocator(false);

    private PacketBuffers() {
    }
}
