package io.argate.ip.forward;

import io.argate.ip.frag.Fragmenter;
import io.argate.ip.frag.Reassembler;
import io.argate.ip.iface.Interfaces;
import io.argate.ip.iface.IpInterface;
import io.argate.ip.packet.Checksum;
import io.argate.ip.packet.Icmp;
import io.argate.ip.packet.Ipv4;
import io.argate.ip.packet.Offloads;
import io.argate.ip.packet.Udp;
import io.argate.ip.packet.VirtioNetHeader;
import io.argate.ip.port.PacketSink;
import io.argate.ip.port.Port;
import io.argate.ip.port.ReceiveBatch;
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
import java.util.function.IntUnaryOperator;

/**
 * The packet path of DESIGN.md section 4, as the ordered {@link Stage}s, run to completion on the
 * receiving port's thread:
 *
 * <pre>
 * INPUT -> IPSEC_INGRESS -> FIREWALL_INGRESS -> LOCAL (to the router; IPsec's inner packet loops to INPUT)
 *                                            -> ROUTE -> FIREWALL_EGRESS -> SPD -> FRAGMENT -> TRANSMIT
 * </pre>
 *
 * Modules fill the stages ({@link #fill}, {@link #fillSpd}, {@link #onProtocol},
 * {@link #onUdpPort}); the order is this class's, not the order of registration. A stage
 * returns its verdict and the path acts on it: nothing calls back into the path, and a
 * decapsulated packet runs the path again in a loop (bounded), not by recursion. ICMP errors
 * (time exceeded, unreachable, fragmentation needed with the next-hop MTU) are rate-limited.
 * The route table is an immutable snapshot replaced with one volatile write.
 */
public final class Forwarder {
    /**
     * Times one packet may come back to INPUT (tunnel inside tunnel): beyond this it is dropped,
     * so a crafted packet of nested tunnels cannot keep a receive thread.
     */
    public static final int MAX_PASSES = 4;

    private final Interfaces interfaces;
    private final ByteBufAllocator alloc;
    private final IpCounters counters = new IpCounters();
    private final Reassembler reassembler;
    private final IcmpLimiter icmpLimit;
    private final IcmpEndpoint icmp = new IcmpEndpoint();
    private final Map<String, Port> ports = new ConcurrentHashMap<>();
    private final Map<String, Port> byInterface = new ConcurrentHashMap<>();
    /** The attached ports as an array (replaced whole by attach), so the end of a batch walks them without an iterator. */
    private volatile Port[] attached = new Port[0];
    private volatile StageFilter ipsecIngress;
    private volatile StageFilter firewallIngress;
    private volatile StageFilter firewallEgress;
    private volatile SpdStage spd;
    /** Another module's say in the source of the router's own packets (IPsec: a Mode Config tunnel's LAN side); null: the route's rule. */
    private volatile IntUnaryOperator sourceChoice;
    /** Local delivery by IP protocol number: an array the receive path indexes, replaced whole on change. */
    private volatile LocalHandler[] protocols = new LocalHandler[256];
    private final Map<Integer, LocalHandler> udpPorts = new ConcurrentHashMap<>();
    private volatile RouteTable routes = RouteTable.empty();
    private volatile boolean enabled = true;
    private final AtomicInteger ipId = new AtomicInteger();
    /** One context per receive thread, reset for each packet: the path allocates none. */
    private final ThreadLocal<PacketContext> contexts = ThreadLocal.withInitial(PacketContext::new);

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

    /** The router's ICMP endpoint (PING's replies, errors for flows). */
    public IcmpEndpoint icmp() {
        return icmp;
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
        attached = ports.values().toArray(new Port[0]);
        byInterface.clear();
        port.start(sink);
    }

    /** Puts a module's filter into IPSEC_INGRESS, FIREWALL_INGRESS or FIREWALL_EGRESS (null empties it). */
    public void fill(Stage stage, StageFilter filter) {
        switch (stage) {
            case IPSEC_INGRESS -> ipsecIngress = filter;
            case FIREWALL_INGRESS -> firewallIngress = filter;
            case FIREWALL_EGRESS -> firewallEgress = filter;
            default -> throw new IllegalArgumentException(stage + " is not a filtering stage");
        }
    }

    /**
     * Lets a module pick the source address of the packets the router makes (given the
     * destination; 0 means no opinion, and the unnumbered rule of the route's interface applies).
     */
    public void chooseSource(IntUnaryOperator choice) {
        this.sourceChoice = choice;
    }

    /** Puts IPsec's outbound policy check into the SPD stage. */
    public void fillSpd(SpdStage stage) {
        this.spd = stage;
    }

    /** LOCAL: packets to the router of one IP protocol (not ICMP, which is the path's own). */
    public void onProtocol(int protocol, LocalHandler h) {
        if (protocol == Ipv4.PROTO_ICMP) {
            throw new IllegalArgumentException("ICMP is the path's own: use icmp()");
        }
        synchronized (this) {
            LocalHandler[] next = protocols.clone();
            next[protocol & 0xff] = h;
            protocols = next;
        }
    }

    /** LOCAL: datagrams to one of the router's UDP ports. */
    public void onUdpPort(int port, LocalHandler h) {
        udpPorts.put(port, h);
    }

    /** Closes one of the router's UDP ports: datagrams to it get port unreachable again. */
    public void offUdpPort(int port) {
        udpPorts.remove(port);
    }

    /** What ports deliver to: the receive path, with a TUN port's offload header when it has one. */
    private final PacketSink sink = new PacketSink() {
        @Override
        public void batchStart(Port port) {
            // this thread's batch ends in batchEnd, which flushes every port: until then a
            // port may hold what the thread sends (TunCoalescer)
            ReceiveBatch.begin();
        }

        @Override
        public void receive(Port port, ByteBuf packet) {
            Forwarder.this.receive(port, packet);
        }

        @Override
        public void receive(Port port, ByteBuf packet, VirtioNetHeader header) {
            Forwarder.this.receive(port, packet, header);
        }

        @Override
        public void batchEnd(Port from) {
            try {
                Forwarder.this.batchEnd();
            } finally {
                ReceiveBatch.end();
            }
        }
    };

    /**
     * The end of a receive batch on the calling thread: every port sends what it held back
     * for this thread (a batch's packets may have left by any port).
     */
    public void batchEnd() {
        for (Port port : attached) {
            port.flush();
        }
    }

    /**
     * The receive path for a packet its TUN port's kernel left half-finished: it goes through
     * the path whole (one route, firewall and SPD decision for a super-packet) with the header
     * in its context, and is finished where it has to be (see {@link PacketContext#offload()}).
     */
    public void receive(Port port, ByteBuf p, VirtioNetHeader header) {
        counters.received.increment();
        try {
            PacketContext c = contexts.get().reset(port.name(), false);
            if (header != null) {
                c.offload().copyFrom(header);
            }
            again(c, p, 0);
        } catch (RuntimeException bug) {
            // a bug in a stage costs one packet, never the port's receive thread
            counters.drop(DropReason.INTERNAL_ERROR);
            lastError = bug;
        }
    }

    /** The port's receive path. */
    public void receive(Port port, ByteBuf p) {
        receive(port, p, null);
    }

    private volatile RuntimeException lastError;

    /** The last exception a stage threw on a receive thread (counted as INTERNAL_ERROR in SHOW IP COUNTERS), or null: for diagnosis. */
    public RuntimeException lastError() {
        return lastError;
    }

    /** A packet arriving on interface {@code in}: the whole path, on the caller's thread. */
    public void input(String in, ByteBuf p) {
        again(contexts.get().reset(in, false), p, 0);
    }

    /**
     * Runs {@code next} from INPUT, and again with what LOCAL hands back (a decapsulated inner
     * packet), at most {@link #MAX_PASSES} passes in all counting the {@code done} already made.
     */
    private void again(PacketContext c, ByteBuf next, int done) {
        for (int pass = done + 1; next != null; pass++) {
            if (pass > MAX_PASSES) {
                counters.drop(DropReason.TOO_MANY_PASSES);
                next.release();
                return;
            }
            next = ingress(c, next);
        }
    }

    /** INPUT to LOCAL or ROUTE and on; returns the inner packet when LOCAL decapsulated one, else null. */
    private ByteBuf ingress(PacketContext c, ByteBuf p) {
        DropReason bad = validate(p);
        if (bad != null) {
            counters.drop(bad);
            p.release();
            return null;
        }
        int at = p.readerIndex();
        p.writerIndex(at + Ipv4.totalLength(p, at));
        if (!c.originated()) {
            DropReason alien = sourceCheck(Ipv4.source(p, at));
            if (alien != null) {
                counters.drop(alien);
                p.release();
                return null;
            }
        }
        if (!passes(ipsecIngress, c, p) || !passes(firewallIngress, c, p)) {
            return null;
        }
        int dst = Ipv4.destination(p, at);
        if (interfaces.isLocal(dst)) {
            return local(c, p);
        }
        if (!enabled) {
            counters.drop(DropReason.NO_ROUTE);
            p.release();
            return null;
        }
        // counters move before any ICMP goes out, so whoever sees the ICMP sees the count
        int ttl = Ipv4.ttl(p, at);
        if (ttl <= 1) {
            counters.drop(DropReason.TTL_EXCEEDED);
            icmpError(p, Icmp.TIME_EXCEEDED, 0, 0);
            p.release();
            return null;
        }
        decrementTtl(p, at);
        Route r = routes.lookup(dst);
        if (r == null) {
            counters.drop(DropReason.NO_ROUTE);
            icmpError(p, Icmp.UNREACHABLE, Icmp.CODE_NET, 0);
            p.release();
            return null;
        }
        if (r.connected() && r.length() < 31 && dst == (r.network() | ~Route.mask(r.length()))) {
            // RFC 2644: a router does not forward directed broadcasts unless told to
            counters.drop(DropReason.DIRECTED_BROADCAST);
            p.release();
            return null;
        }
        c.route(r);
        counters.forwarded.increment();
        egress(c, p, true);
        return null;
    }

    /**
     * RFC 1812 5.3.7: packets from 0.0.0.0, the loopback net or class D/E are not accepted from
     * a port; nor is one claiming to come from one of the router's own addresses.
     */
    private DropReason sourceCheck(int src) {
        int first = src >>> 24;
        if (src == 0 || first == 127 || first >= 224) {
            return DropReason.MARTIAN_SOURCE;
        }
        return interfaces.isLocal(src) ? DropReason.SPOOFED_OWN_SOURCE : null;
    }

    private boolean passes(StageFilter f, PacketContext c, ByteBuf p) {
        if (f == null || f.filter(c, p) == StageFilter.Verdict.PASS) {
            return true;
        }
        counters.drop(DropReason.FILTERED);
        p.release();
        return false;
    }

    /** FIREWALL_EGRESS, SPD, FRAGMENT, TRANSMIT for a routed packet ({@code c.route()} set). */
    private boolean egress(PacketContext c, ByteBuf p, boolean forwarded) {
        if (!passes(firewallEgress, c, p)) {
            return false;
        }
        SpdStage s = spd;
        if (s != null) {
            switch (s.outbound(c, p)) {
                case PASS -> { }
                case TAKEN -> {
                    return true;
                }
                case DROP -> {
                    // the stage counted its reason and released the packet (it may have been
                    // half-way through protecting it in a buffer of its own)
                    counters.drop(DropReason.POLICY);
                    return false;
                }
                case PROTECTED -> {
                    boolean ok = true;
                    for (int i = 0; i < c.emittedCount(); i++) {
                        ByteBuf q = c.takeEmitted(i);
                        ok &= c.emittedChecksumLeft(i) ? transmitChecksumLeft(c, q) : fragmentAndTransmit(c.route(), q, false);
                    }
                    return ok;
                }
            }
        }
        return c.offload().pending() ? transmitOffloaded(c, p, forwarded) : fragmentAndTransmit(c.route(), p, forwarded);
    }

    /**
     * TRANSMIT of a datagram the router made with its UDP checksum left to fill in (IPsec's ESP
     * in UDP where {@link #segmentsUdp} said so): handed on as a partial checksum, which the
     * port's coalescer may merge with its like into one UDP super-packet.
     */
    private boolean transmitChecksumLeft(PacketContext c, ByteBuf p) {
        int ihl = Ipv4.headerLength(p, p.readerIndex());
        c.offload().set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 0, ihl, VirtioNetHeader.UDP_CSUM_OFFSET);
        try {
            return transmitOffloaded(c, p, false);
        } finally {
            c.offload().clear();
        }
    }

    /**
     * True when the port under route {@code r} takes UDP super-packets (USO4), so a sender of
     * many equal datagrams on it (IPsec's ESP in UDP) gains by leaving their checksums to the
     * host ({@link PacketContext#emit(ByteBuf, Route, boolean)}).
     */
    public boolean segmentsUdp(Route r) {
        Port port = r == null ? null : portOf(r.iface());
        return port != null && port.offersUso4();
    }

    /** TRANSMIT of a half-finished packet: whole to a port that takes it so, else finished in software first. */
    private boolean transmitOffloaded(PacketContext c, ByteBuf p, boolean forwarded) {
        Port port = portOf(c.route().iface());
        if (port == null || !port.linkUp()) {
            // one drop for the super-packet, not one per segment it would have been
            counters.drop(DropReason.PORT_DOWN);
            p.release();
            return false;
        }
        if (port.takes(p, c.offload())) {
            return port.transmit(p, c.offload());
        }
        Route r = c.route();
        return OffloadedEgress.finish(p, c.offload(), port, alloc, counters, q -> fragmentAndTransmit(r, q, forwarded));
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
        return ihl == Ipv4.MIN_HEADER ? null : options(p, at + Ipv4.MIN_HEADER, at + ihl);
    }

    /**
     * Walks the options between {@code from} and {@code end} (RFC 791 section 3.1): end of list
     * and no-operation are one byte, every other option gives its length (at least 2, within the
     * header). Source routing (LSRR 131, SSRR 137) is refused (RFC 7126 sections 4.3 and 4.4).
     */
    static DropReason options(ByteBuf p, int from, int end) {
        int i = from;
        while (i < end) {
            int type = p.getUnsignedByte(i);
            if (type == 0) {
                return null;
            }
            if (type == 1) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return DropReason.BAD_OPTIONS;
            }
            int len = p.getUnsignedByte(i + 1);
            if (len < 2 || i + len > end) {
                return DropReason.BAD_OPTIONS;
            }
            if (type == 131 || type == 137) {
                return DropReason.SOURCE_ROUTED;
            }
            i += len;
        }
        return null;
    }

    /** TTL minus one with the checksum updated incrementally (RFC 1624, equation 3). */
    static void decrementTtl(ByteBuf p, int at) {
        int old = p.getUnsignedShort(at + 8);
        p.setByte(at + 8, Ipv4.ttl(p, at) - 1);
        p.setShort(at + 10, Checksum.update16(p.getUnsignedShort(at + 10), old, p.getUnsignedShort(at + 8)));
    }

    /** LOCAL: reassembly, then ICMP, the UDP ports and the protocol handlers. */
    private ByteBuf local(PacketContext c, ByteBuf p) {
        if (c.offload().superPacket()) {
            // UDP datagrams coalesced for the router (no TCP super-packet is ever for it): each
            // meets LOCAL alone; a super-packet only arrives on the first pass
            LocalSegments.deliver(c, p, alloc, counters, d -> again(c, local(c, d), 1));
            return null;
        }
        if (c.offload().pending()) {
            // the router's own handlers read packets as sent: complete the checksum
            if (!Offloads.completeChecksum(p, c.offload())) {
                counters.drop(DropReason.BAD_OFFLOAD);
                p.release();
                return null;
            }
            c.offload().clear();
        }
        int at = p.readerIndex();
        if ((Ipv4.flagsAndOffset(p, at) & (Ipv4.FLAG_MF | 0x1fff)) != 0) {
            ByteBuf whole = reassembler.add(p);
            p.release();
            if (whole == null) {
                return null;
            }
            counters.reassembled.increment();
            p = whole;
            at = 0;
        }
        int proto = Ipv4.protocol(p, at);
        int ihl = Ipv4.headerLength(p, at);
        if (proto == Ipv4.PROTO_ICMP) {
            counters.delivered.increment();
            if (p.readableBytes() >= ihl + Icmp.HEADER && Icmp.type(p, at + ihl) == Icmp.ECHO) {
                echoReply(p);
            } else {
                icmp.deliver(p);
            }
            return null;
        }
        LocalHandler h = protocols[proto];
        if (h == null && proto == Ipv4.PROTO_UDP && p.readableBytes() >= ihl + Udp.HEADER) {
            h = udpPorts.get(Udp.destinationPort(p, at + ihl));
            if (h == null) {
                counters.drop(DropReason.NO_LISTENER);
                icmpError(p, Icmp.UNREACHABLE, Icmp.CODE_PORT, 0);
                p.release();
                return null;
            }
        }
        if (h == null) {
            counters.drop(DropReason.UNKNOWN_PROTOCOL);
            icmpError(p, Icmp.UNREACHABLE, Icmp.CODE_PROTOCOL, 0);
            p.release();
            return null;
        }
        counters.delivered.increment();
        return h.deliver(c, p);
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
        Icmp.echoToReply(r, 20, len);
        Ipv4.write(r, 0, 0, 20 + len, nextIpId(), 0, 64, Ipv4.PROTO_ICMP, dst, src);
        originate(r);
    }

    /** The identification field for the next datagram the router makes (one counter for all its senders). */
    public int nextIpId() {
        return ipId.incrementAndGet() & 0xffff;
    }

    /**
     * Where a packet the router sends to a destination leaves: the route (null when there is
     * none), the egress port's MTU (0 when there is no route or port) and the source address by
     * the unnumbered rule (0 when unroutable), from one route lookup.
     */
    public record Egress(Route route, int mtu, int source) {
    }

    public Egress egressTo(int destination) {
        Route r = routes.lookup(destination);
        return new Egress(r, mtuOf(r), sourceFor(r, destination));
    }

    /** The MTU of the port under route {@code r} (0 when there is no route or port): {@link #egressTo} without a record, per packet. */
    public int mtuOf(Route r) {
        Port port = r == null ? null : portOf(r.iface());
        return port == null ? 0 : port.mtu();
    }

    /** The source address for {@code destination} reached by route {@code r}, by the unnumbered rule (0 when unroutable). */
    public int sourceFor(Route r, int destination) {
        return interfaces.isLocal(destination) ? destination : r == null ? 0 : interfaces.sourceFor(r.iface());
    }

    /** The source address the router uses towards {@code destination} (0 when unroutable). */
    public int sourceFor(int destination) {
        return egressTo(destination).source();
    }

    /**
     * Sends a packet the router made: routes it by destination, fills in the source address
     * (0 means "choose") by the unnumbered rule, and runs it through FIREWALL_EGRESS, SPD,
     * FRAGMENT and TRANSMIT like a forwarded packet.
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
        PacketContext c = new PacketContext().reset("lo", true);
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
            again(c, local(c, p), 1);
            return true;
        }
        Route r = routes.lookup(dst);
        if (r == null) {
            counters.drop(DropReason.NO_ROUTE);
            p.release();
            return false;
        }
        if (Ipv4.source(p, at) == 0) {
            IntUnaryOperator choice = sourceChoice;
            int chosen = choice == null ? 0 : choice.applyAsInt(dst);
            p.setInt(at + 12, chosen != 0 ? chosen : interfaces.sourceFor(r.iface()));
            Ipv4.updateChecksum(p, at);
        }
        if (finish != null) {
            finish.accept(p);
        }
        counters.originated.increment();
        c.route(r);
        return egress(c, p, false);
    }

    /**
     * FRAGMENT and TRANSMIT for a packet IPsec has already protected outside the path (the
     * packets held for an SA, sent when ISAKMP installs it; UDP heartbeats): it met its SPD when
     * it was held, so it does not meet it again.
     */
    public boolean sendProtected(Route route, ByteBuf p) {
        counters.originated.increment();
        return fragmentAndTransmit(route, p, false);
    }

    /** FRAGMENT and TRANSMIT. */
    private boolean fragmentAndTransmit(Route r, ByteBuf p, boolean forwarded) {
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
                icmpError(p, Icmp.UNREACHABLE, Icmp.CODE_FRAG_NEEDED, port.mtu());
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
        // per packet for a policy with SRCINTERFACE: no Optional on the way
        IpInterface i = interfaces.find(iface);
        return i == null || i.unnumbered() ? 0 : i.address();
    }

    /**
     * Tells the source of {@code orig} that it must send packets of at most {@code mtu} bytes
     * (ICMP fragmentation needed, RFC 1191), as when a tunnel's headers make its packet too big
     * for the path (RFC 4301 section 8.2). Does not release {@code orig}.
     */
    public void fragmentationNeeded(ByteBuf orig, int mtu) {
        counters.drop(DropReason.FRAGMENTATION_NEEDED);
        icmpError(orig, Icmp.UNREACHABLE, Icmp.CODE_FRAG_NEEDED, mtu);
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
            int t = Icmp.type(orig, at + ihl);
            if (t != Icmp.ECHO && t != Icmp.ECHO_REPLY) {
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
        Icmp.writeError(e, 20, type, code, mtu, 8 + quote);
        Ipv4.write(e, 0, 0, 28 + quote, nextIpId(), 0, 64, Ipv4.PROTO_ICMP, 0, src);
        counters.icmpSent.increment();
        originate(e);
    }
}
