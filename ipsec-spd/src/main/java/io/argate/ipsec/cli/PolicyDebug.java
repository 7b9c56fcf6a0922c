package io.argate.ipsec.cli;

import io.argate.shell.session.Output;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ENABLE/DISABLE IPSEC POLICY=name DEBUG=...: which debug output each policy prints and where
 * (the terminal that enabled it, as on the AR). Not part of the saved configuration.
 */
public final class PolicyDebug {
    /** DEBUG options of the reference: PACKET (hex before and after), TRACE (steps), FILTER (SPD decisions). */
    public enum Option {
        PACKET, TRACE, FILTER
    }

    private record Target(Set<Option> options, Output out) {
    }

    private final Map<String, Target> byPolicy = new ConcurrentHashMap<>();

    void enable(String policy, Set<Option> options, Output out) {
        byPolicy.merge(policy.toLowerCase(Locale.ROOT), new Target(EnumSet.copyOf(options), out), (old, add) -> {
            EnumSet<Option> all = EnumSet.copyOf(old.options());
            all.addAll(add.options());
            return new Target(all, add.out());
        });
    }

    void disable(String policy, Set<Option> options) {
        byPolicy.computeIfPresent(policy.toLowerCase(Locale.ROOT), (p, old) -> {
            EnumSet<Option> left = EnumSet.copyOf(old.options());
            left.removeAll(options);
            return left.isEmpty() ? null : new Target(left, old.out());
        });
    }

    void clear() {
        byPolicy.clear();
    }

    /** Where to print option output for a policy, or null when that option is off (the fast path's check). */
    public Output target(String policy, Option option) {
        if (byPolicy.isEmpty()) {
            return null;
        }
        Target t = byPolicy.get(policy.toLowerCase(Locale.ROOT));
        return t != null && t.options().contains(option) ? t.out() : null;
    }

    Set<Option> options(String policy) {
        Target t = byPolicy.get(policy.toLowerCase(Locale.ROOT));
        return t == null ? Set.of() : t.options();
    }
}
