package io.argate.image.conformance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reference command lines argate refuses today, each with the reason and what the refusal must
 * say so a user can tell why. The suite fails when a line here starts being accepted (take it
 * out: the gap is closed), when it is refused without saying its reason (refused for something
 * else, e.g. once a module is wired its lines must pass or fail on their own merits),
 * and when a line not here is refused (a new gap, or a regression).
 */
final class KnownGaps {
    /** A gap: {@code reason} for the report, {@code refusal} a text the router's refusal must contain. */
    record Gap(String reason, String refusal) {
    }

    /** A parameter of a built module that belongs to a part not built yet: the refusal must name the parameter. */
    static Gap parameter(String reason, String parameter) {
        return new Gap(reason, "Parameter \"" + parameter + "\" is not valid");
    }

    static final String XAUTH = "not built yet: XAUTH (issue 13)";
    /** Refused by the AR too: the reference misspells DESCRIPTION. */
    static final Gap TYPO = parameter("typo in the reference: DESCRITION is not a parameter (DESCRIPTION)", "DESCRITION");

    private static final Map<String, Gap> GAPS = new LinkedHashMap<>();
    /** Sample outputs whose rows argate cannot print in the suite (the header is still compared). */
    private static final Map<String, String> LAYOUT_ROWS = Map.of(
            key("diagnostics", "show isakmp sa"),
            "no ISAKMP SA in this one-router group (no peer answers); IsakmpRoutersTest negotiates one between two routers",
            key("diagnostics", "show isakmp exchange"),
            "no ISAKMP exchange in progress in this one-router group (no peer answers)",
            key("diagnostics", "enable isakmp debug=pkt"),
            "no ISAKMP message sent in this one-router group (no peer answers), and the decode reaches the terminal through the "
                    + "session's debug tap after the command's own output; MessageDumpTest compares the reference's sample line for line");

    private static void gap(String group, Gap gap, String... lines) {
        for (String l : lines) {
            GAPS.put(key(group, l), gap);
        }
    }

    static {
        gap("manual-key walkthrough", TYPO,
                "CREATE ENCO KEY=2 TYPE=GENERAL VALUE=0x431d62cd3cb76fb8101dacaf43aa4dbfb919e957 DESCRITION=\"IPsec SHA-1 key\"");
        gap("ISAKMP policy examples", parameter(XAUTH, "XAUTH"),
                "CREATE ISAKMP POLICY=i PEER=ANY KEY=1 SENDN=TRUE XAUTH=SERVER",
                "CREATE ISAKMP POLICY=i PEER=1.1.1.1 KEY=1 SENDN=TRUE XAUTH=CLIENT");
        gap("ISAKMP policy examples", parameter(XAUTH, "XAUTHNAME"), "SET ISAKMP POLICY=i XAUTHNAME=client1 XAUTHPASS=passclie1");
    }

    private KnownGaps() {
    }

    static String key(String group, String line) {
        return group + " | " + line;
    }

    /** The known gap of a line, or null. */
    static Gap gap(String group, String line) {
        return GAPS.get(key(group, line));
    }

    /** The reason a line is known to be refused, or null. */
    static String reason(String group, String line) {
        Gap g = gap(group, line);
        return g == null ? null : g.reason();
    }

    static String layoutRows(String group, String line) {
        return LAYOUT_ROWS.get(key(group, line));
    }

    static List<String> keys() {
        return List.copyOf(GAPS.keySet());
    }
}
