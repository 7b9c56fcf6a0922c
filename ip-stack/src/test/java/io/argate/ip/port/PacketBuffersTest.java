package io.argate.ip.port;

import io.netty.buffer.ByteBuf;
import io.netty.util.IllegalReferenceCountException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketBuffersTest {

    /** A released packet buffer comes back, clean, for the thread's next packet: no allocation per packet. */
    @Test
    void aReleasedPacketBufferIsReusedByTheSameThread() {
        ByteBuf first = PacketBuffers.ALLOC.heapBuffer(Port.HEADROOM + 1400 + Port.HEADROOM);
        first.setIndex(Port.HEADROOM, Port.HEADROOM + 1400).setByte(Port.HEADROOM, 0x45);
        first.release();
        assertThrows(IllegalReferenceCountException.class, () -> first.getByte(0), "released means released until reused");
        ByteBuf again = PacketBuffers.ALLOC.heapBuffer(64);
        assertSame(first, again);
        assertEquals(1, again.refCnt());
        assertEquals(0, again.readerIndex());
        assertEquals(0, again.writerIndex());
        assertEquals(PacketBuffers.SLOT, again.capacity());
        assertTrue(again.hasArray(), "heap: the JDK's crypto works on it in place");
        again.release();
    }

    @Test
    void biggerOrGrownBuffersAreLeftToTheCollector() {
        ByteBuf jumbo = PacketBuffers.ALLOC.heapBuffer(9000 + 2 * Port.HEADROOM);
        assertEquals(9000 + 2 * Port.HEADROOM, jumbo.capacity());
        jumbo.release();
        ByteBuf grown = PacketBuffers.ALLOC.heapBuffer(100);
        grown.capacity(PacketBuffers.SLOT * 2);
        grown.release();
        ByteBuf next = PacketBuffers.ALLOC.heapBuffer(100);
        assertNotSame(grown, next, "a buffer grown past its slot is not kept");
        assertNotSame(jumbo, next);
        next.release();
    }

    @Test
    void aBufferReleasedOnAnotherThreadGoesToThatThreadsCache() throws Exception {
        ByteBuf mine = PacketBuffers.ALLOC.heapBuffer(100);
        ByteBuf[] theirs = new ByteBuf[1];
        Thread t = new Thread(() -> {
            mine.release();
            theirs[0] = PacketBuffers.ALLOC.heapBuffer(100);
        });
        t.start();
        t.join();
        assertSame(mine, theirs[0], "reused where it was released, without any lock");
        theirs[0].release();
    }
}
