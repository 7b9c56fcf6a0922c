package io.argate.firewall.cli;

import io.argate.firewall.FirewallLimits;
import io.argate.firewall.config.FirewallConfig;
import io.argate.firewall.config.FirewallPolicy;
import io.argate.firewall.config.FirewallPolicy.DebugOption;
import io.argate.firewall.config.FirewallPolicy.IcmpForwarding;
import io.argate.firewall.config.FirewallPolicy.LogOption;
import io.argate.firewall.engine.FirewallEngine;
import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.ValueType;
import io.argate.shell.cmd.Values;

import java.util.EnumSet;
import java.util.Set;

/**
 * CREATE/DESTROY FIREWALL POLICY, ENABLE/DISABLE FIREWALL POLICY options, and SET FIREWALL
 * POLICY (timeouts, or a rule's fields with RULE=n) (fact sheet 4.1).
 */
final class PolicyCommands {
    static final ValueType ICMP = FirewallValues.list("ALL", "PARAMETER", "PING", "SOURCEQUENCH", "TIMEEXCEEDED", "TIMESTAMP",
            "UNREACHABLE");
    static final ValueType LOG = FirewallValues.list("ALL", "ALLOW", "DENY");
    /** No application proxies here, so DEBUG offers what the packet filter itself can say. */
    static final ValueType DEBUG = FirewallValues.list("ALL", "PACKET", "PKT", "PROCESS");
    static final ValueType FRAGMENT = FirewallValues.list("UDP", "ICMP");

    private final FirewallConfig config;
    private final FirewallEngine engine;
    private final MemberCommands members;
    private final Runnable changed;

    PolicyCommands(FirewallConfig config, FirewallEngine engine, MemberCommands members, Runnable changed) {
        this.config = config;
        this.engine = engine;
        this.members = members;
        this.changed = changed;
    }

    void register(CommandTable t) {
        t.add(CommandSpec.of("CREATE FIREWALL POLICY").value(FirewallValues.POLICY_NAME)
                .security().help("Create a firewall policy").handler(this::create));
        t.add(CommandSpec.of("DESTROY FIREWALL POLICY").value(FirewallValues.POLICY_NAME)
                .security().help("Destroy a firewall policy and its sessions").handler(this::destroy));
        t.add(options(CommandSpec.of("ENABLE FIREWALL POLICY").value(FirewallValues.POLICY_NAME))
                .security().help("Turn on options of a firewall policy").handler(inv -> options(inv, true)));
        t.add(options(CommandSpec.of("DISABLE FIREWALL POLICY").value(FirewallValues.POLICY_NAME))
                .security().help("Turn off options of a firewall policy").handler(inv -> options(inv, false)));
        t.add(MemberCommands.ruleParams(CommandSpec.of("SET FIREWALL POLICY").value(FirewallValues.POLICY_NAME)
                .optional("TCPTIMEOUT", FirewallValues.MINUTES, "60", "idle minutes of an established TCP session (0 = 30 s)")
                .optional("UDPTIMEOUT", FirewallValues.MINUTES, "20", "idle minutes of a UDP session after its first packets (0 = 30 s)")
                .optional("OTHERTIMEOUT", FirewallValues.MINUTES, "20", "idle minutes of ICMP and other sessions (0 = 30 s)")
                .optional("ESPTIMEOUT", FirewallValues.MINUTES, "20", "idle minutes of an ESP session or NAPT mapping (0 = 30 s; default inferred, no source gives it)")
                .optional("FTPDATAPORT", Values.choice("RFC", "ANY"), "RFC",
                        "active FTP data from the server: RFC only from port 20, ANY from any port")
                .optional("RULE", Values.integer(1, FirewallLimits.MAX_RULE), null, "the rule to change")
                .optional("INTERFACE", FirewallValues.IFNAME, null, "the rule's interface"))
                .security().help("Change a firewall policy's timeouts or one of its rules").handler(this::set));
    }

    private static CommandSpec options(CommandSpec s) {
        return s.optional("ICMP_FORWARDING", ICMP, "none", "ICMP types let through")
                .flag("IDENTPROXY", "the ident proxy (kept for configuration compatibility; argate has no ident proxy)")
                .flag("PING", "answer pings to the router's PUBLIC interfaces")
                .optional("LOG", LOG, "none", "log entries for allowed and denied packets")
                .optional("DEBUG", DEBUG, "none", "PACKET: a log entry per decision; PROCESS: per session opened and expired")
                .optional("FRAGMENT", FRAGMENT, "none", "fragmented UDP or ICMP datagrams over 1780 bytes pass");
    }

    private FirewallPolicy policy(Invocation inv) throws CommandException {
        String name = inv.string("POLICY");
        return config.policy(name).orElseThrow(() -> new CommandException(FirewallMessages.POLICY_MISSING, name));
    }

    private void create(Invocation inv) throws CommandException {
        String name = inv.string("POLICY");
        if (config.policy(name).isPresent()) {
            throw new CommandException(FirewallMessages.POLICY_EXISTS, name);
        }
        config.create(name);
        changed.run();
        inv.say(FirewallMessages.POLICY_CREATED, name);
    }

    private void destroy(Invocation inv) throws CommandException {
        FirewallPolicy p = policy(inv);
        config.destroy(p.name());
        int id = p.id();
        engine.sessions().forEach(s -> {
            if (engine.sessions().owner(s) >>> 16 == id) {
                engine.sessions().remove(s);
            }
        });
        engine.forgetCounters(id);
        changed.run();
        inv.say(FirewallMessages.POLICY_DESTROYED, p.name());
    }

    @SuppressWarnings("unchecked")
    private void options(Invocation inv, boolean on) throws CommandException {
        FirewallPolicy p = policy(inv);
        if (!(inv.has("ICMP_FORWARDING") || inv.has("IDENTPROXY") || inv.has("PING") || inv.has("LOG") || inv.has("DEBUG")
                || inv.has("FRAGMENT"))) {
            throw new CommandException(FirewallMessages.NOTHING_TO_SET);
        }
        if (inv.has("ICMP_FORWARDING")) {
            Set<String> v = (Set<String>) inv.get("ICMP_FORWARDING");
            EnumSet<IcmpForwarding> kinds = v.contains("ALL") ? EnumSet.allOf(IcmpForwarding.class) : EnumSet.noneOf(IcmpForwarding.class);
            v.stream().filter(s -> !s.equals("ALL")).forEach(s -> kinds.add(IcmpForwarding.valueOf(s)));
            apply(p.icmpForwarding(), kinds, on);
        }
        if (inv.has("LOG")) {
            Set<String> v = (Set<String>) inv.get("LOG");
            EnumSet<LogOption> kinds = v.contains("ALL") ? EnumSet.allOf(LogOption.class) : EnumSet.noneOf(LogOption.class);
            v.stream().filter(s -> !s.equals("ALL")).forEach(s -> kinds.add(LogOption.valueOf(s)));
            apply(p.log(), kinds, on);
        }
        if (inv.has("DEBUG")) {
            Set<String> v = (Set<String>) inv.get("DEBUG");
            EnumSet<DebugOption> kinds = v.contains("ALL") ? EnumSet.allOf(DebugOption.class) : EnumSet.noneOf(DebugOption.class);
            v.stream().filter(s -> !s.equals("ALL")).forEach(s -> kinds.add(s.equals("PKT") ? DebugOption.PACKET : DebugOption.valueOf(s)));
            apply(p.debug(), kinds, on);
        }
        if (inv.has("FRAGMENT")) {
            EnumSet<FirewallPolicy.FragmentOption> kinds = EnumSet.noneOf(FirewallPolicy.FragmentOption.class);
            ((Set<String>) inv.get("FRAGMENT")).forEach(s -> kinds.add(FirewallPolicy.FragmentOption.valueOf(s)));
            apply(p.fragments(), kinds, on);
        }
        if (inv.has("IDENTPROXY")) {
            p.identProxy(on);
        }
        if (inv.has("PING")) {
            p.ping(on);
        }
        changed.run();
    }

    private static <E extends Enum<E>> void apply(Set<E> set, Set<E> kinds, boolean on) {
        if (on) {
            set.addAll(kinds);
        } else {
            set.removeAll(kinds);
        }
    }

    private void set(Invocation inv) throws CommandException {
        FirewallPolicy p = policy(inv);
        boolean timeouts = inv.has("TCPTIMEOUT") || inv.has("UDPTIMEOUT") || inv.has("OTHERTIMEOUT") || inv.has("ESPTIMEOUT")
                || inv.has("FTPDATAPORT");
        if (inv.has("RULE")) {
            if (timeouts) {
                throw new CommandException(FirewallMessages.SET_WHAT);
            }
            members.setRule(inv, p);
            return;
        }
        if (!timeouts || MemberCommands.anyRuleParam(inv)) {
            throw new CommandException(FirewallMessages.SET_WHAT);
        }
        if (inv.has("TCPTIMEOUT")) {
            p.tcpTimeout(inv.integer("TCPTIMEOUT"));
        }
        if (inv.has("UDPTIMEOUT")) {
            p.udpTimeout(inv.integer("UDPTIMEOUT"));
        }
        if (inv.has("OTHERTIMEOUT")) {
            p.otherTimeout(inv.integer("OTHERTIMEOUT"));
        }
        if (inv.has("ESPTIMEOUT")) {
            p.espTimeout(inv.integer("ESPTIMEOUT"));
        }
        if (inv.has("FTPDATAPORT")) {
            p.ftpDataPortAny("ANY".equals(inv.get("FTPDATAPORT")));
        }
        changed.run();
    }
}
