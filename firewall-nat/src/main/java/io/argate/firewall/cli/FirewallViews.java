package io.argate.firewall.cli;

import io.argate.firewall.config.AddressRange;
import io.argate.firewall.config.FirewallConfig;
import io.argate.firewall.config.FirewallPolicy;
import io.argate.firewall.config.FirewallRule;
import io.argate.firewall.config.InterfaceNat;
import io.argate.firewall.engine.FirewallCounter;
import io.argate.firewall.engine.FirewallEngine;
import io.argate.firewall.engine.PolicyCounters;
import io.argate.firewall.session.SessionState;
import io.argate.firewall.session.SessionTable;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** SHOW FIREWALL, SHOW FIREWALL POLICY [COUNTERS] and SHOW FIREWALL SESSION layouts ([I]: no source gives them). */
final class FirewallViews {
    private final FirewallConfig config;
    private final FirewallEngine engine;

    FirewallViews(FirewallConfig config, FirewallEngine engine) {
        this.config = config;
        this.engine = engine;
    }

    static String detail(String label, Object value) {
        StringBuilder b = new StringBuilder("  ").append(label).append(' ');
        while (b.length() < 34) {
            b.append('.');
        }
        return b.append(' ').append(value).toString();
    }

    List<String> summary() {
        List<String> l = new ArrayList<>();
        l.add("");
        l.add("Firewall Configuration");
        l.add(detail("Status", config.enabled() ? "ENABLED" : "DISABLED"));
        l.add(detail("Policies", config.policies().size()));
        SessionTable t = engine.sessions();
        l.add(detail("Sessions", t.size() + " of " + t.capacity()));
        l.add(detail("FTP data connections expected", engine.ftp().expectationCount()));
        l.add(detail("ESP passthrough mappings", engine.espMappings()));
        long drops = config.policies().stream().mapToLong(p -> engine.counters(p.id()).drops()).sum() + engine.unownedCounters().drops();
        l.add(detail("Packets dropped", drops));
        for (FirewallPolicy p : config.policies()) {
            l.add(detail("Policy " + p.name(), p.interfaces().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))));
        }
        return l;
    }

    List<String> policy(FirewallPolicy p, boolean counters) {
        List<String> l = new ArrayList<>();
        l.add("");
        l.add("Firewall Policy " + p.name());
        if (counters) {
            PolicyCounters c = engine.counters(p.id());
            for (FirewallCounter k : FirewallCounter.values()) {
                l.add(detail(k.display(), c.get(k)));
            }
            return l;
        }
        l.add(detail("Interfaces", p.interfaces().isEmpty() ? "none" : p.interfaces().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue() + (p.passAll().contains(e.getKey()) ? " PASSALL" : ""))
                .collect(Collectors.joining(", "))));
        l.add(detail("ICMP forwarding", names(p.icmpForwarding())));
        l.add(detail("Ping", p.ping() ? "ENABLED" : "DISABLED"));
        l.add(detail("Ident proxy", p.identProxy() ? "ENABLED" : "DISABLED"));
        l.add(detail("Log", names(p.log())));
        l.add(detail("Debug", names(p.debug())));
        l.add(detail("TCP timeout (minutes)", p.tcpTimeout()));
        l.add(detail("UDP timeout (minutes)", p.udpTimeout()));
        l.add(detail("Other timeout (minutes)", p.otherTimeout()));
        l.add(detail("ESP timeout (minutes)", p.espTimeout()));
        l.add(detail("FTP data port", p.ftpDataPortAny() ? "ANY" : "RFC (20)"));
        l.add(detail("Fragments over 1780 bytes", p.fragments().isEmpty() ? "dropped"
                : names(p.fragments()) + " allowed"));
        l.add(detail("UDP port timeouts", p.udpPortTimeouts().isEmpty() ? "none" : p.udpPortTimeouts().entrySet().stream()
                .map(e -> e.getKey() + " " + (e.getValue() == FirewallPolicy.DEFAULT_TIMEOUT ? "DEFAULT" : e.getValue() + " min"))
                .collect(Collectors.joining(", "))));
        l.add("  NAT");
        if (p.nats().isEmpty()) {
            l.add("    none");
        }
        for (InterfaceNat n : p.nats()) {
            String global = n.gblIp() != null ? n.gblIp().toString() : "address of " + n.gblIface();
            l.add("    " + n.type() + " " + n.iface() + (n.ip() != null ? " " + n.ip() : "") + " -> " + n.gblIface() + " as " + global);
        }
        l.add("  Rules");
        if (p.rules().isEmpty()) {
            l.add("    none");
        }
        for (FirewallRule r : p.rules().values()) {
            l.add("    " + ConfigWriter.rule(r, engine.clock().millis()).trim());
        }
        return l;
    }

    private static String names(java.util.Set<? extends Enum<?>> set) {
        return set.isEmpty() ? "none" : set.stream().map(Enum::name).collect(Collectors.joining(","));
    }

    /** One line per session: policy, protocol, state, idle seconds, the tuple before and after translation. */
    List<String> sessions(FirewallPolicy only) {
        SessionTable t = engine.sessions();
        int now = engine.now();
        List<String> l = new ArrayList<>();
        l.add("");
        l.add("Firewall Sessions (" + t.size() + " of " + t.capacity() + ")");
        l.add(String.format("%-7s %-15s %-5s %-11s %5s  %-45s %s", "Id", "Policy", "Proto", "State", "Idle", "Original", "Translated"));
        l.add("-".repeat(130));
        t.forEach(id -> {
            int owner = t.owner(id) >>> 16;
            if (only != null && owner != only.id() || t.expired(id, now)) {
                return; // another policy's, or gone already and waiting for the sweep
            }
            String policy = owner == 0 ? "-" : config.policies().stream().filter(p -> p.id() == owner).map(FirewallPolicy::name)
                    .findFirst().orElse("-");
            int proto = t.proto(id);
            SessionState s = t.state(id);
            String orig = tuple(proto, t.origSrc(id), t.origDst(id), t.origPorts(id));
            String trans = tuple(proto, t.transSrc(id), t.transDst(id), t.transPorts(id));
            l.add(String.format("%-7d %-15s %-5s %-11s %5d  %-45s %s", id, policy, FirewallValues.protocolName(proto), s,
                    Math.max(0, now - t.lastSeen(id)), orig, orig.equals(trans) ? "-" : trans));
        });
        return l;
    }

    private static String tuple(int proto, int src, int dst, int ports) {
        if (proto == 6 || proto == 17) {
            return AddressRange.text(src) + ":" + (ports >>> 16) + " > " + AddressRange.text(dst) + ":" + (ports & 0xffff);
        }
        if (proto == 50 && ports != 0) {
            // an ESP passthrough mapping behind NAPT: its SPI, in decimal as SHOW IPSEC SA prints SPIs
            return AddressRange.text(src) + " > " + AddressRange.text(dst) + " spi " + Integer.toUnsignedString(ports);
        }
        if (proto == 1 && ports != 0) {
            return AddressRange.text(src) + " > " + AddressRange.text(dst) + " id " + (ports >>> 16);
        }
        return AddressRange.text(src) + " > " + AddressRange.text(dst);
    }
}
