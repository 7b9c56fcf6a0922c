package io.argate.ip.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.List;

/**
 * What a NIC does with a packet the kernel handed over half-finished (its {@link VirtioNetHeader}
 * says so), done in software for a port that cannot: completing a checksum the kernel left
 * partial, and TCP segmentation of a super-packet into MSS-sized segments (RFC 9293 section 3.7
 * for what each segment carries). Also the reverse step for a port that can: preparing a packet's
 * partial checksum for the kernel to complete.
 *
 * <p>Checksums are computed from the headers as they are now, never from what the kernel left in
 * the field: a stage in between (NAT) may have rewritten addresses or ports.
 */
public final class Offloads {
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
        p.setShort(at + ihl + field, Tcp.fold(Tcp.pseudoHeaderSum(p, at, len)));
        return true;
    }

    /**
     * Cuts a TCP/IPv4 super-packet into segments of at most {@code h.gsoSize()} payload bytes,
     * each a complete packet with {@code headroom} bytes free before and after it: the IP and TCP
     * headers copied, total length, identification (one more per segment) and header checksum
     * set, the sequence number advanced by the payload before it, FIN and PSH only on the last
     * segment and CWR only on the first (the way TCP would have sent them), and the TCP checksum
     * computed from scratch. Takes ownership of {@code p}. Returns the number of segments added
     * to {@code out}, or 0 when the packet is not a segmentable TCP/IPv4 packet (released).
     */
    public static int segment(ByteBuf p, VirtioNetHeader h, ByteBufAllocator alloc, int headroom, List<ByteBuf> out) {
        try {
            int at = p.readerIndex();
            int ihl = Ipv4.headerLength(p, at);
            int total = Ipv4.totalLength(p, at);
            if (Ipv4.protocol(p, at) != Ipv4.PROTO_TCP || total < ihl + Tcp.MIN_HEADER || (Ipv4.flagsAndOffset(p, at) & (Ipv4.FLAG_MF | 0x1fff)) != 0) {
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
        } finally {
            p.release();
        }
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
