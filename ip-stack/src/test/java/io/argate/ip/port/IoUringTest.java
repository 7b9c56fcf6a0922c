package io.argate.ip.port;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The io_uring binding on a socket pair (packets like a TUN device's, no root needed): a
 * multishot read hands each packet over in its own provided buffer, in order, and stops with
 * ENOBUFS when every buffer is out; writes prepared together reach the kernel in one call, in
 * order. Skipped where the kernel has no io_uring (the ports then read the old way).
 */
class IoUringTest {
    record Cqe(long userData, int res, int flags) {
    }

    SocketPair pair;
    IoUring ring;
    final List<Cqe> cqes = new ArrayList<>();

    @BeforeEach
    void open() {
        pair = new SocketPair();
        try {
            ring = IoUring.open(8, 64);
        } catch (IoUring.Unavailable e) {
            pair.close();
            assumeTrue(false, "no io_uring here: " + e.getMessage());
        }
    }

    @AfterEach
    void close() {
        if (ring != null) {
            ring.close();
            pair.close();
        }
    }

    void reap(int atLeast) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (cqes.size() < atLeast && System.nanoTime() < deadline) {
            ring.enter(1, 100_000_000L);
            ring.reap((u, r, f) -> cqes.add(new Cqe(u, r, f)));
        }
    }

    @Test
    void aMultishotReadHandsEachPacketOverInItsOwnBufferInOrder() throws Exception {
        BufferRing buffers = new BufferRing(ring, 3, 4, 256);
        assertTrue(ring.prepare(IoUring.OP_READ_MULTISHOT, IoUring.SQE_BUFFER_SELECT, pair.ring, 0, 0, 77, 3));
        ring.enter(0, -1);
        for (int i = 0; i < 3; i++) {
            pair.send(SocketPair.numbered(i, 100 + i));
        }
        reap(3);
        assertEquals(3, cqes.size(), cqes.toString());
        for (int i = 0; i < 3; i++) {
            Cqe c = cqes.get(i);
            assertEquals(77, c.userData());
            assertEquals(100 + i, c.res(), "one packet per completion, whole");
            assertTrue((c.flags() & IoUring.CQE_F_BUFFER) != 0 && (c.flags() & IoUring.CQE_F_MORE) != 0, "a buffer named, the read still armed");
            byte[] got = new byte[c.res()];
            buffers.view().getBytes(buffers.offset(c.flags() >>> IoUring.CQE_BUFFER_SHIFT), got);
            assertArrayEquals(SocketPair.numbered(i, 100 + i), got);
        }
        buffers.close();
    }

    @Test
    void theReadEndsWithEnobufsWhenEveryBufferIsOutAndTheRestWait() throws Exception {
        BufferRing buffers = new BufferRing(ring, 1, 2, 256);
        ring.prepare(IoUring.OP_READ_MULTISHOT, IoUring.SQE_BUFFER_SELECT, pair.ring, 0, 0, 1, 1);
        for (int i = 0; i < 3; i++) {
            pair.send(SocketPair.numbered(i, 64));
        }
        reap(3);
        assertEquals(3, cqes.size(), cqes.toString());
        assertEquals(-IoUring.ENOBUFS, cqes.get(2).res(), "no buffer for the third packet");
        assertEquals(0, cqes.get(2).flags() & IoUring.CQE_F_MORE, "and the read is over");
        // both buffers back, the read armed again: the third packet was waiting, not lost
        buffers.give(cqes.get(0).flags() >>> IoUring.CQE_BUFFER_SHIFT);
        buffers.give(cqes.get(1).flags() >>> IoUring.CQE_BUFFER_SHIFT);
        buffers.publish();
        cqes.clear();
        ring.prepare(IoUring.OP_READ_MULTISHOT, IoUring.SQE_BUFFER_SELECT, pair.ring, 0, 0, 1, 1);
        reap(1);
        assertEquals(64, cqes.get(0).res());
        byte[] got = new byte[64];
        buffers.view().getBytes(buffers.offset(cqes.get(0).flags() >>> IoUring.CQE_BUFFER_SHIFT), got);
        assertEquals(2, SocketPair.number(got));
        buffers.close();
    }

    @Test
    void writesPreparedTogetherGoInOneCallInOrder() throws Exception {
        Memory data = new Memory(5 * 100);
        for (int i = 0; i < 5; i++) {
            data.write(i * 100L, SocketPair.numbered(i, 100), 0, 100);
            assertTrue(ring.prepare(IoUring.OP_WRITE, 0, pair.ring, Pointer.nativeValue(data) + i * 100L, 100, 10 + i, 0));
        }
        assertEquals(5, ring.unsubmitted());
        assertEquals(5, ring.enter(0, -1), "all five submitted by one io_uring_enter");
        for (int i = 0; i < 5; i++) {
            assertEquals(i, SocketPair.number(pair.receive(1000)));
        }
        reap(5);
        for (int i = 0; i < 5; i++) {
            assertEquals(new Cqe(10 + i, 100, 0), cqes.get(i));
        }
    }

    @Test
    void aFullSubmissionQueueRefusesMore() {
        for (int i = 0; i < 8; i++) {
            assertTrue(ring.prepare(IoUring.OP_WRITE, 0, pair.ring, 0, 0, i, 0));
        }
        assertEquals(0, ring.free());
        assertTrue(!ring.prepare(IoUring.OP_WRITE, 0, pair.ring, 0, 0, 9, 0), "nothing filled past the queue's end");
    }
}
