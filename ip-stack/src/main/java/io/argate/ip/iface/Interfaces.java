package io.argate.ip.iface;

import io.argate.ip.route.Route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.HashMap;

/**
 * The router's logical IP interfaces and the source-address rule for packets the router sends
 * (DESIGN.md section 4; seed 003 "unnumbered IP interfaces"): the egress interface's own
 * address, or, when that interface is unnumbered, the first address configured on any other
 * interface, in the order the ADD IP INTERFACE commands were given.
 *
 * <p>Commands change the interfaces while every port's receive thread reads them, so each change
 * publishes a new immutable snapshot with one volatile write; the packet path never sees a
 * half-made change, and "is this address mine" is a scan of a small int array.
 */
public final class Interfaces {
    /** One published state: by name, in creation order, and the numbered addresses. */
    private record Snapshot(Map<String, IpInterface> byName, List<IpInterface> ordered, int[] locals) {
        static Snapshot of(Map<String, IpInterface> byName) {
            List<IpInterface> ordered = new ArrayList<>(byName.values());
            ordered.sort(Comparator.comparingLong(IpInterface::order));
            int[] locals = ordered.stream().filter(i -> !i.unnumbered()).mapToInt(IpInterface::address).toArray();
            return new Snapshot(Map.copyOf(byName), List.copyOf(ordered), locals);
        }
    }

    private volatile Snapshot snapshot = Snapshot.of(Map.of());
    private long order;

    /** Adds an interface; false when one of that name exists. */
    public synchronized boolean add(String port, int index, int address, int mask) {
        String name = port + "-" + index;
        if (snapshot.byName().containsKey(name)) {
            return false;
        }
        publish(name, new IpInterface(port, index, address, mask, order++));
        return true;
    }

    /**
     * Gives an existing interface a new address and mask in one step, keeping its place in the
     * creation order (which decides unnumbered source addresses); false when there is none.
     */
    public synchronized boolean set(String name, int address, int mask) {
        IpInterface old = snapshot.byName().get(name);
        if (old == null) {
            return false;
        }
        publish(name, new IpInterface(old.port(), old.index(), address, mask, old.order()));
        return true;
    }

    public synchronized boolean remove(String name) {
        if (!snapshot.byName().containsKey(name)) {
            return false;
        }
        publish(name, null);
        return true;
    }

    /** Publishes a copy of the current state with {@code name} set to {@code i} (removed when null). */
    private void publish(String name, IpInterface i) {
        Map<String, IpInterface> next = new HashMap<>(snapshot.byName());
        if (i == null) {
            next.remove(name);
        } else {
            next.put(name, i);
        }
        snapshot = Snapshot.of(next);
    }

    public Optional<IpInterface> get(String name) {
        return Optional.ofNullable(find(name));
    }

    /**
     * The interface of that name or null. Routes carry the canonical {@code port-index} form, so
     * the packet path finds it with one map lookup; only typed names ("ETH0") need parsing.
     */
    public IpInterface find(String name) {
        Map<String, IpInterface> byName = snapshot.byName();
        IpInterface exact = byName.get(name);
        if (exact != null) {
            return exact;
        }
        String[] p = IpInterface.parseName(name);
        return p == null ? null : byName.get(p[0] + "-" + p[1]);
    }

    /** All interfaces in creation order (the running configuration's order). */
    public List<IpInterface> all() {
        return snapshot.ordered();
    }

    public synchronized void clear() {
        snapshot = Snapshot.of(Map.of());
        order = 0;
    }

    /** True when {@code address} is one of the router's own. */
    public boolean isLocal(int address) {
        for (int a : snapshot.locals()) {
            if (a == address) {
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
        int[] locals = snapshot.locals();
        return locals.length == 0 ? 0 : locals[0];
    }
}
