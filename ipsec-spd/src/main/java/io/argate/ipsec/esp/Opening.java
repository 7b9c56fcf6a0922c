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
    public ByteBuf received;
    /** The outer IP header's offset in {@link #received}. */
    public int at;
    public ByteBufAllocator alloc;
    public ByteBuf cur;
    public int hdr;
    public int end;
    public int proto;
    /** The outer header once saved ({@link #outerHeaderLength} bytes); kept from packet to packet. */
    private final byte[] outerHeader = new byte[Ipv4.MAX_HEADER];
    private int outerHeaderLength;

    public Opening() {
    }

    public Opening(ByteBuf received, int at, int hdr, int end, int proto, ByteBufAllocator alloc) {
        reset(received, at, hdr, end, proto, alloc);
    }

    /**
     * Starts the next received packet, so a receive thread can keep one instance and open
     * packet after packet without making an object (issue 15).
     */
    public Opening reset(ByteBuf received, int at, int hdr, int end, int proto, ByteBufAllocator alloc) {
        this.received = received;
        this.cur = received;
        this.at = at;
        this.hdr = hdr;
        this.end = end;
        this.proto = proto;
        this.alloc = alloc;
        this.outerHeaderLength = 0;
        return this;
    }

    /** Lets go of the packet's buffers once the packet is done, so a kept instance holds none. */
    public void clear() {
        this.received = null;
        this.cur = null;
    }

    /**
     * The outer IP header as received, saved the first time it is asked for (before the
     * received buffer may go); its length is {@link #outerHeaderLength()}.
     */
    public byte[] outerHeader() {
        if (outerHeaderLength == 0) {
            outerHeaderLength = Ipv4.headerLength(received, at);
            received.getBytes(at, outerHeader, 0, outerHeaderLength);
        }
        return outerHeader;
    }

    /** Bytes of {@link #outerHeader()} that are the header. */
    public int outerHeaderLength() {
        outerHeader();
        return outerHeaderLength;
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
