package io.argate.firewall.config;

import io.argate.firewall.FirewallLimits;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One firewall policy as the commands built it: its interfaces and their sides, interface NAT,
 * rules by number, timeouts and options. Changed only on the control plane; the data path reads
 * the compiled snapshot, never this.
 */
public final class FirewallPolicy {
    /** ICMP_FORWARDING values ([C:S27]): which ICMP types the policy lets through. */
    public enum IcmpForwarding { PARAMETER, PING, SOURCEQUENCH, TIMEEXCEEDED, TIMESTAMP, UNREACHABLE }

    /**
     * FRAGMENT values ([C:S27]): UDP or ICMP datagrams whose reassembled transport part is larger
     * than {@link FirewallLimits#FRAGMENT_MAX_L4} pass when their protocol is enabled.
     */
    public enum FragmentOption { ICMP, UDP }

    /** LOG values: which decisions become log entries. */
    public enum LogOption { ALLOW, DENY }

    /** DEBUG values this firewall has output for (no application proxies: no HTTP, PROXY or SMTP). */
    public enum DebugOption { PACKET, PROCESS }

    private final String name;
    private final int id;
    private final Map<String, InterfaceType> interfaces = new LinkedHashMap<>();
    /** Interfaces added with METHOD=PASSALL; the others are DYNAMIC (the default, [C:S37]). */
    private final Set<String> passAll = new java.util.HashSet<>();
    /** FRAGMENT values ([C:S27]): protocols whose fragmented datagrams may exceed the size limit. */
    private final Set<FragmentOption> fragments = EnumSet.noneOf(FragmentOption.class);
    private int espTimeout = FirewallLimits.ESP_TIMEOUT_MINUTES;
    private boolean ftpDataPortAny;
    private final List<InterfaceNat> nats = new ArrayList<>();
    private final TreeMap<Integer, FirewallRule> rules = new TreeMap<>();
    private final Set<IcmpForwarding> icmpForwarding = EnumSet.noneOf(IcmpForwarding.class);
    private final Set<LogOption> log = EnumSet.noneOf(LogOption.class);
    private final Set<DebugOption> debug = EnumSet.noneOf(DebugOption.class);
    private boolean identProxy = true;
    private boolean ping;
    private int tcpTimeout = FirewallLimits.TCP_TIMEOUT_MINUTES;
    private int udpTimeout = FirewallLimits.UDP_TIMEOUT_MINUTES;
    private int otherTimeout = FirewallLimits.OTHER_TIMEOUT_MINUTES;
    /** UDPPORTTIMEOUT entries ([C:S41]): remote UDP port to minutes, or {@link #DEFAULT_TIMEOUT} for UDPTIMEOUT. */
    private final TreeMap<Integer, Integer> udpPortTimeouts = new TreeMap<>();

    /** TIMEOUT=DEFAULT of a UDPPORTTIMEOUT entry: the policy's UDPTIMEOUT, from the first packet. */
    public static final int DEFAULT_TIMEOUT = -1;

    public FirewallPolicy(String name, int id) {
        this.name = name;
        this.id = id;
    }

    public String name() {
        return name;
    }

    /** A number that stays the policy's while it exists; sessions name their policy by it. */
    public int id() {
        return id;
    }

    public TreeMap<Integer, Integer> udpPortTimeouts() {
        return udpPortTimeouts;
    }

    public Map<String, InterfaceType> interfaces() {
        return interfaces;
    }

    public List<InterfaceNat> nats() {
        return nats;
    }

    public TreeMap<Integer, FirewallRule> rules() {
        return rules;
    }

    public Set<IcmpForwarding> icmpForwarding() {
        return icmpForwarding;
    }

    public Set<LogOption> log() {
        return log;
    }

    public Set<DebugOption> debug() {
        return debug;
    }

    public Set<String> passAll() {
        return passAll;
    }

    public Set<FragmentOption> fragments() {
        return fragments;
    }

    public int espTimeout() {
        return espTimeout;
    }

    public void espTimeout(int minutes) {
        this.espTimeout = minutes;
    }

    /** FTPDATAPORT=ANY: an active-mode FTP data connection may come from any server port, not only 20. */
    public boolean ftpDataPortAny() {
        return ftpDataPortAny;
    }

    public void ftpDataPortAny(boolean any) {
        this.ftpDataPortAny = any;
    }

    public boolean identProxy() {
        return identProxy;
    }

    public void identProxy(boolean on) {
        this.identProxy = on;
    }

    public boolean ping() {
        return ping;
    }

    public void ping(boolean on) {
        this.ping = on;
    }

    public int tcpTimeout() {
        return tcpTimeout;
    }

    public void tcpTimeout(int minutes) {
        this.tcpTimeout = minutes;
    }

    public int udpTimeout() {
        return udpTimeout;
    }

    public void udpTimeout(int minutes) {
        this.udpTimeout = minutes;
    }

    public int otherTimeout() {
        return otherTimeout;
    }

    public void otherTimeout(int minutes) {
        this.otherTimeout = minutes;
    }

    /** Minutes as the commands take them to seconds: 0 means 30 s ([C:S40]). */
    public static int seconds(int minutes) {
        return minutes == 0 ? FirewallLimits.ZERO_TIMEOUT_SECONDS : minutes * 60;
    }
}
