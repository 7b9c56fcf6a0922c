package io.argate.ipsec.spd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of every interface's SPD, read lock-free by the data path and replaced
 * as a whole (one volatile write) when the configuration changes (DESIGN.md section 5).
 *
 * @param <P> the policy object the data path gets back (the SPD's own policy type)
 */
public final class CompiledSpd<P> {

    /** One interface's ordered policies (as ready-made matches) and their classifier. */
    private record InterfaceSpd<P>(List<Match<P>> matches, Classifier classifier) {
    }

    /** The result of a lookup: the policy, or the interface's implicit DENY, or no SPD at all. */
    public record Match<P>(P policy, boolean implicitDeny, boolean noPolicies) {
    }

    private final Map<String, InterfaceSpd<P>> byInterface;
    private final Match<P> implicitDeny = new Match<>(null, true, false);
    private final Match<P> unprotected = new Match<>(null, false, true);
    private CompiledSpd(Map<String, InterfaceSpd<P>> byInterface) {
        this.byInterface = byInterface;
    }

    /**
     * Builds the snapshot from each interface's policies in order with their rules.
     *
     * @param ordered interface name (lower case) -> policies in first-match order
     * @param ruleOf  the packet-matching rule of a policy
     */
    public static <P> CompiledSpd<P> compile(Map<String, List<P>> ordered, java.util.function.Function<P, Rule> ruleOf) {
        Map<String, InterfaceSpd<P>> out = new java.util.HashMap<>();
        for (Map.Entry<String, List<P>> e : ordered.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            List<Rule> rules = new ArrayList<>();
            List<Match<P>> matches = new ArrayList<>();
            for (P p : e.getValue()) {
                rules.add(ruleOf.apply(p));
                matches.add(new Match<>(p, false, false));
            }
            out.put(e.getKey(), new InterfaceSpd<>(List.copyOf(matches), new Classifier(rules)));
        }
        return new CompiledSpd<>(Map.copyOf(out));
    }

    public static <P> CompiledSpd<P> empty() {
        return new CompiledSpd<>(Map.of());
    }

    /** True when the interface has at least one policy (and so the implicit DENY applies). */
    public boolean hasPolicies(String iface) {
        return byInterface.containsKey(iface);
    }

    /**
     * First-match lookup. For outbound packets the policy's local side is the source; for
     * inbound packets it is the destination. Ports are {@link PortSelector#NONE} when the packet
     * has none.
     */
    public Match<P> lookup(String iface, Direction dir, int src, int dst, int proto, int sport, int dport) {
        InterfaceSpd<P> spd = byInterface.get(iface);
        if (spd == null) {
            return unprotected;
        }
        int index = dir == Direction.OUTBOUND
                ? spd.classifier().lookup(src, dst, proto, sport, dport)
                : spd.classifier().lookup(dst, src, proto, dport, sport);
        if (index < 0) {
            return implicitDeny;
        }
        return spd.matches().get(index);
    }
}
