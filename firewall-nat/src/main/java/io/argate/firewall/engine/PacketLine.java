package io.argate.firewall.engine;

import io.argate.firewall.config.AddressRange;
import io.argate.firewall.session.Flow;
import io.argate.ip.packet.Ipv4;

/** One log entry for LOG=ALLOW|DENY and DEBUG=PACKET: policy, decision, interface, tuple, rule, why. */
final class PacketLine {
    private PacketLine() {
    }

    static String protocolName(int proto) {
        return switch (proto) {
            case Ipv4.PROTO_TCP -> "TCP";
            case Ipv4.PROTO_UDP -> "UDP";
            case Ipv4.PROTO_ICMP -> "ICMP";
            case Ipv4.PROTO_ESP -> "ESP";
            case Ipv4.PROTO_AH -> "AH";
            case 47 -> "GRE";
            default -> Integer.toString(proto);
        };
    }

    static String of(String policy, String decision, String in, Flow f, int rule, String why) {
        StringBuilder b = new StringBuilder(96);
        b.append("Firewall ").append(policy).append(": ").append(decision);
        if (in != null) {
            b.append(' ').append(in);
        }
        b.append(' ').append(protocolName(f.proto)).append(' ').append(AddressRange.text(f.src));
        if (f.hasPorts()) {
            b.append(':').append(f.sport);
        }
        b.append(" > ").append(AddressRange.text(f.dst));
        if (f.hasPorts()) {
            b.append(':').append(f.dport);
        }
        if (f.icmpType >= 0) {
            b.append(" type ").append(f.icmpType);
        }
        b.append(rule == 0 ? " (base rule" : " (rule " + rule).append(": ").append(why).append(')');
        return b.toString();
    }
}
