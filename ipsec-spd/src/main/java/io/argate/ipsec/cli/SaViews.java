package io.argate.ipsec.cli;


import io.argate.ipsec.sad.Lifetime;
import io.argate.ipsec.sad.Sa;
import io.argate.ipsec.sad.SaBundle;
import io.argate.ipsec.sad.Sad;
import io.argate.ipsec.spd.AddressSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * SHOW IPSEC SA in the reference's confirmed layout (fact sheet 2.7): one summary row per SA
 * ({@code SA Id  Policy  Bundle  State  Protocol  OutSPI  InSPI}) and the detail view of one SA.
 */
final class SaViews<T> {
    private final Sad<T> sad;
    private final java.util.function.Function<T, io.argate.ipsec.sad.SaDetails> view;

    SaViews(Sad<T> sad, java.util.function.Function<T, io.argate.ipsec.sad.SaDetails> view) {
        this.sad = sad;
        this.view = view;
    }

    List<String> summary() {
        List<String> out = new ArrayList<>();
        out.add("");
        out.add(String.format("%-6s %-23s %-6s %-8s %-8s %-11s %-11s", "SA Id", "Policy", "Bundle", "State", "Protocol", "OutSPI", "InSPI"));
        out.add("--------------------------------------------------------------------------------");
        for (SaBundle<T> b : sad.bundles()) {
            for (Sa<T> o : b.outbound()) {
                Sa<T> in = partner(b, o);
                // Bundle is the bundle specification the SA was made from: the reference's sample
                // shows 1 for the SAs of three policies whose bundles are each Index 0
                out.add(String.format("%-6d %-23s %-6d %-8s %-8s %-11d %-11d", o.id(), b.policy(), b.bundleSpec(), b.state().display(),
                        o.protocol().display(), o.spiUnsigned(), in == null ? 0 : in.spiUnsigned()));
            }
        }
        out.add("--------------------------------------------------------------------------------");
        return out;
    }

    /** The detail view of SA {@code id}, or an empty list when no SA has that id. */
    List<String> detail(int id) {
        for (SaBundle<T> b : sad.bundles()) {
            for (Sa<T> o : b.outbound()) {
                if (o.id() != id) {
                    continue;
                }
                Sa<T> in = partner(b, o);
                List<String> out = new ArrayList<>();
                out.add("");
                out.add(DetailLine.of("SA Id", o.id()));
                out.add(DetailLine.of("Policy", b.policy()));
                out.add(DetailLine.of("Bundle", b.bundleSpec()));
                out.add(DetailLine.of("SA Specification Used", o.specNumber()));
                out.add(DetailLine.of("State", b.state().display()));
                out.add(DetailLine.of("Protocol", o.protocol().display()));
                out.add(DetailLine.of("Role", b.initiator() ? "INITIATOR" : "RESPONDER"));
                out.add(DetailLine.of("Peer Address", AddressSpec.dotted(b.peer())));
                out.add(DetailLine.of("Outbound SPI", o.spiUnsigned()));
                out.add(DetailLine.of("Inbound SPI", in == null ? 0 : in.spiUnsigned()));
                for (String[] kv : view.apply(o.transform()).details()) {
                    out.add(DetailLine.of(kv[0], kv[1]));
                }
                out.add(DetailLine.of("Outbound packets", o.packets()));
                out.add(DetailLine.of("Outbound bytes", o.bytes()));
                out.add(DetailLine.of("Outbound sequence", Long.toUnsignedString(o.lastSequence())));
                if (in != null) {
                    out.add(DetailLine.of("Inbound packets", in.packets()));
                    out.add(DetailLine.of("Inbound bytes", in.bytes()));
                    out.add(DetailLine.of("Anti-replay window", in.replay() == null ? "disabled" : in.replay().size()));
                }
                out.add(DetailLine.of("Expiry seconds", b.lifetime().hardSeconds() == 0 ? "none" : b.lifetime().hardSeconds()));
                out.add(DetailLine.of("Expiry kbytes", b.lifetime().hardBytes() == 0 ? "none" : b.lifetime().hardBytes() / 1024));
                return out;
            }
        }
        return List.of();
    }

    /** SHOW IPSEC SA[=id] COUNTERS: each SA's traffic in both directions; empty when {@code id} matches none. */
    List<String> counters(Integer id) {
        List<String> out = new ArrayList<>();
        for (SaBundle<T> b : sad.bundles()) {
            for (Sa<T> o : b.outbound()) {
                if (id != null && o.id() != id) {
                    continue;
                }
                Sa<T> in = partner(b, o);
                out.add("");
                out.add("SA " + o.id() + " (" + o.protocol().display() + ", policy " + b.policy() + ") counters:");
                out.add(DetailLine.of("  outPackets", o.packets()));
                out.add(DetailLine.of("  outBytes", o.bytes()));
                out.add(DetailLine.of("  outSequence", o.lastSequence()));
                if (in != null) {
                    out.add(DetailLine.of("  inPackets", in.packets()));
                    out.add(DetailLine.of("  inBytes", in.bytes()));
                    out.add(DetailLine.of("  inHighestSequence", in.replay() == null ? "-" : Long.toString(in.replay().highest())));
                }
            }
        }
        return out;
    }

    /**
     * SHOW IPSEC POLICY SABUNDLE in the reference's layout (seed 003): a header, then for each
     * policy a "Policy ..........name" line and one row per bundle with its index, the SA ids it
     * holds, its state and its expiry limits as hard/soft/used for bytes and seconds ("-" where
     * there is no limit).
     */
    static List<String> bundleTableHeader() {
        return List.of("", "Ipsec Policy SA Bundles",
                String.format("%-27s%s", "", "Bundle Expiry Limits - hard/soft/used"),
                String.format(BUNDLE_ROW, "Index", "SA's", "State", "Bytes", "Seconds"),
                "------------------------------------------------------------------------");
    }

    private static final String BUNDLE_ROW = "%-6s %-10s %-9s %-23s %s";

    /** The Mode Config address the policy's sending bundle carries as its inner source, or 0. */
    int assignedAddress(String policy) {
        io.argate.ipsec.sad.SaBundle<T> b = sad.outbound(policy);
        return b == null ? 0 : b.assignedAddress();
    }

    List<String> bundleRows(String policy) {
        List<String> out = new ArrayList<>();
        out.add("Policy .........." + policy);
        int index = 0;
        for (SaBundle<T> b : sad.bundlesOf(policy)) {
            StringBuilder ids = new StringBuilder();
            long used = 0;
            for (Sa<T> o : b.outbound()) {
                ids.append(ids.length() == 0 ? "" : ",").append(o.id());
                Sa<T> in = partner(b, o);
                // each SA is limited on its own, so the bundle is as used as its busiest SA
                used = Math.max(used, Math.max(o.bytes(), in == null ? 0 : in.bytes()));
            }
            Lifetime lt = b.lifetime();
            String bytes = limits(lt.hardBytes(), lt.softBytes(), used);
            String seconds = limits(lt.hardSeconds(), lt.softSeconds(), sad.age(b).getSeconds());
            out.add(String.format(BUNDLE_ROW, index++, ids, b.state().display().toUpperCase(java.util.Locale.ROOT), bytes, seconds));
        }
        return out;
    }

    private static String limits(long hard, long soft, long used) {
        return hard == 0 ? "-/-/" + used : hard + "/" + soft + "/" + used;
    }

    private static <X> Sa<X> partner(SaBundle<X> b, Sa<X> out) {
        for (Sa<X> in : b.inbound()) {
            if (in.protocol() == out.protocol()) {
                return in;
            }
        }
        return null;
    }
}
