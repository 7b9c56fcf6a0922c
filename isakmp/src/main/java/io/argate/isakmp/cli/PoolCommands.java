package io.argate.isakmp.cli;

import io.argate.isakmp.config.IsakmpConfig;
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.modecfg.AddressPool;
import io.argate.isakmp.modecfg.PoolLeases;
import io.argate.shell.ConfigOut;
import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.IpRange;
import io.argate.shell.cmd.ValueType;
import io.argate.shell.cmd.Values;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * CREATE/SET/DESTROY/SHOW ISAKMP POOL: the Mode Config address pools (an argate extension beyond
 * the AR410, in its style). A pool is named by an ISAKMP policy's POOL parameter; its addresses
 * are leased to clients while their ISAKMP SA lives.
 *
 * <pre>
 * CREATE ISAKMP POOL=name RANGE=ipadd-ipadd [NETMASK=ipadd] [DNS=ipadd[,ipadd]] [WINS=ipadd[,ipadd]]
 *        [SPLIT=ipadd/0..32[,...]]
 * </pre>
 */
final class PoolCommands {
    private static final ValueType LIST = Values.text(1, 400);

    private final IsakmpConfig config;
    private final Supplier<PoolLeases> leases;

    PoolCommands(IsakmpConfig config, Supplier<PoolLeases> leases) {
        this.config = config;
        this.leases = leases;
    }

    private CommandSpec params(CommandSpec c, boolean create) {
        return c.optional("NETMASK", Values.mask(), create ? "255.255.255.255" : null, "netmask given to clients")
                .optional("DNS", LIST, create ? "none" : null, "DNS servers given to clients, comma-separated (NONE clears)")
                .optional("WINS", LIST, create ? "none" : null, "WINS servers given to clients, comma-separated (NONE clears)")
                .optional("SPLIT", LIST, create ? "none" : null, "networks clients send through the tunnel, as a.b.c.d/len, comma-separated (NONE clears)");
    }

    void register(CommandTable t) {
        t.add(params(CommandSpec.of("CREATE ISAKMP POOL").value(PolicyCommands.NAME)
                .required("RANGE", Values.ipRange(), "the addresses leased to clients"), true)
                .security().help("Create a Mode Config address pool").handler(this::create));
        t.add(params(CommandSpec.of("SET ISAKMP POOL").value(PolicyCommands.NAME)
                .optional("RANGE", Values.ipRange(), null, "the addresses leased to clients"), false)
                .security().help("Change a Mode Config address pool").handler(this::set));
        t.add(CommandSpec.of("DESTROY ISAKMP POOL").value(PolicyCommands.NAME).security().help("Destroy a Mode Config address pool")
                .handler(this::destroy));
        t.add(CommandSpec.of("SHOW ISAKMP POOL").optionalValue(PolicyCommands.NAME).help("Show Mode Config address pools and leases")
                .handler(this::show));
    }

    private void create(Invocation inv) throws CommandException {
        String name = inv.string("POOL");
        if (config.pool(name).isPresent()) {
            throw new CommandException(IsakmpMessages.POOL_EXISTS, name);
        }
        config.putPool(build(inv, name, new AddressPool(name, 0, 0, -1, List.of(), List.of(), List.of())));
    }

    private void set(Invocation inv) throws CommandException {
        String name = inv.string("POOL");
        AddressPool old = config.pool(name).orElseThrow(() -> new CommandException(IsakmpMessages.POOL_MISSING, name));
        AddressPool p = build(inv, old.name(), old);
        for (PoolLeases.Lease l : leases.get().leases(old.name())) {
            if (!p.contains(l.address())) {
                throw new CommandException(IsakmpMessages.POOL_RULE, name, "the new RANGE leaves out " + AddressPool.dotted(l.address())
                        + ", which is leased to " + AddressPool.dotted(l.peer()));
            }
        }
        config.putPool(p);
    }

    private AddressPool build(Invocation inv, String name, AddressPool old) throws CommandException {
        int first = old.first();
        int last = old.last();
        if (inv.has("RANGE")) {
            IpRange r = (IpRange) inv.get("RANGE");
            first = Values.toInt(r.from());
            last = Values.toInt(r.to());
        }
        int mask = inv.has("NETMASK") ? Values.toInt(inv.ip("NETMASK")) : old.netmask();
        List<Integer> dns = inv.has("DNS") ? addresses(name, "DNS", inv.string("DNS")) : old.dns();
        List<Integer> wins = inv.has("WINS") ? addresses(name, "WINS", inv.string("WINS")) : old.wins();
        List<AddressPool.Subnet> split = inv.has("SPLIT") ? split(name, inv.string("SPLIT")) : old.split();
        AddressPool p = new AddressPool(name, first, last, mask, dns, wins, split);
        if (p.size() > AddressPool.MAX_SIZE) {
            throw new CommandException(IsakmpMessages.POOL_RULE, name, "RANGE holds " + p.size() + " addresses; at most "
                    + AddressPool.MAX_SIZE + " are allowed");
        }
        if (first == 0) {
            throw new CommandException(IsakmpMessages.POOL_RULE, name, "RANGE must not start at 0.0.0.0");
        }
        return p;
    }

    private static List<Integer> addresses(String pool, String param, String raw) throws CommandException {
        if (raw.equalsIgnoreCase("NONE")) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>();
        for (String part : raw.split(",")) {
            try {
                out.add(Values.toInt(Values.parseIpv4(part.trim())));
            } catch (ValueType.BadValue e) {
                throw new CommandException(IsakmpMessages.POOL_RULE, pool, param + ": " + part.trim() + " is not an IP address");
            }
        }
        if (out.size() > AddressPool.MAX_SERVERS) {
            throw new CommandException(IsakmpMessages.POOL_RULE, pool, param + " takes at most " + AddressPool.MAX_SERVERS + " addresses");
        }
        return out;
    }

    private static List<AddressPool.Subnet> split(String pool, String raw) throws CommandException {
        if (raw.equalsIgnoreCase("NONE")) {
            return List.of();
        }
        List<AddressPool.Subnet> out = new ArrayList<>();
        for (String part : raw.split(",")) {
            String s = part.trim();
            int slash = s.indexOf('/');
            try {
                if (slash < 0) {
                    throw new ValueType.BadValue("no /length");
                }
                int a = Values.toInt(Values.parseIpv4(s.substring(0, slash)));
                long len = Values.parseDecimal(s.substring(slash + 1));
                if (len > 32) {
                    throw new ValueType.BadValue("length above 32");
                }
                int mask = len == 0 ? 0 : -1 << (32 - len);
                if ((a & ~mask) != 0) {
                    throw new ValueType.BadValue("host bits are set");
                }
                out.add(new AddressPool.Subnet(a, mask));
            } catch (ValueType.BadValue e) {
                throw new CommandException(IsakmpMessages.POOL_RULE, pool, "SPLIT: " + s + " is not a network as a.b.c.d/len (" + e.getMessage() + ")");
            }
        }
        if (out.size() > AddressPool.MAX_SPLIT) {
            throw new CommandException(IsakmpMessages.POOL_RULE, pool, "SPLIT takes at most " + AddressPool.MAX_SPLIT + " networks");
        }
        return out;
    }

    private void destroy(Invocation inv) throws CommandException {
        String name = inv.string("POOL");
        AddressPool p = config.pool(name).orElseThrow(() -> new CommandException(IsakmpMessages.POOL_MISSING, name));
        for (IsakmpPolicy pol : config.policies()) {
            if (p.name().equalsIgnoreCase(pol.access().pool())) {
                throw new CommandException(IsakmpMessages.POOL_IN_USE, p.name(), "ISAKMP policy " + pol.name());
            }
        }
        config.removePool(name);
    }

    private void show(Invocation inv) throws CommandException {
        if (inv.hasValue("POOL")) {
            String name = inv.string("POOL");
            AddressPool p = config.pool(name).orElseThrow(() -> new CommandException(IsakmpMessages.POOL_MISSING, name));
            List<PoolLeases.Lease> ls = leases.get().leases(p.name());
            inv.println("");
            inv.println(IsakmpModule.line("Name", p.name()));
            inv.println(IsakmpModule.line("Range", range(p)));
            inv.println(IsakmpModule.line("Netmask", AddressPool.dotted(p.netmask())));
            inv.println(IsakmpModule.line("DNS Servers", list(p.dns())));
            inv.println(IsakmpModule.line("WINS Servers", list(p.wins())));
            inv.println(IsakmpModule.line("Split Networks", p.split().isEmpty() ? "none" : String.join(", ", p.split().stream().map(Object::toString).toList())));
            inv.println(IsakmpModule.line("Addresses (total/leased)", p.size() + "/" + ls.size()));
            if (!ls.isEmpty()) {
                inv.println("");
                inv.println(String.format("%-16s %-16s %s", "Address", "Peer", "User"));
                inv.println("-".repeat(50));
                for (PoolLeases.Lease l : ls) {
                    inv.println(String.format("%-16s %-16s %s", AddressPool.dotted(l.address()), AddressPool.dotted(l.peer()),
                            l.user() == null ? "-" : l.user()));
                }
            }
            return;
        }
        inv.println("");
        inv.println("ISAKMP Pools");
        inv.println(String.format("%-24s %-32s %-8s %s", "Name", "Range", "Size", "Leased"));
        inv.println("-".repeat(79));
        for (AddressPool p : config.pools()) {
            inv.println(String.format("%-24s %-32s %-8d %d", p.name(), range(p), p.size(), leases.get().count(p.name())));
        }
        inv.println("-".repeat(79));
    }

    private static String range(AddressPool p) {
        return AddressPool.dotted(p.first()) + "-" + AddressPool.dotted(p.last());
    }

    private static String list(List<Integer> as) {
        return as.isEmpty() ? "none" : String.join(", ", as.stream().map(AddressPool::dotted).toList());
    }

    void writeConfig(ConfigOut out) {
        for (AddressPool p : config.pools()) {
            StringBuilder s = new StringBuilder("create isakmp pool=" + PolicyCommands.quote(p.name()) + " range=" + range(p));
            if (p.netmask() != -1) {
                s.append(" netmask=").append(AddressPool.dotted(p.netmask()));
            }
            if (!p.dns().isEmpty()) {
                s.append(" dns=").append(String.join(",", p.dns().stream().map(AddressPool::dotted).toList()));
            }
            if (!p.wins().isEmpty()) {
                s.append(" wins=").append(String.join(",", p.wins().stream().map(AddressPool::dotted).toList()));
            }
            if (!p.split().isEmpty()) {
                s.append(" split=").append(String.join(",", p.split().stream().map(Object::toString).toList()));
            }
            out.line(s.toString());
        }
    }
}
