package io.argate.firewall.engine;

import io.argate.firewall.config.FirewallConfig;
import io.argate.firewall.config.FirewallPolicy;
import io.argate.firewall.config.InterfaceType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The firewall configuration compiled for the data path: per interface, the policy it is
 * PRIVATE in and the policies it is PUBLIC in; policies by id for the sessions that name them.
 * Immutable; a configuration change builds a new one and the engine swaps it in with one
 * volatile write (DESIGN.md section 5).
 */
public final class CompiledFirewall {
    /** An interface's place in the policies. */
    record Binding(CompiledPolicy privateOf, CompiledPolicy[] publicOf) {
    }

    static final CompiledFirewall OFF = new CompiledFirewall(false, Map.of(), new CompiledPolicy[1]);

    final boolean enabled;
    final Map<String, Binding> bindings;
    final CompiledPolicy[] byId;

    private CompiledFirewall(boolean enabled, Map<String, Binding> bindings, CompiledPolicy[] byId) {
        this.enabled = enabled;
        this.bindings = bindings;
        this.byId = byId;
    }

    public static CompiledFirewall compile(FirewallConfig config, IntFunction<PolicyCounters> counters) {
        int maxId = config.policies().stream().mapToInt(FirewallPolicy::id).max().orElse(0);
        CompiledPolicy[] byId = new CompiledPolicy[maxId + 1];
        Map<String, CompiledPolicy> privates = new HashMap<>();
        Map<String, List<CompiledPolicy>> publics = new HashMap<>();
        for (FirewallPolicy p : config.policies()) {
            CompiledPolicy c = new CompiledPolicy(p, counters.apply(p.id()));
            byId[p.id()] = c;
            p.interfaces().forEach((iface, type) -> {
                if (type == InterfaceType.PRIVATE) {
                    privates.put(iface, c);
                } else {
                    publics.computeIfAbsent(iface, k -> new ArrayList<>()).add(c);
                }
            });
        }
        Map<String, Binding> bindings = new HashMap<>();
        privates.forEach((iface, c) -> bindings.put(iface, new Binding(c, new CompiledPolicy[0])));
        publics.forEach((iface, list) -> {
            Binding b = bindings.get(iface);
            bindings.put(iface, new Binding(b == null ? null : b.privateOf(), list.toArray(CompiledPolicy[]::new)));
        });
        return new CompiledFirewall(config.enabled(), Map.copyOf(bindings), byId);
    }

    Binding binding(String iface) {
        return iface == null ? null : bindings.get(iface);
    }

    CompiledPolicy policy(int id) {
        return id > 0 && id < byId.length ? byId[id] : null;
    }
}
