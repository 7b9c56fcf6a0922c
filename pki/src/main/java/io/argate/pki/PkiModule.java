package io.argate.pki;

import io.argate.enco.key.RsaKey;
import io.argate.shell.ConfigOut;
import io.argate.shell.Module;
import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.ValueType;
import io.argate.shell.cmd.Values;
import io.argate.store.EventLog;
import io.argate.store.Flash;
import io.argate.store.Severity;

import javax.security.auth.x500.X500Principal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The PKI module: the X.509 certificates RSA-signature IKE uses (seed 003: AUTHTYPE=RSASIG with
 * LOCALRSAKEY, "see the PKI chapter"). CREATE PKI CERTIFICATE makes a self-signed certificate
 * for an ENCO RSA key pair and writes it to flash; ADD PKI CERTIFICATE loads a .cer file (ours,
 * a peer's, or a CA's) and says whether it is a trust anchor; SHOW PKI CERTIFICATE lists and
 * details them. The loaded set is configuration (ADD lines in CREATE CONFIG); the files are flash.
 */
public final class PkiModule implements Module {
    private static final ValueType NAME = Values.name(1, 24, "A-Za-z0-9_-", "letters, digits, - and _");
    private static final ValueType FILE = Values.text(1, 64);
    private static final Duration DEFAULT_VALIDITY = Duration.ofDays(3650);

    private final CertificateStore store;
    private final Flash flash;
    private final IntFunction<Optional<RsaKey>> rsaKeys;
    private final Clock clock;
    private final EventLog log;

    public PkiModule(CertificateStore store, Flash flash, IntFunction<Optional<RsaKey>> rsaKeys, Clock clock, EventLog log) {
        this.store = store;
        this.flash = flash;
        this.rsaKeys = rsaKeys;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public String name() {
        return "PKI";
    }

    @Override
    public int number() {
        return PkiMessages.MODULE;
    }

    /** After ENCO (70) and before ISAKMP (90), whose policies use these certificates. */
    @Override
    public int configOrder() {
        return 80;
    }

    @Override
    public void commands(CommandTable t) {
        t.add(CommandSpec.of("CREATE PKI CERTIFICATE").value(NAME)
                .required("KEYPAIR", Values.integer(0, 65535), "the ENCO RSA key pair the certificate is for")
                .required("SERIALNUMBER", Values.integer(0, Integer.MAX_VALUE), "the certificate's serial number")
                .required("SUBJECT", Values.text(3, 200), "distinguished name, e.g. \"cn=gw1, o=example, c=jp\"")
                .optional("SUBJECTALTNAME", Values.text(1, 100), "none", "an address, domain name or user@domain peers match the ID to")
                .optional("FORMAT", Values.choice("DER", "PEM"), "PEM", "encoding of the file")
                .optional("DAYS", Values.integer(1, 36500), "3650", "days the certificate is valid")
                .security().help("Create a self-signed certificate for an RSA key pair").handler(this::create));
        t.add(CommandSpec.of("ADD PKI CERTIFICATE").value(NAME)
                .required("LOCATION", FILE, "the .cer file on flash")
                .optional("TRUSTED", Values.bool(), "FALSE", "a trust anchor: IKE accepts it and what it signed")
                .optional("TYPE", Values.choice("CA", "ENDENTITY", "SELF"), "ENDENTITY", "a CA, a peer's, or this router's own")
                .security().help("Load a certificate from a file").handler(this::add));
        t.add(CommandSpec.of("SET PKI CERTIFICATE").value(NAME)
                .optional("TRUSTED", Values.bool(), null, "a trust anchor or not")
                .optional("TYPE", Values.choice("CA", "ENDENTITY", "SELF"), null, "a CA, a peer's, or this router's own")
                .security().help("Change a certificate's trust or type").handler(this::set));
        t.add(CommandSpec.of("DELETE PKI CERTIFICATE").value(NAME).security().help("Unload a certificate").handler(this::delete));
        t.add(CommandSpec.of("SHOW PKI CERTIFICATE").optionalValue(NAME).help("List certificates, or show one").handler(this::show));
        t.add(CommandSpec.of("SHOW PKI").help("Show the PKI module").handler(this::showModule));
    }

    private void create(Invocation inv) throws CommandException {
        String name = inv.string("CERTIFICATE");
        int keyId = inv.integer("KEYPAIR");
        RsaKey key = rsaKeys.apply(keyId).filter(RsaKey::pair).orElseThrow(() -> new CommandException(PkiMessages.KEY_NOT_PAIR, keyId, keyId));
        X500Principal subject;
        try {
            subject = new X500Principal(inv.string("SUBJECT"));
        } catch (IllegalArgumentException e) {
            throw new CommandException(PkiMessages.BAD_SUBJECT, inv.string("SUBJECT"));
        }
        List<AltName> alt = new ArrayList<>();
        if (inv.has("SUBJECTALTNAME")) {
            String text = inv.string("SUBJECTALTNAME");
            alt.add(AltName.parse(text).orElseThrow(() -> new CommandException(PkiMessages.BAD_ALTNAME, text)));
        }
        String file = fileName(name + ".cer");
        if (flash.exists(file)) {
            throw new CommandException(PkiMessages.FILE_EXISTS, file);
        }
        long serial = inv.integer("SERIALNUMBER");
        try {
            X509Certificate c = SelfSigned.make(key.privateKey().orElseThrow(), key.publicKey(), subject, serial, alt, clock.instant(),
                    Duration.ofDays(inv.integer("DAYS", (int) DEFAULT_VALIDITY.toDays())));
            boolean der = inv.string("FORMAT", "PEM").equals("DER");
            flash.write(file, der ? c.getEncoded() : CertificateFile.pem(c));
        } catch (CertificateException e) {
            throw new CommandException(PkiMessages.FILE_NOT_CERT, file, e.getMessage());
        }
        log.log(Severity.INFO, "PKI", "CERT", "CREATE", "self-signed certificate " + file + " for RSA key " + keyId + " (" + subject.getName()
                + ") created by " + inv.session().user());
        inv.say(PkiMessages.CREATED, name, key.bits(), serial, file);
    }

    private void add(Invocation inv) throws CommandException {
        String name = inv.string("CERTIFICATE");
        if (store.get(name).isPresent()) {
            throw new CommandException(PkiMessages.CERT_EXISTS, name);
        }
        String file = fileName(inv.string("LOCATION"));
        if (!flash.exists(file)) {
            throw new CommandException(PkiMessages.FILE_MISSING, file);
        }
        X509Certificate c;
        try {
            c = CertificateFile.read(flash.read(file));
        } catch (CertificateException e) {
            throw new CommandException(PkiMessages.FILE_NOT_CERT, file, e.getMessage());
        }
        Optional<CertificateEntry> same = store.holding(c);
        if (same.isPresent()) {
            throw new CommandException(PkiMessages.SAME_CERT, file, same.get().name());
        }
        CertType type = CertType.valueOf(inv.string("TYPE", "ENDENTITY"));
        CertificateEntry e = new CertificateEntry(name, file, c, inv.bool("TRUSTED", false), type);
        store.put(e);
        inv.say(PkiMessages.ADDED, name, CertificateStore.subject(c));
    }

    private void set(Invocation inv) throws CommandException {
        String name = inv.string("CERTIFICATE");
        CertificateEntry e = store.get(name).orElseThrow(() -> new CommandException(PkiMessages.CERT_MISSING, name));
        CertType type = inv.has("TYPE") ? CertType.valueOf(inv.string("TYPE")) : e.type();
        store.put(e.with(inv.bool("TRUSTED", e.trusted()), type));
        inv.say(PkiMessages.CHANGED, e.name());
    }

    private void delete(Invocation inv) throws CommandException {
        String name = inv.string("CERTIFICATE");
        CertificateEntry e = store.get(name).orElseThrow(() -> new CommandException(PkiMessages.CERT_MISSING, name));
        store.remove(name);
        inv.say(PkiMessages.DELETED, e.name());
    }

    private void show(Invocation inv) throws CommandException {
        if (inv.hasValue("CERTIFICATE")) {
            String name = inv.string("CERTIFICATE");
            CertificateEntry e = store.get(name).orElseThrow(() -> new CommandException(PkiMessages.CERT_MISSING, name));
            X509Certificate c = e.certificate();
            inv.println("");
            row(inv, "Name", e.name());
            row(inv, "Location", e.location());
            row(inv, "Type", e.type().name());
            row(inv, "Trusted", e.trusted() ? "TRUE" : "FALSE");
            row(inv, "Version", "V" + c.getVersion());
            row(inv, "Serial Number", c.getSerialNumber().toString());
            row(inv, "Subject", c.getSubjectX500Principal().getName());
            row(inv, "Issuer", c.getIssuerX500Principal().getName());
            row(inv, "Valid From", c.getNotBefore().toInstant().toString());
            row(inv, "Valid To", c.getNotAfter().toInstant().toString());
            List<String> alt = CertificateNames.describe(c);
            row(inv, "Subject Alt Names", alt.isEmpty() ? "none" : String.join(", ", alt));
            row(inv, "Public Key", c.getPublicKey() instanceof RSAPublicKey r ? "RSA " + r.getModulus().bitLength() + " bits" : c.getPublicKey().getAlgorithm());
            row(inv, "Signature Algorithm", c.getSigAlgName());
            row(inv, "Fingerprint (SHA-256)", fingerprint(c));
            return;
        }
        inv.println("");
        inv.println("PKI Certificates");
        inv.println(String.format("%-16s %-10s %-7s %-20s %s", "Name", "Type", "Trusted", "Expires", "Subject"));
        inv.println("-".repeat(79));
        for (CertificateEntry e : store.all()) {
            inv.println(String.format("%-16s %-10s %-7s %-20s %s", e.name(), e.type(), e.trusted() ? "Yes" : "No",
                    e.certificate().getNotAfter().toInstant().toString().substring(0, 10), e.certificate().getSubjectX500Principal().getName()));
        }
        inv.println("-".repeat(79));
    }

    private void showModule(Invocation inv) {
        long trusted = store.all().stream().filter(CertificateEntry::trusted).count();
        inv.println("");
        row(inv, "Certificates", Integer.toString(store.all().size()));
        row(inv, "Trusted", Long.toString(trusted));
        row(inv, "Revocation lists", "not checked");
    }

    private static void row(Invocation inv, String label, String value) {
        inv.println(String.format("%-32s %s", label + " " + ".".repeat(Math.max(2, 30 - label.length())), value));
    }

    private static String fingerprint(X509Certificate c) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return "unavailable";
        }
    }

    private static String fileName(String name) throws CommandException {
        try {
            return Flash.canonicalName(name);
        } catch (IllegalArgumentException e) {
            throw new CommandException(PkiMessages.NAME_RULE, name, e.getMessage());
        }
    }

    @Override
    public void writeConfig(ConfigOut out) {
        for (CertificateEntry e : store.all()) {
            out.line("add pki certificate=" + e.name() + " location=" + e.location().toLowerCase(Locale.ROOT)
                    + (e.trusted() ? " trusted=yes" : "") + (e.type() != CertType.ENDENTITY ? " type=" + e.type().name().toLowerCase(Locale.ROOT) : ""));
        }
    }

    @Override
    public void resetConfig() {
        store.clear();
    }
}
