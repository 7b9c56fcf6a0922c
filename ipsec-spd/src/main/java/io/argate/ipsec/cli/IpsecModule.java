package io.argate.ipsec.cli;

import io.argate.ipsec.esp.Transform;

import io.argate.ipsec.diag.PolicyCounters;
import io.argate.ipsec.diag.PolicyDebug;
import io.argate.ipsec.IpsecCounter;
import io.argate.ipsec.config.IpsecConfig;
import io.argate.ipsec.path.IpsecEngine;
import io.argate.shell.loop.ControlLoop;
import io.argate.ipsec.sad.Sad;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spec.EncoKeys;
import io.argate.ipsec.spec.SaSpecification;
import io.argate.shell.ConfigOut;
import io.argate.shell.Module;
import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.Values;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The IPSEC module of the command language: SA specifications, bundle specifications,
 * policies, the module switch, UDP tunnel port, counters, SA display and policy debugging.
 */
public final class IpsecModule implements Module {
    private final IpsecConfig config;
    private final Sad<?> sad;
    private final IpsecCounter.Set counters;
    private final PolicyCounters policyCounters;
    private final PolicyDebug debug;
    private final SaSpecCommands specs;
    private final BundleCommands bundles;
    private final PolicyCommands policies;
    private final SaViews<?> views;
    private IpsecEngine engine;

    public IpsecModule(IpsecConfig config, Sad<Transform> sad, EncoKeys keys, Predicate<String> interfaceExists,
                       IpsecCounter.Set counters, PolicyCounters policyCounters, PolicyDebug debug) {
        this(config, sad, Transform::view, keys, interfaceExists, counters, policyCounters, debug);
    }

    /** With {@code view} giving SHOW IPSEC SA's algorithm lines of an SA's transform (tests use their own). */
    public <T> IpsecModule(IpsecConfig config, Sad<T> sad, java.util.function.Function<T, io.argate.ipsec.sad.SaDetails> view, EncoKeys keys,
                           Predicate<String> interfaceExists, IpsecCounter.Set counters, PolicyCounters policyCounters, PolicyDebug debug) {
        this.config = config;
        this.sad = sad;
        this.counters = counters;
        this.policyCounters = policyCounters;
        this.debug = debug;
        SaViews<T> v = new SaViews<>(sad, view);
        this.views = v;
        this.specs = new SaSpecCommands(config, keys);
        this.bundles = new BundleCommands(config);
        this.policies = new PolicyCommands(config, interfaceExists, policyCounters, v);
    }

    /** The data path this module's configuration drives (absent in command-only tests). */
    public IpsecModule engine(IpsecEngine e) {
        this.engine = e;
        return this;
    }

    @Override
    public void attach(ControlLoop loop) {
        if (engine != null) {
            engine.attach(loop);
        }
    }

    /** After a command or a script: the changed configuration reaches the data path, as a difference. */
    @Override
    public void commit() {
        if (engine != null) {
            engine.commit();
        } else {
            config.commit();
        }
    }

    /**
     * What names ENCO key {@code id}: the first SA specification whose ENCKEY or HASHKEY it is
     * (manual keying), for DESTROY ENCO KEY to refuse as DESTROY IPSEC SASPECIFICATION does.
     */
    public Optional<String> keyUser(int id) {
        for (SaSpecification s : config.specs()) {
            if (s.encKey() == id) {
                return Optional.of("IPsec SA specification " + s.number() + " (ENCKEY)");
            }
            if (s.hashKey() == id) {
                return Optional.of("IPsec SA specification " + s.number() + " (HASHKEY)");
            }
        }
        return Optional.empty();
    }

    /**
     * What names the IP interface {@code name}: the first IPsec policy attached to it or sending
     * from it (SRCINTERFACE), for DELETE IP INTERFACE to refuse.
     */
    public Optional<String> interfaceUser(String name) {
        String key = IpsecConfig.ifaceKey(name);
        for (IpsecPolicy p : config.policies()) {
            if (IpsecConfig.ifaceKey(p.iface()).equals(key)) {
                return Optional.of("IPsec policy " + p.name());
            }
            if (p.srcInterface() != null && IpsecConfig.ifaceKey(p.srcInterface()).equals(key)) {
                return Optional.of("IPsec policy " + p.name() + " (SRCINTERFACE)");
            }
        }
        return Optional.empty();
    }

    @Override
    public String name() {
        return "IPSEC";
    }

    @Override
    public int number() {
        return IpsecMessages.MODULE;
    }

    @Override
    public int configOrder() {
        return 80;
    }

    @Override
    public void commands(CommandTable t) {
        specs.register(t);
        bundles.register(t);
        policies.register(t);
        t.add(CommandSpec.of("ENABLE IPSEC").security().help("Enable the IPsec module").handler(this::enable));
        t.add(CommandSpec.of("DISABLE IPSEC").security().help("Disable the IPsec module").handler(this::disable));
        t.add(CommandSpec.of("PURGE IPSEC").security().help("Remove all IPsec configuration and SAs").handler(this::purge));
        t.add(CommandSpec.of("SET IPSEC").required("UDPPORT", Values.integer(1, 65535), "local UDP port of ESP over UDP (default 2746)")
                .security().help("Set the IPsec UDP tunnel port").handler(this::setUdpPort));
        t.add(CommandSpec.of("RESET IPSEC COUNTERS").help("Clear IPsec counters").handler(this::resetCounters));
        t.add(CommandSpec.of("SHOW IPSEC").help("Show the IPsec module state").handler(this::show));
        t.add(CommandSpec.of("SHOW IPSEC COUNTERS").help("Show IPsec counters").handler(this::showCounters));
        t.add(CommandSpec.of("SHOW IPSEC SA").optionalValue(Values.integer(0, 65535))
                .flag("COUNTERS", "packets, bytes and sequence numbers of each SA")
                .help("Show IPsec SAs").handler(this::showSa));
        t.add(CommandSpec.of("ENABLE IPSEC POLICY").value(PolicyCommands.NAME)
                .required("DEBUG", Values.choice("PACKET", "TRACE", "FILTER", "ALL"), "what to print for the policy's packets")
                .quiet().help("Print debug output for a policy's packets on this terminal").handler(this::enableDebug));
        t.add(CommandSpec.of("DISABLE IPSEC POLICY").value(PolicyCommands.NAME)
                .required("DEBUG", Values.choice("PACKET", "TRACE", "FILTER", "ALL"), "which debug output to stop")
                .quiet().help("Stop debug output for a policy").handler(this::disableDebug));
    }

    private void enable(Invocation inv) {
        if (config.enabled()) {
            inv.say(IpsecMessages.ALREADY_ENABLED);
            return;
        }
        config.enabled(true);
        inv.say(IpsecMessages.ENABLED);
    }

    private void disable(Invocation inv) {
        if (!config.enabled()) {
            inv.say(IpsecMessages.ALREADY_DISABLED);
            return;
        }
        config.enabled(false);
        inv.say(IpsecMessages.DISABLED);
    }

    private void purge(Invocation inv) {
        resetConfig();
        inv.say(IpsecMessages.PURGED);
    }

    private void setUdpPort(Invocation inv) {
        config.udpPort(inv.integer("UDPPORT"));
        inv.say(IpsecMessages.UDP_PORT_CHANGED, config.udpPort());
    }

    private void resetCounters(Invocation inv) {
        counters.reset();
        policyCounters.resetAll();
        inv.say(IpsecMessages.COUNTERS_RESET);
    }

    private void show(Invocation inv) {
        inv.println("");
        inv.println("IPSEC Module Configuration");
        inv.println(DetailLine.of("Module Status", config.enabled() ? "ENABLED" : "DISABLED"));
        inv.println(DetailLine.of("UDP Tunnel Port", config.udpPort()));
        inv.println(DetailLine.of("Policies", config.policies().size()));
        inv.println(DetailLine.of("SA Specifications", config.specs().size()));
        inv.println(DetailLine.of("Bundle Specifications", config.bundles().size()));
        inv.println(DetailLine.of("SA Bundles", sad.bundles().size()));
    }

    private void showCounters(Invocation inv) {
        inv.println("");
        inv.println("IPSEC Counters");
        for (IpsecCounter c : IpsecCounter.values()) {
            inv.println(DetailLine.of("  " + c.display(), counters.get(c)));
        }
    }

    private void showSa(Invocation inv) throws CommandException {
        List<String> lines;
        if (inv.has("COUNTERS")) {
            Integer id = inv.hasValue("SA") ? inv.integer("SA") : null;
            lines = views.counters(id);
            if (id != null && lines.isEmpty()) {
                throw new CommandException(IpsecMessages.SA_MISSING, id);
            }
        } else if (inv.hasValue("SA")) {
            int id = inv.integer("SA");
            lines = views.detail(id);
            if (lines.isEmpty()) {
                throw new CommandException(IpsecMessages.SA_MISSING, id);
            }
        } else {
            lines = views.summary();
        }
        lines.forEach(inv::println);
    }

    private static Set<PolicyDebug.Option> options(String v) {
        return v.equals("ALL") ? EnumSet.allOf(PolicyDebug.Option.class) : EnumSet.of(PolicyDebug.Option.valueOf(v));
    }

    private void enableDebug(Invocation inv) throws CommandException {
        String name = inv.string("POLICY");
        config.policy(name).orElseThrow(() -> new CommandException(IpsecMessages.POLICY_MISSING, name));
        debug.enable(name, options(inv.string("DEBUG")), inv.session().tap());
        inv.say(IpsecMessages.DEBUG_ENABLED);
    }

    private void disableDebug(Invocation inv) throws CommandException {
        String name = inv.string("POLICY");
        config.policy(name).orElseThrow(() -> new CommandException(IpsecMessages.POLICY_MISSING, name));
        debug.disable(name, options(inv.string("DEBUG")));
        inv.say(IpsecMessages.DEBUG_DISABLED);
    }

    @Override
    public void writeConfig(ConfigOut out) {
        specs.writeConfig(out);
        bundles.writeConfig(out);
        policies.writeConfig(out);
        if (config.udpPort() != IpsecConfig.DEFAULT_UDP_PORT) {
            out.line("set ipsec udpport=" + config.udpPort());
        }
        if (config.enabled()) {
            out.line("enable ipsec");
        }
    }

    @Override
    public void resetConfig() {
        sad.clear();
        config.clear();
        counters.reset();
        policyCounters.resetAll();
        debug.clear();
    }
}
