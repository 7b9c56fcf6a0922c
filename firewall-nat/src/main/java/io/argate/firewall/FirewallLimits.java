package io.argate.firewall;

/**
 * Every limit and well-known number of the firewall in one place: timeouts from the fact sheet
 * section 4.2 ([C:S40][C:S41]), TCP state timeouts in the spirit of RFC 5382 and the Linux
 * conntrack defaults, the session table's bounds and the NAPT port range.
 */
public final class FirewallLimits {
    private FirewallLimits() {
    }

    /** TCPTIMEOUT default: 60 minutes. */
    public static final int TCP_TIMEOUT_MINUTES = 60;
    /** UDPTIMEOUT default: 20 minutes. */
    public static final int UDP_TIMEOUT_MINUTES = 20;
    /** OTHERTIMEOUT default: cut off in the sources; 20 minutes ([I] in the fact sheet). */
    public static final int OTHER_TIMEOUT_MINUTES = 20;
    /**
     * ESPTIMEOUT default: the fact sheet ([C:S40]) names ESPTIMEOUT but its default is cut off
     * there, like OTHERTIMEOUT's, and the AR410 IPsec reference does not mention it: 20 minutes is
     * inferred ([I]), the same as UDPTIMEOUT. Each ESP passthrough mapping (one per SA) has it.
     */
    public static final int ESP_TIMEOUT_MINUTES = 20;
    /** ESP passthrough under NAPT: outbound SAs of LAN hosts followed at once. */
    public static final int ESP_PASSTHROUGH_MAPPINGS = 256;
    /**
     * ESP passthrough under NAPT: an unknown inbound SPI goes to the host that most recently sent
     * to that peer, unless another host waiting for that peer's SPI sent less than this before it
     * (a reply to that host could be in flight; Internet round trips are well under a second).
     */
    public static final int ESP_SPI_GUARD_MILLIS = 1000;
    /**
     * The largest transport part (all fragments together) a fragmented UDP or ICMP datagram may
     * have unless FRAGMENT lets its protocol through ([C:S27]).
     */
    public static final int FRAGMENT_MAX_L4 = 1780;
    /** FTP control connections (RFC 959) and the server's active-mode data port (FTPDATAPORT=RFC). */
    public static final int FTP_CONTROL_PORT = 21;
    public static final int FTP_DATA_PORT = 20;
    /** Data connections announced by PORT/EPRT waiting for the server at once, and how long each waits. */
    public static final int FTP_EXPECTATIONS = 1024;
    public static final int FTP_EXPECT_SECONDS = 120;
    /** Longest FTP control line looked at (RFC 959 lines are short; a PORT command is under 60 bytes). */
    public static final int FTP_MAX_LINE = 512;
    /**
     * Times a segment ending in an unfinished PORT/EPRT/227/229 line is dropped for the sender to
     * retransmit it whole before it is passed unchanged (three retransmissions cost about 1.4 s
     * at the 200 ms minimum RTO of Linux, RFC 6298 allows 1 s).
     */
    public static final int FTP_SPLIT_HOLDS = 3;
    /** TTL of a rule: 00:01 to 99:59 (hh:mm). */
    public static final int MAX_TTL_MINUTES = 99 * 60 + 59;
    /** Timeouts are 0..43200 minutes; 0 means 30 seconds. */
    public static final int MAX_TIMEOUT_MINUTES = 43200;
    public static final int ZERO_TIMEOUT_SECONDS = 30;

    /** Before the UDP five-packet rule is met the timeout is a fixed 5 minutes. */
    public static final int UDP_EARLY_TIMEOUT_SECONDS = 300;
    /** Packets in one direction that, plus one more packet, put a UDP flow on UDPTIMEOUT. */
    public static final int UDP_ESTABLISH_PACKETS = 5;
    /** SIP: UDP port 5060 gets UDPTIMEOUT from the first packet. */
    public static final int UDP_SIP_PORT = 5060;

    /** A TCP handshake not finished (SYN seen, no ACK of the SYN-ACK): RFC 5382 REQ-5 allows 4 min. */
    public static final int TCP_HANDSHAKE_SECONDS = 120;
    /** After a FIN, and in TIME_WAIT: 2 MSL as RFC 793 suggests it (Linux uses 120 s). */
    public static final int TCP_CLOSING_SECONDS = 120;
    /** After a RST the session lingers briefly so the peer's last segments still match it. */
    public static final int TCP_RESET_SECONDS = 10;
    /**
     * Window sanity: the largest window RFC 7323 allows (65535 << 14, about 2^30). A segment
     * whose sequence number is further than this from what its direction has sent, or which
     * acknowledges more than the other direction has sent, is not part of this connection.
     */
    public static final int TCP_MAX_WINDOW = 65535 << 14;

    /** Sessions the table holds when nothing else is configured. */
    public static final int DEFAULT_MAX_SESSIONS = 65536;
    /** The session id field of an index slot has 21 bits. */
    public static final int MAX_SESSIONS = (1 << 21) - 2;

    /** Ports NAPT hands out (RFC 6335: the dynamic range and the registered one above 1023). */
    public static final int NAPT_FIRST_PORT = 1024;
    public static final int NAPT_LAST_PORT = 65535;
    /**
     * Random candidate ports tried for one new flow before it is dropped as "no free port": with
     * 90 % of a global address's ports taken towards one server, 128 tries all fail once in 10^6.
     */
    public static final int NAPT_PORT_TRIES = 128;

    /** The sweep visits this fraction of the table per tick, so one full pass takes this many ticks. */
    public static final int SWEEP_ROUNDS = 5;
    /** How often the sweep runs on the control loop, in seconds. */
    public static final int SWEEP_PERIOD_SECONDS = 1;

    /** Datagrams whose later fragments the firewall can follow at once. */
    public static final int FRAGMENT_SLOTS = 4096;
    /** How long the first fragment's decision holds for the later ones (Linux's reassembly timeout). */
    public static final int FRAGMENT_SECONDS = 30;

    /** Rule numbers (fact sheet 4.1, AR550S 2.9 syntax). */
    public static final int MAX_RULE = 1000;
    /** Policy names: 1-15 alphanumerics and _ ([C:S37]). */
    public static final int MAX_POLICY_NAME = 15;
}
