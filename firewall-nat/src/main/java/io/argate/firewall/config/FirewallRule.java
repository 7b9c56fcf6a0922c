package io.argate.firewall.config;

/**
 * One {@code ADD FIREWALL POLICY RULE} ([C:S39]). Null fields match anything. On a PRIVATE
 * interface IP and SOURCEPORT describe the private host (the source), REMOTEIP and PORT the far
 * end; on a PUBLIC interface IP/PORT are the destination inside, GBLIP/GBLPORT the destination
 * as it arrived (a port forward when they differ), REMOTEIP/SOURCEPORT the sender outside.
 *
 * @param protocol IP protocol number, or -1 for ALL
 * @param time     when the rule is in force (AFTER, BEFORE, DAYS), or null for always
 * @param nat      NATTYPE, NATMASK and GBLREMOTEIP of an ACTION=NAT rule, or null (ENHANCED, no mask)
 * @param expires  TTL: the clock's epoch milliseconds at which the rule is deleted, or {@link #FOREVER}
 */
public record FirewallRule(int number, RuleAction action, String iface, int protocol, AddressRange ip, PortRange port,
                           AddressRange gblIp, PortRange gblPort, AddressRange remoteIp, PortRange sourcePort,
                           Encapsulation encapsulation, RuleTime time, RuleNat nat, long expires) {
    public static final int ALL_PROTOCOLS = -1;
    public static final long FOREVER = Long.MAX_VALUE;

    /** A rule without NATTYPE or TTL. */
    public FirewallRule(int number, RuleAction action, String iface, int protocol, AddressRange ip, PortRange port,
                        AddressRange gblIp, PortRange gblPort, AddressRange remoteIp, PortRange sourcePort,
                        Encapsulation encapsulation, RuleTime time) {
        this(number, action, iface, protocol, ip, port, gblIp, gblPort, remoteIp, sourcePort, encapsulation, time, null, FOREVER);
    }

    /** Whether the rule's TTL has run out at {@code millis} (the clock's epoch milliseconds). */
    public boolean expiredAt(long millis) {
        return expires != FOREVER && millis >= expires;
    }

    /** A rule in force at all times. */
    public FirewallRule(int number, RuleAction action, String iface, int protocol, AddressRange ip, PortRange port,
                        AddressRange gblIp, PortRange gblPort, AddressRange remoteIp, PortRange sourcePort,
                        Encapsulation encapsulation) {
        this(number, action, iface, protocol, ip, port, gblIp, gblPort, remoteIp, sourcePort, encapsulation, null);
    }

    public boolean forwards() {
        return gblIp != null || gblPort != null;
    }
}
