package io.argate.ipsec.path;

import io.argate.ipsec.esp.Transform;

import io.argate.ip.forward.Forwarder;
import io.argate.ip.packet.Ipv4;
import io.argate.ipsec.IpsecCounter;
import io.argate.ipsec.diag.PolicyCounters;
import io.argate.ipsec.diag.PolicyDebug;
import io.argate.ipsec.config.IpsecConfig;
import io.argate.ipsec.sad.SaBundle;
import io.argate.ipsec.sad.Sad;
import io.argate.ipsec.spd.CompiledSpd;
import io.argate.ipsec.spd.Direction;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spd.PortSelector;
import io.argate.shell.tap.Tap;
import io.argate.ipsec.config.IpsecSnapshot;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the outbound and inbound halves of the data path share: the configuration snapshot and
 * SAD they read, the forwarder they ask for routes, the counters and debug taps.
 */
final class PathContext {
    final Sad<Transform> sad;
    final Forwarder forwarder;
    final ByteBufAllocator alloc;
    final IpsecCounter.Set counters;
    final PolicyCounters policyCounters;
    final PolicyDebug debug;
    /** Translates the inner packets of tunnels that carry a Mode Config address of ours. */
    final AssignedAddressNat assigned;
    /** The configuration as last committed on the control plane: one volatile read per packet. */
    private volatile IpsecSnapshot snapshot = IpsecSnapshot.EMPTY;
    /** Interface names as the forwarder gives them -> the SPD's keys; a handful, made once each. */
    private final Map<String, String> ifaceKeys = new ConcurrentHashMap<>();

    PathContext(Sad<Transform> sad, Forwarder forwarder, ByteBufAllocator alloc, IpsecCounter.Set counters,
                PolicyCounters policyCounters, PolicyDebug debug, AssignedAddressNat assigned) {
        this.sad = sad;
        this.forwarder = forwarder;
        this.alloc = alloc;
        this.counters = counters;
        this.policyCounters = policyCounters;
        this.debug = debug;
        this.assigned = assigned;
    }

    IpsecSnapshot snapshot() {
        return snapshot;
    }

    void publish(IpsecSnapshot s) {
        this.snapshot = s;
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

    CompiledSpd.Match<IpsecPolicy> lookup(IpsecSnapshot s, String iface, Direction d, ByteBuf p, int at) {
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
        return s.spd().lookup(ifaceKey(iface), d, Ipv4.source(p, at), Ipv4.destination(p, at), proto, sport, dport);
    }

    void drop(ByteBuf p, IpsecCounter why) {
        counters.inc(why);
        p.release();
    }

    /**
     * DEBUG=PACKET in the reference's form: "IPSEC vpn: 2: OUT: pre processing:" and the packet's
     * headers and data in hex ({@link PacketDump}), offered to the tap of the terminal that asked.
     */
    void dump(String policy, SaBundle<Transform> b, String direction, String stage, ByteBuf p, int from, int to) {
        Tap o = debug.target(policy, PolicyDebug.Option.PACKET);
        if (o == null) {
            return;
        }
        String title = "IPSEC " + policy + ": " + b.id() + ": " + direction + ": " + stage + " processing:";
        for (String line : PacketDump.lines(title, p, from, to, BundleGeometry.of(b).icvLength(), snapshot.udpPort())) {
            o.offer(line);
        }
    }
}
