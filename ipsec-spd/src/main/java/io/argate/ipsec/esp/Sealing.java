package io.argate.ipsec.esp;

import io.netty.buffer.ByteBuf;

/**
 * One packet on its way through a bundle's outbound transforms: the buffer, where the part
 * still to protect starts and ends, its next-header value, and how to write the IP header in
 * front (AH needs it before it can compute its ICV, so it writes it; otherwise the path does at
 * the end). Each transform moves {@link #start}, {@link #end} and {@link #next} past what it added.
 * A receive thread keeps one and {@link #reset}s it for each packet, so protecting a packet
 * makes no object.
 */
public final class Sealing {
    /** Writes the IP header at {@code at} for a packet of {@code totalLength} bytes carrying {@code protocol}. */
    @FunctionalInterface
    public interface HeaderWriter {
        void write(ByteBuf buf, int at, int protocol, int totalLength);
    }

    public ByteBuf buf;
    public int headerLength;
    public HeaderWriter header;
    public int start;
    public int end;
    public int next;
    /** Where the IP header was written by AH, or -1 while it is still to be written. */
    public int ip = -1;
    public int spi;
    public long seq;
    public boolean esn;
    /** Whether IPComp compressed this packet (it sends small or incompressible ones as they are). */
    public boolean compressed;

    /** Starts the next packet: the payload {@code [start, end)} of {@code buf} with next header {@code next}. */
    public Sealing reset(ByteBuf buf, int start, int end, int next, int headerLength, HeaderWriter header) {
        this.buf = buf;
        this.start = start;
        this.end = end;
        this.next = next;
        this.headerLength = headerLength;
        this.header = header;
        this.ip = -1;
        this.spi = 0;
        this.seq = 0;
        this.esn = false;
        this.compressed = false;
        return this;
    }

    /** Lets go of the packet's buffer once the packet is done, so a kept instance holds no buffer. */
    public void clear() {
        this.buf = null;
        this.header = null;
    }

    /** The SA whose transform runs next: its SPI and this packet's sequence number under it. */
    public Sealing by(int spi, long seq, boolean esn) {
        this.spi = spi;
        this.seq = seq;
        this.esn = esn;
        return this;
    }
}
