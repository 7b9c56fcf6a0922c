package io.argate.firewall.cli;

import io.argate.firewall.FirewallLimits;
import io.argate.firewall.config.FirewallConfig;
import io.argate.firewall.config.FirewallPolicy;
import io.argate.firewall.config.FirewallRule;
import io.argate.firewall.config.InterfaceType;
import io.argate.firewall.engine.CompiledFirewall;
import io.argate.firewall.engine.FirewallEngine;
import io.argate.shell.ConfigOut;
import io.argate.shell.Module;
import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.loop.ControlLoop;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The FIREWALL module of the command language (fact sheet section 4): the global switch,
 * policies with their interfaces, NAT, rules, options and timeouts, and the SHOW commands. A
 * change marks the configuration dirty; {@link #commit()} compiles it and swaps it into the
 * engine with one volatile write.
 */
public final class FirewallModule implements Module {
    private final FirewallConfig config = new FirewallConfig();
    private final FirewallEngine engine;
    private final Consumer<String> log;
    private final MemberCommands members;
    private final PolicyCommands policies;
    private final FirewallViews views;
    private boolean dirty = true;

    /**
     * @param engine          the data path's engine (its two StageFilters go into the forwarder)
     * @param interfaceExists whether an IP interface of that (lower-case) name exists
     * @param log             where LOG and DEBUG entries go; called on the control loop once attached
     */
    public FirewallModule(FirewallEngine engine, Predicate<String> interfaceExists, Consumer<String> log) {
        this.engine = engine;
        this.log = log;
        this.members = new MemberCommands(config, interfaceExists, this::changed, () -> engine.clock().millis());
        this.policies = new PolicyCommands(config, engine, members, this::changed);
        this.views = new FirewallViews(config, engine);
        engine.logTo(log);
    }

    public FirewallEngine engine() {
        return engine;
    }

    public FirewallConfig config() {
        return config;
    }

    private void changed() {
        dirty = true;
    }

    @Override
    public String name() {
        return "FIREWALL";
    }

    @Override
    public int number() {
        return FirewallMessages.MODULE;
    }

    @Override
    public int configOrder() {
        return 60;
    }

    @Override
    public void commands(CommandTable t) {
        t.add(CommandSpec.of("ENABLE FIREWALL").security().help("Enable the firewall").handler(this::enable));
        t.add(CommandSpec.of("DISABLE FIREWALL").security().help("Disable the firewall").handler(this::disable));
        policies.register(t);
        members.register(t);
        t.add(CommandSpec.of("SHOW FIREWALL").help("Show the firewall's state").handler(inv -> views.summary().forEach(inv::println)));
        t.add(CommandSpec.of("SHOW FIREWALL POLICY").optionalValue(FirewallValues.POLICY_NAME)
                .flag("COUNTERS", "what passed and why packets were dropped")
                .help("Show firewall policies").handler(this::showPolicy));
        t.add(CommandSpec.of("SHOW FIREWALL SESSION").optional("POLICY", FirewallValues.POLICY_NAME, "all", "only this policy's sessions")
                .help("Show the firewall's sessions").handler(this::showSessions));
        t.add(CommandSpec.of("RESET FIREWALL COUNTERS").help("Clear the firewall's counters").handler(this::resetCounters));
        t.add(CommandSpec.of("RESET FIREWALL SESSION").security().help("Remove every firewall session").handler(this::resetSessions));
    }

    private void enable(Invocation inv) {
        if (config.enabled()) {
            inv.say(FirewallMessages.ALREADY_ENABLED);
            return;
        }
        config.enabled(true);
        changed();
        inv.say(FirewallMessages.ENABLED);
        for (FirewallPolicy p : config.policies()) {
            for (InterfaceType side : InterfaceType.values()) {
                if (!p.interfaces().containsValue(side)) {
                    inv.say(FirewallMessages.POLICY_INCOMPLETE, p.name(), side);
                }
            }
        }
    }

    private void disable(Invocation inv) {
        if (!config.enabled()) {
            inv.say(FirewallMessages.ALREADY_DISABLED);
            return;
        }
        config.enabled(false);
        changed();
        inv.say(FirewallMessages.DISABLED);
    }

    private void showPolicy(Invocation inv) throws CommandException {
        List<FirewallPolicy> list;
        if (inv.hasValue("POLICY")) {
            String name = inv.string("POLICY");
            list = List.of(config.policy(name).orElseThrow(() -> new CommandException(FirewallMessages.POLICY_MISSING, name)));
        } else {
            list = List.copyOf(config.policies());
        }
        for (FirewallPolicy p : list) {
            views.policy(p, inv.has("COUNTERS")).forEach(inv::println);
        }
    }

    private void showSessions(Invocation inv) throws CommandException {
        FirewallPolicy only = null;
        if (inv.hasValue("POLICY")) {
            String name = inv.string("POLICY");
            only = config.policy(name).orElseThrow(() -> new CommandException(FirewallMessages.POLICY_MISSING, name));
        }
        views.sessions(only).forEach(inv::println);
    }

    private void resetCounters(Invocation inv) {
        config.policies().forEach(p -> engine.counters(p.id()).reset());
        engine.unownedCounters().reset();
        inv.say(FirewallMessages.COUNTERS_RESET);
    }

    private void resetSessions(Invocation inv) {
        int n = engine.sessions().size();
        engine.sessions().clear();
        engine.ftp().clear();
        inv.say(FirewallMessages.SESSIONS_CLEARED, n);
    }

    @Override
    public void writeConfig(ConfigOut out) {
        ConfigWriter.write(config, out, engine.clock().millis());
    }

    @Override
    public void attach(ControlLoop loop) {
        // the data path never waits: its entries queue as events; the sweep already runs on the loop
        engine.logTo(line -> {
            if (loop.inLoop()) {
                log.accept(line);
            } else {
                loop.post(() -> log.accept(line));
            }
        });
        // the router's lifetime: the timer survives RESTART ROUTER like the table it sweeps
        loop.every(Duration.ofSeconds(FirewallLimits.SWEEP_PERIOD_SECONDS), engine::sweep);
        loop.every(Duration.ofSeconds(FirewallLimits.SWEEP_PERIOD_SECONDS), this::expireRules);
    }

    /**
     * Deletes the rules whose TTL ran out ([C:S39] gives TTL=hh:mm; that the rule is then deleted,
     * not merely idle, is [I]), so SHOW and CREATE CONFIG stop listing them. The data path already
     * stopped matching them at the instant itself; sessions they opened live on like any other.
     */
    private void expireRules() {
        long now = engine.clock().millis();
        for (FirewallPolicy p : config.policies()) {
            var it = p.rules().values().iterator();
            while (it.hasNext()) {
                FirewallRule r = it.next();
                if (r.expiredAt(now)) {
                    it.remove();
                    changed();
                    log.accept(FirewallMessages.RULE_EXPIRED.render(r.number(), p.name()));
                }
            }
        }
        commit();
    }

    @Override
    public void commit() {
        if (dirty) {
            engine.install(CompiledFirewall.compile(config, engine::counters));
            dirty = false;
        }
    }

    @Override
    public void resetConfig() {
        config.policies().forEach(p -> engine.forgetCounters(p.id()));
        config.clear();
        engine.sessions().clear();
        engine.ftp().clear();
        engine.unownedCounters().reset();
        dirty = true;
        commit();
    }
}
