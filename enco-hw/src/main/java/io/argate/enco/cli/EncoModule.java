package io.argate.enco.cli;

import io.argate.enco.ChannelInfo;
import io.argate.enco.DriverStatus;
import io.argate.enco.Enco;
import io.argate.enco.EncoCounters;
import io.argate.enco.key.DesKeyText;
import io.argate.enco.key.EncoKey;
import io.argate.enco.key.EncoKeyStore;
import io.argate.enco.key.KeyRules;
import io.argate.enco.key.KeyType;
import io.argate.enco.key.RsaKey;
import io.argate.enco.spi.Algorithm;
import io.argate.enco.spi.Capability;
import io.argate.shell.ConfigOut;
import io.argate.shell.Module;
import io.argate.shell.SecurityContext;
import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.Privilege;
import io.argate.shell.cmd.ValueType;
import io.argate.shell.cmd.Values;
import io.argate.store.EventLog;
import io.argate.store.Flash;
import io.argate.store.Severity;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ENCO module: keys (CREATE/SET/DESTROY/SHOW ENCO KEY), the engines (SHOW ENCO, SHOW ENCO
 * COUNTERS, RESET ENCO COUNTERS, ENABLE/DISABLE ENCO DEBUG) and SET ENCO SW STACCHANNELS. Keys
 * are never part of the configuration script; in normal mode they are discarded at restart
 * (fact sheet 3: security mode keeps them).
 */
public final class EncoModule implements Module {
    private static final ValueType KEY_ID = Values.integer(0, 65535);
    private static final ValueType VALUE = Values.or(Values.hex(1, KeyType.GENERAL_MAX), Values.text(1, KeyType.GENERAL_MAX));

    private final Enco enco;
    private final EncoKeyStore keys;
    private final SecurityContext security;
    private final EventLog log;
    private final SecureRandom random = new SecureRandom();
    private final List<KeyUser> keyUsers = new ArrayList<>();
    private int stacConfigured;
    private int stacActive;
    private Flash flash;

    public EncoModule(Enco enco, EncoKeyStore keys, SecurityContext security, EventLog log) {
        this.enco = enco;
        this.keys = keys;
        this.security = security;
        this.log = log;
    }

    /** The flash where CREATE ENCO KEY ... FILE= reads and writes an RSA key's public part. */
    public EncoModule files(Flash flash) {
        this.flash = flash;
        return this;
    }

    @Override
    public String name() {
        return "ENCO";
    }

    @Override
    public int number() {
        return EncoMessages.MODULE;
    }

    @Override
    public int configOrder() {
        return 70;
    }

    @Override
    public void commands(CommandTable t) {
        t.add(CommandSpec.of("CREATE ENCO KEY").value(KEY_ID)
                .required("TYPE", Values.choice("DES", "3DES2KEY", "3DESINNER", "3DESOUTER", "AES128", "AES192", "AES256", "GENERAL", "RSA"), "key type")
                .optional("VALUE", VALUE, null, "the key: 0x followed by hex digits, or a string (GENERAL)")
                .flag("RANDOM", "generate a random value")
                .optional("LENGTH", Values.integer(1, RsaKey.MAX_BITS), null, "bytes of a RANDOM GENERAL key; bits of an RSA key pair")
                .optional("FILE", Values.text(1, 64), null, "RSA: a .key file to import the public part from, or to export it to if the key exists")
                .optional("DESCRIPTION", Values.text(0, 25), null, "free text")
                .exclusive("VALUE", "RANDOM")
                .security().help("Create an ENCO key").handler(this::create));
        t.add(CommandSpec.of("SET ENCO KEY").value(KEY_ID)
                .optional("VALUE", VALUE, null, "the new value")
                .flag("RANDOM", "generate a new random value")
                .optional("DESCRIPTION", Values.text(0, 25), null, "free text")
                .exclusive("VALUE", "RANDOM")
                .security().help("Change an ENCO key").handler(this::set));
        t.add(CommandSpec.of("DESTROY ENCO KEY").value(KEY_ID).security().help("Destroy an ENCO key").handler(this::destroy));
        t.add(CommandSpec.of("SHOW ENCO KEY").optionalValue(KEY_ID).help("List ENCO keys, or show one key's value").handler(this::showKey));
        t.add(CommandSpec.of("SHOW ENCO").help("Show the ENCO engines, algorithms and channels").handler(this::show));
        t.add(CommandSpec.of("SHOW ENCO COUNTERS").help("Show ENCO driver counters").handler(this::showCounters));
        t.add(CommandSpec.of("RESET ENCO COUNTERS").help("Clear ENCO counters").handler(inv -> {
            enco.counters().reset();
            inv.say(EncoMessages.COUNTERS_RESET);
        }));
        t.add(CommandSpec.of("SET ENCO SW").required("STACCHANNELS", Values.integer(0, 64), "software compression channels reserved for IPComp (after restart)")
                .help("Reserve software compression channels").handler(inv -> {
                    stacConfigured = inv.integer("STACCHANNELS");
                    inv.say(EncoMessages.STAC_LATER, stacConfigured, stacActive);
                }));
        t.add(CommandSpec.of("ENABLE ENCO DEBUG").privilege(Privilege.MANAGER).help("Log ENCO channel events").handler(inv -> {
            enco.debug(true);
            inv.say(EncoMessages.DEBUG_ON);
        }));
        t.add(CommandSpec.of("DISABLE ENCO DEBUG").help("Stop logging ENCO channel events").handler(inv -> {
            enco.debug(false);
            inv.say(EncoMessages.DEBUG_OFF);
        }));
    }

    private byte[] value(Invocation inv, int id, KeyType type, int length) throws CommandException {
        if (inv.has("RANDOM")) {
            int n = type == KeyType.GENERAL ? length : type.length();
            byte[] v = new byte[n];
            do {
                random.nextBytes(v);
            } while (KeyRules.check(type, v) != null);
            return v;
        }
        Object v = inv.get("VALUE");
        return v instanceof byte[] b ? b.clone() : ((String) v).getBytes(StandardCharsets.UTF_8);
    }

    private void create(Invocation inv) throws CommandException {
        int id = inv.integer("KEY");
        KeyType type = KeyType.fromKeyword(inv.string("TYPE"));
        if (type == KeyType.RSA) {
            createRsa(inv, id);
            return;
        }
        if (inv.has("FILE")) {
            throw new CommandException(EncoMessages.FILE_ONLY_RSA, id);
        }
        if (keys.get(id).isPresent()) {
            throw new CommandException(EncoMessages.KEY_EXISTS, id);
        }
        if (!inv.has("VALUE") && !inv.has("RANDOM")) {
            throw new CommandException(EncoMessages.VALUE_NEEDED, id);
        }
        if (inv.has("LENGTH") && (type != KeyType.GENERAL || !inv.has("RANDOM"))) {
            throw new CommandException(EncoMessages.LENGTH_ONLY_GENERAL, id, type.keyword(), type.length());
        }
        if (type == KeyType.GENERAL && inv.has("RANDOM") && !inv.has("LENGTH")) {
            throw new CommandException(EncoMessages.LENGTH_NEEDED, id);
        }
        if (inv.integer("LENGTH", 0) > KeyType.GENERAL_MAX) {
            throw new CommandException(EncoMessages.LENGTH_NEEDED, id);
        }
        byte[] v = value(inv, id, type, inv.integer("LENGTH", 0));
        String why = KeyRules.check(type, v);
        if (why != null) {
            throw new CommandException(EncoMessages.KEY_RULE, id, why);
        }
        keys.put(new EncoKey(id, type, v, inv.get("VALUE") instanceof String, inv.string("DESCRIPTION", "")));
        log.log(Severity.INFO, "ENCO", "KEY", "CREATE", "ENCO key " + id + " (" + type.keyword() + ") created by " + inv.session().user());
        inv.say(EncoMessages.CREATED, id, type.keyword(), v.length);
        if (!security.securityMode()) {
            inv.say(EncoMessages.NORMAL_MODE, id);
        }
    }

    /**
     * TYPE=RSA (fact sheet 3): LENGTH makes a key pair; FILE imports a peer's public part when
     * the key does not exist, and exports the key's public part when it does.
     */
    private void createRsa(Invocation inv, int id) throws CommandException {
        Optional<EncoKey> existing = keys.get(id);
        if (inv.has("VALUE") || inv.has("RANDOM")) {
            throw new CommandException(EncoMessages.RSA_PARAMETERS, id);
        }
        if (existing.isPresent()) {
            if (!inv.has("FILE") || inv.has("LENGTH")) {
                throw new CommandException(EncoMessages.KEY_EXISTS, id);
            }
            if (existing.get().type() != KeyType.RSA) {
                throw new CommandException(EncoMessages.KEY_RULE, id, "it is a " + existing.get().type().keyword() + " key, not RSA");
            }
            String file = keyFile(inv, id);
            RsaKey k = RsaKey.of(existing.get().value()).orElseThrow(() -> new CommandException(EncoMessages.KEY_RULE, id, "the stored key is damaged"));
            flash.write(file, k.exportPublic());
            log.log(Severity.INFO, "ENCO", "KEY", "EXPORT", "public part of RSA key " + id + " written to " + file + " by " + inv.session().user());
            inv.say(EncoMessages.RSA_EXPORTED, id, file);
            return;
        }
        byte[] value;
        if (inv.has("FILE")) {
            if (inv.has("LENGTH")) {
                throw new CommandException(EncoMessages.RSA_PARAMETERS, id);
            }
            String file = keyFile(inv, id);
            if (!flash.exists(file)) {
                throw new CommandException(EncoMessages.RSA_FILE_MISSING, id, file);
            }
            value = RsaKey.importPublic(flash.read(file))
                    .orElseThrow(() -> new CommandException(EncoMessages.KEY_RULE, id, file + " holds no RSA public key"));
        } else {
            int bits = inv.integer("LENGTH", 0);
            if (bits < RsaKey.MIN_BITS || bits > RsaKey.MAX_BITS) {
                throw new CommandException(EncoMessages.RSA_LENGTH, id, RsaKey.MIN_BITS, RsaKey.MAX_BITS);
            }
            value = RsaKey.generate(bits, random);
        }
        RsaKey k = RsaKey.of(value).orElseThrow();
        keys.put(new EncoKey(id, KeyType.RSA, value, false, inv.string("DESCRIPTION", "")));
        log.log(Severity.INFO, "ENCO", "KEY", "CREATE", "ENCO key " + id + " (RSA " + k.bits() + " bits, "
                + (k.pair() ? "key pair" : "public part") + ") created by " + inv.session().user());
        inv.say(EncoMessages.RSA_CREATED, id, k.bits(), k.pair() ? "key pair" : "public key");
        if (!security.securityMode()) {
            inv.say(EncoMessages.NORMAL_MODE, id);
        }
    }

    private String keyFile(Invocation inv, int id) throws CommandException {
        String file = inv.string("FILE");
        if (!file.toLowerCase(java.util.Locale.ROOT).endsWith(".key")) {
            throw new CommandException(EncoMessages.KEY_RULE, id, "FILE must name a .key file");
        }
        if (flash == null) {
            throw new CommandException(EncoMessages.KEY_RULE, id, "this router has no flash for key files");
        }
        try {
            return Flash.canonicalName(file);
        } catch (IllegalArgumentException e) {
            throw new CommandException(EncoMessages.KEY_RULE, id, "\"" + file + "\" is not a valid file name");
        }
    }

    private void set(Invocation inv) throws CommandException {
        int id = inv.integer("KEY");
        EncoKey old = keys.get(id).orElseThrow(() -> new CommandException(EncoMessages.KEY_MISSING, id));
        byte[] v = old.value();
        boolean text = old.text();
        if (old.type() == KeyType.RSA && (inv.has("VALUE") || inv.has("RANDOM"))) {
            throw new CommandException(EncoMessages.RSA_PARAMETERS, id);
        }
        if (inv.has("VALUE") || inv.has("RANDOM")) {
            v = value(inv, id, old.type(), old.value().length);
            text = inv.get("VALUE") instanceof String;
            String why = KeyRules.check(old.type(), v);
            if (why != null) {
                throw new CommandException(EncoMessages.KEY_RULE, id, why);
            }
        }
        keys.put(new EncoKey(id, old.type(), v, text, inv.string("DESCRIPTION", old.description())));
        inv.say(EncoMessages.KEY_CHANGED, id);
    }

    /** Registers a module whose configuration names ENCO keys; DESTROY ENCO KEY asks it first. */
    public void keyUser(KeyUser user) {
        keyUsers.add(user);
    }

    private void destroy(Invocation inv) throws CommandException {
        int id = inv.integer("KEY");
        if (keys.get(id).isEmpty()) {
            throw new CommandException(EncoMessages.KEY_MISSING, id);
        }
        for (KeyUser u : keyUsers) {
            Optional<String> user = u.userOf(id);
            if (user.isPresent()) {
                throw new CommandException(EncoMessages.KEY_IN_USE, id, user.get());
            }
        }
        if (!keys.delete(id)) {
            throw new CommandException(EncoMessages.KEY_MISSING, id);
        }
        log.log(Severity.INFO, "ENCO", "KEY", "DESTROY", "ENCO key " + id + " destroyed by " + inv.session().user());
        inv.say(EncoMessages.DESTROYED, id);
    }

    private void showKey(Invocation inv) throws CommandException {
        if (inv.hasValue("KEY")) {
            int id = inv.integer("KEY");
            if (security.securityMode() && inv.session().privilege() != Privilege.SECURITY_OFFICER) {
                throw new CommandException(EncoMessages.VALUE_NEEDS_SECOFF);
            }
            EncoKey k = keys.get(id).orElseThrow(() -> new CommandException(EncoMessages.KEY_MISSING, id));
            if (k.type() == KeyType.RSA) {
                // never the private part: its modulus and exponent identify it to a peer's administrator
                RsaKey rsa = RsaKey.of(k.value()).orElseThrow(() -> new CommandException(EncoMessages.KEY_RULE, id, "the stored key is damaged"));
                inv.println("RSA " + (rsa.pair() ? "key pair" : "public key") + ", " + rsa.bits() + " bits");
                inv.println("Exponent: " + rsa.exponent());
                inv.println("Modulus:  0x" + rsa.modulus().toString(16).toUpperCase(java.util.Locale.ROOT));
                return;
            }
            if (k.text()) {
                inv.println(new String(k.value(), StandardCharsets.UTF_8));
            }
            if (k.type() == KeyType.DES) {
                // the reference's sample for a DES key: its character form, then the hex in upper case
                inv.println(DesKeyText.encode(k.value()));
                inv.println("0x" + HexFormat.of().withUpperCase().formatHex(k.value()));
                return;
            }
            inv.println("0x" + HexFormat.of().formatHex(k.value()));
            return;
        }
        inv.println("");
        inv.println("ENCO Keys");
        inv.println("--------------------------------------------------------------------------------");
        inv.println(String.format("%-6s %-10s %-7s %s", "Id", "Type", "Length", "Description"));
        inv.println("--------------------------------------------------------------------------------");
        for (EncoKey k : keys.list()) {
            int length = k.type() == KeyType.RSA ? RsaKey.of(k.value()).map(r -> r.bits() / 8).orElse(0) : k.value().length;
            inv.println(String.format("%-6d %-10s %-7d %s", k.id(), k.type().keyword(), length, k.description()));
        }
        inv.println("--------------------------------------------------------------------------------");
    }

    private void show(Invocation inv) {
        inv.println("");
        inv.println("ENCO Engines");
        inv.println("--------------------------------------------------------------------------------");
        for (DriverStatus s : enco.drivers()) {
            long hw = s.admitted().values().stream().filter(Capability::hardware).count();
            inv.println(String.format("%-14s %d algorithms admitted (%d in hardware), %d refused", s.name(), s.admitted().size(), hw, s.refused().size()));
            for (String line : s.driver().status()) {
                inv.println("    " + line);
            }
            for (Map.Entry<Algorithm, String> r : s.refused().entrySet()) {
                inv.println("    refused " + r.getKey() + ": " + r.getValue());
            }
        }
        inv.println("");
        inv.println(String.format("%-18s %-14s", "Algorithm", "Served by"));
        for (Algorithm a : Algorithm.values()) {
            inv.println(String.format("%-18s %-14s", a, enco.driverFor(a)));
        }
        inv.println("");
        inv.println("Channels in use: " + enco.channels().size());
        if (!enco.channels().isEmpty()) {
            inv.println(String.format("  %-5s %-8s %-18s %-14s %s", "Id", "Module", "Algorithm", "Driver", "Fallback"));
            for (ChannelInfo c : enco.channels()) {
                inv.println(String.format("  %-5d %-8s %-18s %-14s %s", c.id(), c.module(), c.algorithm(), c.driver(), c.fellBack() ? "Yes" : "No"));
            }
        }
        inv.println("STAC channels (software compression) .. " + stacActive
                + (stacConfigured != stacActive ? " (" + stacConfigured + " after restart)" : ""));
        inv.println("Debugging ............................. " + (enco.debug() ? "Enabled" : "Disabled"));
    }

    private void showCounters(Invocation inv) {
        inv.println("");
        inv.println(String.format("%-14s %14s %10s %10s %10s", "Driver", "ChannelsOpened", "Failures", "Fallbacks", "Exhausted"));
        for (DriverStatus s : enco.drivers()) {
            EncoCounters.Driver c = enco.counters().of(s.name());
            inv.println(String.format("%-14s %14d %10d %10d %10d", s.name(), c.channelsOpened.sum(), c.failures.sum(), c.fallbacks.sum(), c.exhausted.sum()));
        }
    }

    @Override
    public void writeConfig(ConfigOut out) {
        if (stacConfigured != 0) {
            out.line("set enco sw stacchannels=" + stacConfigured);
        }
    }

    @Override
    public void resetConfig() {
        stacConfigured = 0;
        enco.debug(false);
    }

    /**
     * At every boot and restart: the STAC setting takes effect, and in normal mode the stored
     * keys are discarded (keys survive a restart only in security mode).
     */
    @Override
    public void start() {
        if (!security.securityMode()) {
            int n = keys.purge();
            if (n > 0) {
                log.log(Severity.NOTICE, "ENCO", "KEY", "PURGE", n + " ENCO keys discarded at restart (normal mode; enable security mode to keep keys)");
            }
        }
    }

    /** After the boot script: the configured STAC channel count becomes active. */
    @Override
    public void booted() {
        stacActive = stacConfigured;
    }
}
