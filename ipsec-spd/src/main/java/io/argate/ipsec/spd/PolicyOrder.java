package io.argate.ipsec.spd;

import java.util.ArrayList;
import java.util.List;

/**
 * The ordered policy list of one interface (seed 003: policies are searched in creation order
 * and the first match decides; POSITION=1..100 puts a policy at that place instead). Holds
 * names only; the SPD keeps the policies.
 */
public final class PolicyOrder {
    private final List<String> names = new ArrayList<>();

    /** Inserts at the 1-based {@code position}, or at the end when position is 0 or past it. */
    public void insert(String name, int position) {
        if (position <= 0 || position > names.size()) {
            names.add(name);
        } else {
            names.add(position - 1, name);
        }
    }

    /** Moves an existing policy to a new place (SET IPSEC POLICY ... POSITION=). */
    public void move(String name, int position) {
        names.remove(name);
        insert(name, position);
    }

    public void remove(String name) {
        names.remove(name);
    }

    /** 1-based place of the policy, or 0 when absent. */
    public int positionOf(String name) {
        return names.indexOf(name) + 1;
    }

    public List<String> names() {
        return List.copyOf(names);
    }

    public int size() {
        return names.size();
    }

    public boolean isEmpty() {
        return names.isEmpty();
    }
}
