package io.argate.ip.cli;

import io.argate.ip.forward.Forwarder;
import io.argate.ip.forward.IcmpEndpoint;
import io.argate.ip.packet.Icmp;
import io.argate.ip.packet.Ipv4;
import io.argate.shell.cmd.Follow;
import io.argate.shell.loop.ControlLoop;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.security.SecureRandom;
import java.time.Duration;

/**
 * PING from the router: ICMP echo requests (RFC 792) one after the other, each waiting up to the
 * timeout for its reply. It runs on the control plane as a small state machine driven by the
 * loop's timers and by replies the ICMP endpoint posts to the loop, so a PING of 100 requests
 * with a 60 s timeout holds up nothing: the session that typed it prints its lines as they
 * come ({@link Follow}). Replies are matched by a random identifier and by the address pinged,
 * so a forged or stray reply is counted by the endpoint and never printed.
 */
public final class Ping {
    private final Forwarder forwarder;
    private final ByteBufAllocator alloc;
    private final SecureRandom random = new SecureRandom();
    private ControlLoop loop;

    public Ping(Forwarder forwarder, ByteBufAllocator alloc) {
        this.forwarder = forwarder;
        this.alloc = alloc;
    }

    void attach(ControlLoop l) {
        this.loop = l;
    }

    /**
     * Starts a PING on the loop; its lines and the closing summary go to {@code out}, which is
     * finished when the last request was answered or timed out. Returns false (nothing started)
     * when the router already runs as many PINGs as it allows.
     */
    boolean start(int destination, int source, int count, int size, Duration timeout, Follow out) {
        Run run = new Run(destination, source, count, size, timeout, out);
        for (int tries = 0; tries < 8; tries++) {
            int id = random.nextInt(0x10000);
            IcmpEndpoint.Registration r = forwarder.icmp().echoReplies(id, destination,
                    (from, seq, len, nanos) -> loop.post(() -> run.reply(seq, nanos)));
            if (r != null) {
                run.begin(id, r);
                return true;
            }
        }
        return false;
    }

    /** One PING command's requests, on the loop only. */
    private final class Run {
        private final int destination;
        private final int source;
        private final int count;
        private final int size;
        private final Duration timeout;
        private final Follow out;
        private int identifier;
        private IcmpEndpoint.Registration registration;
        private int seq;
        private int received;
        private long sentNanos;
        private ControlLoop.Timer timer;
        private boolean waiting;

        Run(int destination, int source, int count, int size, Duration timeout, Follow out) {
            this.destination = destination;
            this.source = source;
            this.count = count;
            this.size = size;
            this.timeout = timeout;
            this.out = out;
        }

        void begin(int id, IcmpEndpoint.Registration r) {
            this.identifier = id;
            this.registration = r;
            next();
        }

        private void next() {
            waiting = false;
            while (true) {
                if (seq == count || out.abandoned()) {
                    end();
                    return;
                }
                seq++;
                if (send()) {
                    waiting = true;
                    int s = seq;
                    timer = loop.schedule(timeout, () -> timedOut(s));
                    return;
                }
                out.println("Request " + seq + " could not be sent (no route or port down)");
            }
        }

        private boolean send() {
            ByteBuf b = alloc.buffer(28 + size).writerIndex(28 + size);
            for (int i = 0; i < size; i++) {
                b.setByte(28 + i, i);
            }
            Icmp.writeEcho(b, 20, Icmp.ECHO, identifier, seq, 8 + size);
            Ipv4.write(b, 0, 0, 28 + size, forwarder.nextIpId(), 0, 64, Ipv4.PROTO_ICMP, source, destination);
            sentNanos = System.nanoTime();
            return forwarder.originate(b);
        }

        void reply(int replySeq, long nanos) {
            if (!waiting || replySeq != seq) {
                return;
            }
            timer.cancel();
            received++;
            out.println("Echo reply " + seq + " from " + dotted(destination) + " time delay " + Math.max(0, (nanos - sentNanos) / 1_000_000) + " ms");
            next();
        }

        private void timedOut(int s) {
            if (!waiting || s != seq) {
                return;
            }
            out.println("Request " + seq + " timed out");
            next();
        }

        private void end() {
            registration.close();
            int sent = seq;
            out.println("Ping " + dotted(destination) + ": " + sent + " sent, " + received + " received, "
                    + (sent == 0 ? 0 : (sent - received) * 100 / sent) + "% loss");
            out.finish(true);
        }
    }

    static String dotted(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 255) + "." + (a >>> 8 & 255) + "." + (a & 255);
    }
}
