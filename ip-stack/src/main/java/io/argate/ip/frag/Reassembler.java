package io.argate.ip.frag;

import io.argate.ip.packet.Ipv4;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Reassembles fragmented datagrams addressed to the router (RFC 791 section 3.2, "reassembly").
 * Bounded: at most {@link #MAX_DATAGRAMS} in progress and {@link #MAX_BYTES} buffered, oldest
 * dropped first; unfinished datagrams expire after {@link #TIMEOUT}. Overlapping fragments make
 * the whole datagram be dropped (overlaps are how fragment attacks hide data, so argate accepts
 * none, as RFC 5722 rules for IPv6); a datagram that would be longer than 65535 bytes with the
 * first fragment's header (up to 60 bytes, while later fragments may carry 20) is dropped, since
 * its total length cannot be written. Every drop is counted by reason.
 */
public final class Reassembler {
    public static final Duration TIMEOUT = Duration.ofSeconds(30);
    public static final int MAX_DATAGRAMS = 256;
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    /** Why fragments were thrown away. */
    public enum Drop {
        OVERLAP, OVERSIZE, TIMEOUT, MEMORY, BAD_FRAGMENT
    }

    private record Key(int src, int dst, int proto, int id) {
    }

    private static final class Partial {
        final Instant started;
        final byte[] data = new byte[Ipv4.MAX_LENGTH - Ipv4.MIN_HEADER];
        final List<int[]> ranges = new ArrayList<>();
        byte[] header;
        int total = -1;
        /** The end of the furthest fragment so far. */
        int end;
        int bytes;

        Partial(Instant started) {
            this.started = started;
        }
    }

    private final Clock clock;
    private final ByteBufAllocator alloc;
    private final Map<Key, Partial> partials = new LinkedHashMap<>();
    private final Map<Drop, LongAdder> drops = new EnumMap<>(Drop.class);
    private int buffered;

    public Reassembler(Clock clock, ByteBufAllocator alloc) {
        this.clock = clock;
        this.alloc = alloc;
        for (Drop d : Drop.values()) {
            drops.put(d, new LongAdder());
        }
    }

    public long drops(Drop d) {
        return drops.get(d).sum();
    }

    public int inProgress() {
        return partials.size();
    }

    /**
     * Takes one fragment (the caller keeps ownership of {@code frag}); returns the whole
     * datagram when this fragment completed it, else null.
     */
    public synchronized ByteBuf add(ByteBuf frag) {
        expire();
        int at = frag.readerIndex();
        int ihl = Ipv4.headerLength(frag, at);
        int len = Ipv4.totalLength(frag, at) - ihl;
        int fo = Ipv4.flagsAndOffset(frag, at);
        int offset = (fo & 0x1fff) * 8;
        boolean more = (fo & Ipv4.FLAG_MF) != 0;
        Key key = new Key(Ipv4.source(frag, at), Ipv4.destination(frag, at), Ipv4.protocol(frag, at), Ipv4.identification(frag, at));
        if (len < 0 || (more && len % 8 != 0) || (more && len == 0)) {
            return drop(key, Drop.BAD_FRAGMENT);
        }
        if (offset + len > Ipv4.MAX_LENGTH - ihl) {
            return drop(key, Drop.OVERSIZE);
        }
        Partial p = partials.get(key);
        if (p == null) {
            if (partials.size() >= MAX_DATAGRAMS) {
                dropOldest();
            }
            p = new Partial(clock.instant());
            partials.put(key, p);
        }
        for (int[] r : p.ranges) {
            if (offset < r[1] && offset + len > r[0]) {
                return drop(key, Drop.OVERLAP);
            }
        }
        if (!more) {
            if (p.total >= 0 && p.total != offset + len) {
                return drop(key, Drop.BAD_FRAGMENT);
            }
            p.total = offset + len;
        }
        if (p.total >= 0 && offset + len > p.total) {
            return drop(key, Drop.BAD_FRAGMENT);
        }
        // the reassembled datagram carries the first fragment's header, which may be longer
        // than this fragment's: what its total length would be once whole
        int headerLength = offset == 0 ? ihl : p.header != null ? p.header.length : Ipv4.MIN_HEADER;
        if (headerLength + Math.max(Math.max(offset + len, p.end), p.total) > Ipv4.MAX_LENGTH) {
            return drop(key, Drop.OVERSIZE);
        }
        while (buffered + len > MAX_BYTES && !partials.isEmpty()) {
            if (partials.keySet().iterator().next().equals(key)) {
                return drop(key, Drop.MEMORY);
            }
            dropOldest();
        }
        frag.getBytes(at + ihl, p.data, offset, len);
        p.ranges.add(new int[]{offset, offset + len});
        p.end = Math.max(p.end, offset + len);
        p.bytes += len;
        buffered += len;
        if (offset == 0) {
            p.header = new byte[ihl];
            frag.getBytes(at, p.header);
        }
        if (p.total < 0 || p.header == null || p.bytes != p.total) {
            return null;
        }
        partials.remove(key);
        buffered -= p.bytes;
        ByteBuf whole = alloc.buffer(p.header.length + p.total);
        whole.writeBytes(p.header).writeBytes(p.data, 0, p.total);
        Ipv4.setTotalLength(whole, 0, p.header.length + p.total);
        whole.setShort(6, 0);
        Ipv4.updateChecksum(whole, 0);
        return whole;
    }

    private ByteBuf drop(Key key, Drop why) {
        Partial p = partials.remove(key);
        if (p != null) {
            buffered -= p.bytes;
        }
        drops.get(why).increment();
        return null;
    }

    private void dropOldest() {
        Iterator<Map.Entry<Key, Partial>> it = partials.entrySet().iterator();
        Map.Entry<Key, Partial> e = it.next();
        buffered -= e.getValue().bytes;
        it.remove();
        drops.get(Drop.MEMORY).increment();
    }

    /** Drops datagrams older than the timeout (also run on every add). */
    public synchronized void expire() {
        Instant limit = clock.instant().minus(TIMEOUT);
        Iterator<Map.Entry<Key, Partial>> it = partials.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Partial> e = it.next();
            if (e.getValue().started.isBefore(limit)) {
                buffered -= e.getValue().bytes;
                it.remove();
                drops.get(Drop.TIMEOUT).increment();
            }
        }
    }
}
