package io.argate.firewall.config;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The firewall's running configuration: the global switch and the policies in creation order. */
public final class FirewallConfig {
    private final Map<String, FirewallPolicy> policies = new LinkedHashMap<>();
    private boolean enabled;
    private int nextId = 1;

    public boolean enabled() {
        return enabled;
    }

    public void enabled(boolean on) {
        this.enabled = on;
    }

    public Collection<FirewallPolicy> policies() {
        return policies.values();
    }

    /** Policy names are case-insensitive, as every name in the command language. */
    public Optional<FirewallPolicy> policy(String name) {
        return Optional.ofNullable(policies.get(name.toUpperCase(Locale.ROOT)));
    }

    public FirewallPolicy create(String name) {
        FirewallPolicy p = new FirewallPolicy(name, nextId++);
        policies.put(name.toUpperCase(Locale.ROOT), p);
        return p;
    }

    public void destroy(String name) {
        policies.remove(name.toUpperCase(Locale.ROOT));
    }

    /** The policy in which {@code iface} is PRIVATE, if any (an interface is PRIVATE in one policy only). */
    public Optional<FirewallPolicy> privateOwner(String iface) {
        return policies.values().stream().filter(p -> p.interfaces().get(iface) == InterfaceType.PRIVATE).findFirst();
    }

    public void clear() {
        policies.clear();
        enabled = false;
        nextId = 1;
    }
}
