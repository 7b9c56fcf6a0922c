package io.argate.ipsec.path;

import io.argate.ip.forward.Forwarder;
import io.argate.ip.packet.Ipv4;
import io.argate.ipsec.IpsecCounter;
import io.argate.ipsec.cli.PolicyCounters;
import io.argate.ipsec.cli.PolicyDebug;
import io.argate.ipsec.config.IpsecConfig;
import io.argate.ipsec.sad.SaBundle;
import io.argate.ipsec.sad.SaDetails;
import io.argate.ipsec.sad.Sad;
import io.argate.ipsec.spd.CompiledSpd;
import io.argate.ipsec.spd.Direction;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spd.PortSelector;
import io.argate.shell.session.Output;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the outbound and inbound halves of the data path share: the configuration and SAD they
 * read, the forwarder they send through, the counters and debug targets, and the rule that a
 * packet the engine itself sends or re-injects is not judged by the SPD again.
 */
final class PathContext {
    /**
     * The one buffer the engine is sending (already protected) or re-injecting (already
     * decapsulated), so that packet is not judged again. It marks that buffer only: a reply the
     * router makes while handling it (an echo reply to a ping through the tunnel) goes through
     * the SPD like any other packet.
     */
    private static final ThreadLocal<ByteBuf[]> OWN = ThreadLocal.withInitial(() -> new ByteBuf[1]);

    final IpsecConfig config;
    final Sad<SaDetails> sad;
    final Forwarder forwarder;
    final ByteBufAllocator alloc;
    final IpsecCounter.Set counters;
    final PolicyCounters policyCounters;
    final PolicyDebug debug;
    /** Interface names as the forwarder gives them -> the SPD's keys; a handful, made once each. */
    private final Map<String, String> ifaceKeys = new ConcurrentHashMap<>();

    PathContext(IpsecConfig config, Sad<SaDetails> sad, Forwarder forwarder, ByteBufAllocator alloc, IpsecCounter.Set counters,
                PolicyCounters policyCounters, PolicyDebug debug) {
        this.config = config;
        this.sad = sad;
        this.forwarder = forwarder;
        this.alloc = alloc;
        this.counters = counters;
        this.policyCounters = policyCounters;
        this.debug = debug;
    }

    /** True for a packet the engine is sending or re-injecting right now on this thread. */
    static boolean own(ByteBuf p) {
        return OWN.get()[0] == p;
    }

    /** Sends a packet the engine made, marked as its own so the post-routing hook lets it pass. */
    void originate(ByteBuf p) {
        ByteBuf[] own = OWN.get();
        ByteBuf previous = own[0];
        own[0] = p;
        try {
            forwarder.originate(p);
        } finally {
            own[0] = previous;
        }
    }

    /** A decapsulated packet enters IP input again, marked so the ingress hook lets it pass. */
    void reinject(String in, ByteBuf p) {
        ByteBuf[] own = OWN.get();
        ByteBuf previous = own[0];
        own[0] = p;
        try {
            forwarder.reinject(in, p);
        } finally {
            own[0] = previous;
        }
    }

    /** The SPD key of an interface name, without making a new string per packet. */
    String ifaceKey(String iface) {
        String k = ifaceKeys.get(iface);
        if (k == null) {
            k = IpsecConfig.ifaceKey(iface);
            if (ifaceKeys.size() < 1024) {
                ifaceKeys.put(iface, k);
            }
        }
        return k;
    }

    CompiledSpd.Match<IpsecPolicy> lookup(String iface, Direction d, ByteBuf p, int at) {
        int proto = Ipv4.protocol(p, at);
        int sport = PortSelector.NONE;
        int dport = PortSelector.NONE;
        if ((proto == Ipv4.PROTO_TCP || proto == Ipv4.PROTO_UDP) && (Ipv4.flagsAndOffset(p, at) & 0x1fff) == 0) {
            int l4 = at + Ipv4.headerLength(p, at);
            if (p.writerIndex() - l4 >= 4) {
                sport = p.getUnsignedShort(l4);
                dport = p.getUnsignedShort(l4 + 2);
            }
        }
        return config.spd().lookup(ifaceKey(iface), d, Ipv4.source(p, at), Ipv4.destination(p, at), proto, sport, dport);
    }

    void drop(ByteBuf p, IpsecCounter why) {
        counters.inc(why);
        p.release();
    }

    /**
     * DEBUG=PACKET in the reference's form: "IPSEC vpn: 2: OUT: pre processing:" and the packet's
     * headers and data in hex ({@link PacketDump}).
     */
    void dump(String policy, SaBundle<SaDetails> b, String direction, String stage, ByteBuf p, int from, int to) {
        Output o = debug.target(policy, PolicyDebug.Option.PACKET);
        if (o == null) {
            return;
        }
        String title = "IPSEC " + policy + ": " + b.id() + ": " + direction + ": " + stage + " processing:";
        for (String line : PacketDump.lines(title, p, from, to, BundleGeometry.of(b).icvLength(), config.udpPort())) {
            o.println(line);
        }
    }
}
