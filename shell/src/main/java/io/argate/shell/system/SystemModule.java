package io.argate.shell.system;

import io.argate.shell.CommandProcessor;
import io.argate.shell.ConfigOut;
import io.argate.shell.Module;
import io.argate.shell.SecurityContext;
import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.Privilege;
import io.argate.shell.cmd.Values;
import io.argate.shell.config.ScriptRunner;
import io.argate.store.Flash;
import io.argate.store.FlashName;
import io.argate.store.Nvs;
import io.argate.store.StoreException;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Supplier;

/** The SYSTEM module: SHOW SYSTEM, SET SYSTEM NAME, SHOW TIME, RESTART ROUTER and HELP. */
public final class SystemModule implements Module {
    static final String NAME_SETTING = "system_name";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd-MMM-yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Nvs nvs;
    private final Flash flash;
    private final Clock clock;
    private final RouterControl router;
    private final SecurityContext security;
    private final Supplier<String> bootConfig;
    private Supplier<CommandProcessor> processor = () -> null;
    private volatile String name;
    private volatile java.time.Duration idleTimeout = DEFAULT_IDLE;
    /** Idle telnet and console sessions are logged off after this (SET SYSTEM IDLETIMEOUT). */
    public static final java.time.Duration DEFAULT_IDLE = java.time.Duration.ofMinutes(30);

    public SystemModule(Nvs nvs, Flash flash, Clock clock, RouterControl router, SecurityContext security, Supplier<String> bootConfig) {
        this.nvs = nvs;
        this.flash = flash;
        this.clock = clock;
        this.router = router;
        this.security = security;
        this.bootConfig = bootConfig;
        this.name = nvs.setting(NAME_SETTING).orElse(null);
    }

    /** HELP lists the grammar of the processor built from every module, this one included. */
    public void processor(Supplier<CommandProcessor> p) {
        this.processor = p;
    }

    public java.time.Duration idleTimeout() {
        return idleTimeout;
    }

    /** The system name for prompts, or null. */
    public String systemName() {
        return name;
    }

    @Override
    public String name() {
        return "SYSTEM";
    }

    @Override
    public int number() {
        return SystemMessages.MODULE;
    }

    @Override
    public int configOrder() {
        return 10;
    }

    @Override
    public void commands(CommandTable t) {
        t.add(CommandSpec.of("SHOW SYSTEM").privilege(Privilege.USER).help("Show system information").handler(this::show));
        t.add(CommandSpec.of("SET SYSTEM NAME").value(Values.text(0, 64)).help("Set the system name shown in prompts").handler(this::setName));
        t.add(CommandSpec.of("SET SYSTEM").required("IDLETIMEOUT", Values.integer(0, 1440), "minutes before an idle session is logged off (0 = never)")
                .help("Set the session idle timeout").handler(inv -> idleTimeout = java.time.Duration.ofMinutes(inv.number("IDLETIMEOUT"))));
        t.add(CommandSpec.of("SHOW TIME").privilege(Privilege.USER).help("Show the date and time").handler(this::time));
        t.add(CommandSpec.of("RESTART ROUTER").optional("CONFIG", Values.text(1, 24), "the boot configuration", "boot once from this script")
                .quiet().help("Restart the router").handler(this::restart));
        t.add(CommandSpec.of("HELP").restOfLine("TOPIC")
                .privilege(Privilege.USER).help("List commands").handler(this::help));
    }

    private void show(Invocation inv) {
        var now = clock.instant().atZone(ZoneId.systemDefault());
        Duration up = Duration.between(router.bootTime(), clock.instant());
        Runtime rt = Runtime.getRuntime();
        long flashBytes = flash.list().stream().mapToLong(f -> f.size()).sum();
        String boot = bootConfig.get();
        inv.println("");
        String stamp = "Time " + TIME.format(now) + " Date " + DATE.format(now) + ".";
        inv.println("Router System Status" + " ".repeat(Math.max(1, 80 - 20 - stamp.length())) + stamp);
        inv.println("--------------------------------------------------------------------------------");
        inv.println("Product ........................... argate (AR410-style IPsec VPN router)");
        inv.println("Software Version .................. " + router.version());
        inv.println(String.format("Uptime ............................ %d days %02d:%02d:%02d", up.toDays(), up.toHoursPart(), up.toMinutesPart(), up.toSecondsPart()));
        inv.println("SysName ........................... " + (name == null || name.isEmpty() ? "(none)" : name));
        inv.println("Data directory .................... " + router.dataDir().toAbsolutePath());
        inv.println("--------------------------------------------------------------------------------");
        inv.println(String.format("Memory -  JVM heap : %d kB used of %d kB   FLASH : %d kB in %d files",
                (rt.totalMemory() - rt.freeMemory()) / 1024, rt.maxMemory() / 1024, flashBytes / 1024, flash.list().size()));
        inv.println("--------------------------------------------------------------------------------");
        inv.println("Configuration");
        inv.println("Boot configuration file ........... " + (boot == null ? "none" : boot + (flash.exists(boot) ? " (exists)" : " (does not exist)")));
        inv.println("Current configuration ............. " + (router.currentConfig() == null ? "none" : router.currentConfig()));
        inv.println("Security Mode ..................... " + (security.securityMode() ? "Enabled" : "Disabled"));
    }

    private void setName(Invocation inv) {
        String v = inv.string("NAME");
        this.name = v.isEmpty() ? null : v;
        if (name == null) {
            nvs.removeSetting(NAME_SETTING);
        } else {
            nvs.putSetting(NAME_SETTING, name);
        }
    }

    private void time(Invocation inv) {
        var now = clock.instant().atZone(ZoneId.systemDefault());
        inv.println("System time is " + TIME.format(now) + " on " + now.getDayOfWeek().getDisplayName(java.time.format.TextStyle.FULL, Locale.ENGLISH)
                + " " + DATE.format(now) + ".");
    }

    /**
     * RESTART ROUTER [CONFIG=name.cfg]: a CONFIG= that names no script is refused before any
     * module is stopped, so a typo never wipes the running configuration. After the restart the
     * command says what the script did: every failed line is listed (the script goes on past
     * it, as at boot), the lines before and after it stay applied.
     */
    private void restart(Invocation inv) throws CommandException {
        String cfg = inv.hasValue("CONFIG") ? scriptName(inv.string("CONFIG")) : null;
        inv.say(SystemMessages.RESTARTING, cfg == null ? "" : " with " + cfg);
        ScriptRunner.Outcome loaded = router.restart(cfg);
        String script = router.currentConfig();
        if (script == null) {
            String boot = bootConfig.get();
            inv.say(SystemMessages.RESTARTED_FACTORY, boot == null ? "" : " (boot configuration " + boot + " does not exist)");
        } else if (loaded.failed() == 0) {
            inv.say(SystemMessages.RESTARTED, script, loaded.lines());
        } else {
            inv.say(SystemMessages.RESTARTED_WITH_ERRORS, script, loaded.failed(), loaded.lines());
            for (String e : loaded.errors()) {
                inv.println("    " + e);
            }
        }
    }

    /** The flash name of an existing {@code .cfg} file, or the reason it cannot be booted. */
    private String scriptName(String typed) throws CommandException {
        FlashName n;
        try {
            n = FlashName.parse(typed);
        } catch (StoreException e) {
            throw new CommandException(SystemMessages.NOT_A_SCRIPT, typed, e.getMessage());
        }
        if (!n.ext().equals("cfg")) {
            throw new CommandException(SystemMessages.NOT_A_SCRIPT, n.text(), "the name must end in .cfg");
        }
        if (!flash.exists(n.text())) {
            throw new CommandException(SystemMessages.NO_SUCH_SCRIPT, n.text());
        }
        return n.text();
    }

    private void help(Invocation inv) throws CommandException {
        String topic = inv.hasValue("TOPIC") ? inv.string("TOPIC").toUpperCase(Locale.ROOT).trim() : "";
        CommandProcessor p = processor.get();
        int shown = 0;
        for (CommandSpec s : p.grammar().commands().stream().sorted((a, b) -> a.title().compareTo(b.title())).toList()) {
            if (!topic.isEmpty() && !HelpTopic.matches(topic, s)) {
                continue;
            }
            if (!inv.session().privilege().atLeast(s.privilege())) {
                continue;
            }
            inv.println(s.usage());
            if (!s.help().isEmpty()) {
                inv.println("    " + s.help());
            }
            shown++;
        }
        if (shown == 0) {
            String first = topic.split("\\s+")[0];
            var absent = p.grammar().moduleNotBuilt(first);
            if (absent.isPresent()) {
                throw new CommandException(io.argate.shell.msg.CliMessages.MODULE_NOT_BUILT, absent.get(), absent.get());
            }
            throw new CommandException(SystemMessages.NO_HELP, topic);
        }
    }

    @Override
    public void writeConfig(ConfigOut out) {
        if (name != null) {
            out.line("set system name=" + Values.quoteIfNeeded(name));
        }
        if (!idleTimeout.equals(DEFAULT_IDLE)) {
            out.line("set system idletimeout=" + idleTimeout.toMinutes());
        }
    }

    @Override
    public void resetConfig() {
        // the name is kept in NVS as a boot setting, so it survives even without a script
        this.name = nvs.setting(NAME_SETTING).orElse(null);
        this.idleTimeout = DEFAULT_IDLE;
    }
}
