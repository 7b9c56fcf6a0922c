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
 * per-interface order, the module switch and the UDP tunnel port. Changed only from the
 * control plane; every change recompiles the SPD snapshot the data path reads.
 */
public final class IpsecConfig {
    public static final int DEFAULT_UDP_PORT = 2746;

    private final Map<Integer, SaSpecification> specs = new TreeMap<>();
    private final Map<Integer, BundleSpecification> bundles = new TreeMap<>();
    /** Policies by lower-case name; names keep their typed case for display. */
    private final Map<String, IpsecPolicy> policies = new LinkedHashMap<>();
    private final Map<String, PolicyOrder> order = new TreeMap<>();
    private boolean enabled;
    private int udpPort = DEFAULT_UDP_PORT;
    private volatile CompiledSpd<IpsecPolicy> spd = CompiledSpd.empty();

    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * The SPD's key for an interface name: lower case, with the multihoming suffix -0 dropped,
     * so "ETH0", "eth0" and "eth0-0" are one interface and "ppp0-1" stays itself.
     */
    public static String ifaceKey(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith("-0") ? n.substring(0, n.length() - 2) : n;
    }

    private final java.util.List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Told after every change (the data path rebuilds manual SAs). */
    public void onChange(Runnable r) {
        listeners.add(r);
    }

    public Optional<SaSpecification> spec(int n) {
        return Optional.ofNullable(specs.get(n));
    }

    public List<SaSpecification> specs() {
        return List.copyOf(specs.values());
    }

    public void putSpec(SaSpecification s) {
        specs.put(s.number(), s);
    }

    public void removeSpec(int n) {
        specs.remove(n);
    }

    public Optional<BundleSpecification> bundle(int n) {
        return Optional.ofNullable(bundles.get(n));
    }

    public List<BundleSpecification> bundles() {
        return List.copyOf(bundles.values());
    }

    public void putBundle(BundleSpecification b) {
        bundles.put(b.number(), b);
    }

    public void removeBundle(int n) {
        bundles.remove(n);
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

    /** 1-based place of a policy on its interface. */
    public int positionOf(IpsecPolicy p) {
        return order.get(ifaceKey(p.iface())).positionOf(key(p.name()));
    }

    /** Adds a new policy at POSITION (0 = at the end) of its interface. */
    public void addPolicy(IpsecPolicy p, int position) {
        policies.put(key(p.name()), p);
        order.computeIfAbsent(ifaceKey(p.iface()), i -> new PolicyOrder()).insert(key(p.name()), position);
        recompile();
    }

    /** Replaces a policy (same name and interface); moves it when position is above 0. */
    public void replacePolicy(IpsecPolicy p, int position) {
        policies.put(key(p.name()), p);
        if (position > 0) {
            order.get(ifaceKey(p.iface())).move(key(p.name()), position);
        }
        recompile();
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
        recompile();
    }

    public boolean enabled() {
        return enabled;
    }

    public void enabled(boolean on) {
        this.enabled = on;
        listeners.forEach(Runnable::run);
    }

    public int udpPort() {
        return udpPort;
    }

    public void udpPort(int port) {
        this.udpPort = port;
    }

    /** The snapshot the data path reads (one volatile read). */
    public CompiledSpd<IpsecPolicy> spd() {
        return spd;
    }

    /** Back to factory defaults: no specs, bundles or policies, disabled, port 2746. */
    public void clear() {
        specs.clear();
        bundles.clear();
        policies.clear();
        order.clear();
        enabled = false;
        udpPort = DEFAULT_UDP_PORT;
        recompile();
    }

    private void recompile() {
        Map<String, List<IpsecPolicy>> byIface = new TreeMap<>();
        for (Map.Entry<String, PolicyOrder> e : order.entrySet()) {
            List<IpsecPolicy> list = new ArrayList<>();
            for (String n : e.getValue().names()) {
                list.add(policies.get(n));
            }
            byIface.put(e.getKey(), list);
        }
        spd = CompiledSpd.compile(byIface, IpsecPolicy::rule);
        listeners.forEach(Runnable::run);
    }

    /** Spec and bundle changes do not touch the SPD but do change manual SAs. */
    public void changed() {
        listeners.forEach(Runnable::run);
    }
}
