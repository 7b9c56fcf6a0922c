package io.argate.shell.config;

import io.argate.shell.Module;
import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.Values;
import io.argate.shell.file.SecureFiles;
import io.argate.shell.system.RouterControl;
import io.argate.store.EventLog;
import io.argate.store.Flash;
import io.argate.store.FlashName;
import io.argate.store.Severity;
import io.argate.store.StoreException;

import java.util.Locale;
import java.util.function.Supplier;

/** The CONFIG module: CREATE CONFIG, SET CONFIG, SHOW CONFIG [DYNAMIC[=module]]. */
public final class ConfigModule implements Module {
    private final Flash flash;
    private final BootConfig boot;
    private final RouterControl router;
    private final EventLog log;
    private Supplier<ConfigScript> script = () -> null;

    private final SecureFiles secure;

    public ConfigModule(Flash flash, BootConfig boot, RouterControl router, EventLog log, SecureFiles secure) {
        this.flash = flash;
        this.boot = boot;
        this.router = router;
        this.log = log;
        this.secure = secure;
    }

    /** The writer over every module (set once the router has built its module list). */
    public void script(Supplier<ConfigScript> s) {
        this.script = s;
    }

    @Override
    public String name() {
        return "CONFIG";
    }

    @Override
    public int number() {
        return ConfigMessages.MODULE;
    }

    @Override
    public int configOrder() {
        return 30;
    }

    @Override
    public void commands(CommandTable t) {
        t.add(CommandSpec.of("CREATE CONFIG").value(Values.text(1, 24)).help("Write the running configuration to a script on flash").handler(this::create));
        t.add(CommandSpec.of("SET CONFIG").value(Values.text(1, 24)).security().help("Choose the boot script (NONE for factory defaults)").handler(this::set));
        t.add(CommandSpec.of("SHOW CONFIG").optionalWithValue("DYNAMIC", Values.text(1, 16), "print the running configuration (of one module)")
                .help("Show the boot and current configuration").handler(this::show));
    }

    private static String scriptName(String typed) throws CommandException {
        try {
            FlashName n = FlashName.parse(typed);
            if (!n.ext().equalsIgnoreCase("cfg")) {
                throw new CommandException(ConfigMessages.NOT_A_SCRIPT, typed);
            }
            return n.text();
        } catch (StoreException e) {
            throw new CommandException(ConfigMessages.WRITE_FAILED, typed, e.getMessage());
        }
    }

    private void create(Invocation inv) throws CommandException {
        String name = scriptName(inv.string("CONFIG"));
        // overwriting the boot script changes what the router boots: the Security Officer's call
        secure.checkChange(name, inv.session().privilege());
        String text = script.get().render(null);
        try {
            flash.writeText(name, text);
        } catch (StoreException e) {
            throw new CommandException(ConfigMessages.WRITE_FAILED, name, e.getMessage());
        }
        log.log(Severity.INFO, "CFG", "SCRIPT", "CREATE", "Configuration written to " + name + " by " + inv.session().user());
        inv.say(ConfigMessages.CREATED, name, text.split("\n").length);
    }

    private void set(Invocation inv) throws CommandException {
        String v = inv.string("CONFIG");
        if (v.equalsIgnoreCase("NONE")) {
            boot.set(null);
            inv.say(ConfigMessages.BOOT_NONE);
            return;
        }
        String name = scriptName(v);
        if (!flash.exists(name)) {
            throw new CommandException(ConfigMessages.NO_SUCH_FILE, name);
        }
        boot.set(name);
        inv.say(ConfigMessages.BOOT_SET, name);
    }

    private void show(Invocation inv) throws CommandException {
        if (inv.has("DYNAMIC")) {
            ConfigScript s = script.get();
            String module = inv.hasValue("DYNAMIC") ? inv.string("DYNAMIC").toUpperCase(Locale.ROOT) : null;
            if (module != null && !s.moduleNames().contains(module)) {
                var absent = io.argate.shell.parse.ArModules.notBuilt(module, java.util.Set.copyOf(s.moduleNames()));
                if (absent.isPresent() && absent.get().equals(module)) {
                    throw new CommandException(io.argate.shell.msg.CliMessages.MODULE_NOT_BUILT, module, module);
                }
                throw new CommandException(ConfigMessages.NO_SUCH_MODULE, module, String.join(", ", s.moduleNames()));
            }
            inv.out().print(s.render(module).stripTrailing());
            return;
        }
        String b = boot.name();
        inv.println("");
        inv.println("Boot configuration file ........... " + (b == null ? "none" : b + (flash.exists(b) ? " (exists)" : " (does not exist)")));
        inv.println("Current configuration ............. " + (router.currentConfig() == null ? "none" : router.currentConfig()));
    }
}
