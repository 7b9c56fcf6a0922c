package io.argate.ip.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.List;

/**
 * What a NIC does with a packet the kernel handed over half-finished (its {@link VirtioNetHeader}
 * says so), done in software for a port that cannot: completing a checksum the kernel left
 * partial, TCP segmentation of a super-packet into MSS-sized segments (RFC 9293 section 3.7
 * for what each segment carries) and UDP segmentation of one into its datagrams. Also the reverse step for a port that can: preparing a packet's
 * partial checksum for the kernel to complete.
 *
 * <p>Checksums are computed from the headers as they are now, never from what the kernel left in
 * the field: a stage in between (NAT) may have rewritten addresses or ports.
 */
public final class Offloads {
    /**
     * Most datagrams argate cuts one UDP super-packet into: the kernel's own bound
     * (UDP_MAX_SEGMENTS: 64 in older kernels, 128 in newer ones), so a header claiming a tiny segment size cannot
     * make one packet into tens of thousands.
     */
    public static final int MAX_UDP_SEGMENTS = 128;
    /** Most datagrams in a UDP super-packet handed to a kernel: every kernel with USO (6.2 on) takes 64. */
    public static final int KERNEL_UDP_SEGMENTS = 64;

    private Offloads() {
    }

    /** Offset of the checksum field in the transport header the header points at, or -1 when argate does not know it. */
    private static int checksumField(ByteBuf p, int at, VirtioNetHeader h) {
        if (h.csumStart() != Ipv4.headerLength(p, at)) {
            return -1;
        }
        int proto = Ipv4.protocol(p, at);
        if (proto == Ipv4.PROTO_TCP && h.csumOffset() == Tcp.CHECKSUM) {
            return Tcp.CHECKSUM;
        }
        if (proto == Ipv4.PROTO_UDP && h.csumOffset() == 6) {
            return 6;
        }
        return -1;
    }

    /**
     * Completes the checksum the header marks NEEDS_CSUM, in place. TCP and UDP over IPv4 are
     * computed from scratch; anything else is completed the generic way the header describes
     * (sum from csumStart to the end, seeded with what the field holds). False when the header
     * points outside the packet (counted by the caller as a bad packet).
     */
    public static boolean completeChecksum(ByteBuf p, VirtioNetHeader h) {
        if (!h.needsChecksum()) {
            return true;
        }
        int at = p.readerIndex();
        int total = Ipv4.totalLength(p, at);
        int field = checksumField(p, at, h);
        if (h.csumStart() + h.csumOffset() + 2 > total) {
            return false;
        }
        if (field >= 0) {
            Tcp.transportChecksum(p, at, field);
            return true;
        }
        int start = at + h.csumStart();
        int sum = Ipv4.checksum(p, start, total - h.csumStart());
        p.setShort(start + h.csumOffset(), sum);
        return true;
    }

    /**
     * Leaves in the TCP/UDP checksum field the folded pseudo-header sum (not complemented) that a
     * device completing the checksum expects (the Linux CHECKSUM_PARTIAL convention), taken from
     * the header as it is now; for a super-packet the length is the whole payload's, as the
     * kernel's own TSO sender leaves it.
     */
    public static boolean preparePartial(ByteBuf p, VirtioNetHeader h) {
        int at = p.readerIndex();
        int field = checksumField(p, at, h);
        if (field < 0) {
            return h.csumStart() + h.csumOffset() + 2 <= Ipv4.totalLength(p, at);
        }
        int ihl = Ipv4.headerLength(p, at);
        int len = Ipv4.totalLength(p, at) - ihl;
        if (h.udpSuperPacket()) {
            // the kernel takes the UDP length back out of this sum for each datagram it cuts,
            // so the field says the length the sum was made with: the whole payload's
            p.setShort(at + ihl + 4, len);
        }
        p.setShort(at + ihl + field, Tcp.fold(Tcp.pseudoHeaderSum(p, at, len)));
        return true;
    }

    /**
     * Cuts a super-packet into the packets it stands for, each a complete packet with
     * {@code headroom} bytes free before and after it: TCP/IPv4 ({@link VirtioNetHeader#GSO_TCPV4})
     * into MSS-sized segments, UDP/IPv4 ({@link VirtioNetHeader#GSO_UDP_L4}) into its datagrams.
     * Takes ownership of {@code p}. Returns the number of packets added to {@code out}, or 0 when
     * the packet is not a super-packet argate can cut (released, nothing added): another GSO
     * type, a protocol that does not match it, a fragment, lengths that do not fit.
     */
    public static int segment(ByteBuf p, VirtioNetHeader h, ByteBufAllocator alloc, int headroom, List<ByteBuf> out) {
        return segment(p, h, alloc, headroom, out, true);
    }

    /**
     * {@link #segment(ByteBuf, VirtioNetHeader, ByteBufAllocator, int, List)} for the router's
     * own handlers: a UDP super-packet's datagrams carry no checksum (0, "none" in RFC 768).
     * The sender left it for whoever sends the datagrams on, nobody does, and no handler of the
     * router reads a UDP checksum (ESP in UDP has its ICV, RFC 3948 section 2.1), so summing
     * each datagram would only cost a pass over it (issue 15: a fifth of router B's receive
     * thread on an ESP-in-UDP tunnel).
     */
    public static int segmentForRouter(ByteBuf p, VirtioNetHeader h, ByteBufAllocator alloc, int headroom, List<ByteBuf> out) {
        return segment(p, h, alloc, headroom, out, false);
    }

    private static int segment(ByteBuf p, VirtioNetHeader h, ByteBufAllocator alloc, int headroom, List<ByteBuf> out, boolean udpChecksums) {
        try {
            int at = p.readerIndex();
            if (p.readableBytes() < Ipv4.MIN_HEADER) {
                return 0;
            }
            int ihl = Ipv4.headerLength(p, at);
            int total = Ipv4.totalLength(p, at);
            if (ihl < Ipv4.MIN_HEADER || total > p.readableBytes() || total < ihl || h.gsoSize() == 0
                    || (Ipv4.flagsAndOffset(p, at) & (Ipv4.FLAG_MF | 0x1fff)) != 0) {
                return 0;
            }
            return switch (h.gsoType()) {
                case VirtioNetHeader.GSO_TCPV4 -> segmentTcp(p, at, ihl, total, h, alloc, headroom, out);
                case VirtioNetHeader.GSO_UDP_L4 -> segmentUdp(p, at, ihl, total, h, alloc, headroom, out, udpChecksums);
                default -> 0;
            };
        } finally {
            p.release();
        }
    }

    /**
     * TCP: segments of at most {@code h.gsoSize()} payload bytes: the IP and TCP headers copied,
     * total length, identification (one more per segment) and header checksum set, the sequence
     * number advanced by the payload before it, FIN and PSH only on the last segment and CWR only
     * on the first (the way TCP would have sent them), and the TCP checksum computed from scratch.
     */
    private static int segmentTcp(ByteBuf p, int at, int ihl, int total, VirtioNetHeader h, ByteBufAllocator alloc, int headroom, List<ByteBuf> out) {
        if (Ipv4.protocol(p, at) != Ipv4.PROTO_TCP || total < ihl + Tcp.MIN_HEADER) {
            return 0;
        }
        int thl = Tcp.headerLength(p, at + ihl);
        int headers = ihl + thl;
        int mss = h.gsoSize();
        if (thl < Tcp.MIN_HEADER || headers > total || mss == 0) {
            return 0;
        }
        int payload = total - headers;
        int count = Math.max(1, (payload + mss - 1) / mss);
        int id = Ipv4.identification(p, at);
        long seq = p.getUnsignedInt(at + ihl + Tcp.SEQUENCE);
        int flags = p.getUnsignedByte(at + ihl + Tcp.FLAGS);
        for (int i = 0; i < count; i++) {
            int off = i * mss;
            int len = Math.min(mss, payload - off);
            ByteBuf s = alloc.buffer(headroom + headers + len + headroom);
            s.writerIndex(headroom).readerIndex(headroom);
            s.writeBytes(p, at, headers);
            s.writeBytes(p, at + headers + off, len);
            int ip = headroom;
            int tcp = ip + ihl;
            Ipv4.setTotalLength(s, ip, headers + len);
            s.setShort(ip + 4, (id + i) & 0xffff);
            Ipv4.updateChecksum(s, ip);
            s.setInt(tcp + Tcp.SEQUENCE, (int) (seq + off));
            int f = flags;
            if (i < count - 1) {
                f &= ~(Tcp.FIN | Tcp.PSH);
            }
            if (i > 0) {
                f &= ~Tcp.CWR;
            }
            s.setByte(tcp + Tcp.FLAGS, f);
            Tcp.checksum(s, ip);
            out.add(s);
        }
        return count;
    }

    /**
     * UDP (what a UDP_SEGMENT sender wrote as one, Linux's __udp_gso_segment does in the
     * kernel): datagrams of {@code h.gsoSize()} payload bytes, the last one possibly shorter,
     * each with the IP and UDP headers copied, total length, identification (one more per
     * datagram) and header checksum set, the UDP length its own (RFC 768) and its checksum
     * computed from scratch over the headers as they are now (NAT may have rewritten them); a
     * super-packet that carries no checksum (0, and none left partial) gives datagrams without,
     * as does one cut for the router itself ({@code checksums} false).
     */
    private static int segmentUdp(ByteBuf p, int at, int ihl, int total, VirtioNetHeader h, ByteBufAllocator alloc, int headroom, List<ByteBuf> out,
                                  boolean checksums) {
        int headers = ihl + Udp.HEADER;
        if (Ipv4.protocol(p, at) != Ipv4.PROTO_UDP || total <= headers) {
            return 0;
        }
        int size = h.gsoSize();
        int payload = total - headers;
        int count = (payload + size - 1) / size;
        if (count > MAX_UDP_SEGMENTS) {
            return 0;
        }
        boolean checksummed = checksums && (h.needsChecksum() || p.getUnsignedShort(at + ihl + 6) != 0);
        int id = Ipv4.identification(p, at);
        for (int i = 0; i < count; i++) {
            int off = i * size;
            int len = Math.min(size, payload - off);
            ByteBuf s = alloc.buffer(headroom + headers + len + headroom);
            s.writerIndex(headroom).readerIndex(headroom);
            s.writeBytes(p, at, headers);
            s.writeBytes(p, at + headers + off, len);
            int ip = headroom;
            Ipv4.setTotalLength(s, ip, headers + len);
            s.setShort(ip + 4, (id + i) & 0xffff);
            Ipv4.updateChecksum(s, ip);
            s.setShort(ip + ihl + 4, Udp.HEADER + len);
            if (checksummed) {
                Udp.checksum(s, ip);
            } else {
                s.setShort(ip + ihl + 6, 0);
            }
            out.add(s);
        }
        return count;
    }

    /**
     * Finishes in software what {@code h} leaves to the sender: a super-packet is segmented, a
     * partial checksum completed. Takes ownership of {@code p}; the finished packets go to
     * {@code out}. False when the header does not fit the packet (released, nothing added).
     */
    public static boolean finish(ByteBuf p, VirtioNetHeader h, ByteBufAllocator alloc, int headroom, List<ByteBuf> out) {
        if (h.superPacket()) {
            return segment(p, h, alloc, headroom, out) > 0;
        }
        if (!completeChecksum(p, h)) {
            p.release();
            return false;
        }
        out.add(p);
        return true;
    }
}
