package io.argate.ipsec.diag;

import io.argate.shell.tap.Tap;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ENABLE/DISABLE IPSEC POLICY=name DEBUG=...: which debug output each policy prints and where:
 * the tap of the terminal that enabled it, as on the AR. The data path only offers lines to
 * that bounded tap; a slow terminal loses lines (counted), never holds up a receive thread.
 * Not part of the saved configuration.
 */
public final class PolicyDebug {
    /** DEBUG options of the reference: PACKET (hex before and after), TRACE (steps), FILTER (SPD decisions). */
    public enum Option {
        PACKET, TRACE, FILTER
    }

    private record Target(Set<Option> options, Tap tap) {
    }

    private final Map<String, Target> byPolicy = new ConcurrentHashMap<>();

    public void enable(String policy, Set<Option> options, Tap tap) {
        byPolicy.merge(policy.toLowerCase(Locale.ROOT), new Target(EnumSet.copyOf(options), tap), (old, add) -> {
            EnumSet<Option> all = EnumSet.copyOf(old.options());
            all.addAll(add.options());
            return new Target(all, add.tap());
        });
    }

    public void disable(String policy, Set<Option> options) {
        byPolicy.computeIfPresent(policy.toLowerCase(Locale.ROOT), (p, old) -> {
            EnumSet<Option> left = EnumSet.copyOf(old.options());
            left.removeAll(options);
            return left.isEmpty() ? null : new Target(left, old.tap());
        });
    }

    public void clear() {
        byPolicy.clear();
    }

    /** Where option output for a policy goes, or null when that option is off (the fast path's check). */
    public Tap target(String policy, Option option) {
        if (byPolicy.isEmpty()) {
            return null;
        }
        Target t = byPolicy.get(policy.toLowerCase(Locale.ROOT));
        return t != null && t.options().contains(option) ? t.tap() : null;
    }

    public Set<Option> options(String policy) {
        Target t = byPolicy.get(policy.toLowerCase(Locale.ROOT));
        return t == null ? Set.of() : t.options();
    }
}
