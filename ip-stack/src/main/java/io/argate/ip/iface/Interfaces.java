package io.argate.ip.iface;

import io.argate.ip.route.Route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The router's logical IP interfaces and the source-address rule for packets the router sends
 * (DESIGN.md section 4; seed 003 "unnumbered IP interfaces"): the egress interface's own
 * address, or, when that interface is unnumbered, the first address configured on any other
 * interface, in the order the ADD IP INTERFACE commands were given.
 */
public final class Interfaces {
    private final Map<String, IpInterface> byName = new TreeMap<>();
    private long order;

    /** Adds an interface; false when one of that name exists. */
    public boolean add(String port, int index, int address, int mask) {
        String name = port + "-" + index;
        if (byName.containsKey(name)) {
            return false;
        }
        byName.put(name, new IpInterface(port, index, address, mask, order++));
        return true;
    }

    public boolean remove(String name) {
        return byName.remove(name) != null;
    }

    public Optional<IpInterface> get(String name) {
        return Optional.ofNullable(find(name));
    }

    /**
     * The interface of that name or null. Routes carry the canonical {@code port-index} form, so
     * the packet path finds it with one map lookup; only typed names ("ETH0") need parsing.
     */
    private IpInterface find(String name) {
        IpInterface exact = byName.get(name);
        if (exact != null) {
            return exact;
        }
        String[] p = IpInterface.parseName(name);
        return p == null ? null : byName.get(p[0] + "-" + p[1]);
    }

    /** All interfaces in creation order (the running configuration's order). */
    public List<IpInterface> all() {
        List<IpInterface> l = new ArrayList<>(byName.values());
        l.sort(Comparator.comparingLong(IpInterface::order));
        return l;
    }

    public void clear() {
        byName.clear();
        order = 0;
    }

    /** True when {@code address} is one of the router's own. */
    public boolean isLocal(int address) {
        for (IpInterface i : byName.values()) {
            if (!i.unnumbered() && i.address() == address) {
                return true;
            }
        }
        return false;
    }

    /** Connected routes of the numbered interfaces. */
    public List<Route> connectedRoutes() {
        List<Route> out = new ArrayList<>();
        for (IpInterface i : all()) {
            if (!i.unnumbered()) {
                out.add(i.connectedRoute());
            }
        }
        return out;
    }

    /** Source address for a packet leaving by {@code egress}; 0 when the router has no address. */
    public int sourceFor(String egress) {
        IpInterface out = find(egress);
        if (out != null && !out.unnumbered()) {
            return out.address();
        }
        for (IpInterface i : all()) {
            if (!i.unnumbered()) {
                return i.address();
            }
        }
        return 0;
    }
}
