package io.argate.isakmp.wire;

import java.util.Map;
import java.util.TreeMap;

/**
 * An open registry of IANA wire codes (the Netty codec-dns shape): a known number prints as
 * {@code NAME(n)}, an unknown one as {@code UNKNOWN(n)}, and neither is ever refused here. The
 * payload classes carry plain numbers, so a value this registry does not know survives decode and
 * encode unchanged; what is acceptable is decided by the exchange rules, not by the codec.
 */
public final class Registry {
    private final String title;
    private final Map<Integer, String> names;

    private Registry(String title, Map<Integer, String> names) {
        this.title = title;
        this.names = names;
    }

    /** A registry from alternating number, name pairs. */
    public static Registry of(String title, Object... pairs) {
        Map<Integer, String> m = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((Integer) pairs[i], (String) pairs[i + 1]);
        }
        return new Registry(title, Map.copyOf(m));
    }

    public String title() {
        return title;
    }

    public boolean known(int value) {
        return names.containsKey(value);
    }

    /** The bare name, or {@code UNKNOWN(n)}. */
    public String name(int value) {
        String n = names.get(value);
        return n == null ? "UNKNOWN(" + value + ")" : n;
    }

    /** {@code NAME(n)} as DEBUG=PKT prints it ({@code IDPROT(2)}), or {@code UNKNOWN(n)}. */
    public String display(int value) {
        String n = names.get(value);
        return n == null ? "UNKNOWN(" + value + ")" : n + "(" + value + ")";
    }

    /** The number of a name, or -1. */
    public int valueOf(String name) {
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            if (e.getValue().equalsIgnoreCase(name)) {
                return e.getKey();
            }
        }
        return -1;
    }
}
