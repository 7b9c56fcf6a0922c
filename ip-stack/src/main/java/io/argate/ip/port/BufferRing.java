package io.argate.ip.port;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Buffers lent to the kernel for a multishot read (an io_uring provided-buffer ring, Linux 5.19):
 * the kernel takes the next free buffer for each packet it reads and names it in the completion;
 * the owner copies the packet out and gives the buffer back. So one read request serves every
 * packet until it is cancelled, and packets come out in the order the device queued them.
 *
 * <p>The ring of buffer descriptors ({@code struct io_uring_buf}, 16 bytes) lives in page-aligned
 * memory the kernel pins; its 16-bit tail sits in the first descriptor's last two bytes and is
 * stored after the descriptors it publishes. Owned by the ring's thread, like {@link IoUring}.
 */
final class BufferRing implements AutoCloseable {
    private static final int DESCRIPTOR = 16;
    private static final int TAIL = 14;
    private static final int PAGE = 4096;

    private final int group;
    private final int count;
    private final int size;
    private final Pointer descriptors;
    private final long descriptorsSize;
    private final ByteBuffer ringView;
    private final Memory buffers;
    private final long base;
    /** All the buffers as one ByteBuf, for decoding and copying a packet out. */
    private final ByteBuf view;
    private int tail;
    private boolean closed;

    /**
     * {@code count} buffers (a power of two up to 32768) of {@code size} bytes registered as
     * group {@code group} of {@code ring}, all given to the kernel.
     */
    BufferRing(IoUring ring, int group, int count, int size) throws IoUring.Unavailable {
        this.group = group;
        this.count = count;
        this.size = size;
        this.descriptorsSize = ((long) count * DESCRIPTOR + PAGE - 1) / PAGE * PAGE;
        Pointer p = IoUring.mapAnonymous(descriptorsSize, "the read buffer ring");
        this.descriptors = p;
        this.ringView = p.getByteBuffer(0, descriptorsSize).order(ByteOrder.nativeOrder());
        this.buffers = new Memory((long) count * size);
        this.base = Pointer.nativeValue(buffers);
        this.view = Unpooled.wrappedBuffer(buffers.getByteBuffer(0, (long) count * size));
        Memory reg = new Memory(40);
        reg.clear();
        reg.setLong(0, Pointer.nativeValue(p));
        reg.setInt(8, count);
        reg.setShort(12, (short) group);
        int r = ring.register(IoUring.REGISTER_PBUF_RING, reg, 1);
        if (r < 0) {
            IoUring.LibC.munmap(p, descriptorsSize);
            throw new IoUring.Unavailable("the kernel refused a provided-buffer ring (older than Linux 5.19?): errno " + -r);
        }
        for (int bid = 0; bid < count; bid++) {
            give(bid);
        }
        publish();
    }

    int group() {
        return group;
    }

    /** The buffers as one ByteBuf: buffer {@code bid} starts at {@link #offset}. */
    ByteBuf view() {
        return view;
    }

    int offset(int bid) {
        return bid * size;
    }

    /** Puts buffer {@code bid} back behind the tail; the kernel sees it after {@link #publish}. */
    void give(int bid) {
        int at = (tail & (count - 1)) * DESCRIPTOR;
        ringView.putLong(at, base + (long) bid * size);
        ringView.putInt(at + 8, size);
        ringView.putShort(at + 12, (short) bid);
        tail++;
    }

    /** Lets the kernel use the buffers given since the last publish. */
    void publish() {
        // the descriptors are written before the tail that covers them (no release mode for a short view)
        VarHandle.releaseFence();
        ringView.putShort(TAIL, (short) tail);
    }

    /** Frees the descriptor ring; after its {@link IoUring} is closed (closing the ring unregisters the group and ends the reads). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        IoUring.LibC.munmap(descriptors, descriptorsSize);
    }
}
