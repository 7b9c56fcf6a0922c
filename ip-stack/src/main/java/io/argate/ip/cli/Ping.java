package io.argate.ip.cli;

import io.argate.ip.forward.Forwarder;
import io.argate.ip.packet.Ipv4;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * PING from the router: ICMP echo requests (RFC 792) sent through the forwarder and the replies
 * matched by identifier and sequence. The forwarder hands ICMP messages that are not echo
 * requests to {@link #deliver}.
 */
public final class Ping {
    private final Forwarder forwarder;
    private final ByteBufAllocator alloc;
    private final BlockingQueue<long[]> replies = new LinkedBlockingQueue<>();
    private int identifier = 0x4152;

    public Ping(Forwarder forwarder, ByteBufAllocator alloc) {
        this.forwarder = forwarder;
        this.alloc = alloc;
        forwarder.onProtocol(Ipv4.PROTO_ICMP, (in, p) -> deliver(p));
    }

    void deliver(ByteBuf p) {
        int at = p.readerIndex();
        int ihl = Ipv4.headerLength(p, at);
        if (p.readableBytes() >= ihl + 8 && p.getUnsignedByte(at + ihl) == 0) {
            replies.add(new long[]{p.getUnsignedShort(at + ihl + 4), p.getUnsignedShort(at + ihl + 6), Ipv4.source(p, at), System.nanoTime()});
        }
        p.release();
    }

    /** Sends {@code count} echoes; prints one line per reply or timeout; returns replies received. */
    public int run(int destination, int source, int count, int size, int timeoutMs, Consumer<String> out) throws InterruptedException {
        int id;
        synchronized (this) {
            id = identifier = (identifier + 1) & 0xffff;
        }
        int received = 0;
        for (int seq = 1; seq <= count; seq++) {
            ByteBuf b = alloc.buffer(28 + size).writerIndex(28 + size);
            Ipv4.write(b, 0, 0, 28 + size, seq, 0, 64, Ipv4.PROTO_ICMP, source, destination);
            b.setByte(20, 8);
            b.setShort(24, id);
            b.setShort(26, seq);
            for (int i = 0; i < size; i++) {
                b.setByte(28 + i, i);
            }
            b.setShort(22, Ipv4.checksum(b, 20, 8 + size));
            long sent = System.nanoTime();
            if (!forwarder.originate(b)) {
                out.accept("Request " + seq + " could not be sent (no route or port down)");
                continue;
            }
            long deadline = sent + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            boolean got = false;
            while (!got) {
                long[] r = replies.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (r == null) {
                    break;
                }
                if (r[0] == id && r[1] == seq) {
                    got = true;
                    received++;
                    out.accept("Echo reply " + seq + " from " + dotted((int) r[2]) + " time delay " + Math.max(0, (r[3] - sent) / 1_000_000) + " ms");
                }
            }
            if (!got) {
                out.accept("Request " + seq + " timed out");
            }
        }
        return received;
    }

    static String dotted(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 255) + "." + (a >>> 8 & 255) + "." + (a & 255);
    }
}
