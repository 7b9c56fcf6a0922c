package io.argate.ip.port;

import io.argate.ip.packet.Ipv4;
import io.argate.ip.packet.Offloads;
import io.argate.ip.packet.Udp;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A run of datagrams to one peer that the kernel can send as one with UDP GSO (the UDP_SEGMENT
 * socket option, Linux 4.18): all of the first one's size, the last one possibly shorter (which
 * closes the run), no more than {@link #MAX_SEGMENTS} and no more than {@link #MAX_BYTES} in
 * all, the bounds every kernel with UDP_SEGMENT accepts (UDP_MAX_SEGMENTS, and one IPv4 packet's
 * UDP payload). One per sending thread (the port's event loop), reused for every run.
 */
final class GsoRun {
    /** Datagrams per send: the kernel's UDP_MAX_SEGMENTS in its older, smaller form. */
    static final int MAX_SEGMENTS = Offloads.KERNEL_UDP_SEGMENTS;
    /** Payload bytes per send: the most an IPv4 UDP datagram carries (65535 - 20 - 8), which the kernel checks the run against. */
    static final int MAX_BYTES = Ipv4.MAX_LENGTH - Ipv4.MIN_HEADER - Udp.HEADER;

    private final ByteBuf[] run = new ByteBuf[MAX_SEGMENTS];
    private int count;
    private int size;
    private int bytes;
    private boolean closed;

    /** True when {@code p} joined the run; false leaves it to the caller (send the run, then start a new one with it). */
    boolean offer(ByteBuf p) {
        int len = p.readableBytes();
        if (count == 0) {
            size = len;
        } else if (closed || len > size || count == MAX_SEGMENTS || bytes + len > MAX_BYTES) {
            return false;
        }
        run[count++] = p;
        bytes += len;
        closed = len < size;
        return true;
    }

    int count() {
        return count;
    }

    /** The size of every datagram but the last: the run's segment size. */
    int segmentSize() {
        return size;
    }

    /** The one datagram of a run of one (taken: the run is empty after). */
    ByteBuf takeSingle() {
        ByteBuf p = run[0];
        clear();
        return p;
    }

    /**
     * The run's datagrams back to back in one direct buffer (the native transport copies a heap
     * buffer into one anyway) for one GSO send; the datagrams are handed to {@code keep} (at
     * least {@link #count()} long: the caller resends them one by one should the kernel refuse
     * the run, else releases them) and the run is empty after.
     */
    ByteBuf join(ByteBufAllocator alloc, ByteBuf[] keep) {
        ByteBuf all = alloc.directBuffer(bytes);
        for (int i = 0; i < count; i++) {
            all.writeBytes(run[i], run[i].readerIndex(), run[i].readableBytes());
            keep[i] = run[i];
        }
        clear();
        return all;
    }

    private void clear() {
        java.util.Arrays.fill(run, 0, count, null);
        count = 0;
        bytes = 0;
        closed = false;
    }
}
