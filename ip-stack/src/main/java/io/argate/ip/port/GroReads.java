package io.argate.ip.port;

import io.netty.buffer.ByteBuf;

/**
 * Tells which datagrams a UDP GRO socket read as one coalesced read, for SHOW PORT's count of
 * super-packets received. Netty's epoll transport reads the coalesced datagram (UDP_GRO gives
 * its segment size) and hands on each segment as a slice of the read buffer, in order; so a
 * datagram that starts inside a read slot, right after one that started at the slot's
 * beginning, is the second of a coalesced read: one count per read. Buffers without a memory
 * address (no Unsafe) count nothing.
 */
final class GroReads {
    private final long slot;
    /** The slot offset of the previous datagram, -1 when it was not a slice of a read slot. */
    private long previous = -1;

    /** @param slot bytes per read slot of the receive buffer (a multiple of the buffer's start, so offsets within it are what count) */
    GroReads(int slot) {
        this.slot = slot;
    }

    /** Sees the next received datagram; true once per coalesced read (on its second datagram). */
    boolean coalesced(ByteBuf datagram) {
        ByteBuf root = datagram.unwrap();
        if (root == null || !datagram.hasMemoryAddress() || !root.hasMemoryAddress()) {
            previous = -1;
            return false;
        }
        long inSlot = (datagram.memoryAddress() + datagram.readerIndex() - root.memoryAddress()) % slot;
        boolean second = inSlot != 0 && previous == 0;
        previous = inSlot;
        return second;
    }
}
