package io.argate.isakmp;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * ENABLE/DISABLE ISAKMP DEBUG: which kinds of debug output are on and the one sink (the enabling
 * session's tap) they go to. The reference's options map onto three kinds of output:
 * DEFAULT, STATE, TRACE and TRACEMORE print state changes and drop reasons; PKT and PACKET
 * decode every message sent and received (seed 003: "ISAKMP Tx Message", "Cookie's:");
 * PKTRAW decodes them and adds their bytes in hex; ALL is all of those. TRACEMORE adds, for
 * decrypting a capture of the negotiation (with tshark's IKEv1 decryption table, as strongSwan
 * logs the same at its level 4), each phase 1 SA's cookies and encryption key: secret material,
 * printed only at that level, which says so on every such line.
 */
public final class IsakmpDebug {
    /** The kinds of output the options turn on. */
    public enum Output {
        STATE, PACKET, RAW,
        /** Phase 1 cookies and encryption keys (TRACEMORE only). */
        KEYS
    }

    private final Set<Output> on = EnumSet.noneOf(Output.class);
    private Consumer<String> sink = s -> { };

    /** What one reference option turns on; an absent option is DEFAULT. */
    public static Set<Output> option(String name) {
        return switch (name == null ? "DEFAULT" : name.toUpperCase(Locale.ROOT)) {
            case "ALL" -> EnumSet.of(Output.STATE, Output.PACKET, Output.RAW);
            case "PKT", "PACKET" -> EnumSet.of(Output.PACKET);
            case "PKTRAW" -> EnumSet.of(Output.PACKET, Output.RAW);
            case "DEFAULT", "STATE", "TRACE" -> EnumSet.of(Output.STATE);
            case "TRACEMORE" -> EnumSet.of(Output.STATE, Output.KEYS);
            default -> throw new IllegalArgumentException("ISAKMP debug option " + name);
        };
    }

    /** Turns {@code outputs} on; every debug line from now on goes to {@code to}. */
    public void enable(Set<Output> outputs, Consumer<String> to) {
        on.addAll(outputs);
        sink = to;
    }

    /** Turns {@code outputs} off; with none left the sink is let go. */
    public void disable(Set<Output> outputs) {
        on.removeAll(outputs);
        if (on.isEmpty()) {
            sink = s -> { };
        }
    }

    public boolean on(Output o) {
        return on.contains(o);
    }

    public boolean any() {
        return !on.isEmpty();
    }

    public void line(String line) {
        sink.accept(line);
    }
}
