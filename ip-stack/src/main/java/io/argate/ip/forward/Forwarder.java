package io.argate.ip.forward;

import io.argate.ip.frag.Fragmenter;
import io.argate.ip.frag.Reassembler;
import io.argate.ip.iface.Interfaces;
import io.argate.ip.packet.Ipv4;
import io.argate.ip.port.Port;
import io.argate.ip.route.Route;
import io.argate.ip.route.RouteTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The packet path of DESIGN.md section 4, run to completion on the receiving port's thread:
 * input checks, local delivery (reassembly, ICMP echo, protocol and UDP handlers), ingress hooks,
 * TTL, route lookup, post-routing hooks, fragmentation to the egress MTU, transmit. ICMP errors
 * (time exceeded, unreachable, fragmentation needed with the next-hop MTU) are rate-limited.
 * The route table is an immutable snapshot replaced with one volatile write.
 */
public final class Forwarder {
    static final int ICMP_ECHO_REPLY = 0;
    static final int ICMP_UNREACHABLE = 3;
    static final int ICMP_ECHO = 8;
    static final int ICMP_TIME_EXCEEDED = 11;
    static final int CODE_NET = 0;
    static final int CODE_PROTOCOL = 2;
    static final int CODE_PORT = 3;
    static final int CODE_FRAG_NEEDED = 4;

    private final Interfaces interfaces;
    private final ByteBufAllocator alloc;
    private final IpCounters counters = new IpCounters();
    private final Reassembler reassembler;
    private final IcmpLimiter icmpLimit;
    private final Map<String, Port> ports = new ConcurrentHashMap<>();
    private final Map<String, Port> byInterface = new ConcurrentHashMap<>();
    private volatile Hooks.Ingress[] ingress = new Hooks.Ingress[0];
    private volatile Hooks.PostRouting[] postRouting = new Hooks.PostRouting[0];
    /** Local delivery by IP protocol number: an array the receive path indexes, replaced whole on change. */
    private volatile Hooks.Local[] protocols = new Hooks.Local[256];
    private final Map<Integer, Hooks.Local> udpPorts = new ConcurrentHashMap<>();
    private volatile RouteTable routes = RouteTable.empty();
    private volatile boolean enabled = true;
    private final AtomicInteger ipId = new AtomicInteger();

    public Forwarder(Interfaces interfaces, Clock clock, ByteBufAllocator alloc) {
        this.interfaces = interfaces;
        this.alloc = alloc;
        this.reassembler = new Reassembler(clock, alloc);
        this.icmpLimit = new IcmpLimiter(clock, 100, 100);
    }

    public IpCounters counters() {
        return counters;
    }

    public Reassembler reassembler() {
        return reassembler;
    }

    /** ENABLE/DISABLE IP: when disabled nothing is forwarded (local delivery still works). */
    public void enabled(boolean on) {
        this.enabled = on;
    }

    public void routes(RouteTable table) {
        this.routes = table;
    }

    public RouteTable routes() {
        return routes;
    }

    public void attach(Port port) {
        ports.put(port.name(), port);
        byInterface.clear();
        port.start(this::receive);
    }

    public synchronized void addIngress(Hooks.Ingress h) {
        Hooks.Ingress[] next = java.util.Arrays.copyOf(ingress, ingress.length + 1);
        next[ingress.length] = h;
        ingress = next;
    }

    public synchronized void addPostRouting(Hooks.PostRouting h) {
        Hooks.PostRouting[] next = java.util.Arrays.copyOf(postRouting, postRouting.length + 1);
        next[postRouting.length] = h;
        postRouting = next;
    }

    public void onProtocol(int protocol, Hooks.Local h) {
        synchronized (this) {
            Hooks.Local[] next = protocols.clone();
            next[protocol & 0xff] = h;
            protocols = next;
        }
    }

    public void onUdpPort(int port, Hooks.Local h) {
        udpPorts.put(port, h);
    }

    /** Closes one of the router's UDP ports: datagrams to it get port unreachable again. */
    public void offUdpPort(int port) {
        udpPorts.remove(port);
    }

    /** The port's receive path. */
    public void receive(Port port, ByteBuf p) {
        counters.received.increment();
        input(port.name(), p);
    }

    /** IPsec inbound: a decapsulated packet enters IP input again. */
    public void reinject(String inInterface, ByteBuf p) {
        input(inInterface, p);
    }

    private void input(String in, ByteBuf p) {
        DropReason bad = validate(p);
        if (bad != null) {
            counters.drop(bad);
            p.release();
            return;
        }
        int at = p.readerIndex();
        p.writerIndex(at + Ipv4.totalLength(p, at));
        for (Hooks.Ingress h : ingress) {
            Hooks.Verdict v = h.inspect(in, p);
            if (v == Hooks.Verdict.CONSUMED) {
                return;
            }
            if (v == Hooks.Verdict.DROP) {
                counters.drop(DropReason.FILTERED);
                p.release();
                return;
            }
        }
        int dst = Ipv4.destination(p, at);
        if (interfaces.isLocal(dst)) {
            local(in, p);
            return;
        }
        if (!enabled) {
            counters.drop(DropReason.NO_ROUTE);
            p.release();
            return;
        }
        // counters move before any ICMP goes out, so whoever sees the ICMP sees the count
        int ttl = Ipv4.ttl(p, at);
        if (ttl <= 1) {
            counters.drop(DropReason.TTL_EXCEEDED);
            icmpError(p, ICMP_TIME_EXCEEDED, 0, 0);
            p.release();
            return;
        }
        decrementTtl(p, at);
        Route r = routes.lookup(dst);
        if (r == null) {
            counters.drop(DropReason.NO_ROUTE);
            icmpError(p, ICMP_UNREACHABLE, CODE_NET, 0);
            p.release();
            return;
        }
        counters.forwarded.increment();
        output(r, p, true);
    }

    /** Checks RFC 791/1812 input rules; null when the header is sound. */
    static DropReason validate(ByteBuf p) {
        int at = p.readerIndex();
        int n = p.readableBytes();
        if (n < Ipv4.MIN_HEADER) {
            return DropReason.TRUNCATED;
        }
        if (Ipv4.version(p, at) != 4) {
            return DropReason.BAD_VERSION;
        }
        int ihl = Ipv4.headerLength(p, at);
        if (ihl < Ipv4.MIN_HEADER || ihl > n) {
            return DropReason.BAD_HEADER_LENGTH;
        }
        int total = Ipv4.totalLength(p, at);
        if (total < ihl || total > n) {
            return DropReason.BAD_TOTAL_LENGTH;
        }
        if (!Ipv4.checksumOk(p, at)) {
            return DropReason.BAD_CHECKSUM;
        }
        return null;
    }

    /** TTL minus one with the checksum updated incrementally (RFC 1624, equation 3). */
    static void decrementTtl(ByteBuf p, int at) {
        int old = p.getUnsignedShort(at + 8);
        p.setByte(at + 8, Ipv4.ttl(p, at) - 1);
        int now = p.getUnsignedShort(at + 8);
        int sum = (~p.getUnsignedShort(at + 10) & 0xffff) + (~old & 0xffff) + now;
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        p.setShort(at + 10, ~sum & 0xffff);
    }

    private void local(String in, ByteBuf p) {
        int at = p.readerIndex();
        if ((Ipv4.flagsAndOffset(p, at) & (Ipv4.FLAG_MF | 0x1fff)) != 0) {
            ByteBuf whole = reassembler.add(p);
            p.release();
            if (whole == null) {
                return;
            }
            counters.reassembled.increment();
            p = whole;
            at = 0;
        }
        int proto = Ipv4.protocol(p, at);
        int ihl = Ipv4.headerLength(p, at);
        if (proto == Ipv4.PROTO_ICMP && p.readableBytes() >= ihl + 8 && p.getUnsignedByte(at + ihl) == ICMP_ECHO) {
            counters.delivered.increment();
            echoReply(p);
            return;
        }
        Hooks.Local h = protocols[proto];
        if (h == null && proto == Ipv4.PROTO_UDP && p.readableBytes() >= ihl + 8) {
            h = udpPorts.get(p.getUnsignedShort(at + ihl + 2));
            if (h == null) {
                counters.drop(DropReason.NO_LISTENER);
                icmpError(p, ICMP_UNREACHABLE, CODE_PORT, 0);
                p.release();
                return;
            }
        }
        if (h == null) {
            counters.drop(DropReason.UNKNOWN_PROTOCOL);
            if (proto != Ipv4.PROTO_ICMP) {
                icmpError(p, ICMP_UNREACHABLE, CODE_PROTOCOL, 0);
            }
            p.release();
            return;
        }
        counters.delivered.increment();
        h.deliver(in, p);
    }

    private void echoReply(ByteBuf p) {
        int at = p.readerIndex();
        int ihl = Ipv4.headerLength(p, at);
        int src = Ipv4.source(p, at);
        int dst = Ipv4.destination(p, at);
        int len = Ipv4.totalLength(p, at) - ihl;
        ByteBuf r = alloc.buffer(20 + len);
        r.writerIndex(20);
        r.writeBytes(p, at + ihl, len);
        p.release();
        r.setByte(20, ICMP_ECHO_REPLY);
        r.setShort(22, 0);
        r.setShort(22, Ipv4.checksum(r, 20, len));
        Ipv4.write(r, 0, 0, 20 + len, nextIpId(), 0, 64, Ipv4.PROTO_ICMP, dst, src);
        originate(r);
    }

    /** The identification field for the next datagram the router makes (one counter for all its senders). */
    public int nextIpId() {
        return ipId.incrementAndGet() & 0xffff;
    }

    /**
     * Where a packet the router sends to a destination leaves: the egress port's MTU (0 when
     * there is no route or port) and the source address by the unnumbered rule (0 when
     * unroutable), from one route lookup.
     */
    public record Egress(int mtu, int source) {
    }

    public Egress egressTo(int destination) {
        Route r = routes.lookup(destination);
        Port port = r == null ? null : portOf(r.iface());
        int source = interfaces.isLocal(destination) ? destination : r == null ? 0 : interfaces.sourceFor(r.iface());
        return new Egress(port == null ? 0 : port.mtu(), source);
    }

    /** The source address the router uses towards {@code destination} (0 when unroutable). */
    public int sourceFor(int destination) {
        return egressTo(destination).source();
    }

    /**
     * Sends a packet the router made: routes it by destination, fills in the source address
     * (0 means "choose") by the unnumbered rule, and transmits.
     */
    public boolean originate(ByteBuf p) {
        return originate(p, null);
    }

    /**
     * As {@link #originate(ByteBuf)}, with {@code finish} run once the source address is final
     * (transport checksums cover it).
     */
    public boolean originate(ByteBuf p, java.util.function.Consumer<ByteBuf> finish) {
        int at = p.readerIndex();
        int dst = Ipv4.destination(p, at);
        if (interfaces.isLocal(dst)) {
            // to one of the router's own addresses: loop back without touching a port
            if (Ipv4.source(p, at) == 0) {
                p.setInt(at + 12, dst);
                Ipv4.updateChecksum(p, at);
            }
            if (finish != null) {
                finish.accept(p);
            }
            counters.originated.increment();
            local("lo", p);
            return true;
        }
        Route r = routes.lookup(dst);
        if (r == null) {
            counters.drop(DropReason.NO_ROUTE);
            p.release();
            return false;
        }
        if (Ipv4.source(p, at) == 0) {
            p.setInt(at + 12, interfaces.sourceFor(r.iface()));
            Ipv4.updateChecksum(p, at);
        }
        if (finish != null) {
            finish.accept(p);
        }
        counters.originated.increment();
        return output(r, p, false);
    }

    private boolean output(Route r, ByteBuf p, boolean forwarded) {
        for (Hooks.PostRouting h : postRouting) {
            Hooks.Verdict v = h.inspect(r.iface(), p);
            if (v == Hooks.Verdict.CONSUMED) {
                return true;
            }
            if (v == Hooks.Verdict.DROP) {
                counters.drop(DropReason.FILTERED);
                p.release();
                return false;
            }
        }
        Port port = portOf(r.iface());
        if (port == null || !port.linkUp()) {
            counters.drop(DropReason.PORT_DOWN);
            p.release();
            return false;
        }
        if (Ipv4.totalLength(p, p.readerIndex()) <= port.mtu()) {
            return port.transmit(p);
        }
        List<ByteBuf> frags = new ArrayList<>();
        Fragmenter.Outcome o = Fragmenter.fragment(p, port.mtu(), alloc, frags);
        if (o == Fragmenter.Outcome.FITS) {
            return port.transmit(p);
        }
        if (o == Fragmenter.Outcome.NEEDS_FRAGMENTATION) {
            counters.drop(DropReason.FRAGMENTATION_NEEDED);
            if (forwarded) {
                icmpError(p, ICMP_UNREACHABLE, CODE_FRAG_NEEDED, port.mtu());
            }
            p.release();
            return false;
        }
        p.release();
        counters.fragmentsCreated.add(frags.size());
        boolean ok = true;
        for (ByteBuf f : frags) {
            ok &= port.transmit(f);
        }
        return ok;
    }

    /**
     * The address of a named interface (SRCINTERFACE of an IPsec policy: the tunnel's source),
     * or 0 when it does not exist or is unnumbered, so the caller falls back to the usual rule.
     */
    public int addressOf(String iface) {
        return interfaces.get(iface).filter(i -> !i.unnumbered()).map(i -> i.address()).orElse(0);
    }

    /**
     * Tells the source of {@code orig} that it must send packets of at most {@code mtu} bytes
     * (ICMP fragmentation needed, RFC 1191), as when a tunnel's headers make its packet too big
     * for the path (RFC 4301 section 8.2). Does not release {@code orig}.
     */
    public void fragmentationNeeded(ByteBuf orig, int mtu) {
        counters.drop(DropReason.FRAGMENTATION_NEEDED);
        icmpError(orig, ICMP_UNREACHABLE, CODE_FRAG_NEEDED, mtu);
    }

    /** The port under a logical interface (eth0-1 -> eth0), cached so the fast path makes no strings. */
    private Port portOf(String iface) {
        Port p = byInterface.get(iface);
        if (p == null) {
            int dash = iface.lastIndexOf('-');
            p = ports.get(dash < 0 ? iface : iface.substring(0, dash));
            if (p != null) {
                byInterface.put(iface, p);
            }
        }
        return p;
    }

    /**
     * An ICMP error about {@code orig} back to its source (RFC 792, RFC 1812 4.3.2.7: never about
     * an ICMP error, a non-first fragment, or a packet from 0.0.0.0), with the original header and
     * 8 bytes of its data; for fragmentation needed, the next-hop MTU (RFC 1191).
     */
    void icmpError(ByteBuf orig, int type, int code, int mtu) {
        int at = orig.readerIndex();
        int ihl = Ipv4.headerLength(orig, at);
        int src = Ipv4.source(orig, at);
        if (src == 0 || (Ipv4.flagsAndOffset(orig, at) & 0x1fff) != 0) {
            return;
        }
        if (Ipv4.protocol(orig, at) == Ipv4.PROTO_ICMP && orig.readableBytes() > ihl) {
            int t = orig.getUnsignedByte(at + ihl);
            if (t != ICMP_ECHO && t != ICMP_ECHO_REPLY) {
                return;
            }
        }
        if (!icmpLimit.allow()) {
            counters.drop(DropReason.ICMP_RATE_LIMITED);
            return;
        }
        int quote = Math.min(orig.readableBytes(), ihl + 8);
        ByteBuf e = alloc.buffer(28 + quote);
        e.writerIndex(28);
        e.writeBytes(orig, at, quote);
        e.setByte(20, type);
        e.setByte(21, code);
        e.setShort(22, 0);
        e.setInt(24, type == ICMP_UNREACHABLE && code == CODE_FRAG_NEEDED ? mtu & 0xffff : 0);
        e.setShort(22, Ipv4.checksum(e, 20, 8 + quote));
        Ipv4.write(e, 0, 0, 28 + quote, nextIpId(), 0, 64, Ipv4.PROTO_ICMP, 0, src);
        counters.icmpSent.increment();
        originate(e);
    }
}
