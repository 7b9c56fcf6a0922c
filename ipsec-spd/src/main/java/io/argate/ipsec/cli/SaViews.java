package io.argate.ipsec.cli;

import io.argate.ipsec.sad.Sa;
import io.argate.ipsec.sad.SaBundle;
import io.argate.ipsec.sad.SaDetails;
import io.argate.ipsec.sad.Sad;
import io.argate.ipsec.spd.AddressSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * SHOW IPSEC SA in the reference's confirmed layout (fact sheet 2.7): one summary row per SA
 * ({@code SA Id  Policy  Bundle  State  Protocol  OutSPI  InSPI}) and the detail view of one SA.
 */
final class SaViews<T extends SaDetails> {
    private final Sad<T> sad;

    SaViews(Sad<T> sad) {
        this.sad = sad;
    }

    List<String> summary() {
        List<String> out = new ArrayList<>();
        out.add("");
        out.add(String.format("%-6s %-23s %-6s %-8s %-8s %-11s %-11s", "SA Id", "Policy", "Bundle", "State", "Protocol", "OutSPI", "InSPI"));
        out.add("--------------------------------------------------------------------------------");
        for (SaBundle<T> b : sad.bundles()) {
            for (Sa<T> o : b.outbound()) {
                Sa<T> in = partner(b, o);
                out.add(String.format("%-6d %-23s %-6d %-8s %-8s %-11d %-11d", o.id(), b.policy(), b.id(), b.state().display(),
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
                out.add(DetailLine.of("Bundle", b.id()));
                out.add(DetailLine.of("SA Specification Used", o.specNumber()));
                out.add(DetailLine.of("State", b.state().display()));
                out.add(DetailLine.of("Protocol", o.protocol().display()));
                out.add(DetailLine.of("Role", b.initiator() ? "INITIATOR" : "RESPONDER"));
                out.add(DetailLine.of("Peer Address", AddressSpec.dotted(b.peer())));
                out.add(DetailLine.of("Outbound SPI", o.spiUnsigned()));
                out.add(DetailLine.of("Inbound SPI", in == null ? 0 : in.spiUnsigned()));
                for (String[] kv : o.transform().details()) {
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

    List<String> bundlesOf(String policy) {
        List<String> out = new ArrayList<>();
        out.add("SA Bundles:");
        List<SaBundle<T>> list = sad.bundlesOf(policy);
        if (list.isEmpty()) {
            out.add("  none");
        }
        for (SaBundle<T> b : list) {
            StringBuilder line = new StringBuilder("  Bundle ").append(b.id()).append(' ').append(b.state().display())
                    .append(" peer ").append(AddressSpec.dotted(b.peer())).append(':');
            for (Sa<T> o : b.outbound()) {
                Sa<T> in = partner(b, o);
                line.append(' ').append(o.protocol().display()).append(" SA ").append(o.id())
                        .append(" out ").append(o.spiUnsigned()).append(" in ").append(in == null ? 0 : in.spiUnsigned());
            }
            out.add(line.toString());
        }
        return out;
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
