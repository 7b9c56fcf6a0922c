package io.argate.isakmp.cli;

import io.argate.ipsec.spec.EncoKeys;
import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.IsakmpDebug;
import io.argate.isakmp.config.IsakmpConfig;
import io.argate.isakmp.exchange.IsakmpDaemon;
import io.argate.shell.ConfigOut;
import io.argate.shell.Module;
import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.Values;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * The ISAKMP module of the command language (module number 82, configuration order 90): the
 * module switch, policies, SHOW ISAKMP / SA / EXCHANGE / COUNTERS in the reference's layouts,
 * debugging, counters and PURGE.
 */
public final class IsakmpModule implements Module {
    private static final List<String> GROUPS = List.of("MAIN", "AGGRESSIVE", "QUICK", "INFO", "TRANSACTION", "XAUTH", "GENERAL", "HEARTBEAT", "NETWORK", "SAD", "SPD");

    private final IsakmpConfig config;
    private final IsakmpDaemon daemon;
    private final PolicyCommands policies;
    private final PoolCommands pools;
    private final io.argate.isakmp.IsakmpLog log;

    public IsakmpModule(IsakmpConfig config, IsakmpDaemon daemon, EncoKeys keys, io.argate.isakmp.IsakmpLog log) {
        this.config = config;
        this.daemon = daemon;
        this.policies = new PolicyCommands(config, keys, daemon::policyDestroyed);
        this.pools = new PoolCommands(config, daemon::leases);
        this.log = log;
    }

    @Override
    public String name() {
        return "ISAKMP";
    }

    @Override
    public int number() {
        return IsakmpMessages.MODULE;
    }

    @Override
    public int configOrder() {
        return 90;
    }

    @Override
    public void commands(CommandTable t) {
        policies.register(t);
        pools.register(t);
        t.add(CommandSpec.of("ENABLE ISAKMP").security().help("Enable the ISAKMP module").handler(this::enable));
        t.add(CommandSpec.of("DISABLE ISAKMP").security().help("Disable the ISAKMP module").handler(this::disable));
        t.add(CommandSpec.of("PURGE ISAKMP").security().help("Remove all ISAKMP configuration and SAs").handler(this::purge));
        t.add(CommandSpec.of("RESET ISAKMP COUNTERS").help("Clear ISAKMP counters").handler(this::reset));
        t.add(CommandSpec.of("SHOW ISAKMP").help("Show the ISAKMP module state").handler(this::show));
        t.add(CommandSpec.of("SHOW ISAKMP SA").optionalValue(Values.integer(0, 65535)).help("Show ISAKMP SAs").handler(this::showSa));
        t.add(CommandSpec.of("SHOW ISAKMP EXCHANGE").optionalValue(Values.integer(0, 65535)).help("Show exchanges in progress").handler(this::showExchange));
        t.add(CommandSpec.of("SHOW ISAKMP COUNTERS").optionalValue(Values.choice(GROUPS.toArray(String[]::new)))
                .help("Show ISAKMP counters").handler(this::showCounters));
        t.add(CommandSpec.of("ENABLE ISAKMP DEBUG").optionalValue(Values.choice("ALL", "DEFAULT", "PACKET", "PKT", "PKTRAW", "STATE", "TRACE", "TRACEMORE"))
                .quiet().help("Print ISAKMP debugging on this terminal").handler(this::enableDebug));
        t.add(CommandSpec.of("DISABLE ISAKMP DEBUG").optionalValue(Values.choice("ALL", "DEFAULT", "PACKET", "PKT", "PKTRAW", "STATE", "TRACE", "TRACEMORE"))
                .quiet().help("Stop ISAKMP debugging").handler(this::disableDebug));
    }

    private void enable(Invocation inv) {
        if (config.enabled()) {
            inv.say(IsakmpMessages.ALREADY_ENABLED);
            return;
        }
        config.enabled(true);
        log.log("MSG", "ISAKMP has been enabled");
        inv.say(IsakmpMessages.ENABLED);
    }

    private void disable(Invocation inv) {
        if (!config.enabled()) {
            inv.say(IsakmpMessages.ALREADY_DISABLED);
            return;
        }
        daemon.purge();
        config.enabled(false);
        log.log("MSG", "ISAKMP has been disabled");
        inv.say(IsakmpMessages.DISABLED);
    }

    private void purge(Invocation inv) {
        resetConfig();
        inv.say(IsakmpMessages.PURGED);
    }

    private void reset(Invocation inv) {
        daemon.counters().reset();
        inv.say(IsakmpMessages.COUNTERS_RESET);
    }

    private void show(Invocation inv) {
        inv.println("");
        inv.println("ISAKMP Module Configuration");
        inv.println(line("Module Status", config.enabled() ? "ENABLED" : "DISABLED"));
        inv.println(line("Policies", config.policies().size()));
        inv.println(line("ISAKMP SAs", daemon.sas().size()));
        inv.println(line("Exchanges in progress", daemon.exchanges().size()));
    }

    static String line(String label, Object value) {
        return String.format("%-32s %s", label + " " + ".".repeat(Math.max(2, 30 - label.length())), value);
    }

    static String dotted(int a) {
        return io.argate.ipsec.spd.AddressSpec.dotted(a);
    }

    /** The reference's layout (seed 003 troubleshooting): Expiry Limits - hard/soft/used. */
    private void showSa(Invocation inv) throws CommandException {
        List<IsakmpDaemon.SaView> sas = daemon.sas();
        if (inv.hasValue("SA")) {
            int id = inv.integer("SA");
            IsakmpDaemon.SaView s = sas.stream().filter(x -> x.id() == id).findFirst().orElse(null);
            if (s == null) {
                showCleared(inv, id);
                return;
            }
            inv.println("");
            inv.println(line("SA Id", s.id()));
            inv.println(line("Peer Address", dotted(s.peer())));
            inv.println(line("Role", s.initiator() ? "INITIATOR" : "RESPONDER"));
            inv.println(line("Cookies", String.format("%016x:%016x", s.icookie(), s.rcookie())));
            inv.println(line("Encryption Algorithm", s.encAlg()));
            inv.println(line("Hash Algorithm", s.hashAlg()));
            inv.println(line("Expiry Seconds (hard/soft/used)", s.hardSeconds() + "/" + s.softSeconds() + "/" + s.usedSeconds()));
            inv.println(line("NAT Traversal", s.natT()));
            inv.println(line("Peer ID", s.peerId()));
            inv.println(line("Authenticated By", s.authentication()));
            daemon.access(id).ifPresent(a -> {
                if (!a.xauth().equals("NOT_NEEDED")) {
                    inv.println(line("XAUTH", a.xauth()));
                    inv.println(line("XAUTH User", a.user() == null ? "-" : a.user()));
                }
                if (a.address() != 0) {
                    inv.println(line("Mode Config Address", dotted(a.address())));
                }
            });
            daemon.liveness(id).ifPresent(l -> {
                inv.println(line("Peer Last Heard", l.lastHeardSecondsAgo() + " s ago"));
                inv.println(line("Dead Peer Detection", l.dpd()));
                inv.println(line("Heartbeat", l.heartbeat()));
            });
            return;
        }
        inv.println("Expiry Limits - hard/soft/used");
        inv.println(String.format("%-6s %-16s %-6s %-7s %-10s %s", "SA Id", "PeerAddress", "EncA.", "HashA.", "Bytes", "Seconds"));
        inv.println("-".repeat(77));
        for (IsakmpDaemon.SaView s : sas) {
            inv.println(String.format("%-6d %-16s %-6s %-7s %-10s %s", s.id(), dotted(s.peer()), s.encAlg(), s.hashAlg(), "-/-/-",
                    s.hardSeconds() + "/" + s.softSeconds() + "/" + s.usedSeconds()));
        }
    }

    /** An SA that went recently: SHOW ISAKMP SA=n still says when and why, and when the peer was last heard. */
    private void showCleared(Invocation inv, int id) throws CommandException {
        IsakmpDaemon.ClearedView c = daemon.cleared(id).orElseThrow(() -> new CommandException(IsakmpMessages.SA_MISSING, id));
        inv.println("");
        inv.println(line("SA Id", c.id()));
        inv.println(line("Peer Address", dotted(c.peer())));
        inv.println(line("State", "CLEARED " + c.secondsAgo() + " s ago"));
        inv.println(line("Cleared Because", c.why()));
        inv.println(line("Peer Last Heard", c.lastHeardSecondsAgo() < 0 ? "unknown" : c.lastHeardSecondsAgo() + " s ago"));
    }

    private void showExchange(Invocation inv) throws CommandException {
        List<IsakmpDaemon.ExchangeView> xs = daemon.exchanges();
        if (inv.hasValue("EXCHANGE")) {
            int id = inv.integer("EXCHANGE");
            IsakmpDaemon.ExchangeView x = xs.stream().filter(e -> e.id() == id).findFirst()
                    .orElseThrow(() -> new CommandException(IsakmpMessages.EXCHANGE_MISSING, id));
            inv.println("");
            inv.println("ISAKMP Exchange");
            inv.println(line("Id", x.id()));
            inv.println(line("Phase", x.phase()));
            inv.println(line("State", x.state()));
            inv.println(line("Peer Address", dotted(x.peer())));
            inv.println(line("Type", x.type()));
            if (x.failure() != null) {
                inv.println(line("Last Failure", x.failure()));
            }
            return;
        }
        inv.println("ISAKMP Exchanges");
        inv.println(String.format("%-4s %-6s %-20s %-16s %s", "Id", "Phase", "State", "PeerAddress", "Type"));
        inv.println("-".repeat(65));
        for (IsakmpDaemon.ExchangeView x : xs) {
            inv.println(String.format("%-4d %-6s %-20s %-16s %s", x.id(), x.phase(), x.state(), dotted(x.peer()), x.type()));
        }
    }

    private void showCounters(Invocation inv) {
        String only = inv.hasValue("COUNTERS") ? inv.string("COUNTERS") : null;
        for (String g : GROUPS) {
            if (only != null && !only.equals(g)) {
                continue;
            }
            inv.println("");
            inv.println(g.equals("SPD") ? "ISAKMP Policy Counters" : "ISAKMP " + g.charAt(0) + g.substring(1).toLowerCase(Locale.ROOT) + " Counters");
            for (IsakmpCounter c : IsakmpCounter.values()) {
                if (c.group().equals(g)) {
                    inv.println(String.format("  %-30s %d", c.display(), daemon.counters().get(c)));
                }
            }
        }
    }

    private void enableDebug(Invocation inv) {
        // the lines go to this session's tap, never straight to a terminal (DESIGN.md section 5)
        var tap = inv.session().tap();
        daemon.debug().enable(IsakmpDebug.option(inv.hasValue("DEBUG") ? inv.string("DEBUG") : null), tap::offer);
        inv.say(IsakmpMessages.DEBUG_ENABLED);
    }

    private void disableDebug(Invocation inv) {
        String option = inv.hasValue("DEBUG") ? inv.string("DEBUG") : null;
        daemon.debug().disable(option == null ? EnumSet.allOf(IsakmpDebug.Output.class) : IsakmpDebug.option(option));
        inv.say(IsakmpMessages.DEBUG_DISABLED);
    }

    @Override
    public void commit() {
        daemon.commit();
    }

    @Override
    public void writeConfig(ConfigOut out) {
        // pools first: a policy's POOL names one
        pools.writeConfig(out);
        policies.writeConfig(out);
        if (config.enabled()) {
            out.line("enable isakmp");
        }
    }

    @Override
    public void resetConfig() {
        daemon.purge();
        config.clear();
        daemon.counters().reset();
        daemon.debug().disable(EnumSet.allOf(IsakmpDebug.Output.class));
    }
}
