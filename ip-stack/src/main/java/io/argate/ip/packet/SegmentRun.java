package io.argate.ip.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;


/**
 * Consecutive TCP segments (or equal-size UDP datagrams) of one flow held to leave as one
 * super-packet, the receive-offload coalescing (GRO) a NIC does for its host, done by argate for
 * a TUN device that takes super-packets (TSO4; USO4 for UDP). The kernel then hands the host
 * stack one packet instead of dozens, or cuts it again where it forwards it.
 *
 * <p>A segment joins the run only when the result is what the sender could have sent as one
 * TSO super-packet, so cutting it again (virtio-net GSO, {@link Offloads#segment}) gives back
 * the segments that went in; the rules are those of Linux's TCP and IPv4 GRO
 * (tcp_gro_receive, inet_gro_receive): same addresses and ports, the next sequence number,
 * the same acknowledgment number and window, only ACK (PSH ends the run), a payload no
 * bigger than the first's (a shorter one ends the run), TCP options byte for byte the same (so
 * the same timestamps), the same TOS, TTL and DF, no IP options, no fragments, identification one more
 * per segment (or, with DF, the same in all: RFC 6864 section 4.1's atomic datagrams), and a
 * valid checksum, which the kernel does not check again once the super-packet says NEEDS_CSUM.
 * UDP (RFC 768) the same way without sequence numbers or flags: equal payload sizes, a shorter
 * last one, non-zero valid checksums, at most {@link #MAX_UDP_SEGMENTS}. A datagram whose
 * checksum is left for the host to fill in ({@link #checksumLeft}: the router's own ESP in UDP,
 * RFC 3948 section 2.1 lets it carry a checksum) joins only datagrams left the same way, and
 * nothing is verified: the host computes every datagram's checksum when it cuts the run.
 *
 * <p>Mutable and reused by its holder; one run is one entry of a port's held queue, which also
 * holds packets that merge with nothing ({@link #single}) so order is kept.
 */
public final class SegmentRun {
    /** Most segments in one super-packet (a 64 KB run of 1,400-byte segments is 47). */
    public static final int MAX_SEGMENTS = 64;
    /** Linux's UDP GRO limit (UDP_GRO_CNT_MAX) and the most segments its UDP GSO sends. */
    public static final int MAX_UDP_SEGMENTS = Offloads.KERNEL_UDP_SEGMENTS;
    private static final int ACK = 0x10;
    private static final int KIND_SINGLE = 0;
    private static final int KIND_TCP = 1;
    private static final int KIND_UDP = 2;
    /** UDP datagrams whose checksums the host fills in (partial, NEEDS_CSUM): never mixed with checksummed ones. */
    private static final int KIND_UDP_LEFT = 3;

    /** Why a packet did not join the run its flow had open, for the tests to tell one rule from another. */
    public enum Refusal {
        NONE, NOT_CANDIDATE, CLOSED, FULL, SEQUENCE, ACK_NUMBER, WINDOW, SIZE, OPTIONS, IP_HEADER, IP_ID, CHECKSUM
    }

    private final ByteBuf[] segments = new ByteBuf[MAX_SEGMENTS];
    /** The header a single packet was handed to the port with (a forwarded super-packet's), when it had one. */
    private final VirtioNetHeader singleHeader = new VirtioNetHeader();
    private boolean hasHeader;
    private int kind;
    private int count;
    private boolean closed;
    // the flow and the first segment's fields the others must match
    private int src;
    private int dst;
    private int protocol;
    /** Source port << 16 | destination port; -1 when the packet has none (not TCP/UDP, a fragment). */
    private int ports;
    private int ihl;
    private int transportHeader;
    private int size;
    private int bytes;
    private long nextSeq;
    private int ackNumber;
    private int firstId;
    /** 0 unknown (one segment), 1 identification increments, 2 fixed (DF). */
    private int idMode;
    private int flagsOr;

    /** A packet held as it is (merges with nothing): {@code header} null for an ordinary one. */
    public void single(ByteBuf p, VirtioNetHeader header) {
        reset();
        kind = KIND_SINGLE;
        segments[0] = p;
        count = 1;
        closed = true;
        hasHeader = header != null;
        if (hasHeader) {
            singleHeader.copyFrom(header);
        }
        flowOf(p);
    }

    /**
     * Starts a run with {@code p} when it may begin one (see {@link #candidate}) and its
     * checksum verifies. False when it may not: the entry is left as it was and the caller
     * still owns {@code p}.
     */
    public boolean start(ByteBuf p, boolean udp) {
        return start(p, udp, null);
    }

    /**
     * {@link #start(ByteBuf, boolean)} for a packet handed to the port with {@code with}: a
     * datagram whose checksum the header leaves to the host ({@link #checksumLeft}) starts a run
     * of such datagrams unverified; any other header starts nothing.
     */
    public boolean start(ByteBuf p, boolean udp, VirtioNetHeader with) {
        boolean left = with != null;
        if (left && !checksumLeft(p, with)) {
            return false;
        }
        int k = left ? leftCandidate(p, udp) : candidate(p, udp);
        if (k == KIND_SINGLE || !left && !transportChecksumOk(p)) {
            return false;
        }
        reset();
        kind = k;
        if (left) {
            // a run of one goes out as it came, its checksum still for the host to fill in
            hasHeader = true;
            singleHeader.copyFrom(with);
        }
        segments[0] = p;
        count = 1;
        flowOf(p);
        int at = p.readerIndex();
        ihl = Ipv4.headerLength(p, at);
        int l4 = at + ihl;
        bytes = Ipv4.totalLength(p, at);
        firstId = Ipv4.identification(p, at);
        if (k == KIND_TCP) {
            transportHeader = Tcp.headerLength(p, l4);
            size = bytes - ihl - transportHeader;
            nextSeq = (p.getUnsignedInt(l4 + Tcp.SEQUENCE) + size) & 0xffffffffL;
            ackNumber = p.getInt(l4 + 8);
            flagsOr = p.getUnsignedByte(l4 + Tcp.FLAGS);
            closed = (flagsOr & Tcp.PSH) != 0;
        } else {
            transportHeader = Udp.HEADER;
            size = bytes - ihl - Udp.HEADER;
        }
        return true;
    }

    /**
     * The kind of run {@code p} may be in: TCP/IPv4 without IP options, not a fragment, the
     * total length the buffer's, a payload, flags ACK or ACK+PSH only (SYN, FIN, RST, URG, CWR
     * and ECE each go alone, as Linux flushes them); UDP the same when {@code udp} (the port
     * takes UDP super-packets) with a non-zero checksum.
     */
    static int candidate(ByteBuf p, boolean udp) {
        int at = p.readerIndex();
        int n = p.readableBytes();
        if (n < Ipv4.MIN_HEADER + Udp.HEADER || p.getUnsignedByte(at) != 0x45 || Ipv4.totalLength(p, at) != n
                || (Ipv4.flagsAndOffset(p, at) & (Ipv4.FLAG_MF | 0x1fff)) != 0) {
            return KIND_SINGLE;
        }
        int l4 = at + Ipv4.MIN_HEADER;
        int proto = Ipv4.protocol(p, at);
        if (proto == Ipv4.PROTO_TCP) {
            if (n < Ipv4.MIN_HEADER + Tcp.MIN_HEADER) {
                return KIND_SINGLE;
            }
            int thl = Tcp.headerLength(p, l4);
            int flags = p.getUnsignedByte(l4 + Tcp.FLAGS);
            boolean ackOnly = flags == ACK || flags == (ACK | Tcp.PSH);
            return thl >= Tcp.MIN_HEADER && Ipv4.MIN_HEADER + thl < n && ackOnly ? KIND_TCP : KIND_SINGLE;
        }
        if (proto == Ipv4.PROTO_UDP && udp) {
            return Udp.length(p, l4) == n - Ipv4.MIN_HEADER && n > Ipv4.MIN_HEADER + Udp.HEADER && p.getUnsignedShort(l4 + 6) != 0
                    ? KIND_UDP : KIND_SINGLE;
        }
        return KIND_SINGLE;
    }

    /**
     * True when {@code with} hands over {@code p} as one UDP/IPv4 datagram whose checksum the
     * host is to fill in (NEEDS_CSUM at UDP's checksum field, not a super-packet).
     */
    public static boolean checksumLeft(ByteBuf p, VirtioNetHeader with) {
        int at = p.readerIndex();
        return with.needsChecksum() && !with.superPacket() && p.readableBytes() >= Ipv4.MIN_HEADER
                && Ipv4.protocol(p, at) == Ipv4.PROTO_UDP && with.csumStart() == Ipv4.headerLength(p, at)
                && with.csumOffset() == VirtioNetHeader.UDP_CSUM_OFFSET;
    }

    /** {@link #candidate} for a datagram whose checksum is left to the host: whatever its checksum field holds. */
    private static int leftCandidate(ByteBuf p, boolean udp) {
        int at = p.readerIndex();
        int n = p.readableBytes();
        if (!udp || n <= Ipv4.MIN_HEADER + Udp.HEADER || p.getUnsignedByte(at) != 0x45 || Ipv4.totalLength(p, at) != n
                || (Ipv4.flagsAndOffset(p, at) & (Ipv4.FLAG_MF | 0x1fff)) != 0 || Ipv4.protocol(p, at) != Ipv4.PROTO_UDP) {
            return KIND_SINGLE;
        }
        return Udp.length(p, at + Ipv4.MIN_HEADER) == n - Ipv4.MIN_HEADER ? KIND_UDP_LEFT : KIND_SINGLE;
    }

    private void flowOf(ByteBuf p) {
        int at = p.readerIndex();
        if (p.readableBytes() < Ipv4.MIN_HEADER) {
            src = dst = protocol = 0;
            ports = -1;
            return;
        }
        src = Ipv4.source(p, at);
        dst = Ipv4.destination(p, at);
        protocol = Ipv4.protocol(p, at);
        ports = portsOf(p);
    }

    /** The packet's ports as one int, or -1 when it has none argate may read (not TCP/UDP, a fragment, too short). */
    public static int portsOf(ByteBuf p) {
        int at = p.readerIndex();
        if (p.readableBytes() < Ipv4.MIN_HEADER) {
            return -1;
        }
        int proto = Ipv4.protocol(p, at);
        int l4 = at + Ipv4.headerLength(p, at);
        if ((proto != Ipv4.PROTO_TCP && proto != Ipv4.PROTO_UDP) || (Ipv4.flagsAndOffset(p, at) & 0x1fff) != 0 || l4 + 4 > p.writerIndex()) {
            return -1;
        }
        return p.getInt(l4);
    }

    /**
     * True when {@code p} (addresses {@code src}, {@code dst}, protocol, ports as
     * {@link #portsOf}) may belong to this entry's flow: same addresses and protocol, and the
     * same ports, or ports unknown on either side (a fragment could be of any flow).
     */
    public boolean sameFlow(int src, int dst, int protocol, int ports) {
        return this.src == src && this.dst == dst && this.protocol == protocol && (this.ports == ports || this.ports == -1 || ports == -1);
    }

    /** Adds {@code p} to the run when the rules allow; NONE when it joined (held here), else why not (the caller still owns it). */
    public Refusal append(ByteBuf p, boolean udp) {
        return append(p, udp, null);
    }

    /**
     * {@link #append(ByteBuf, boolean)} for a packet handed to the port with {@code with} (null:
     * none): a datagram whose checksum is left to the host joins only a run of such datagrams.
     */
    public Refusal append(ByteBuf p, boolean udp, VirtioNetHeader with) {
        if (closed || kind == KIND_SINGLE) {
            return Refusal.CLOSED;
        }
        boolean left = with != null;
        if (left && !checksumLeft(p, with)) {
            return Refusal.NOT_CANDIDATE;
        }
        int k = left ? leftCandidate(p, udp) : candidate(p, udp);
        if (k != kind) {
            return Refusal.NOT_CANDIDATE;
        }
        int max = kind == KIND_TCP ? MAX_SEGMENTS : MAX_UDP_SEGMENTS;
        int at = p.readerIndex();
        int total = Ipv4.totalLength(p, at);
        int l4 = at + Ipv4.MIN_HEADER;
        int thl = kind == KIND_TCP ? Tcp.headerLength(p, l4) : Udp.HEADER;
        int payload = total - Ipv4.MIN_HEADER - thl;
        if (count >= max || bytes + payload > Ipv4.MAX_LENGTH) {
            return Refusal.FULL;
        }
        ByteBuf first = segments[0];
        int fat = first.readerIndex();
        // TOS, flags (DF and the reserved bit) and TTL as inet_gro_receive compares them
        if (Ipv4.tos(p, at) != Ipv4.tos(first, fat) || (Ipv4.flagsAndOffset(p, at) & 0xc000) != (Ipv4.flagsAndOffset(first, fat) & 0xc000)
                || Ipv4.ttl(p, at) != Ipv4.ttl(first, fat)) {
            return Refusal.IP_HEADER;
        }
        if (payload > size) {
            return Refusal.SIZE;
        }
        int mode = idModeOf(p, at, first, fat);
        if (mode == 0) {
            return Refusal.IP_ID;
        }
        if (kind == KIND_TCP) {
            if (thl != transportHeader) {
                return Refusal.OPTIONS;
            }
            if (p.getUnsignedInt(l4 + Tcp.SEQUENCE) != nextSeq) {
                return Refusal.SEQUENCE;
            }
            if (p.getInt(l4 + 8) != ackNumber) {
                return Refusal.ACK_NUMBER;
            }
            // tcp_gro_receive compares the whole word of data offset, flags and window, so a
            // window update is never hidden behind the first segment's window
            if (p.getUnsignedShort(l4 + 14) != first.getUnsignedShort(fat + ihl + 14)) {
                return Refusal.WINDOW;
            }
            if (!ByteBufUtil.equals(p, l4 + Tcp.MIN_HEADER, first, fat + ihl + Tcp.MIN_HEADER, thl - Tcp.MIN_HEADER)) {
                return Refusal.OPTIONS;
            }
        }
        if (!left && !transportChecksumOk(p)) {
            return Refusal.CHECKSUM;
        }
        idMode = mode;
        segments[count++] = p;
        bytes += payload;
        if (kind == KIND_TCP) {
            nextSeq = (nextSeq + payload) & 0xffffffffL;
            int flags = p.getUnsignedByte(l4 + Tcp.FLAGS);
            flagsOr |= flags;
            closed = (flags & Tcp.PSH) != 0;
        }
        if (payload < size) {
            closed = true;
        }
        return Refusal.NONE;
    }

    /** The identification rule for {@code p} as segment {@code count}: 1 incrementing, 2 fixed, 0 breaks the run's rule. */
    private int idModeOf(ByteBuf p, int at, ByteBuf first, int fat) {
        int id = Ipv4.identification(p, at);
        boolean increments = id == ((firstId + count) & 0xffff);
        boolean fixed = id == firstId && (Ipv4.flagsAndOffset(first, fat) & Ipv4.FLAG_DF) != 0;
        if (idMode == 1 || (idMode == 0 && increments)) {
            return increments ? 1 : 0;
        }
        return fixed ? 2 : 0;
    }

    /** Stops the run taking more segments (a packet of its flow is held after it). */
    public void close() {
        closed = true;
    }

    public boolean closed() {
        return closed;
    }

    /** Packets held in this entry. */
    public int count() {
        return count;
    }

    /** Bytes the entry will write (IP total length of the super-packet, or the single packet's bytes). */
    public int bytes() {
        return kind == KIND_SINGLE ? segments[0].readableBytes() : bytes;
    }

    /**
     * The entry as the one packet to write, and {@code header} as it must go with it: a single
     * packet unchanged (with the header it came with, or cleared); one segment of a run
     * unchanged; a run of two or more as a super-packet (total length, header checksum, PSH of
     * the last segment, the TCP or UDP length and the pseudo-header sum in the checksum field
     * for the host to complete) behind a GSO_TCPV4 or GSO_UDP_L4 header. The buffers pass to the
     * returned packet; the run is empty after.
     */
    public ByteBuf build(ByteBufAllocator alloc, VirtioNetHeader header) {
        ByteBuf first = segments[0];
        if (kind == KIND_SINGLE || count == 1) {
            if (hasHeader) {
                header.copyFrom(singleHeader);
            } else {
                header.clear();
            }
            reset();
            return first;
        }
        int at = first.readerIndex();
        int l4 = at + ihl;
        int headers = ihl + transportHeader;
        Ipv4.setTotalLength(first, at, bytes);
        if (kind == KIND_TCP) {
            // PSH as the last segment had it (tcp_gro_receive carries FIN/PSH the same way)
            first.setByte(l4 + Tcp.FLAGS, first.getUnsignedByte(l4 + Tcp.FLAGS) | (flagsOr & Tcp.PSH));
        } else {
            first.setShort(l4 + 4, bytes - ihl);
        }
        Ipv4.updateChecksum(first, at);
        int field = kind == KIND_TCP ? Tcp.CHECKSUM : 6;
        first.setShort(l4 + field, Tcp.fold(Tcp.pseudoHeaderSum(first, at, bytes - ihl)));
        CompositeByteBuf out = alloc.compositeBuffer(count);
        out.addComponent(true, first);
        for (int i = 1; i < count; i++) {
            ByteBuf s = segments[i];
            s.skipBytes(headers);
            out.addComponent(true, s);
        }
        header.set(VirtioNetHeader.F_NEEDS_CSUM, kind == KIND_TCP ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_UDP_L4, headers, size, ihl, field);
        reset();
        return out;
    }

    /** Releases what the entry holds (the port is closing, or the packets are dropped). */
    public void release() {
        for (int i = 0; i < count; i++) {
            segments[i].release();
        }
        reset();
    }

    private void reset() {
        for (int i = 0; i < count; i++) {
            segments[i] = null;
        }
        count = 0;
        closed = false;
        hasHeader = false;
        idMode = 0;
        flagsOr = 0;
    }

    /** A valid TCP or UDP checksum over the pseudo-header and the whole segment (RFC 1071: the sum is all ones). */
    static boolean transportChecksumOk(ByteBuf p) {
        int at = p.readerIndex();
        int ihl = Ipv4.headerLength(p, at);
        int len = Ipv4.totalLength(p, at) - ihl;
        return Tcp.fold(Tcp.pseudoHeaderSum(p, at, len) + Checksum.sum(p, at + ihl, len)) == 0xffff;
    }
}
