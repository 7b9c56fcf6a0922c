package io.argate.ipsec.esp;

import io.argate.ip.packet.Ipv4;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * How far removing the IPsec headers from one received packet has got: the buffer now holding
 * it, where the next header starts and the packet ends, and that header's protocol. The outer
 * IP header stays at the front of the received buffer while ESP and AH work in place; only
 * decompression moves the packet to a new buffer, so the outer header is saved then (transport
 * mode puts it back).
 */
public class Opening {
    public final ByteBuf received;
    /** The outer IP header's offset in {@link #received}. */
    public final int at;
    public final ByteBufAllocator alloc;
    public ByteBuf cur;
    public int hdr;
    public int end;
    public int proto;
    private byte[] outerHeader;

    public Opening(ByteBuf received, int at, int hdr, int end, int proto, ByteBufAllocator alloc) {
        this.received = received;
        this.cur = received;
        this.at = at;
        this.hdr = hdr;
        this.end = end;
        this.proto = proto;
        this.alloc = alloc;
    }

    /** The outer IP header as received (copied the first time it is asked for). */
    public byte[] outerHeader() {
        if (outerHeader == null) {
            outerHeader = new byte[Ipv4.headerLength(received, at)];
            received.getBytes(at, outerHeader);
        }
        return outerHeader;
    }

    /** The packet continues in {@code next} (decompressed): the old buffer is released. */
    public void moveTo(ByteBuf next) {
        outerHeader();
        cur.release();
        cur = next;
        hdr = 0;
        end = next.writerIndex();
    }
}
