package io.argate.firewall.cli;

import io.argate.firewall.FirewallLimits;
import io.argate.firewall.config.AddressRange;
import io.argate.firewall.config.Encapsulation;
import io.argate.firewall.config.FirewallConfig;
import io.argate.firewall.config.FirewallPolicy;
import io.argate.firewall.config.FirewallRule;
import io.argate.firewall.config.InterfaceNat;
import io.argate.firewall.config.InterfaceType;
import io.argate.firewall.config.NatType;
import io.argate.firewall.config.PortRange;
import io.argate.firewall.config.RuleAction;
import io.argate.firewall.config.RuleNat;
import io.argate.firewall.config.RuleNatType;
import io.argate.firewall.config.RuleTime;
import io.argate.firewall.engine.FirewallEngine;
import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.Values;

import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * ADD/DELETE FIREWALL POLICY INTERFACE, NAT and RULE, and SET FIREWALL POLICY RULE (fact sheet
 * 4.1). One command word set carries all three kinds, as on the AR: which one is meant follows
 * from TYPE, NAT or RULE.
 */
final class MemberCommands {
    private static final String[] RULE_PARAMS = {"ACTION", "PROTOCOL", "PORT", "GBLIP", "GBLPORT", "REMOTEIP", "SOURCEPORT",
            "ENCAPSULATION", "AFTER", "BEFORE", "DAYS", "NATTYPE", "NATMASK", "GBLREMOTEIP", "TTL"};

    private final FirewallConfig config;
    private final Predicate<String> interfaceExists;
    private final Runnable changed;
    private final LongSupplier nowMillis;

    MemberCommands(FirewallConfig config, Predicate<String> interfaceExists, Runnable changed, LongSupplier nowMillis) {
        this.config = config;
        this.interfaceExists = interfaceExists;
        this.changed = changed;
        this.nowMillis = nowMillis;
    }

    static CommandSpec ruleParams(CommandSpec s) {
        return s.optional("ACTION", Values.choice("ALLOW", "DENY", "NAT", "NONAT"), null, "what a matching packet meets")
                .optional("PROTOCOL", FirewallValues.PROTOCOL, null, "IP protocol of matching packets")
                .optional("IP", Values.or(Values.choice("ALL"), FirewallValues.ADDRESSES), "ALL",
                        "private host (PRIVATE rule) or destination inside (PUBLIC rule); the private address for NAT")
                .optional("PORT", FirewallValues.PORTS, "ALL", "destination port (after translation on a PUBLIC rule)")
                .optional("GBLIP", FirewallValues.ADDRESSES, null, "global address: the destination as it arrives, or the NAT address")
                .optional("GBLPORT", FirewallValues.PORTS, null, "destination port as it arrives (port forwarding)")
                .optional("REMOTEIP", Values.or(Values.choice("ALL"), FirewallValues.ADDRESSES), "ALL", "the far end's address")
                .optional("SOURCEPORT", FirewallValues.PORTS, "ALL", "source port")
                .optional("ENCAPSULATION", Values.choice("NONE", "IPSEC"), "NONE", "IPSEC: packets IPsec decapsulated")
                .optional("AFTER", FirewallValues.CLOCK, null, "the rule is in force from this time of day")
                .optional("BEFORE", FirewallValues.CLOCK, null, "the rule is in force until this time of day")
                .optional("DAYS", FirewallValues.DAYS, "ALL", "the days the rule is in force")
                .optional("NATTYPE", Values.choice("DOUBLE", "ENHANCED", "REVERSE", "STANDARD"), "ENHANCED",
                        "what ACTION=NAT translates: ENHANCED address and port, STANDARD the address, DOUBLE source and "
                                + "destination, REVERSE the destination of inbound flows")
                .optional("NATMASK", Values.mask(), null, "translate whole subnets: the network bits change, the host bits stay")
                .optional("GBLREMOTEIP", FirewallValues.ADDRESSES, null, "NATTYPE=DOUBLE: the far end's real address for REMOTEIP")
                .optional("TTL", FirewallValues.TTL, null, "the rule is deleted after this time (hh:mm)");
    }

    /** Every rule parameter name (for commands that must tell rule changes from others). */
    static boolean anyRuleParam(Invocation inv) {
        for (String k : RULE_PARAMS) {
            if (inv.has(k)) {
                return true;
            }
        }
        return inv.has("IP") || inv.has("INTERFACE");
    }

    void register(CommandTable t) {
        t.add(ruleParams(CommandSpec.of("ADD FIREWALL POLICY").value(FirewallValues.POLICY_NAME)
                .optional("INTERFACE", FirewallValues.IFNAME, null, "the interface")
                .optional("TYPE", Values.choice("PRIVATE", "PUBLIC"), null, "the interface's side")
                .optional("METHOD", Values.choice("DYNAMIC", "PASSALL"), "DYNAMIC",
                        "DYNAMIC: stateful filtering; PASSALL: nothing on the interface is refused (NAT still applies)")
                .optional("NAT", Values.choice("ENHANCED", "STANDARD"), null, "interface NAT type")
                .optional("GBLINTERFACE", FirewallValues.IFNAME, null, "the global interface of NAT")
                .optional("RULE", Values.integer(1, FirewallLimits.MAX_RULE), null, "rule number")
                .optional("UDPPORTTIMEOUT", Values.integer(1, 65535), null, "a remote UDP port with its own timeout")
                .optional("TIMEOUT", Values.or(Values.choice("DEFAULT"), FirewallValues.MINUTES), "DEFAULT",
                        "UDPPORTTIMEOUT's idle minutes from the first packet (0 = 30 s; DEFAULT = UDPTIMEOUT)"))
                .security().help("Add an interface, interface NAT, a rule or a UDP port timeout to a firewall policy").handler(this::add));
        t.add(CommandSpec.of("DELETE FIREWALL POLICY").value(FirewallValues.POLICY_NAME)
                .optional("INTERFACE", FirewallValues.IFNAME, null, "the interface")
                .optional("NAT", Values.choice("ENHANCED", "STANDARD"), null, "interface NAT type")
                .optional("GBLINTERFACE", FirewallValues.IFNAME, null, "the global interface of NAT")
                .optional("RULE", Values.integer(1, FirewallLimits.MAX_RULE), null, "rule number")
                .optional("UDPPORTTIMEOUT", Values.integer(1, 65535), null, "a remote UDP port with its own timeout")
                .security().help("Delete an interface, interface NAT, a rule or a UDP port timeout from a firewall policy")
                .handler(this::delete));
    }

    private FirewallPolicy policy(Invocation inv) throws CommandException {
        String name = inv.string("POLICY");
        return config.policy(name).orElseThrow(() -> new CommandException(FirewallMessages.POLICY_MISSING, name));
    }

    /**
     * The interface a command names, as policies keep it: without the multihoming suffix, so
     * "eth0-1" and "ppp0-1" mean eth0 and ppp0 (the engine meets a packet by its interface, and a
     * route through ppp0-1 leaves by ppp0), as the SPD treats its policies' interfaces. Keeping the
     * suffix would leave a policy that no packet ever meets: the firewall open without a word.
     */
    private String iface(Invocation inv, String param) throws CommandException {
        String i = inv.string(param).toLowerCase(Locale.ROOT);
        if (!interfaceExists.test(i)) {
            throw new CommandException(FirewallMessages.NO_INTERFACE, i);
        }
        return FirewallEngine.interfaceOf(i);
    }

    /** A name to delete by: the same form {@link #iface} stores, whether or not the interface still exists. */
    private static String stored(String typed) {
        return FirewallEngine.interfaceOf(typed.toLowerCase(Locale.ROOT));
    }

    private void add(Invocation inv) throws CommandException {
        FirewallPolicy p = policy(inv);
        if (inv.has("METHOD") && !inv.has("TYPE") && !inv.has("RULE")) {
            throw new CommandException(FirewallMessages.WHAT_TO_ADD);
        }
        if (inv.has("TIMEOUT") && !inv.has("UDPPORTTIMEOUT")
                || inv.has("UDPPORTTIMEOUT") && (inv.has("RULE") || inv.has("NAT") || inv.has("INTERFACE"))) {
            throw new CommandException(FirewallMessages.WHAT_TO_ADD);
        }
        if (inv.has("UDPPORTTIMEOUT")) {
            int port = inv.integer("UDPPORTTIMEOUT");
            if (p.udpPortTimeouts().containsKey(port)) {
                throw new CommandException(FirewallMessages.UDP_PORT_TIMEOUT_EXISTS, p.name(), port);
            }
            Object t = inv.get("TIMEOUT");
            p.udpPortTimeouts().put(port, t == null || "DEFAULT".equals(t) ? FirewallPolicy.DEFAULT_TIMEOUT : Math.toIntExact((Long) t));
        } else if (inv.has("RULE")) {
            addRule(inv, p);
        } else if (inv.has("NAT")) {
            addNat(inv, p);
        } else if (inv.has("TYPE") && inv.has("INTERFACE")) {
            addInterface(inv, p);
        } else {
            throw new CommandException(FirewallMessages.WHAT_TO_ADD);
        }
        changed.run();
    }

    private void addInterface(Invocation inv, FirewallPolicy p) throws CommandException {
        String i = iface(inv, "INTERFACE");
        InterfaceType type = InterfaceType.valueOf(inv.string("TYPE"));
        for (FirewallPolicy other : config.policies()) {
            InterfaceType there = other.interfaces().get(i);
            // PRIVATE in one policy only; PUBLIC in several ([C:S37]); never both
            if (there != null && (other == p || there == InterfaceType.PRIVATE || type == InterfaceType.PRIVATE)) {
                throw new CommandException(FirewallMessages.INTERFACE_IN_POLICY, i, there, other.name());
            }
        }
        p.interfaces().put(i, type);
        if ("PASSALL".equals(inv.get("METHOD"))) {
            p.passAll().add(i);
        }
    }

    private void addNat(Invocation inv, FirewallPolicy p) throws CommandException {
        if (!inv.has("INTERFACE") || !inv.has("GBLINTERFACE")) {
            throw new CommandException(FirewallMessages.NAT_INVALID, p.name(), inv.string("INTERFACE", "?"),
                    inv.string("GBLINTERFACE", "?"), "NAT needs INTERFACE and GBLINTERFACE");
        }
        String in = iface(inv, "INTERFACE");
        String gbl = iface(inv, "GBLINTERFACE");
        NatType type = NatType.valueOf(inv.string("NAT"));
        AddressRange ip = inv.has("IP") && !"ALL".equals(inv.get("IP")) ? FirewallValues.range(inv.get("IP")) : null;
        AddressRange gblIp = inv.has("GBLIP") ? FirewallValues.range(inv.get("GBLIP")) : null;
        String problem = natProblem(p, in, gbl, type, ip, gblIp);
        if (problem != null) {
            throw new CommandException(FirewallMessages.NAT_INVALID, p.name(), in, gbl, problem);
        }
        for (InterfaceNat n : p.nats()) {
            if (n.iface().equals(in) && n.gblIface().equals(gbl)) {
                throw new CommandException(FirewallMessages.NAT_EXISTS, p.name(), in, gbl);
            }
        }
        p.nats().add(new InterfaceNat(type, in, gbl, ip, gblIp));
    }

    private static String natProblem(FirewallPolicy p, String in, String gbl, NatType type, AddressRange ip, AddressRange gblIp) {
        if (p.interfaces().get(in) == null) {
            return "INTERFACE " + in + " is not in the policy";
        }
        if (p.interfaces().get(gbl) != InterfaceType.PUBLIC) {
            return "GBLINTERFACE " + gbl + " must be a PUBLIC interface of the policy";
        }
        if (type == NatType.ENHANCED && ip != null) {
            return "IP applies to NAT=STANDARD (static NAT)";
        }
        if (type == NatType.STANDARD && gblIp == null) {
            return "NAT=STANDARD needs GBLIP (with IP for static NAT, a range for dynamic NAT)";
        }
        if (ip != null && ip.last() - ip.first() != gblIp.last() - gblIp.first()) {
            return "static NAT maps IP onto GBLIP one to one: the ranges must be as long";
        }
        return null;
    }

    private void addRule(Invocation inv, FirewallPolicy p) throws CommandException {
        int n = inv.integer("RULE");
        if (p.rules().containsKey(n)) {
            throw new CommandException(FirewallMessages.RULE_EXISTS, n, p.name());
        }
        for (String required : new String[]{"ACTION", "INTERFACE", "PROTOCOL"}) {
            if (!inv.has(required)) {
                throw new CommandException(FirewallMessages.RULE_INVALID, p.name(), n, required + " is required");
            }
        }
        if (inv.has("TYPE") || inv.has("NAT") || inv.has("GBLINTERFACE") || inv.has("METHOD")) {
            throw new CommandException(FirewallMessages.RULE_INVALID, p.name(), n, "TYPE, METHOD, NAT and GBLINTERFACE do not belong to a rule");
        }
        FirewallRule r = applyRule(inv, p, new FirewallRule(n, RuleAction.ALLOW, iface(inv, "INTERFACE"), FirewallRule.ALL_PROTOCOLS,
                null, null, null, null, null, null, Encapsulation.NONE));
        p.rules().put(n, r);
        if (r.expires() != FirewallRule.FOREVER) {
            inv.say(FirewallMessages.RULE_TTL, n, p.name(), ConfigWriter.ttl(r, nowMillis.getAsLong()));
        }
    }

    /** SET FIREWALL POLICY RULE=n ...: the rule's other fields stay. */
    void setRule(Invocation inv, FirewallPolicy p) throws CommandException {
        int n = inv.integer("RULE");
        FirewallRule old = p.rules().get(n);
        if (old == null) {
            throw new CommandException(FirewallMessages.RULE_MISSING, n, p.name());
        }
        if (!anyRuleParam(inv)) {
            throw new CommandException(FirewallMessages.NOTHING_TO_SET);
        }
        FirewallRule r = applyRule(inv, p, inv.has("INTERFACE")
                ? withIface(old, iface(inv, "INTERFACE")) : old);
        p.rules().put(n, r);
        changed.run();
    }

    private static FirewallRule withIface(FirewallRule o, String iface) {
        return new FirewallRule(o.number(), o.action(), iface, o.protocol(), o.ip(), o.port(), o.gblIp(), o.gblPort(), o.remoteIp(),
                o.sourcePort(), o.encapsulation(), o.time(), o.nat(), o.expires());
    }

    private FirewallRule applyRule(Invocation inv, FirewallPolicy p, FirewallRule o) throws CommandException {
        RuleAction action = inv.has("ACTION") ? RuleAction.valueOf(inv.string("ACTION")) : o.action();
        int protocol = inv.has("PROTOCOL") ? FirewallValues.protocol(inv.get("PROTOCOL")) : o.protocol();
        AddressRange ip = inv.has("IP") ? ("ALL".equals(inv.get("IP")) ? null : FirewallValues.range(inv.get("IP"))) : o.ip();
        PortRange port = inv.has("PORT") ? (PortRange) inv.get("PORT") : o.port();
        AddressRange gblIp = inv.has("GBLIP") ? FirewallValues.range(inv.get("GBLIP")) : o.gblIp();
        PortRange gblPort = inv.has("GBLPORT") ? (PortRange) inv.get("GBLPORT") : o.gblPort();
        AddressRange remote = inv.has("REMOTEIP")
                ? ("ALL".equals(inv.get("REMOTEIP")) ? null : FirewallValues.range(inv.get("REMOTEIP"))) : o.remoteIp();
        PortRange sourcePort = inv.has("SOURCEPORT") ? (PortRange) inv.get("SOURCEPORT") : o.sourcePort();
        Encapsulation encap = inv.has("ENCAPSULATION") ? Encapsulation.valueOf(inv.string("ENCAPSULATION")) : o.encapsulation();
        long expires = inv.has("TTL") ? nowMillis.getAsLong() + (Integer) inv.get("TTL") * 60_000L : o.expires();
        FirewallRule r = new FirewallRule(o.number(), action, o.iface(), protocol, ip, all(port), gblIp, gblPort, remote, all(sourcePort),
                encap, time(inv, o.time()), nat(inv, o.nat()), expires);
        String problem = RuleCheck.check(p, r);
        if (problem != null) {
            throw new CommandException(FirewallMessages.RULE_INVALID, p.name(), r.number(), problem);
        }
        int dup = RuleCheck.duplicateOf(p, r);
        if (dup != 0) {
            throw new CommandException(FirewallMessages.RULE_DUPLICATE, p.name(), r.number(), dup);
        }
        return r;
    }

    /** NATTYPE, NATMASK and GBLREMOTEIP over the rule's old ones; null when none is given (plain NAPT). */
    private static RuleNat nat(Invocation inv, RuleNat old) {
        RuleNatType type = inv.has("NATTYPE") ? RuleNatType.valueOf(inv.string("NATTYPE")) : old == null ? null : old.type();
        int mask = inv.has("NATMASK") ? Values.toInt((java.net.Inet4Address) inv.get("NATMASK")) : old == null ? 0 : old.mask();
        AddressRange gblRemote = inv.has("GBLREMOTEIP") ? FirewallValues.range(inv.get("GBLREMOTEIP")) : old == null ? null : old.gblRemoteIp();
        if (type == null && mask == 0 && gblRemote == null) {
            return null;
        }
        return new RuleNat(type == null ? RuleNatType.ENHANCED : type, mask, gblRemote);
    }

    /** AFTER, BEFORE and DAYS over the rule's old time; null (always) when none is left. */
    private static RuleTime time(Invocation inv, RuleTime old) {
        int after = inv.has("AFTER") ? (Integer) inv.get("AFTER") : old == null ? -1 : old.after();
        int before = inv.has("BEFORE") ? (Integer) inv.get("BEFORE") : old == null ? -1 : old.before();
        int days = inv.has("DAYS") ? FirewallValues.dayBits(inv.get("DAYS")) : old == null ? RuleTime.ALL_DAYS : old.days();
        return after < 0 && before < 0 && days == RuleTime.ALL_DAYS ? null : new RuleTime(after, before, days);
    }

    /** PORT=ALL and no PORT are the same selector; keep one spelling so the script round trip is exact. */
    private static PortRange all(PortRange r) {
        return PortRange.ALL.equals(r) ? null : r;
    }

    private void delete(Invocation inv) throws CommandException {
        FirewallPolicy p = policy(inv);
        if (inv.has("UDPPORTTIMEOUT")) {
            int port = inv.integer("UDPPORTTIMEOUT");
            if (p.udpPortTimeouts().remove(port) == null) {
                throw new CommandException(FirewallMessages.UDP_PORT_TIMEOUT_MISSING, p.name(), port);
            }
        } else if (inv.has("RULE")) {
            int n = inv.integer("RULE");
            if (p.rules().remove(n) == null) {
                throw new CommandException(FirewallMessages.RULE_MISSING, n, p.name());
            }
        } else if (inv.has("NAT")) {
            String in = stored(inv.string("INTERFACE", "?"));
            String gbl = stored(inv.string("GBLINTERFACE", "?"));
            NatType type = NatType.valueOf(inv.string("NAT"));
            if (!p.nats().removeIf(n -> n.type() == type && n.iface().equals(in) && n.gblIface().equals(gbl))) {
                throw new CommandException(FirewallMessages.NAT_MISSING, p.name(), in, gbl);
            }
        } else if (inv.has("INTERFACE")) {
            String i = stored(inv.string("INTERFACE"));
            if (!p.interfaces().containsKey(i)) {
                throw new CommandException(FirewallMessages.INTERFACE_NOT_IN_POLICY, i, p.name());
            }
            for (FirewallRule r : p.rules().values()) {
                if (r.iface().equals(i)) {
                    throw new CommandException(FirewallMessages.INTERFACE_IN_USE, i, "rule " + r.number(), p.name());
                }
            }
            for (InterfaceNat n : p.nats()) {
                if (n.iface().equals(i) || n.gblIface().equals(i)) {
                    throw new CommandException(FirewallMessages.INTERFACE_IN_USE, i, "NAT from " + n.iface() + " to " + n.gblIface(), p.name());
                }
            }
            p.interfaces().remove(i);
            p.passAll().remove(i);
        } else {
            throw new CommandException(FirewallMessages.WHAT_TO_ADD);
        }
        changed.run();
    }
}
