package io.argate.ip.cli;

import io.argate.shell.msg.Kind;
import io.argate.shell.msg.Message;
import io.argate.shell.msg.MessageDef;

/** Every message of the IP module (module 40). */
public enum IpMessages implements MessageDef {
    BAD_INTERFACE(Kind.ERROR, 1, "\"%s\" is not an interface name (port and optional -0..15, e.g. vlan1-1)"),
    NO_PORT(Kind.ERROR, 2, "Port %s does not exist; ports are %s"),
    INTERFACE_EXISTS(Kind.ERROR, 3, "Interface %s already has an IP address; use SET IP INTERFACE to change it"),
    NO_INTERFACE(Kind.ERROR, 4, "Interface %s has no IP address"),
    HOST_BITS(Kind.ERROR, 5, "Route %s has host bits set for mask %s"),
    ROUTE_EXISTS(Kind.ERROR, 6, "A route to %s via %s already exists"),
    NO_ROUTE(Kind.ERROR, 7, "No route to %s matches"),
    NEXTHOP_NEEDED(Kind.ERROR, 8, "Interface %s is not directly connected to %s; give NEXTHOP= on a connected network"),
    PING_NO_ROUTE(Kind.ERROR, 9, "No route to %s"),
    PING_BUSY(Kind.ERROR, 14, "%d PINGs are running already; try again when one has finished"),
    IN_USE_BY_ROUTE(Kind.ERROR, 10, "Interface %s is used by the route to %s; delete the route first"),
    BAD_ADDRESS(Kind.ERROR, 11, "%s is not a usable host address with mask %s"),
    IN_USE_BY(Kind.ERROR, 12, "Interface %s is used by %s; destroy or change that first"),
    ADDRESS_IN_USE(Kind.ERROR, 13, "Address %s is already on interface %s");

    public static final int MODULE = 40;
    private final Message message;

    IpMessages(Kind kind, int number, String text) {
        this.message = new Message(kind, MODULE, number, text);
    }

    @Override
    public Message message() {
        return message;
    }
}
