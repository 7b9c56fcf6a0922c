package io.argate.firewall.engine;

import io.argate.firewall.config.FirewallPolicy;
import io.argate.firewall.config.FirewallRule;
import io.argate.firewall.config.InterfaceNat;
import io.argate.firewall.config.InterfaceType;
import io.argate.firewall.wire.IcmpHeader;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** One policy as the data path reads it: immutable, rules in number order, timeouts in seconds. */
public final class CompiledPolicy {
    final String name;
    final int id;
    final int tcpSeconds;
    final int udpSeconds;
    final int otherSeconds;
    final int espSeconds;
    final boolean ftpDataPortAny;
    /** FRAGMENT=UDP and FRAGMENT=ICMP: big fragmented datagrams of that protocol pass. */
    final boolean bigUdpFragments;
    final boolean bigIcmpFragments;
    /** Interfaces of this policy added with METHOD=PASSALL. */
    final Set<String> passAll;
    final Set<FirewallPolicy.IcmpForwarding> icmpForwarding;
    final boolean ping;
    final boolean logAllow;
    final boolean logDeny;
    final boolean debugProcess;
    final FirewallRule[] rules;
    final InterfaceNat[] nats;
    final Set<String> publics;
    final PolicyCounters counters;
    /** UDPPORTTIMEOUT ports in ascending order, and their timeouts in seconds. */
    private final int[] udpPorts;
    private final int[] udpPortSeconds;

    CompiledPolicy(FirewallPolicy p, PolicyCounters counters) {
        this.name = p.name();
        this.id = p.id();
        this.tcpSeconds = FirewallPolicy.seconds(p.tcpTimeout());
        this.udpSeconds = FirewallPolicy.seconds(p.udpTimeout());
        this.otherSeconds = FirewallPolicy.seconds(p.otherTimeout());
        this.espSeconds = FirewallPolicy.seconds(p.espTimeout());
        this.ftpDataPortAny = p.ftpDataPortAny();
        this.bigUdpFragments = p.fragments().contains(FirewallPolicy.FragmentOption.UDP);
        this.bigIcmpFragments = p.fragments().contains(FirewallPolicy.FragmentOption.ICMP);
        this.passAll = Set.copyOf(p.passAll());
        this.icmpForwarding = Set.copyOf(p.icmpForwarding());
        this.ping = p.ping();
        this.logAllow = p.log().contains(FirewallPolicy.LogOption.ALLOW)
                || p.debug().contains(FirewallPolicy.DebugOption.PACKET);
        this.logDeny = p.log().contains(FirewallPolicy.LogOption.DENY)
                || p.debug().contains(FirewallPolicy.DebugOption.PACKET);
        this.debugProcess = p.debug().contains(FirewallPolicy.DebugOption.PROCESS);
        this.rules = p.rules().values().toArray(FirewallRule[]::new);
        this.nats = p.nats().toArray(InterfaceNat[]::new);
        this.publics = p.interfaces().entrySet().stream().filter(e -> e.getValue() == InterfaceType.PUBLIC)
                .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
        this.counters = counters;
        this.udpPorts = p.udpPortTimeouts().keySet().stream().mapToInt(Integer::intValue).toArray();
        this.udpPortSeconds = p.udpPortTimeouts().values().stream()
                .mapToInt(m -> m == FirewallPolicy.DEFAULT_TIMEOUT ? udpSeconds : FirewallPolicy.seconds(m)).toArray();
    }

    /**
     * The timeout in seconds a UDPPORTTIMEOUT entry gives a flow between these ports from its
     * first packet ([C:S41]; the remote port is the destination of a flow from inside and the
     * source of one from outside, so either may name it), or -1 when none does.
     */
    int udpPortSeconds(int sport, int dport) {
        if (udpPorts.length == 0) {
            return -1;
        }
        int i = java.util.Arrays.binarySearch(udpPorts, dport);
        if (i < 0) {
            i = java.util.Arrays.binarySearch(udpPorts, sport);
        }
        return i < 0 ? -1 : udpPortSeconds[i];
    }

    /** Whether FRAGMENT lets a big fragmented datagram of {@code proto} through. */
    boolean allowsBigFragments(int proto) {
        return proto == io.argate.ip.packet.Ipv4.PROTO_UDP ? bigUdpFragments : bigIcmpFragments;
    }

    public String name() {
        return name;
    }

    /** ICMP_FORWARDING: is this ICMP type let through (RFC 792 types)? */
    boolean forwards(int icmpType) {
        FirewallPolicy.IcmpForwarding k = switch (icmpType) {
            case IcmpHeader.ECHO_REQUEST, IcmpHeader.ECHO_REPLY -> FirewallPolicy.IcmpForwarding.PING;
            case IcmpHeader.UNREACHABLE -> FirewallPolicy.IcmpForwarding.UNREACHABLE;
            case IcmpHeader.SOURCE_QUENCH -> FirewallPolicy.IcmpForwarding.SOURCEQUENCH;
            case IcmpHeader.TIME_EXCEEDED -> FirewallPolicy.IcmpForwarding.TIMEEXCEEDED;
            case IcmpHeader.PARAMETER_PROBLEM -> FirewallPolicy.IcmpForwarding.PARAMETER;
            case IcmpHeader.TIMESTAMP, IcmpHeader.TIMESTAMP_REPLY -> FirewallPolicy.IcmpForwarding.TIMESTAMP;
            default -> null;
        };
        return k != null && icmpForwarding.contains(k);
    }

    /** The interface NAT for a packet moving from {@code in} to {@code out}, or null. */
    InterfaceNat natFor(String in, String out) {
        for (InterfaceNat n : nats) {
            if (n.iface().equals(in) && n.gblIface().equals(out)) {
                return n;
            }
        }
        return null;
    }

    /** The static NAT whose GBLIP covers {@code global} on interface {@code gblIface}, or null. */
    InterfaceNat staticFor(String gblIface, int global) {
        for (InterfaceNat n : nats) {
            if (n.isStatic() && n.gblIface().equals(gblIface) && n.gblIp() != null && n.gblIp().contains(global)) {
                return n;
            }
        }
        return null;
    }
}
