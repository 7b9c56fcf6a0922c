package io.argate.ipsec.cli;

import io.argate.ipsec.diag.PolicyCounters;
import io.argate.ipsec.diag.PolicyDebug;
import io.argate.ipsec.config.IpsecConfig;
import io.argate.ipsec.spd.AddressSpec;
import io.argate.ipsec.spd.DfBit;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spd.PeerAddress;
import io.argate.ipsec.spd.PolicyAction;
import io.argate.ipsec.spd.PortSelector;
import io.argate.ipsec.spec.KeyManagement;
import io.argate.shell.ConfigOut;
import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.IpRange;
import io.argate.shell.cmd.ValueType;
import io.argate.shell.cmd.Values;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** CREATE/SET/DESTROY/SHOW IPSEC POLICY (fact sheet 2.2; seed 003 SPD section). */
final class PolicyCommands {
    static final ValueType NAME = Values.name(1, 23, "\\x20-\\x7e", "printable characters");
    private static final ValueType ADDRESS = Values.or(Values.choice("ANY"), Values.ipRange());
    private static final ValueType PORT = Values.or(Values.choice("ANY"), Values.integer(0, 65535));
    private static final ValueType IDENTITY = Values.or(Values.choice("ANY"), Values.text(1, 120));
    /** TRANSPORTPROTOCOL names and their IP protocol numbers. */
    static final Map<String, Integer> PROTOCOLS = Map.of("ANY", -1, "ICMP", 1, "EGP", 8, "TCP", 6, "UDP", 17,
            "RSVP", 46, "GRE", 47, "ESP", 50, "AH", 51, "OSPF", 89);
    private static final ValueType PROTOCOL = Values.or(Values.choice("ANY", "ICMP", "EGP", "TCP", "UDP", "RSVP", "GRE", "ESP", "AH", "OSPF"),
            Values.integer(0, 255));

    private final IpsecConfig config;
    private final Predicate<String> interfaceExists;
    private final PolicyCounters counters;
    private final SaViews<?> views;

    PolicyCommands(IpsecConfig config, Predicate<String> interfaceExists, PolicyCounters counters, SaViews<?> views) {
        this.config = config;
        this.interfaceExists = interfaceExists;
        this.counters = counters;
        this.views = views;
    }

    void register(CommandTable t) {
        t.add(settable(CommandSpec.of("CREATE IPSEC POLICY").value(NAME)
                .required("INTERFACE", Values.name(1, 15, "A-Za-z0-9-", "letters, digits and -"), "IP interface the policy guards")
                .required("ACTION", Values.choice("DENY", "IPSEC", "PERMIT"), "drop, protect with the bundle, or pass in clear")
                .optional("KEYMANAGEMENT", Values.choice("ISAKMP", "MANUAL"), "ISAKMP", "how the bundle's SAs are keyed"))
                .security().help("Create an IPsec policy").handler(this::create));
        t.add(settable(CommandSpec.of("SET IPSEC POLICY").value(NAME))
                .security().help("Change an IPsec policy").handler(this::set));
        t.add(CommandSpec.of("DESTROY IPSEC POLICY").value(NAME).security().help("Destroy an IPsec policy").handler(this::destroy));
        t.add(CommandSpec.of("SHOW IPSEC POLICY").optionalValue(NAME)
                .flag("COUNTERS", "packet counters of the policy")
                .flag("SABUNDLE", "the SA bundles established for the policy")
                .flag("SELECTOR", "the packet selectors")
                .help("Show IPsec policies").handler(this::show));
    }

    private static CommandSpec settable(CommandSpec s) {
        return s.optional("BUNDLESPECIFICATION", Values.integer(0, 255), null, "bundle specification for ACTION=IPSEC")
                .optional("PEERADDRESS", Values.or(Values.choice("ANY", "DYNAMIC"), Values.ip()), "ANY", "the IPsec peer")
                .optional("LADDRESS", ADDRESS, "ANY", "local address or range")
                .optional("LMASK", Values.mask(), "host mask", "mask for LADDRESS")
                .optional("LNAME", IDENTITY, "ANY", "local phase 2 identity")
                .optional("LPORT", PORT, "ANY", "local port")
                .optional("RADDRESS", ADDRESS, "ANY", "remote address or range")
                .optional("RMASK", Values.mask(), "host mask", "mask for RADDRESS")
                .optional("RNAME", IDENTITY, "ANY", "remote phase 2 identity")
                .optional("RPORT", PORT, "ANY", "remote port")
                .optional("TRANSPORTPROTOCOL", PROTOCOL, "ANY", "IP protocol of matching packets")
                .optional("DFBIT", Values.choice("SET", "COPY", "CLEAR"), "COPY", "DF bit of the tunnel header")
                .optional("GROUP", Values.integer(0, 16), "none", "Oakley group for PFS: 1, 2 (the AR's), 5, 14, 15, 16 (RFC 3526)")
                .optional("ISAKMPPOLICY", Values.text(1, 24), null, "ISAKMP policy to use")
                .optional("SRCINTERFACE", Values.name(1, 15, "A-Za-z0-9-", "letters, digits and -"), null, "interface whose address is the tunnel source")
                .optional("UDPTUNNEL", Values.bool(), "FALSE", "carry ESP in UDP (port 2746)")
                .optional("UDPHEARTBEAT", Values.bool(), "FALSE", "send a heartbeat every 30 s to keep NAT mappings")
                .optional("UDPPORT", Values.integer(1, 65535), "2746", "remote UDP port of the tunnel")
                .optional("USEPFSKEY", Values.bool(), "FALSE", "use PFS in Quick Mode")
                .optional("POSITION", Values.integer(1, 100), "at the end", "place in the interface's policy list")
                .optional("RESPONDBADSPI", Values.bool(), "FALSE", "answer an unknown SPI by renegotiating");
    }

    private void create(Invocation inv) throws CommandException {
        String name = inv.string("POLICY");
        if (config.policy(name).isPresent()) {
            throw new CommandException(IpsecMessages.POLICY_EXISTS, name);
        }
        String iface = inv.string("INTERFACE").toLowerCase();
        if (!interfaceExists.test(iface)) {
            throw new CommandException(IpsecMessages.NO_INTERFACE, iface);
        }
        IpsecPolicy.Builder b = IpsecPolicy.builder(name, iface, PolicyAction.valueOf(inv.string("ACTION")));
        if (inv.has("KEYMANAGEMENT")) {
            b.keyManagement(KeyManagement.valueOf(inv.string("KEYMANAGEMENT")));
        }
        IpsecPolicy p = apply(b, inv, name);
        int position = inv.integer("POSITION", 0);
        int count = config.policyCount(iface);
        if (position > count + 1) {
            throw new CommandException(IpsecMessages.POSITION_RANGE, name, position, iface, count);
        }
        config.addPolicy(p, position);
    }

    private void set(Invocation inv) throws CommandException {
        String name = inv.string("POLICY");
        IpsecPolicy old = config.policy(name).orElseThrow(() -> new CommandException(IpsecMessages.POLICY_MISSING, name));
        IpsecPolicy p = apply(old.toBuilder(), inv, old.name());
        int position = inv.integer("POSITION", 0);
        int count = config.policyCount(old.iface());
        if (position > count) {
            throw new CommandException(IpsecMessages.POSITION_RANGE, name, position, old.iface(), count);
        }
        config.replacePolicy(p, position);
    }

    private IpsecPolicy apply(IpsecPolicy.Builder b, Invocation inv, String name) throws CommandException {
        if (inv.has("BUNDLESPECIFICATION")) {
            b.bundle(inv.integer("BUNDLESPECIFICATION"));
        }
        if (inv.has("PEERADDRESS")) {
            Object v = inv.get("PEERADDRESS");
            b.peer(v instanceof Inet4Address a ? PeerAddress.of(Values.toInt(a))
                    : "DYNAMIC".equals(v) ? PeerAddress.DYNAMIC : PeerAddress.ANY);
        }
        if (inv.has("LADDRESS")) {
            b.local(address(inv.get("LADDRESS")));
        }
        if (inv.has("RADDRESS")) {
            b.remote(address(inv.get("RADDRESS")));
        }
        if (inv.has("LMASK")) {
            b.local(masked(b.local(), inv.ip("LMASK"), name, "LMASK", "LADDRESS"));
        }
        if (inv.has("RMASK")) {
            b.remote(masked(b.remote(), inv.ip("RMASK"), name, "RMASK", "RADDRESS"));
        }
        if (inv.has("LPORT")) {
            b.localPort(port(inv.get("LPORT")));
        }
        if (inv.has("RPORT")) {
            b.remotePort(port(inv.get("RPORT")));
        }
        if (inv.has("LNAME")) {
            b.localName(identity(inv.get("LNAME")));
        }
        if (inv.has("RNAME")) {
            b.remoteName(identity(inv.get("RNAME")));
        }
        if (inv.has("TRANSPORTPROTOCOL")) {
            Object v = inv.get("TRANSPORTPROTOCOL");
            b.transportProtocol(v instanceof Long l ? l.intValue() : PROTOCOLS.get((String) v));
        }
        if (inv.has("DFBIT")) {
            b.dfBit(DfBit.valueOf(inv.string("DFBIT")));
        }
        if (inv.has("GROUP")) {
            int g = inv.integer("GROUP");
            if (!java.util.Set.of(0, 1, 2, 5, 14, 15, 16).contains(g)) {
                throw new CommandException(IpsecMessages.PFS_GROUP, g);
            }
            b.group(g);
        }
        if (inv.has("ISAKMPPOLICY")) {
            b.isakmpPolicy(inv.string("ISAKMPPOLICY"));
        }
        if (inv.has("SRCINTERFACE")) {
            String src = inv.string("SRCINTERFACE").toLowerCase();
            if (!interfaceExists.test(src)) {
                throw new CommandException(IpsecMessages.NO_INTERFACE, src);
            }
            b.srcInterface(src);
        }
        if (inv.has("UDPTUNNEL")) {
            b.udpTunnel(inv.bool("UDPTUNNEL", false));
        }
        if (inv.has("UDPHEARTBEAT")) {
            b.udpHeartbeat(inv.bool("UDPHEARTBEAT", false));
        }
        if (inv.has("UDPPORT")) {
            b.udpPort(inv.integer("UDPPORT"));
        }
        if (inv.has("USEPFSKEY")) {
            b.usePfsKey(inv.bool("USEPFSKEY", false));
        }
        if (inv.has("RESPONDBADSPI")) {
            b.respondBadSpi(inv.bool("RESPONDBADSPI", false));
        }
        IpsecPolicy p = b.build();
        String problem = PolicyRules.check(p, config);
        if (problem != null) {
            throw new CommandException(IpsecMessages.POLICY_RULE, p.name(), problem);
        }
        return p;
    }

    private static AddressSpec address(Object v) {
        if (v instanceof IpRange r) {
            int a = Values.toInt(r.from());
            int z = Values.toInt(r.to());
            return r.single() ? AddressSpec.address(a) : AddressSpec.range(a, z);
        }
        return AddressSpec.ANY;
    }

    private static AddressSpec masked(AddressSpec spec, Inet4Address mask, String name, String param, String addressParam)
            throws CommandException {
        if (spec.kind() != AddressSpec.Kind.ADDRESS) {
            throw new CommandException(IpsecMessages.MASK_WITHOUT_ADDRESS, name, param, addressParam);
        }
        return spec.withMask(Values.toInt(mask));
    }

    private static int port(Object v) {
        return v instanceof Long l ? l.intValue() : PortSelector.ANY;
    }

    private static String identity(Object v) {
        return "ANY".equals(v) ? null : (String) v;
    }

    private void destroy(Invocation inv) throws CommandException {
        String name = inv.string("POLICY");
        if (config.policy(name).isEmpty()) {
            throw new CommandException(IpsecMessages.POLICY_MISSING, name);
        }
        config.removePolicy(name);
        counters.forget(name);
    }

    private void show(Invocation inv) throws CommandException {
        List<IpsecPolicy> list;
        if (inv.hasValue("POLICY")) {
            String name = inv.string("POLICY");
            list = List.of(config.policy(name).orElseThrow(() -> new CommandException(IpsecMessages.POLICY_MISSING, name)));
        } else {
            list = config.policies();
        }
        boolean extra = inv.has("COUNTERS") || inv.has("SABUNDLE") || inv.has("SELECTOR");
        if (!inv.hasValue("POLICY") && !extra) {
            inv.println("");
            inv.println("IPSEC Policies");
            inv.println("--------------------------------------------------------------------------------");
            inv.println(String.format("%-23s %-9s %-3s %-7s %-7s %-6s %s", "Name", "Interface", "Pos", "Action", "KeyMan", "Bundle", "Peer"));
            inv.println("--------------------------------------------------------------------------------");
            for (IpsecPolicy p : list) {
                boolean ipsec = p.action() == PolicyAction.IPSEC;
                inv.println(String.format("%-23s %-9s %-3d %-7s %-7s %-6s %s", p.name(), p.iface(), config.positionOf(p), p.action(),
                        ipsec ? p.keyManagement().name() : "-", ipsec && p.bundle() >= 0 ? Integer.toString(p.bundle()) : "-",
                        ipsec ? p.peer().toString() : "-"));
            }
            inv.println("--------------------------------------------------------------------------------");
            return;
        }
        if (inv.has("SABUNDLE") && !inv.has("COUNTERS") && !inv.has("SELECTOR")) {
            SaViews.bundleTableHeader().forEach(inv::println);
            for (IpsecPolicy p : list) {
                // only ACTION=IPSEC policies have bundles; the reference's sample lists no PERMIT policy
                if (p.action() == PolicyAction.IPSEC || inv.hasValue("POLICY")) {
                    views.bundleRows(p.name()).forEach(inv::println);
                }
            }
            return;
        }
        for (IpsecPolicy p : list) {
            if (inv.hasValue("POLICY") && !extra || inv.has("SELECTOR")) {
                for (String line : detail(p)) {
                    inv.println(line);
                }
            } else {
                inv.println("");
                inv.println(DetailLine.of("Name", p.name()));
            }
            if (inv.has("COUNTERS")) {
                inv.println("Counters:");
                counters.values(p.name()).forEach((name, value) -> inv.println(DetailLine.of("  " + name, value)));
            }
            if (inv.has("SABUNDLE")) {
                SaViews.bundleTableHeader().forEach(inv::println);
                views.bundleRows(p.name()).forEach(inv::println);
            }
        }
    }

    private List<String> detail(IpsecPolicy p) {
        List<String> out = new ArrayList<>();
        out.add("");
        out.add(DetailLine.of("Name", p.name()));
        out.add(DetailLine.of("Interface", p.iface()));
        out.add(DetailLine.of("Position", config.positionOf(p)));
        out.add(DetailLine.of("Action", p.action()));
        if (p.action() == PolicyAction.IPSEC) {
            out.add(DetailLine.of("Key Management", p.keyManagement()));
            out.add(DetailLine.of("Bundle Specification", p.bundle()));
            out.add(DetailLine.of("Peer Address", p.peer()));
            int assigned = views.assignedAddress(p.name());
            if (assigned != 0) {
                // the tunnel carries the address a Mode Config server gave us; the LAN's packets take it as their source
                out.add(DetailLine.of("Mode Config Address", AddressSpec.dotted(assigned) + " (LAN sources translated to it)"));
            }
            out.add(DetailLine.of("DF Bit", p.dfBit()));
            out.add(DetailLine.of("PFS Group", p.group() < 0 ? "none" : p.group()));
            out.add(DetailLine.of("UDP Tunnel", p.udpTunnel() ? "TRUE" : "FALSE"));
            if (p.udpTunnel()) {
                out.add(DetailLine.of("UDP Heartbeat", p.udpHeartbeat() ? "TRUE" : "FALSE"));
                out.add(DetailLine.of("UDP Port", p.udpPort()));
            }
            out.add(DetailLine.of("Respond Bad SPI", p.respondBadSpi() ? "TRUE" : "FALSE"));
            if (p.srcInterface() != null) {
                out.add(DetailLine.of("Source Interface", p.srcInterface()));
            }
            if (p.isakmpPolicy() != null) {
                out.add(DetailLine.of("ISAKMP Policy", p.isakmpPolicy()));
            }
        }
        out.add("Selectors:");
        out.add(DetailLine.of("  Local Address", selectorText(p.local())));
        out.add(DetailLine.of("  Local Port", p.localPort() < 0 ? "ANY" : p.localPort()));
        out.add(DetailLine.of("  Local Name", p.localName() == null ? "ANY" : p.localName()));
        out.add(DetailLine.of("  Remote Address", selectorText(p.remote())));
        out.add(DetailLine.of("  Remote Port", p.remotePort() < 0 ? "ANY" : p.remotePort()));
        out.add(DetailLine.of("  Remote Name", p.remoteName() == null ? "ANY" : p.remoteName()));
        out.add(DetailLine.of("  Transport Protocol", protocolText(p.transportProtocol())));
        return out;
    }

    static String selectorText(AddressSpec a) {
        if (a.kind() == AddressSpec.Kind.ADDRESS) {
            return AddressSpec.dotted(a.first()) + " / " + AddressSpec.dotted(a.mask());
        }
        return a.addressText();
    }

    static String protocolText(int proto) {
        for (Map.Entry<String, Integer> e : PROTOCOLS.entrySet()) {
            if (e.getValue() == proto) {
                return e.getKey();
            }
        }
        return Integer.toString(proto);
    }

    void writeConfig(ConfigOut out) {
        for (IpsecPolicy p : config.policies()) {
            StringBuilder b = new StringBuilder("create ipsec pol=").append(Values.quoteIfNeeded(p.name()))
                    .append(" int=").append(p.iface())
                    .append(" ac=").append(p.action().name().toLowerCase());
            if (p.action() == PolicyAction.IPSEC) {
                b.append(" key=").append(p.keyManagement().name().toLowerCase());
                if (p.bundle() >= 0) {
                    b.append(" bund=").append(p.bundle());
                }
                if (p.peer().kind() != PeerAddress.Kind.ANY) {
                    b.append(" peer=").append(p.peer().toString().toLowerCase());
                }
            }
            appendAddress(b, "lad", "lma", p.local());
            appendAddress(b, "rad", "rma", p.remote());
            if (p.localPort() >= 0) {
                b.append(" lp=").append(p.localPort());
            }
            if (p.remotePort() >= 0) {
                b.append(" rp=").append(p.remotePort());
            }
            if (p.localName() != null) {
                b.append(" ln=").append(Values.quoteIfNeeded(p.localName()));
            }
            if (p.remoteName() != null) {
                b.append(" rn=").append(Values.quoteIfNeeded(p.remoteName()));
            }
            if (p.transportProtocol() >= 0) {
                b.append(" tran=").append(protocolText(p.transportProtocol()).toLowerCase());
            }
            if (p.dfBit() != DfBit.COPY) {
                b.append(" df=").append(p.dfBit().name().toLowerCase());
            }
            if (p.group() >= 0) {
                b.append(" gr=").append(p.group());
            }
            if (p.isakmpPolicy() != null) {
                b.append(" isa=").append(Values.quoteIfNeeded(p.isakmpPolicy()));
            }
            if (p.srcInterface() != null) {
                b.append(" src=").append(p.srcInterface());
            }
            if (p.udpTunnel()) {
                b.append(" udpt=true");
            }
            if (p.udpHeartbeat()) {
                b.append(" udph=true");
            }
            if (p.udpPort() != IpsecPolicy.DEFAULT_UDP_PORT) {
                b.append(" udpp=").append(p.udpPort());
            }
            if (p.usePfsKey()) {
                b.append(" usep=true");
            }
            if (p.respondBadSpi()) {
                b.append(" resp=true");
            }
            out.line(b.toString());
        }
    }

    private static void appendAddress(StringBuilder b, String addr, String mask, AddressSpec a) {
        if (a.kind() == AddressSpec.Kind.ANY) {
            return;
        }
        b.append(' ').append(addr).append('=').append(a.addressText());
        if (a.kind() == AddressSpec.Kind.ADDRESS && a.maskSet()) {
            b.append(' ').append(mask).append('=').append(AddressSpec.dotted(a.mask()));
        }
    }
}
