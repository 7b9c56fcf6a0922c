package io.argate.ip.frag;

import io.argate.ip.packet.Ipv4;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an IPv4 datagram to fit an egress MTU (RFC 791 section 3.2, "fragmentation"): data in
 * multiples of 8 bytes, offsets relative to the original datagram (a fragment of a fragment keeps
 * its place), MF on every piece but the last (and on the last too if the original had it),
 * options copied into later fragments only when their copy bit is set.
 */
public final class Fragmenter {
    private Fragmenter() {
    }

    /** What happened to a datagram. */
    public enum Outcome {
        FITS, FRAGMENTED, NEEDS_FRAGMENTATION
    }

    /**
     * Fragments {@code packet} (readable bytes = one datagram) for {@code mtu} into {@code out};
     * returns FITS when it needs no fragmenting (nothing added), NEEDS_FRAGMENTATION when DF is
     * set (the caller answers with ICMP fragmentation needed, RFC 1191).
     */
    public static Outcome fragment(ByteBuf packet, int mtu, ByteBufAllocator alloc, List<ByteBuf> out) {
        int at = packet.readerIndex();
        int total = Ipv4.totalLength(packet, at);
        if (total <= mtu) {
            return Outcome.FITS;
        }
        int flags = Ipv4.flagsAndOffset(packet, at);
        if ((flags & Ipv4.FLAG_DF) != 0) {
            return Outcome.NEEDS_FRAGMENTATION;
        }
        int ihl = Ipv4.headerLength(packet, at);
        byte[] laterOptions = copiedOptions(packet, at, ihl);
        int laterIhl = 20 + laterOptions.length;
        int baseOffset = (flags & 0x1fff) * 8;
        boolean originalMf = (flags & Ipv4.FLAG_MF) != 0;
        int payload = total - ihl;
        int done = 0;
        List<ByteBuf> pieces = new ArrayList<>();
        while (done < payload) {
            int h = done == 0 ? ihl : laterIhl;
            int room = (mtu - h) & ~7;
            if (room <= 0) {
                pieces.forEach(ByteBuf::release);
                return Outcome.NEEDS_FRAGMENTATION;
            }
            int len = Math.min(room, payload - done);
            boolean last = done + len == payload;
            ByteBuf f = alloc.buffer(h + len);
            if (done == 0) {
                f.writeBytes(packet, at, ihl);
            } else {
                f.writeBytes(packet, at, 20);
                f.writeBytes(laterOptions);
                f.setByte(0, 0x40 | laterIhl / 4);
            }
            f.writeBytes(packet, at + ihl + done, len);
            int fo = ((baseOffset + done) / 8) | (last && !originalMf ? 0 : Ipv4.FLAG_MF);
            f.setShort(6, fo);
            Ipv4.setTotalLength(f, 0, h + len);
            Ipv4.updateChecksum(f, 0);
            pieces.add(f);
            done += len;
        }
        out.addAll(pieces);
        return Outcome.FRAGMENTED;
    }

    /** The options of a header that must appear in every fragment (type bit 0x80), padded to 4 bytes. */
    static byte[] copiedOptions(ByteBuf p, int at, int ihl) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        int i = at + 20;
        int end = at + ihl;
        while (i < end) {
            int type = p.getUnsignedByte(i);
            if (type == 0) {
                break;
            }
            if (type == 1) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                break;
            }
            int len = p.getUnsignedByte(i + 1);
            if (len < 2 || i + len > end) {
                break;
            }
            if ((type & 0x80) != 0) {
                for (int k = 0; k < len; k++) {
                    o.write(p.getByte(i + k));
                }
            }
            i += len;
        }
        while (o.size() % 4 != 0) {
            o.write(0);
        }
        return o.toByteArray();
    }
}
