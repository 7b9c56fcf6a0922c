package io.argate.ipsec.config;

import io.argate.ipsec.spd.CompiledSpd;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spd.PolicyOrder;
import io.argate.ipsec.spec.BundleSpecification;
import io.argate.ipsec.spec.SaSpecification;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The IPsec running configuration: SA specifications, bundle specifications, policies and their
 * per-interface order, the module switch and the UDP tunnel port. Changed only on the control
 * plane; a change marks it dirty and {@link #commit()} (after a command, or once at the end of a
 * script) compiles the SPD and publishes the {@link IpsecSnapshot} the data path reads, so a
 * 10,000-policy script compiles once instead of 10,000 times.
 */
public final class IpsecConfig {
    public static final int DEFAULT_UDP_PORT = io.argate.ip.packet.Ports.UDP_TUNNEL;

    private final Map<Integer, SaSpecification> specs = new TreeMap<>();
    private final Map<Integer, BundleSpecification> bundles = new TreeMap<>();
    /** Policies by lower-case name; names keep their typed case for display. */
    private final Map<String, IpsecPolicy> policies = new LinkedHashMap<>();
    private final Map<String, PolicyOrder> order = new TreeMap<>();
    private boolean enabled;
    private int udpPort = DEFAULT_UDP_PORT;
    private boolean dirty = true;
    private volatile IpsecSnapshot snapshot = IpsecSnapshot.EMPTY;

    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * The SPD's key for an interface name: lower case, without the multihoming suffix, so
     * "ETH0", "eth0", "eth0-0" and "ppp0-1" all meet the policies of their interface. A policy
     * on ppp0 covers every logical interface of ppp0 (the reference's multihoming example routes
     * through ppp0-1): a VPN must fail closed whichever logical interface a route names.
     */
    public static String ifaceKey(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        int dash = n.lastIndexOf('-');
        if (dash > 0 && dash < n.length() - 1) {
            for (int i = dash + 1; i < n.length(); i++) {
                if (!Character.isDigit(n.charAt(i))) {
                    return n;
                }
            }
            return n.substring(0, dash);
        }
        return n;
    }

    public Optional<SaSpecification> spec(int n) {
        return Optional.ofNullable(specs.get(n));
    }

    public List<SaSpecification> specs() {
        return List.copyOf(specs.values());
    }

    public void putSpec(SaSpecification s) {
        specs.put(s.number(), s);
        dirty = true;
    }

    public void removeSpec(int n) {
        specs.remove(n);
        dirty = true;
    }

    public Optional<BundleSpecification> bundle(int n) {
        return Optional.ofNullable(bundles.get(n));
    }

    public List<BundleSpecification> bundles() {
        return List.copyOf(bundles.values());
    }

    public void putBundle(BundleSpecification b) {
        bundles.put(b.number(), b);
        dirty = true;
    }

    public void removeBundle(int n) {
        bundles.remove(n);
        dirty = true;
    }

    public Optional<IpsecPolicy> policy(String name) {
        return Optional.ofNullable(policies.get(key(name)));
    }

    /** Every policy, interface by interface, each interface's in first-match order. */
    public List<IpsecPolicy> policies() {
        List<IpsecPolicy> out = new ArrayList<>();
        for (PolicyOrder o : order.values()) {
            for (String n : o.names()) {
                out.add(policies.get(n));
            }
        }
        return out;
    }

    /** Policies of one interface in first-match order. */
    public List<IpsecPolicy> policiesOf(String iface) {
        PolicyOrder o = order.get(ifaceKey(iface));
        List<IpsecPolicy> out = new ArrayList<>();
        if (o != null) {
            for (String n : o.names()) {
                out.add(policies.get(n));
            }
        }
        return out;
    }

    /** How many policies an interface has (without copying its list: CREATE asks this every time). */
    public int policyCount(String iface) {
        PolicyOrder o = order.get(ifaceKey(iface));
        return o == null ? 0 : o.size();
    }

    /** 1-based place of a policy on its interface. */
    public int positionOf(IpsecPolicy p) {
        return order.get(ifaceKey(p.iface())).positionOf(key(p.name()));
    }

    /** Adds a new policy at POSITION (0 = at the end) of its interface. */
    public void addPolicy(IpsecPolicy p, int position) {
        policies.put(key(p.name()), p);
        order.computeIfAbsent(ifaceKey(p.iface()), i -> new PolicyOrder()).insert(key(p.name()), position);
        dirty = true;
    }

    /** Replaces a policy (same name and interface); moves it when position is above 0. */
    public void replacePolicy(IpsecPolicy p, int position) {
        policies.put(key(p.name()), p);
        if (position > 0) {
            order.get(ifaceKey(p.iface())).move(key(p.name()), position);
        }
        dirty = true;
    }

    public void removePolicy(String name) {
        IpsecPolicy p = policies.remove(key(name));
        if (p != null) {
            PolicyOrder o = order.get(ifaceKey(p.iface()));
            o.remove(key(name));
            if (o.isEmpty()) {
                order.remove(ifaceKey(p.iface()));
            }
        }
        dirty = true;
    }

    public boolean enabled() {
        return enabled;
    }

    public void enabled(boolean on) {
        this.enabled = on;
        dirty = true;
    }

    public int udpPort() {
        return udpPort;
    }

    public void udpPort(int port) {
        this.udpPort = port;
        dirty = true;
    }

    /** The SPD as last committed. */
    public CompiledSpd<IpsecPolicy> spd() {
        return snapshot.spd();
    }

    /** What the data path reads (one volatile read): the configuration as last committed. */
    public IpsecSnapshot snapshot() {
        return snapshot;
    }

    /** Back to factory defaults: no specs, bundles or policies, disabled, port 2746. */
    public void clear() {
        specs.clear();
        bundles.clear();
        policies.clear();
        order.clear();
        enabled = false;
        udpPort = DEFAULT_UDP_PORT;
        dirty = true;
    }

    /**
     * Publishes the changes made since the last commit: compiles the SPD and replaces the
     * snapshot. Returns the new snapshot, or null when nothing changed.
     */
    public IpsecSnapshot commit() {
        if (!dirty) {
            return null;
        }
        dirty = false;
        Map<String, List<IpsecPolicy>> byIface = new TreeMap<>();
        for (Map.Entry<String, PolicyOrder> e : order.entrySet()) {
            List<IpsecPolicy> list = new ArrayList<>();
            for (String n : e.getValue().names()) {
                list.add(policies.get(n));
            }
            byIface.put(e.getKey(), list);
        }
        Map<String, IpsecPolicy> byName = new java.util.HashMap<>(policies);
        snapshot = new IpsecSnapshot(enabled, udpPort, CompiledSpd.compile(byIface, IpsecPolicy::rule), Map.copyOf(byName),
                Map.copyOf(bundles), List.copyOf(specs.values()));
        return snapshot;
    }

    /** Spec and bundle changes do not touch the SPD but do change manual SAs. */
    public void changed() {
        dirty = true;
    }
}
