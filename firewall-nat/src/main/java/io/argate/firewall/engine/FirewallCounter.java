package io.argate.firewall.engine;

/**
 * What the firewall counts per policy: what passed and every reason a packet was dropped
 * (STYLE.md: every drop has a named reason and a counter). SHOW FIREWALL POLICY COUNTERS prints
 * each with its display name.
 */
public enum FirewallCounter {
    SESSIONS_OPENED("Sessions opened", false),
    SESSIONS_EXPIRED("Sessions expired", false),
    PACKETS_ON_SESSIONS("Packets on sessions", false),
    PACKETS_TRANSLATED("Packets translated", false),
    ALLOWED_BY_RULE("Allowed by a rule", false),
    ICMP_ERRORS_TRANSLATED("ICMP errors matched", false),
    IPSEC_TO_ROUTER("ESP/AH/IPComp to the router", false),
    PING_TO_ROUTER("Pings to the router", false),
    PASSED_PASSALL("Passed on a PASSALL interface", false),
    FTP_DATA_ADMITTED("FTP data connections admitted", false),
    FTP_COMMANDS_TRANSLATED("FTP PORT/EPRT/227 translated", false),
    FTP_LINE_SPLIT_PASSED("FTP line split, passed unchanged", false),
    FTP_OTHER_FAMILY("FTP EPRT/EPSV for IPv6, unchanged", false),
    ESP_SPI_LEARNT("ESP inbound SPIs learnt", false),
    DENIED_BY_RULE("Dropped: denied by a rule", true),
    DENIED_UNSOLICITED("Dropped: unsolicited from public", true),
    SESSION_TABLE_FULL("Dropped: session table full", true),
    NAT_NO_FREE_PORT("Dropped: no free NAT port or address", true),
    NAT_NO_GLOBAL_ADDRESS("Dropped: global interface has no address", true),
    TCP_NOT_SYN("Dropped: TCP without a session, not a SYN", true),
    TCP_BAD_FLAGS("Dropped: TCP flags impossible", true),
    TCP_OUT_OF_WINDOW("Dropped: TCP outside the window", true),
    ICMP_ERROR_UNMATCHED("Dropped: ICMP error for no session", true),
    ICMP_NOT_FORWARDED("Dropped: ICMP type not forwarded", true),
    TRUNCATED("Dropped: transport header truncated", true),
    FRAGMENT("Dropped: fragment without its first", true),
    FRAGMENT_TOO_BIG("Dropped: fragmented datagram over 1780 bytes", true),
    FTP_DATA_PORT("Dropped: FTP data not from port 20", true),
    FTP_LINE_SPLIT("Dropped: FTP line split, held for resend", true),
    ESP_SPI_UNKNOWN("Dropped: ESP with an SPI no LAN host waits for", true),
    ESP_SPI_AMBIGUOUS("Dropped: ESP SPI, two LAN hosts wait for it", true),
    ESP_MAPPINGS_FULL("Dropped: ESP passthrough mappings full", true);

    private final String display;
    private final boolean drop;

    FirewallCounter(String display, boolean drop) {
        this.display = display;
        this.drop = drop;
    }

    public String display() {
        return display;
    }

    /** The reason as a log entry names it: the display name without "Dropped: ". */
    public String reason() {
        return display.startsWith("Dropped: ") ? display.substring(9) : display;
    }

    public boolean isDrop() {
        return drop;
    }
}
