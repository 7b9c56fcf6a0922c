package io.argate.ip.forward;

import io.argate.ip.packet.Icmp;
import io.argate.ip.packet.Ipv4;
import io.argate.ip.packet.Udp;
import io.netty.buffer.ByteBuf;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The router's own ICMP (RFC 792), apart from echo requests, which the path answers itself:
 * echo replies go to the PING that asked (by identifier and source), errors (unreachable,
 * fragmentation needed, time exceeded) to whoever owns the flow they quote (ISAKMP on its UDP
 * port, later PMTU). What nobody asked for is counted and dropped: nothing queues here.
 * Listeners run on the receive thread and must not block (they post to the control plane).
 */
public final class IcmpEndpoint {
    /** PINGs that may wait for replies at once; a further one is refused. */
    public static final int MAX_REQUESTERS = 64;

    /** An echo reply for a registered identifier. */
    @FunctionalInterface
    public interface EchoListener {
        void reply(int source, int sequence, int length, long receivedNanos);
    }

    /** An ICMP error about a packet the listener's flow sent. */
    @FunctionalInterface
    public interface ErrorListener {
        void error(int from, int type, int code, int mtu, int quotedDestination, int quotedDestinationPort);
    }

    /** A registration, closed when its PING ends. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private record Requester(int destination, EchoListener listener) {
    }

    private final Map<Integer, Requester> requesters = new ConcurrentHashMap<>();
    private final Map<Long, ErrorListener> flows = new ConcurrentHashMap<>();
    public final LongAdder echoReplies = new LongAdder();
    public final LongAdder unsolicitedReplies = new LongAdder();
    public final LongAdder errorsDelivered = new LongAdder();
    public final LongAdder errorsUnclaimed = new LongAdder();
    public final LongAdder otherMessages = new LongAdder();
    public final LongAdder malformed = new LongAdder();

    /**
     * Asks for the echo replies with {@code identifier} from {@code destination} (replies from
     * any other source are forged or stray: counted as unsolicited). Null when the identifier is
     * taken or too many PINGs run.
     */
    public Registration echoReplies(int identifier, int destination, EchoListener l) {
        if (requesters.size() >= MAX_REQUESTERS || requesters.putIfAbsent(identifier, new Requester(destination, l)) != null) {
            return null;
        }
        return () -> requesters.remove(identifier);
    }

    /** Errors quoting a datagram of {@code protocol} sent from local port {@code localPort} go to {@code l}. */
    public Registration errorsFor(int protocol, int localPort, ErrorListener l) {
        long key = (long) protocol << 16 | localPort;
        flows.put(key, l);
        return () -> flows.remove(key, l);
    }

    /** LOCAL stage: an ICMP message to the router other than an echo request. Releases it. */
    void deliver(ByteBuf p) {
        try {
            int at = p.readerIndex();
            int icmp = at + Ipv4.headerLength(p, at);
            int end = p.writerIndex();
            if (end - icmp < Icmp.HEADER) {
                malformed.increment();
                return;
            }
            int type = Icmp.type(p, icmp);
            if (type == Icmp.ECHO_REPLY) {
                Requester r = requesters.get(Icmp.identifier(p, icmp));
                if (r == null || r.destination() != Ipv4.source(p, at)) {
                    unsolicitedReplies.increment();
                    return;
                }
                echoReplies.increment();
                r.listener().reply(Ipv4.source(p, at), Icmp.sequence(p, icmp), end - icmp - Icmp.HEADER, System.nanoTime());
            } else if (Icmp.isError(type)) {
                error(p, at, icmp, end, type);
            } else {
                otherMessages.increment();
            }
        } finally {
            p.release();
        }
    }

    private void error(ByteBuf p, int at, int icmp, int end, int type) {
        int quoted = icmp + Icmp.HEADER;
        if (end - quoted < Ipv4.MIN_HEADER || Ipv4.version(p, quoted) != 4) {
            malformed.increment();
            return;
        }
        int qihl = Ipv4.headerLength(p, quoted);
        int proto = Ipv4.protocol(p, quoted);
        if (qihl < Ipv4.MIN_HEADER || end - (quoted + qihl) < 4 || (proto != Ipv4.PROTO_UDP && proto != Ipv4.PROTO_TCP)) {
            errorsUnclaimed.increment();
            return;
        }
        int l4 = quoted + qihl;
        ErrorListener l = flows.get((long) proto << 16 | Udp.sourcePort(p, l4));
        if (l == null) {
            errorsUnclaimed.increment();
            return;
        }
        errorsDelivered.increment();
        l.error(Ipv4.source(p, at), type, Icmp.code(p, icmp), Icmp.nextHopMtu(p, icmp), Ipv4.destination(p, quoted),
                Udp.destinationPort(p, l4));
    }
}
