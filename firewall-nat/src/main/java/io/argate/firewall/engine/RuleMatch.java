package io.argate.firewall.engine;

import io.argate.firewall.config.AddressRange;
import io.argate.firewall.config.Encapsulation;
import io.argate.firewall.config.FirewallRule;
import io.argate.firewall.config.PortRange;
import io.argate.firewall.config.RuleNatType;
import io.argate.firewall.session.Flow;

/**
 * Whether a rule matches a packet, read the way the reference reads rules: on a PRIVATE interface
 * IP is the private host (source) and REMOTEIP the far end; on a PUBLIC interface IP, or GBLIP
 * when given, is the destination and REMOTEIP the sender (seed 003, rules 4 and 5 of the
 * "IPsec and firewall" example).
 */
final class RuleMatch {
    private RuleMatch() {
    }

    private static boolean common(FirewallRule r, Flow f, boolean decapsulated) {
        Encapsulation e = decapsulated ? Encapsulation.IPSEC : Encapsulation.NONE;
        return r.encapsulation() == e && (r.protocol() == FirewallRule.ALL_PROTOCOLS || r.protocol() == f.proto);
    }

    private static boolean in(AddressRange r, int a) {
        return r == null || r.contains(a);
    }

    /** A port selector matches a packet without ports only when it is absent or ALL. */
    private static boolean in(PortRange r, Flow f, int port) {
        if (r == null || r.equals(PortRange.ALL)) {
            return true;
        }
        return f.hasPorts() && !f.icmpQuery && r.contains(port);
    }

    /**
     * With a NATMASK a single address names its subnet (IP=192.168.1.0 NATMASK=255.255.255.0 is
     * the whole /24 that the rule translates one to one); a range is matched as written.
     */
    private static boolean in(AddressRange r, int mask, int a) {
        if (r != null && mask != 0 && r.single()) {
            return (a & mask) == (r.first() & mask);
        }
        return in(r, a);
    }

    private static int mask(FirewallRule r) {
        return r.nat() == null ? 0 : r.nat().mask();
    }

    static boolean fromPrivate(FirewallRule r, Flow f, boolean decapsulated) {
        int m = mask(r);
        boolean remoteMasked = r.nat() != null && r.nat().type() == RuleNatType.DOUBLE;
        return common(r, f, decapsulated) && in(r.ip(), m, f.src) && in(r.remoteIp(), remoteMasked ? m : 0, f.dst)
                && in(r.port(), f, f.dport) && in(r.sourcePort(), f, f.sport);
    }

    static boolean fromPublic(FirewallRule r, Flow f, boolean decapsulated) {
        if (!common(r, f, decapsulated) || !in(r.remoteIp(), f.src) || !in(r.sourcePort(), f, f.sport)) {
            return false;
        }
        boolean dstOk = r.gblIp() != null ? in(r.gblIp(), mask(r), f.dst) : in(r.ip(), f.dst);
        boolean portOk = r.gblPort() != null ? in(r.gblPort(), f, f.dport) : in(r.port(), f, f.dport);
        return dstOk && portOk;
    }

    /** {@code a} in {@code from}, mapped onto {@code to}: a single target, or the same offset in a range. */
    static int mapAddress(AddressRange from, AddressRange to, int a) {
        if (to == null) {
            return a;
        }
        if (to.single() || from == null) {
            return to.first();
        }
        int off = a - from.first();
        return Integer.compareUnsigned(off, to.last() - to.first()) <= 0 ? to.first() + off : to.last();
    }

    static int mapPort(PortRange from, PortRange to, int port) {
        if (to.single() || to.equals(PortRange.ALL)) {
            return to.equals(PortRange.ALL) ? port : to.first();
        }
        return Math.min(to.last(), to.first() + (port - from.first()));
    }
}
