package io.argate.ipsec.cli;

import io.argate.ipsec.config.IpsecConfig;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spec.BundleExpression;
import io.argate.ipsec.spec.BundleSpecification;
import io.argate.ipsec.spec.BundleSyntaxException;
import io.argate.ipsec.spec.KeyManagement;
import io.argate.ipsec.spec.SaSpecification;
import io.argate.shell.ConfigOut;
import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.ValueType;
import io.argate.shell.cmd.Values;

import java.util.stream.Collectors;

/** CREATE/SET/DESTROY/SHOW IPSEC BUNDLESPECIFICATION (fact sheet 2.4, seed 003 bundle section). */
final class BundleCommands {
    private static final ValueType NUMBER = Values.integer(0, 255);

    private final IpsecConfig config;

    BundleCommands(IpsecConfig config) {
        this.config = config;
    }

    void register(CommandTable t) {
        t.add(CommandSpec.of("CREATE IPSEC BUNDLESPECIFICATION").value(NUMBER)
                .required("KEYMANAGEMENT", Values.choice("ISAKMP", "MANUAL"), "how the bundle's SAs are keyed")
                .required("STRING", Values.text(1, 100), "SA specification numbers joined by AND, OR and ','")
                .optional("EXPIRYKBYTES", Values.integer(1, 2_000_000_000L), "no limit", "SA volume lifetime in kbytes")
                .optional("EXPIRYSECONDS", Values.integer(300, 31_449_600L), "28800", "SA lifetime in seconds")
                .security().help("Create a bundle specification").handler(this::create));
        t.add(CommandSpec.of("SET IPSEC BUNDLESPECIFICATION").value(NUMBER)
                .optional("STRING", Values.text(1, 100), null, "SA specification numbers joined by AND, OR and ','")
                .optional("EXPIRYKBYTES", Values.integer(1, 2_000_000_000L), null, "SA volume lifetime in kbytes")
                .optional("EXPIRYSECONDS", Values.integer(300, 31_449_600L), null, "SA lifetime in seconds")
                .security().help("Change a bundle specification").handler(this::set));
        t.add(CommandSpec.of("DESTROY IPSEC BUNDLESPECIFICATION").value(NUMBER)
                .security().help("Destroy a bundle specification").handler(this::destroy));
        t.add(CommandSpec.of("SHOW IPSEC BUNDLESPECIFICATION").optionalValue(NUMBER)
                .help("Show bundle specifications").handler(this::show));
    }

    private BundleExpression parse(int n, String text, KeyManagement km) throws CommandException {
        try {
            return BundleExpression.parse(text, km, num -> config.spec(num)
                    .map(s -> new BundleExpression.SpecInfo(s.protocol(), s.keyManagement())).orElse(null));
        } catch (BundleSyntaxException e) {
            throw new CommandException(IpsecMessages.BUNDLE_STRING, n, text, e.getMessage());
        }
    }

    private void create(Invocation inv) throws CommandException {
        int n = inv.integer("BUNDLESPECIFICATION");
        if (config.bundle(n).isPresent()) {
            throw new CommandException(IpsecMessages.BUNDLE_EXISTS, n);
        }
        KeyManagement km = KeyManagement.valueOf(inv.string("KEYMANAGEMENT"));
        BundleExpression e = parse(n, inv.string("STRING"), km);
        config.putBundle(new BundleSpecification(n, km, e, inv.number("EXPIRYSECONDS", BundleSpecification.DEFAULT_EXPIRY_SECONDS),
                inv.number("EXPIRYKBYTES", 0)));
        config.changed();
    }

    private void set(Invocation inv) throws CommandException {
        int n = inv.integer("BUNDLESPECIFICATION");
        BundleSpecification old = config.bundle(n).orElseThrow(() -> new CommandException(IpsecMessages.BUNDLE_MISSING, n));
        BundleExpression e = inv.has("STRING") ? parse(n, inv.string("STRING"), old.keyManagement()) : old.expression();
        config.putBundle(new BundleSpecification(n, old.keyManagement(), e, inv.number("EXPIRYSECONDS", old.expirySeconds()),
                inv.number("EXPIRYKBYTES", old.expiryKbytes())));
        config.changed();
    }

    private void destroy(Invocation inv) throws CommandException {
        int n = inv.integer("BUNDLESPECIFICATION");
        if (config.bundle(n).isEmpty()) {
            throw new CommandException(IpsecMessages.BUNDLE_MISSING, n);
        }
        for (IpsecPolicy p : config.policies()) {
            if (p.bundle() == n) {
                throw new CommandException(IpsecMessages.BUNDLE_IN_USE, n, p.name());
            }
        }
        config.removeBundle(n);
        config.changed();
    }

    private void show(Invocation inv) throws CommandException {
        if (inv.hasValue("BUNDLESPECIFICATION")) {
            int n = inv.integer("BUNDLESPECIFICATION");
            BundleSpecification b = config.bundle(n).orElseThrow(() -> new CommandException(IpsecMessages.BUNDLE_MISSING, n));
            inv.println("");
            inv.println(DetailLine.of("Bundle Specification Id", b.number()));
            inv.println(DetailLine.of("Key Management", b.keyManagement()));
            inv.println(DetailLine.of("String", "\"" + b.expression().text() + "\""));
            inv.println(DetailLine.of("Expiry Seconds", b.expirySeconds()));
            inv.println(DetailLine.of("Expiry Kbytes", b.expiryKbytes() == 0 ? "none" : b.expiryKbytes()));
            int i = 1;
            for (BundleExpression.Combination c : b.expression().combinations()) {
                String steps = c.choices().stream().map(ch -> ch.protocol().display() + " " + ch.specs().stream()
                        .map(s -> describe(s)).collect(Collectors.joining(" or "))).collect(Collectors.joining(", then "));
                inv.println(DetailLine.of("Proposal " + i++, steps));
            }
            return;
        }
        inv.println("");
        inv.println("IPSEC Bundle Specifications");
        inv.println("--------------------------------------------------------------------------------");
        inv.println(String.format("%-4s %-7s %-12s %-12s %s", "Id", "KeyMan", "ExpirySecs", "ExpiryKbytes", "String"));
        inv.println("--------------------------------------------------------------------------------");
        for (BundleSpecification b : config.bundles()) {
            inv.println(String.format("%-4d %-7s %-12d %-12s \"%s\"", b.number(), b.keyManagement(), b.expirySeconds(),
                    b.expiryKbytes() == 0 ? "none" : Long.toString(b.expiryKbytes()), b.expression().text()));
        }
        inv.println("--------------------------------------------------------------------------------");
    }

    private String describe(int spec) {
        SaSpecification s = config.spec(spec).orElse(null);
        if (s == null) {
            return "(" + spec + ")";
        }
        String alg = switch (s.protocol()) {
            case ESP -> s.encAlg().keyword() + "/" + s.hashAlg().keyword();
            case AH -> s.hashAlg().keyword();
            case COMP -> String.valueOf(s.compAlg());
        };
        return "(" + spec + ": " + alg + ")";
    }

    void writeConfig(ConfigOut out) {
        for (BundleSpecification b : config.bundles()) {
            StringBuilder line = new StringBuilder("create ipsec bundle=").append(b.number())
                    .append(" key=").append(b.keyManagement().name().toLowerCase())
                    .append(" string=\"").append(b.expression().text()).append('"');
            if (b.expiryKbytes() != 0) {
                line.append(" expiryk=").append(b.expiryKbytes());
            }
            if (b.expirySeconds() != BundleSpecification.DEFAULT_EXPIRY_SECONDS) {
                line.append(" expirys=").append(b.expirySeconds());
            }
            out.line(line.toString());
        }
    }
}
