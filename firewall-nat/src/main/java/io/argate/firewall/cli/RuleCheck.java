package io.argate.firewall.cli;

import io.argate.firewall.config.Encapsulation;
import io.argate.firewall.config.FirewallPolicy;
import io.argate.firewall.config.FirewallRule;
import io.argate.firewall.config.InterfaceNat;
import io.argate.firewall.config.InterfaceType;
import io.argate.firewall.config.PortRange;
import io.argate.firewall.config.RuleAction;
import io.argate.firewall.config.RuleNat;
import io.argate.firewall.config.RuleNatType;

/** What makes a rule meaningful ([C:S39]); null when it is, else what is wrong in the user's terms. */
final class RuleCheck {
    private RuleCheck() {
    }

    static String check(FirewallPolicy p, FirewallRule r) {
        InterfaceType side = p.interfaces().get(r.iface());
        if (side == null) {
            return "INTERFACE " + r.iface() + " is not in the policy (the rule INTERFACE must belong to it)";
        }
        if (r.time() != null && r.time().after() >= 0 && r.time().after() == r.time().before()) {
            return "AFTER and BEFORE must differ (the rule would never be in force)";
        }
        String nat = natProblem(side, r);
        if (nat != null) {
            return nat;
        }
        boolean ports = r.protocol() == 6 || r.protocol() == 17;
        if (!ports && (given(r.port()) || given(r.gblPort()) || given(r.sourcePort()))) {
            return "PORT, GBLPORT and SOURCEPORT need PROTOCOL=TCP or UDP";
        }
        if (side == InterfaceType.PRIVATE) {
            if (r.gblPort() != null) {
                return "GBLPORT applies to rules on a PUBLIC interface (port forwarding)";
            }
            if (r.gblIp() != null && r.action() != RuleAction.NAT) {
                return "GBLIP on a PRIVATE interface needs ACTION=NAT";
            }
            if (r.encapsulation() == Encapsulation.IPSEC) {
                return "ENCAPSULATION=IPSEC applies to packets IPsec decapsulated on a PUBLIC interface";
            }
        } else {
            if (r.gblPort() != null && r.port() != null && !r.port().single() && !r.port().equals(PortRange.ALL)
                    && r.port().last() - r.port().first() != r.gblPort().last() - r.gblPort().first()) {
                return "PORT must be one port or a range as long as GBLPORT";
            }
            if (r.gblIp() != null && r.ip() != null && !r.ip().single()
                    && r.ip().last() - r.ip().first() != r.gblIp().last() - r.gblIp().first()) {
                return "IP must be one address or a range as long as GBLIP";
            }
            for (InterfaceNat n : p.nats()) {
                if (n.isStatic() && n.gblIface().equals(r.iface()) && r.gblIp() == null && r.action() != RuleAction.DENY) {
                    return "INTERFACE " + r.iface() + " is the GBLINTERFACE of a static NAT, so GBLIP is required";
                }
            }
        }
        return null;
    }

    /** NATTYPE, NATMASK and GBLREMOTEIP: which side and which addresses each type needs (see {@link RuleNat}). */
    private static String natProblem(InterfaceType side, FirewallRule r) {
        RuleNat n = r.nat();
        if (n == null) {
            return null;
        }
        if (r.action() != RuleAction.NAT) {
            return "NATTYPE, NATMASK and GBLREMOTEIP need ACTION=NAT";
        }
        RuleNatType t = n.type();
        if (t == RuleNatType.REVERSE) {
            if (side != InterfaceType.PUBLIC) {
                return "NATTYPE=REVERSE translates flows from outside: the rule INTERFACE must be PUBLIC";
            }
            if (r.gblIp() == null || r.ip() == null) {
                return "NATTYPE=REVERSE needs GBLIP (as the packets arrive) and IP (inside)";
            }
        } else if (side != InterfaceType.PRIVATE) {
            return "NATTYPE=" + t + " translates flows from inside: the rule INTERFACE must be PRIVATE (REVERSE is for PUBLIC)";
        }
        if (t == RuleNatType.STANDARD || t == RuleNatType.DOUBLE) {
            if (r.gblIp() == null) {
                return "NATTYPE=" + t + " needs GBLIP, the address (or subnet with NATMASK) the source becomes";
            }
        }
        if (t == RuleNatType.DOUBLE) {
            if (n.gblRemoteIp() == null || r.remoteIp() == null) {
                return "NATTYPE=DOUBLE needs REMOTEIP (as the private host addresses it) and GBLREMOTEIP (the real address)";
            }
        } else if (n.gblRemoteIp() != null) {
            return "GBLREMOTEIP applies to NATTYPE=DOUBLE";
        }
        if (n.mask() != 0 && t == RuleNatType.ENHANCED) {
            return "NATMASK maps subnets one to one; NATTYPE=ENHANCED shares addresses by port";
        }
        if (n.mask() != 0 && (r.ip() == null || !r.ip().single())) {
            return "with NATMASK, IP is the network address of the subnet to translate";
        }
        return null;
    }

    private static boolean given(PortRange r) {
        return r != null && !r.equals(PortRange.ALL);
    }

    /** The number of an existing rule that would match exactly the same packets the same way, or 0. */
    static int duplicateOf(FirewallPolicy p, FirewallRule r) {
        for (FirewallRule o : p.rules().values()) {
            if (o.number() != r.number() && sameBut(o, r)) {
                return o.number();
            }
        }
        return 0;
    }

    private static boolean sameBut(FirewallRule a, FirewallRule b) {
        return a.action() == b.action() && a.iface().equals(b.iface()) && a.protocol() == b.protocol()
                && java.util.Objects.equals(a.ip(), b.ip()) && java.util.Objects.equals(a.port(), b.port())
                && java.util.Objects.equals(a.gblIp(), b.gblIp()) && java.util.Objects.equals(a.gblPort(), b.gblPort())
                && java.util.Objects.equals(a.remoteIp(), b.remoteIp()) && java.util.Objects.equals(a.sourcePort(), b.sourcePort())
                && a.encapsulation() == b.encapsulation() && java.util.Objects.equals(a.time(), b.time())
                && java.util.Objects.equals(a.nat(), b.nat());
    }
}
