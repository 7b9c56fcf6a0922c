package io.argate.isakmp.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The ISAKMP running configuration: the module switch and the policies in creation order.
 * Changed only on the control plane. Policy selection follows the reference (seed 003): by the
 * peer's address first, then the PEER=ANY policies, whose REMOTEID names the peer's ID.
 */
public final class IsakmpConfig {
    private final Map<String, IsakmpPolicy> policies = new LinkedHashMap<>();
    private boolean enabled;
    /** Mode Config address pools (CREATE ISAKMP POOL) by lower-case name. */
    private final Map<String, io.argate.isakmp.modecfg.AddressPool> pools = new LinkedHashMap<>();

    public boolean enabled() {
        return enabled;
    }

    public void enabled(boolean on) {
        enabled = on;
    }

    public Optional<IsakmpPolicy> policy(String name) {
        return Optional.ofNullable(policies.get(name.toLowerCase(Locale.ROOT)));
    }

    public List<IsakmpPolicy> policies() {
        return List.copyOf(policies.values());
    }

    public void put(IsakmpPolicy p) {
        policies.put(p.name().toLowerCase(Locale.ROOT), p);
    }

    public void remove(String name) {
        policies.remove(name.toLowerCase(Locale.ROOT));
    }

    public Optional<io.argate.isakmp.modecfg.AddressPool> pool(String name) {
        return Optional.ofNullable(pools.get(name.toLowerCase(Locale.ROOT)));
    }

    public List<io.argate.isakmp.modecfg.AddressPool> pools() {
        return List.copyOf(pools.values());
    }

    public void putPool(io.argate.isakmp.modecfg.AddressPool p) {
        pools.put(p.name().toLowerCase(Locale.ROOT), p);
    }

    public void removePool(String name) {
        pools.remove(name.toLowerCase(Locale.ROOT));
    }

    public void clear() {
        policies.clear();
        pools.clear();
        enabled = false;
    }

    /** The policy for a peer address: the one naming it, else none (PEER=ANY ones are chosen by {@link #anyPeer}). */
    public Optional<IsakmpPolicy> forPeer(int address) {
        for (IsakmpPolicy p : policies.values()) {
            if (!p.anyPeer() && p.peer() == address) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** PEER=ANY policies in creation order. */
    public List<IsakmpPolicy> anyPeer() {
        List<IsakmpPolicy> out = new ArrayList<>();
        for (IsakmpPolicy p : policies.values()) {
            if (p.anyPeer()) {
                out.add(p);
            }
        }
        return out;
    }
}
