package io.argate.ipsec.cli;

import io.argate.ipsec.config.IpsecConfig;
import io.argate.ipsec.spec.BundleSpecification;
import io.argate.ipsec.spec.CompAlg;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.EncoKeys;
import io.argate.ipsec.spec.HashAlg;
import io.argate.ipsec.spec.IpsecProtocol;
import io.argate.ipsec.spec.KeyManagement;
import io.argate.ipsec.spec.SaMode;
import io.argate.ipsec.spec.SaSpecRules;
import io.argate.ipsec.spec.SaSpecification;
import io.argate.shell.ConfigOut;
import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.ValueType;
import io.argate.shell.cmd.Values;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** CREATE/SET/DESTROY/SHOW IPSEC SASPECIFICATION (fact sheet 2.3, seed 003 "SA information"). */
final class SaSpecCommands {
    private static final ValueType NUMBER = Values.integer(0, 255);
    private static final ValueType ENCALG = Values.choice("DES", "3DESOUTER", "3DES2KEY", "AES128", "AES192", "AES256",
            "AESGCM128", "AESGCM256", "NULL");
    private static final ValueType HASHALG = Values.choice("MD5", "SHA", "SHA2-256", "NULL");
    private static final ValueType SPI = Values.integer(256, 4294967295L);

    private final IpsecConfig config;
    private final EncoKeys keys;

    SaSpecCommands(IpsecConfig config, EncoKeys keys) {
        this.config = config;
        this.keys = keys;
    }

    void register(CommandTable t) {
        t.add(settable(CommandSpec.of("CREATE IPSEC SASPECIFICATION").value(NUMBER)
                .required("KEYMANAGEMENT", Values.choice("ISAKMP", "MANUAL"), "ISAKMP negotiates keys; MANUAL uses ENCO keys and fixed SPIs")
                .required("PROTOCOL", Values.choice("AH", "ESP", "COMP"), "the IPsec protocol of this SA"))
                .security().help("Create an SA specification").handler(this::create));
        t.add(settable(CommandSpec.of("SET IPSEC SASPECIFICATION").value(NUMBER))
                .security().help("Change an SA specification").handler(this::set));
        t.add(CommandSpec.of("DESTROY IPSEC SASPECIFICATION").value(NUMBER)
                .security().help("Destroy an SA specification").handler(this::destroy));
        t.add(CommandSpec.of("SHOW IPSEC SASPECIFICATION").optionalValue(NUMBER)
                .help("Show SA specifications").handler(this::show));
    }

    private static CommandSpec settable(CommandSpec s) {
        return s.optional("MODE", Values.choice("TRANSPORT", "TUNNEL"), "TUNNEL", "tunnel or transport mode")
                .optional("ENCALG", ENCALG, "none (required for ESP)", "ESP encryption algorithm")
                .optional("HASHALG", HASHALG, "NULL for ESP, SHA for AH", "ESP/AH integrity algorithm")
                .optional("COMPALG", Values.choice("LZS", "DEFLATE"), "LZS", "IPComp algorithm")
                .optional("ENCKEY", Values.integer(0, 65535), null, "ENCO key number for manual encryption")
                .optional("HASHKEY", Values.integer(0, 65535), null, "ENCO key number for the manual ICV")
                .optional("INSPI", SPI, null, "manual inbound SPI (the peer's OUTSPI)")
                .optional("OUTSPI", SPI, null, "manual outbound SPI (the peer's INSPI)")
                .optional("ANTIREPLAYENABLED", Values.bool(), "FALSE", "drop replayed packets")
                .optional("REPLAYWINDOWSIZE", Values.integer(32, 256), "32", "anti-replay window: 32, 64, 128 or 256");
    }

    private void create(Invocation inv) throws CommandException {
        int n = inv.integer("SASPECIFICATION");
        if (config.spec(n).isPresent()) {
            throw new CommandException(IpsecMessages.SPEC_EXISTS, n);
        }
        IpsecProtocol p = IpsecProtocol.valueOf(inv.string("PROTOCOL"));
        if (p == IpsecProtocol.ESP && !inv.has("ENCALG")) {
            throw new CommandException(IpsecMessages.SPEC_RULE, "SA specification " + n + ": ESP needs ENCALG (use ENCALG=NULL for authentication only)");
        }
        SaSpecification s = SaSpecification.defaults(n, KeyManagement.valueOf(inv.string("KEYMANAGEMENT")), p);
        SaSpecification built = apply(s, inv);
        validate(built);
        config.putSpec(built);
        config.changed();
    }

    private void set(Invocation inv) throws CommandException {
        int n = inv.integer("SASPECIFICATION");
        SaSpecification old = config.spec(n).orElseThrow(() -> new CommandException(IpsecMessages.SPEC_MISSING, n));
        SaSpecification built = apply(old, inv);
        validate(built);
        config.putSpec(built);
        config.changed();
    }

    private void validate(SaSpecification s) throws CommandException {
        Optional<String> problem = SaSpecRules.check(s, keys);
        if (problem.isPresent()) {
            throw new CommandException(IpsecMessages.SPEC_RULE, problem.get());
        }
    }

    /** Applies the given parameters; parameters of another protocol are kept so the rules can name them. */
    private static SaSpecification apply(SaSpecification s, Invocation inv) {
        SaSpecification r = s;
        if (inv.has("MODE")) {
            r = r.withMode(SaMode.valueOf(inv.string("MODE")));
        }
        if (inv.has("ENCALG")) {
            r = r.withEncAlg(EncAlg.fromKeyword(inv.string("ENCALG")));
        }
        if (inv.has("HASHALG")) {
            r = r.withHashAlg(HashAlg.fromKeyword(inv.string("HASHALG")));
        }
        if (inv.has("COMPALG")) {
            r = r.withCompAlg(CompAlg.valueOf(inv.string("COMPALG")));
        }
        if (inv.has("ENCKEY") || inv.has("HASHKEY")) {
            r = r.withKeys(inv.integer("ENCKEY", r.encKey()), inv.integer("HASHKEY", r.hashKey()));
        }
        if (inv.has("INSPI") || inv.has("OUTSPI")) {
            r = r.withSpis(inv.number("INSPI", r.inSpi()), inv.number("OUTSPI", r.outSpi()));
        }
        if (inv.has("ANTIREPLAYENABLED") || inv.has("REPLAYWINDOWSIZE")) {
            r = r.withReplay(inv.bool("ANTIREPLAYENABLED", r.antiReplay()), inv.integer("REPLAYWINDOWSIZE", r.replayWindow()));
        }
        return r;
    }

    private void destroy(Invocation inv) throws CommandException {
        int n = inv.integer("SASPECIFICATION");
        if (config.spec(n).isEmpty()) {
            throw new CommandException(IpsecMessages.SPEC_MISSING, n);
        }
        for (BundleSpecification b : config.bundles()) {
            if (b.expression().specNumbers().contains(n)) {
                throw new CommandException(IpsecMessages.SPEC_IN_USE, n, b.number());
            }
        }
        config.removeSpec(n);
        config.changed();
    }

    private void show(Invocation inv) throws CommandException {
        if (inv.hasValue("SASPECIFICATION")) {
            int n = inv.integer("SASPECIFICATION");
            SaSpecification s = config.spec(n).orElseThrow(() -> new CommandException(IpsecMessages.SPEC_MISSING, n));
            for (String line : detail(s)) {
                inv.println(line);
            }
            return;
        }
        inv.println("");
        inv.println("IPSEC SA Specifications");
        inv.println("--------------------------------------------------------------------------------");
        inv.println(String.format("%-4s %-7s %-8s %-10s %-10s %-9s %-8s", "Id", "KeyMan", "Protocol", "Mode", "EncAlg", "HashAlg", "CompAlg"));
        inv.println("--------------------------------------------------------------------------------");
        for (SaSpecification s : config.specs()) {
            inv.println(String.format("%-4d %-7s %-8s %-10s %-10s %-9s %-8s", s.number(), s.keyManagement(), s.protocol().display(),
                    s.mode(), s.encAlg() == null ? "-" : s.encAlg().keyword(), s.hashAlg() == null ? "-" : s.hashAlg().keyword(),
                    s.compAlg() == null ? "-" : s.compAlg()));
        }
        inv.println("--------------------------------------------------------------------------------");
    }

    static List<String> detail(SaSpecification s) {
        List<String> out = new ArrayList<>();
        out.add("");
        out.add(DetailLine.of("SA Specification Id", s.number()));
        out.add(DetailLine.of("Key Management", s.keyManagement()));
        out.add(DetailLine.of("Protocol", s.protocol().display()));
        out.add(DetailLine.of("Mode", s.mode()));
        if (s.encAlg() != null) {
            out.add(DetailLine.of("Encryption Algorithm", s.encAlg().keyword()));
            if (s.encKey() >= 0) {
                out.add(DetailLine.of("Encryption Key", s.encKey()));
            }
        }
        if (s.hashAlg() != null) {
            out.add(DetailLine.of("Hash Algorithm", s.hashAlg().keyword()));
            if (s.hashKey() >= 0) {
                out.add(DetailLine.of("Hash Key", s.hashKey()));
            }
        }
        if (s.compAlg() != null) {
            out.add(DetailLine.of("Compression Algorithm", s.compAlg()));
        }
        if (s.keyManagement() == KeyManagement.MANUAL && s.protocol() != IpsecProtocol.COMP) {
            out.add(DetailLine.of("Inbound SPI", s.inSpi()));
            out.add(DetailLine.of("Outbound SPI", s.outSpi()));
        }
        if (s.protocol() != IpsecProtocol.COMP) {
            out.add(DetailLine.of("Anti-Replay Enabled", s.antiReplay() ? "TRUE" : "FALSE"));
            out.add(DetailLine.of("Replay Window Size", s.replayWindow()));
        }
        return out;
    }

    void writeConfig(ConfigOut out) {
        for (SaSpecification s : config.specs()) {
            StringBuilder b = new StringBuilder("create ipsec sas=").append(s.number())
                    .append(" key=").append(s.keyManagement().name().toLowerCase())
                    .append(" prot=").append(s.protocol().name().toLowerCase());
            if (s.mode() != SaMode.TUNNEL) {
                b.append(" mode=").append(s.mode().name().toLowerCase());
            }
            if (s.encAlg() != null) {
                b.append(" encalg=").append(s.encAlg().keyword().toLowerCase());
            }
            HashAlg defaultHash = s.protocol() == IpsecProtocol.AH ? HashAlg.SHA : HashAlg.NULL;
            if (s.hashAlg() != null && s.hashAlg() != defaultHash) {
                b.append(" hashalg=").append(s.hashAlg().keyword().toLowerCase());
            }
            if (s.compAlg() != null) {
                b.append(" compalg=").append(s.compAlg().name().toLowerCase());
            }
            if (s.encKey() >= 0) {
                b.append(" enckey=").append(s.encKey());
            }
            if (s.hashKey() >= 0) {
                b.append(" hashkey=").append(s.hashKey());
            }
            if (s.inSpi() != 0) {
                b.append(" inspi=").append(s.inSpi());
            }
            if (s.outSpi() != 0) {
                b.append(" outspi=").append(s.outSpi());
            }
            if (s.antiReplay()) {
                b.append(" antireplay=true");
            }
            if (s.replayWindow() != 32) {
                b.append(" replaywindowsize=").append(s.replayWindow());
            }
            out.line(b.toString());
        }
    }
}
