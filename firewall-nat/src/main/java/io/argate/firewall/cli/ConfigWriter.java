package io.argate.firewall.cli;

import io.argate.firewall.FirewallLimits;
import io.argate.firewall.config.Encapsulation;
import io.argate.firewall.config.FirewallConfig;
import io.argate.firewall.config.FirewallPolicy;
import io.argate.firewall.config.FirewallRule;
import io.argate.firewall.config.InterfaceNat;
import io.argate.firewall.config.RuleTime;
import io.argate.shell.ConfigOut;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The firewall's section of the running configuration, in the reference's order: the switch,
 * then per policy its options, timeouts, interfaces, NAT and rules. Every line parses back to
 * the same state.
 */
final class ConfigWriter {
    private ConfigWriter() {
    }

    /** @param nowMillis the clock now, for what is left of each rule's TTL */
    static void write(FirewallConfig config, ConfigOut out, long nowMillis) {
        if (config.enabled()) {
            out.line("enable firewall");
        }
        for (FirewallPolicy p : config.policies()) {
            String pol = " firewall policy=" + p.name();
            out.line("create" + pol);
            if (!p.icmpForwarding().isEmpty()) {
                out.line("enable" + pol + " icmp_f=" + list(p.icmpForwarding(), EnumSet.allOf(FirewallPolicy.IcmpForwarding.class)));
            }
            if (!p.identProxy()) {
                out.line("disable" + pol + " identproxy");
            }
            if (p.ping()) {
                out.line("enable" + pol + " ping");
            }
            if (!p.log().isEmpty()) {
                out.line("enable" + pol + " log=" + list(p.log(), EnumSet.allOf(FirewallPolicy.LogOption.class)));
            }
            if (!p.debug().isEmpty()) {
                out.line("enable" + pol + " debug=" + list(p.debug(), EnumSet.allOf(FirewallPolicy.DebugOption.class)));
            }
            if (!p.fragments().isEmpty()) {
                out.line("enable" + pol + " fragment=" + p.fragments().stream().map(e -> lower(e.name())).collect(Collectors.joining(",")));
            }
            StringBuilder t = new StringBuilder();
            if (p.tcpTimeout() != FirewallLimits.TCP_TIMEOUT_MINUTES) {
                t.append(" tcptimeout=").append(p.tcpTimeout());
            }
            if (p.udpTimeout() != FirewallLimits.UDP_TIMEOUT_MINUTES) {
                t.append(" udptimeout=").append(p.udpTimeout());
            }
            if (p.otherTimeout() != FirewallLimits.OTHER_TIMEOUT_MINUTES) {
                t.append(" othertimeout=").append(p.otherTimeout());
            }
            if (p.espTimeout() != FirewallLimits.ESP_TIMEOUT_MINUTES) {
                t.append(" esptimeout=").append(p.espTimeout());
            }
            if (p.ftpDataPortAny()) {
                t.append(" ftpdataport=any");
            }
            if (t.length() > 0) {
                out.line("set" + pol + t);
            }
            p.udpPortTimeouts().forEach((port, minutes) -> out.line("add" + pol + " udpporttimeout=" + port + " timeout="
                    + (minutes == FirewallPolicy.DEFAULT_TIMEOUT ? "default" : Integer.toString(minutes))));
            p.interfaces().forEach((iface, type) -> out.line("add" + pol + " int=" + iface + " type=" + lower(type.name())
                    + (p.passAll().contains(iface) ? " method=passall" : "")));
            for (InterfaceNat n : p.nats()) {
                out.line("add" + pol + " nat=" + lower(n.type().name()) + " int=" + n.iface() + " gblint=" + n.gblIface()
                        + (n.ip() != null ? " ip=" + n.ip() : "") + (n.gblIp() != null ? " gblip=" + n.gblIp() : ""));
            }
            for (FirewallRule r : p.rules().values()) {
                out.line("add" + pol + rule(r, nowMillis));
            }
        }
    }

    /** What is left of a rule's TTL as {@code hh:mm}, whole minutes rounded up so it never reads 00:00 while alive. */
    static String ttl(FirewallRule r, long nowMillis) {
        long minutes = Math.max(1, (r.expires() - nowMillis + 59_999) / 60_000);
        return RuleTime.clock((int) Math.min(minutes, FirewallLimits.MAX_TTL_MINUTES));
    }

    static String rule(FirewallRule r, long nowMillis) {
        StringBuilder b = new StringBuilder();
        b.append(" rule=").append(r.number()).append(" ac=").append(lower(r.action().name())).append(" int=").append(r.iface())
                .append(" prot=").append(lower(FirewallValues.protocolName(r.protocol())));
        if (r.ip() != null) {
            b.append(" ip=").append(r.ip());
        }
        if (r.port() != null) {
            b.append(" port=").append(r.port());
        }
        if (r.gblIp() != null) {
            b.append(" gblip=").append(r.gblIp());
        }
        if (r.gblPort() != null) {
            b.append(" gblport=").append(lower(r.gblPort().toString()));
        }
        if (r.remoteIp() != null) {
            b.append(" remoteip=").append(r.remoteIp());
        }
        if (r.sourcePort() != null) {
            b.append(" sourceport=").append(r.sourcePort());
        }
        if (r.encapsulation() != Encapsulation.NONE) {
            b.append(" encap=").append(lower(r.encapsulation().name()));
        }
        if (r.nat() != null) {
            b.append(r.nat().text());
        }
        if (r.time() != null) {
            b.append(r.time().text());
        }
        if (r.expires() != FirewallRule.FOREVER) {
            b.append(" ttl=").append(ttl(r, nowMillis));
        }
        return b.toString();
    }

    private static <E extends Enum<E>> String list(Set<E> set, Set<E> all) {
        if (set.equals(all) && all.size() > 1) {
            return "all";
        }
        return set.stream().map(e -> lower(e.name())).collect(Collectors.joining(","));
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
