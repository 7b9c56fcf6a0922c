package io.argate.image.conformance;

import java.util.List;

/**
 * The conformance suite's layout rules for tests outside it that can produce rows the suite's
 * one-router groups cannot (an ISAKMP SA needs a peer that answers): argate's output of a
 * command compared with the reference's first sample of that command, header and row shape.
 */
public final class ReferenceLayouts {
    private ReferenceLayouts() {
    }

    /** What differs between {@code output} (argate's lines, without the command) and the reference's sample of {@code command}; empty when the same. */
    public static List<String> differences(String command, List<String> output) {
        Layout layout = Layout.forCommand(command);
        if (layout == null) {
            throw new IllegalArgumentException("no layout rule for " + command);
        }
        List<String> seed = ReferenceSeed.lines();
        for (int n = 1; n <= seed.size(); n++) {
            ReferenceLine l = ReferenceLine.classify(n, seed.get(n - 1));
            if (l != null && l.sampleSession() && l.kind() == ReferenceLine.Kind.COMMAND && Layout.forCommand(l.text()) == layout) {
                return layout.differences(ReferenceConformanceTest.sampleOutput(seed, n), output, true);
            }
        }
        throw new IllegalStateException("the reference has no sample of " + command);
    }
}
