package io.argate.image.conformance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reference command lines argate refuses today, each with the reason. The suite fails when a
 * line here starts being accepted (take it out: the gap is closed) and when a line not here is
 * refused (a new gap, or a regression). Lines of modules not built yet are expected here; every
 * other real command line of the reference must be accepted.
 */
final class KnownGaps {
    static final String ISAKMP = "module not built yet: ISAKMP";
    static final String FIREWALL = "module not built yet: FIREWALL";
    static final String PKI = "module not built yet: ISAKMP (and PKI for RSA signatures)";
    /** Refused by the AR too: the reference misspells DESCRIPTION. */
    static final String TYPO = "typo in the reference: DESCRITION is not a parameter (DESCRIPTION)";

    private static final Map<String, String> GAPS = new LinkedHashMap<>();
    /** Sample outputs whose rows argate cannot print yet (the header is still compared). */
    private static final Map<String, String> LAYOUT_ROWS = Map.of(
            key("diagnostics", "show log module=isak"), "no ISAKMP entries in the log: " + ISAKMP);

    private static void gap(String group, String reason, String... lines) {
        for (String l : lines) {
            GAPS.put(key(group, l), reason);
        }
    }

    static {
        gap("ISAKMP walkthrough", ISAKMP,
                "CREATE ISAKMP POLICY=i PEER=2.2.2.2 KEY=1 SENDN=TRUE",
                "CREATE ISAKMP POLICY=i PEER=ANY KEY=1 SENDN=TRUE REMOTEID=\"RouterB\" MODE=AGGRESSIVE",
                "CREATE ISAKMP POLICY=i PEER=1.1.1.1 KEY=1 SENDN=TRUE LOCALID=\"RouterB\" MODE=AGGRESSIVE",
                "ENABLE ISAKMP");
        gap("manual-key walkthrough", TYPO,
                "CREATE ENCO KEY=2 TYPE=GENERAL VALUE=0x431d62cd3cb76fb8101dacaf43aa4dbfb919e957 DESCRITION=\"IPsec SHA-1 key\"");
        gap("ISAKMP policy examples", ISAKMP,
                "CREATE ISAKMP POLICY=i PEER=2.2.2.2 KEY=1 SENDN=TRUE",
                "CREATE ISAKMP POLICY=i PEER=ANY KEY=1 REMOTEID=client MODE=AGGRESSIVE SENDN=TRUE",
                "CREATE ISAKMP POLICY=i PEER=1.1.1.1 KEY=1 LOCALID=client MODE=AGGRESSIVE SENDN=TRUE",
                "CREATE ISAKMP POLICY=two PEER=2.2.2.2 KEY=1 SENDN=TRUE",
                "CREATE ISAKMP POLICY=three PEER=3.3.3.3 KEY=2 SENDN=TRUE",
                "CREATE ISAKMP POLICY=c1 PEER=ANY KEY=1 REMOTEID=peer1 MODE=AGGRESSIVE SENDN=TRUE",
                "CREATE ISAKMP POLICY=c2 PEER=ANY KEY=2 REMOTEID=peer2 MODE=AGGRESSIVE SENDN=TRUE",
                "CREATE ISAKMP POLICY=i PEER=ANY KEY=1 SENDN=TRUE XAUTH=SERVER",
                "CREATE ISAKMP POLICY=i PEER=1.1.1.1 KEY=1 SENDN=TRUE XAUTH=CLIENT",
                "SET ISAKMP POLICY=i XAUTHNAME=client1 XAUTHPASS=passclie1",
                "CREATE ISAKMP POLICY=i PEER=2.2.2.2 KEY=1 SENDN=TRUE GROUP=2",
                "SHOW ISAKMP POLICY",
                "SHOW ISAKMP POLICY=i");
        gap("ISAKMP policy examples", PKI, "CREATE ISAKMP POLICY=i PEER=2.2.2.2 AUTHTYPE=RSASIG LOCALRSAKEY=2 SENDN=TRUE");
        gap("NAT-Traversal", ISAKMP, "SET ISAKMP POLICY=i NATTRAVERSAL=TRUE");
        gap("IPsec with the firewall", FIREWALL,
                "ENABLE FIREWALL",
                "CREATE FIREWALL POLICY=net",
                "ENABLE FIREWALL POLICY=net ICMP_F=ALL",
                "DISABLE FIREWALL POLICY=net IDENTPROXY",
                "ADD FIREWALL POLICY=net INT=vlan1 TYPE=PRIVATE",
                "ADD FIREWALL POLICY=net INT=ppp0 TYPE=PUBLIC",
                "ADD FIREWALL POLICY=net NAT=ENHANCED INT=vlan1 GBLINT=ppp0",
                "ADD FIREWALL POLICY=net RULE=1 ACTION=ALLOW INT=ppp0 PROT=UDP GBLPORT=500 GBLIP=1.1.1.1 PORT=500 IP=1.1.1.1",
                "ADD FIREWALL POLICY=net RULE=2 ACTION=ALLOW INT=ppp0 PROT=UDP GBLPORT=2746 GBLIP=1.1.1.1 PORT=2746 IP=1.1.1.1",
                "ADD FIREWALL POLICY=net RULE=3 ACTION=ALLOW INT=ppp0 PROT=UDP GBLPORT=4500 GBLIP=1.1.1.1 PORT=4500 IP=1.1.1.1",
                "ADD FIREWALL POLICY=net RULE=4 ACTION=NONAT INT=vlan1 PROT=ALL IP=192.168.10.1-192.168.10.254",
                "SET FIREWALL POLICY=net RULE=4 REMOTEIP=192.168.20.1-192.168.20.254",
                "ADD FIREWALL POLICY=net RULE=5 ACTION=NONAT INT=ppp0 PROT=ALL IP=192.168.10.1-192.168.10.254 ENCAP=IPSEC");
        gap("diagnostics", ISAKMP,
                "show isakmp sa",
                "SHOW ISAKMP POLICY",
                "SHOW ISAKMP POLICY=i",
                "SHOW CONFIG DYNAMIC=ISAKMP",
                "show isakmp exchange",
                "enable isakmp debug=pkt",
                "SHOW ISAKMP COUNTERS=MAIN",
                "SHOW ISAKMP COUNTERS=AGGRESSIVE",
                "SHOW ISAKMP COUNTERS=QUICK");
    }

    private KnownGaps() {
    }

    static String key(String group, String line) {
        return group + " | " + line;
    }

    /** The reason a line is known to be refused, or null. */
    static String reason(String group, String line) {
        return GAPS.get(key(group, line));
    }

    static String layoutRows(String group, String line) {
        return LAYOUT_ROWS.get(key(group, line));
    }

    static List<String> keys() {
        return List.copyOf(GAPS.keySet());
    }
}
