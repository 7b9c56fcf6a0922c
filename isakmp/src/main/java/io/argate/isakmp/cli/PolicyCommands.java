package io.argate.isakmp.cli;

import io.argate.ipsec.spec.EncoKeys;
import io.argate.isakmp.config.IsakmpConfig;
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.config.RemoteAccessSettings;
import io.argate.isakmp.config.Liveness;
import io.argate.isakmp.crypto.ModpGroup;
import io.argate.isakmp.crypto.Phase1Cipher;
import io.argate.isakmp.crypto.PrfAlgorithm;
import io.argate.shell.ConfigOut;
import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.ValueType;
import io.argate.shell.cmd.Values;

import java.net.Inet4Address;
import java.util.Locale;

/** CREATE/SET/DESTROY/SHOW ISAKMP POLICY with the fact sheet's parameters (section 2.5; seed 003 "ISAKMP/IKE"). */
final class PolicyCommands {
    static final ValueType NAME = Values.text(1, 24);
    private static final ValueType ENCALG = Values.choice("DES", "3DESOUTER", "AES128", "AES192", "AES256");
    private static final ValueType HASHALG = Values.choice("SHA", "MD5", "SHA2-256", "SHA2-384", "SHA2-512");
    private static final ValueType ID = Values.text(1, 120);

    private final IsakmpConfig config;
    private final EncoKeys keys;
    /** Told the name of a destroyed policy: the SAs negotiated under it go (with deletes when SENDDELETES). */
    private final java.util.function.Consumer<String> destroyed;

    PolicyCommands(IsakmpConfig config, EncoKeys keys, java.util.function.Consumer<String> destroyed) {
        this.config = config;
        this.keys = keys;
        this.destroyed = destroyed;
    }

    private CommandSpec params(CommandSpec c, boolean create) {
        String d = create ? "" : null;
        return c.optional("KEY", Values.integer(0, 65535), create ? "none" : null, "ENCO key (TYPE=GENERAL) holding the pre-shared key")
                .optional("AUTHTYPE", Values.choice("PRESHARED", "RSASIG"), create ? "PRESHARED" : null, "how the peers authenticate")
                .optional("LOCALRSAKEY", Values.integer(0, 65535), create ? "none" : null, "ENCO key (TYPE=RSA) that signs for us with AUTHTYPE=RSASIG")
                .optional("MODE", Values.choice("MAIN", "AGGRESSIVE"), create ? "MAIN" : null, "phase 1 exchange")
                .optional("ENCALG", ENCALG, create ? "DES" : null, "phase 1 cipher")
                .optional("HASHALG", HASHALG, create ? "SHA" : null, "phase 1 hash")
                .optional("GROUP", Values.integer(0, 16), create ? "1" : null, "Diffie-Hellman group: 1, 2, 5, 14, 15 or 16")
                .optional("EXPIRYSECONDS", Values.integer(600, 31_449_600L), create ? "86400" : null, "ISAKMP SA lifetime")
                .optional("EXPIRYKBYTES", Values.integer(1, 1000), create ? "none" : null, "ISAKMP SA volume lifetime")
                .optional("LOCALID", ID, create ? "our address" : null, "our phase 1 ID: address, FQDN, user@FQDN or DN")
                .optional("REMOTEID", ID, create ? "any" : null, "the peer's phase 1 ID")
                .optional("SENDNOTIFY", Values.bool(), create ? "FALSE" : null, "tell the peer why an exchange failed")
                .optional("SENDDELETES", Values.bool(), create ? "FALSE" : null, "tell the peer when an SA is deleted")
                .optional("SENDIDALWAYS", Values.bool(), create ? "FALSE" : null, "always send phase 2 IDs")
                .optional("SETCOMMITBIT", Values.bool(), create ? "FALSE" : null, "set the commit bit in Quick Mode")
                .optional("PHASE2XCHGLIMIT", Values.or(Values.choice("NONE"), Values.integer(1, 1024)), create ? "NONE" : null,
                        "Quick Mode exchanges at once on one ISAKMP SA")
                .optional("NATTRAVERSAL", Values.bool(), create ? "FALSE" : null, "RFC 3947 NAT traversal")
                .optional("DHEXPONENTLENGTH", Values.integer(160, 1023), create ? "160" : null, "bits of the DH private exponent")
                .optional("MSGRETRYLIMIT", Values.integer(0, 1024), create ? "8" : null, "retransmissions before an exchange fails")
                .optional("MSGTIMEOUT", Values.integer(1, 86400), create ? "4" : null, "seconds before a retransmission")
                .optional("MSGBACKOFF", Values.choice("INCREMENTAL", "NONE"), create ? "INCREMENTAL" : null, "retransmission backoff")
                .optional("RETRYIKEATTEMPTS", Values.or(Values.choice("CONTINUOUS"), Values.integer(0, 16)), create ? "0" : null,
                        "phase 1 attempts after a failure")
                .optional("DELETEDELAY", Values.integer(0, 30), create ? "0" : null, "seconds before a superseded SA is deleted")
                .optional("SRCINTERFACE", Values.text(1, 31), create ? "egress" : null, "interface whose address ISAKMP uses")
                .optional("PRENEGOTIATE", Values.bool(), create ? "FALSE" : null, "negotiate before traffic asks for it")
                .optional("XAUTH", Values.choice("CLIENT", "SERVER", "NONE"), create ? "NONE" : null,
                        "extended authentication after phase 1: SERVER asks the peer for a user name and password")
                .optional("XAUTHNAME", Values.text(1, 64), create ? "none" : null, "the user name an XAUTH CLIENT answers with")
                .optional("XAUTHPASSWORD", Values.text(1, 64), create ? "none" : null, "the password an XAUTH CLIENT answers with (case-sensitive)")
                .optional("XAUTHTYPE", Values.choice("GENERIC", "RADIUS"), create ? "GENERIC" : null, "where an XAUTH SERVER checks users")
                .optional("HYBRIDXAUTH", Values.bool(), create ? "FALSE" : null, "hybrid XAUTH (stored; needs certificates)")
                .optional("POOL", Values.text(1, 24), create ? "none" : null, "Mode Config address pool for clients (NONE clears)")
                .optional("MODECFG", Values.choice("NONE", "PULL", "PUSH", "CLIENT"), create ? "NONE, PULL with POOL" : null,
                        "Mode Config: a server answers requests (PULL) or pushes (PUSH) from POOL; CLIENT takes an address")
                .optional("DPDMODE", Values.choice("BOTH", "RECEIVE", "NONE"), create ? "RECEIVE" : null,
                        "RFC 3706 dead peer detection: BOTH asks an idle peer, RECEIVE only answers")
                .optional("DPDIDLETIMEOUT", Values.integer(1, 86400), create ? Integer.toString(Liveness.DEFAULT_IDLE_TIMEOUT) : null,
                        "seconds without traffic from the peer before DPD asks")
                .optional("HEARTBEATMODE", Values.choice("BOTH", "SEND", "RECEIVE", "NONE"), create ? "NONE" : null,
                        "the AR heartbeat between argate routers");
    }

    void register(CommandTable t) {
        t.add(params(CommandSpec.of("CREATE ISAKMP POLICY").value(NAME)
                .required("PEER", Values.or(Values.choice("ANY"), Values.ip()), "the peer's address or ANY"), true)
                .security().help("Create an ISAKMP policy").handler(this::create));
        t.add(params(CommandSpec.of("SET ISAKMP POLICY").value(NAME)
                .optional("PEER", Values.or(Values.choice("ANY"), Values.ip()), null, "the peer's address or ANY"), false)
                .security().help("Change an ISAKMP policy").handler(this::set));
        t.add(CommandSpec.of("DESTROY ISAKMP POLICY").value(NAME).security().help("Destroy an ISAKMP policy").handler(this::destroy));
        t.add(CommandSpec.of("SHOW ISAKMP POLICY").optionalValue(NAME).help("Show ISAKMP policies").handler(this::show));
    }

    private void create(Invocation inv) throws CommandException {
        String name = inv.string("POLICY");
        if (config.policy(name).isPresent()) {
            throw new CommandException(IsakmpMessages.POLICY_EXISTS, name);
        }
        IsakmpPolicy.Builder b = IsakmpPolicy.defaults(name, 0, true).toBuilder();
        apply(inv, b);
        check(b);
        config.put(b.build());
    }

    private void set(Invocation inv) throws CommandException {
        String name = inv.string("POLICY");
        IsakmpPolicy old = config.policy(name).orElseThrow(() -> new CommandException(IsakmpMessages.POLICY_MISSING, name));
        IsakmpPolicy.Builder b = old.toBuilder();
        apply(inv, b);
        check(b);
        config.put(b.build());
    }

    private void apply(Invocation inv, IsakmpPolicy.Builder b) throws CommandException {
        if (inv.has("PEER")) {
            Object v = inv.get("PEER");
            b.anyPeer = !(v instanceof Inet4Address);
            b.peer = v instanceof Inet4Address a ? Values.toInt(a) : 0;
        }
        if (inv.has("KEY")) {
            b.key = inv.integer("KEY");
        }
        if (inv.has("AUTHTYPE")) {
            b.authType = IsakmpPolicy.AuthType.valueOf(inv.string("AUTHTYPE"));
        }
        b.localRsaKey = inv.integer("LOCALRSAKEY", b.localRsaKey);
        if (inv.has("MODE")) {
            b.mode = IsakmpPolicy.Mode.valueOf(inv.string("MODE"));
        }
        if (inv.has("ENCALG")) {
            String e = inv.string("ENCALG");
            for (Phase1Cipher c : Phase1Cipher.values()) {
                if (c.keyword().equals(e)) {
                    b.encAlg = c;
                }
            }
        }
        if (inv.has("HASHALG")) {
            String h = inv.string("HASHALG");
            for (PrfAlgorithm p : PrfAlgorithm.values()) {
                if (p.keyword().equals(h)) {
                    b.hashAlg = p;
                }
            }
        }
        if (inv.has("GROUP")) {
            b.group = inv.integer("GROUP");
        }
        b.expirySeconds = inv.number("EXPIRYSECONDS", b.expirySeconds);
        b.expiryKbytes = inv.number("EXPIRYKBYTES", b.expiryKbytes);
        b.localId = inv.string("LOCALID", b.localId);
        b.remoteId = inv.string("REMOTEID", b.remoteId);
        b.sendNotify = inv.bool("SENDNOTIFY", b.sendNotify);
        b.sendDeletes = inv.bool("SENDDELETES", b.sendDeletes);
        b.sendIdAlways = inv.bool("SENDIDALWAYS", b.sendIdAlways);
        b.setCommitBit = inv.bool("SETCOMMITBIT", b.setCommitBit);
        if (inv.has("PHASE2XCHGLIMIT")) {
            b.phase2XchgLimit = inv.get("PHASE2XCHGLIMIT") instanceof Long l ? l.intValue() : 0;
        }
        b.natTraversal = inv.bool("NATTRAVERSAL", b.natTraversal);
        b.dhExponentLength = inv.integer("DHEXPONENTLENGTH", b.dhExponentLength);
        b.msgRetryLimit = inv.integer("MSGRETRYLIMIT", b.msgRetryLimit);
        b.msgTimeout = inv.integer("MSGTIMEOUT", b.msgTimeout);
        if (inv.has("MSGBACKOFF")) {
            b.msgBackoff = IsakmpPolicy.Backoff.valueOf(inv.string("MSGBACKOFF"));
        }
        if (inv.has("RETRYIKEATTEMPTS")) {
            b.retryIkeAttempts = inv.get("RETRYIKEATTEMPTS") instanceof Long l ? l.intValue() : -1;
        }
        b.deleteDelay = inv.integer("DELETEDELAY", b.deleteDelay);
        b.srcInterface = inv.string("SRCINTERFACE", b.srcInterface);
        b.prenegotiate = inv.bool("PRENEGOTIATE", b.prenegotiate);
        if (inv.has("DPDMODE")) {
            b.liveness = b.liveness.withDpd(Liveness.DpdMode.valueOf(inv.string("DPDMODE")));
        }
        if (inv.has("DPDIDLETIMEOUT")) {
            b.liveness = b.liveness.withIdleTimeout(inv.integer("DPDIDLETIMEOUT"));
        }
        if (inv.has("HEARTBEATMODE")) {
            b.liveness = b.liveness.withHeartbeat(Liveness.HeartbeatMode.valueOf(inv.string("HEARTBEATMODE")));
        }
        applyRemoteAccess(inv, b);
    }

    /** XAUTH and Mode Config (fact sheet 2.5; seed 003 "XAUTH"; POOL and MODECFG are argate's). */
    private void applyRemoteAccess(Invocation inv, IsakmpPolicy.Builder b) throws CommandException {
        RemoteAccessSettings ra = b.access;
        if (inv.has("XAUTHTYPE") && inv.string("XAUTHTYPE").equals("RADIUS")) {
            throw new CommandException(IsakmpMessages.POLICY_RULE, b.name, "XAUTHTYPE=RADIUS needs a RADIUS client, which this release "
                    + "does not have; use XAUTHTYPE=GENERIC (users added with ADD USER=... PASSWORD=... LOGIN=NO)");
        }
        if (inv.has("XAUTH")) {
            ra = ra.withXauth(RemoteAccessSettings.Xauth.valueOf(inv.string("XAUTH")));
        }
        if (inv.has("XAUTHNAME")) {
            ra = ra.withXauthName(inv.string("XAUTHNAME"));
        }
        if (inv.has("XAUTHPASSWORD")) {
            ra = ra.withXauthPassword(inv.string("XAUTHPASSWORD"));
        }
        ra = ra.withHybridXauth(inv.bool("HYBRIDXAUTH", ra.hybridXauth()));
        if (inv.has("POOL")) {
            String pool = inv.string("POOL");
            if (pool.equalsIgnoreCase("NONE")) {
                ra = ra.withPool(null);
                if (ra.modeCfg() == RemoteAccessSettings.ModeCfg.PULL || ra.modeCfg() == RemoteAccessSettings.ModeCfg.PUSH) {
                    ra = ra.withModeCfg(RemoteAccessSettings.ModeCfg.NONE);
                }
            } else {
                var p = config.pool(pool).orElseThrow(() -> new CommandException(IsakmpMessages.POLICY_RULE, b.name, "POOL=" + pool
                        + " does not exist; create it with CREATE ISAKMP POOL=" + pool + " RANGE=..."));
                ra = ra.withPool(p.name());
                if (ra.modeCfg() == RemoteAccessSettings.ModeCfg.NONE && !inv.has("MODECFG")) {
                    ra = ra.withModeCfg(RemoteAccessSettings.ModeCfg.PULL);
                }
            }
        }
        if (inv.has("MODECFG")) {
            ra = ra.withModeCfg(RemoteAccessSettings.ModeCfg.valueOf(inv.string("MODECFG")));
        }
        if ((ra.modeCfg() == RemoteAccessSettings.ModeCfg.PULL || ra.modeCfg() == RemoteAccessSettings.ModeCfg.PUSH) && ra.pool() == null) {
            throw new CommandException(IsakmpMessages.POLICY_RULE, b.name, "MODECFG=" + ra.modeCfg() + " needs POOL=name");
        }
        if (ra.modeCfg() == RemoteAccessSettings.ModeCfg.CLIENT && ra.pool() != null) {
            throw new CommandException(IsakmpMessages.POLICY_RULE, b.name, "MODECFG=CLIENT takes an address from the peer; it has no POOL");
        }
        b.access = ra;
    }

    /** The rules of a policy as a whole, so a refused command changes nothing. */
    private void check(IsakmpPolicy.Builder b) throws CommandException {
        if (ModpGroup.of(b.group).isEmpty()) {
            throw new CommandException(IsakmpMessages.POLICY_RULE, b.name, "GROUP=" + b.group + " is not a MODP group; use 1, 2, 5, 14, 15 or 16");
        }
        if (b.key >= 0) {
            var info = keys.info(b.key);
            if (info.isEmpty()) {
                throw new CommandException(IsakmpMessages.POLICY_RULE, b.name, "KEY=" + b.key
                        + " names no ENCO key; create it with CREATE ENCO KEY=" + b.key + " TYPE=GENERAL VALUE=...");
            }
            if (!info.get().type().equals("GENERAL")) {
                throw new CommandException(IsakmpMessages.POLICY_RULE, b.name, "KEY=" + b.key + " is an ENCO key of TYPE="
                        + info.get().type() + "; a pre-shared key needs TYPE=GENERAL");
            }
        }
        if (b.localRsaKey >= 0) {
            var info = keys.info(b.localRsaKey);
            if (info.isEmpty() || !info.get().type().equals("RSA")) {
                throw new CommandException(IsakmpMessages.POLICY_RULE, b.name, "LOCALRSAKEY=" + b.localRsaKey + " names no RSA key pair; "
                        + "create it with CREATE ENCO KEY=" + b.localRsaKey + " TYPE=RSA LENGTH=1024");
            }
        }
        if (b.authType == IsakmpPolicy.AuthType.RSASIG && b.localRsaKey < 0) {
            throw new CommandException(IsakmpMessages.POLICY_RULE, b.name, "AUTHTYPE=RSASIG needs LOCALRSAKEY, the ENCO RSA key pair that signs for this router");
        }
        // with signatures no key depends on the peer's ID, so Main Mode can check REMOTEID against an unknown peer
        if (b.anyPeer && b.mode == IsakmpPolicy.Mode.MAIN && b.remoteId != null && b.authType == IsakmpPolicy.AuthType.PRESHARED) {
            throw new CommandException(IsakmpMessages.POLICY_RULE, b.name, "REMOTEID with PEER=ANY needs MODE=AGGRESSIVE: Main Mode "
                    + "chooses the key before the peer's ID arrives");
        }
    }

    private void destroy(Invocation inv) throws CommandException {
        String name = inv.string("POLICY");
        config.policy(name).orElseThrow(() -> new CommandException(IsakmpMessages.POLICY_MISSING, name));
        // the SAs go while the policy still says whether to send deletes for them
        destroyed.accept(name);
        config.remove(name);
    }

    static String peer(IsakmpPolicy p) {
        return p.anyPeer() ? "ANY" : io.argate.ipsec.spd.AddressSpec.dotted(p.peer());
    }

    private void show(Invocation inv) throws CommandException {
        if (inv.hasValue("POLICY")) {
            String name = inv.string("POLICY");
            IsakmpPolicy p = config.policy(name).orElseThrow(() -> new CommandException(IsakmpMessages.POLICY_MISSING, name));
            inv.println("");
            for (String[] row : detail(p)) {
                inv.println(String.format("%-32s %s", row[0] + " " + ".".repeat(Math.max(2, 30 - row[0].length())), row[1]));
            }
            return;
        }
        inv.println("");
        inv.println("ISAKMP Policies");
        inv.println(String.format("%-24s %-16s %-10s %-10s %-9s %s", "Name", "Peer", "Mode", "EncAlg", "HashAlg", "Group"));
        inv.println("-".repeat(79));
        for (IsakmpPolicy p : config.policies()) {
            inv.println(String.format("%-24s %-16s %-10s %-10s %-9s %d", p.name(), peer(p), p.mode(), p.encAlg().keyword(),
                    p.hashAlg().keyword(), p.group()));
        }
        inv.println("-".repeat(79));
    }

    private static String[][] detail(IsakmpPolicy p) {
        return new String[][]{{"Name", p.name()}, {"Peer", peer(p)}, {"Key", p.key() < 0 ? "none" : Integer.toString(p.key())},
                {"Authentication Type", p.authType().name()},
                {"Local RSA Key", p.localRsaKey() < 0 ? "none" : Integer.toString(p.localRsaKey())}, {"Mode", p.mode().name()}, {"Encryption Algorithm", p.encAlg().keyword()},
                {"Hash Algorithm", p.hashAlg().keyword()}, {"Group", Integer.toString(p.group())},
                {"Expiry Seconds", Long.toString(p.expirySeconds())}, {"Expiry Kbytes", p.expiryKbytes() == 0 ? "none" : Long.toString(p.expiryKbytes())},
                {"Local ID", p.localId() == null ? "our address" : p.localId()}, {"Remote ID", p.remoteId() == null ? "any" : p.remoteId()},
                {"Send Notify", bool(p.sendNotify())}, {"Send Deletes", bool(p.sendDeletes())}, {"Send ID Always", bool(p.sendIdAlways())},
                {"Set Commit Bit", bool(p.setCommitBit())}, {"NAT Traversal", bool(p.natTraversal())},
                {"Phase 2 Exchange Limit", p.phase2XchgLimit() == 0 ? "NONE" : Integer.toString(p.phase2XchgLimit())},
                {"DH Exponent Length", Integer.toString(p.dhExponentLength())}, {"Message Retry Limit", Integer.toString(p.msgRetryLimit())},
                {"Message Timeout", Integer.toString(p.msgTimeout())}, {"Message Backoff", p.msgBackoff().name()},
                {"Prenegotiate", bool(p.prenegotiate())}, {"XAUTH", p.access().xauth().name()}, {"XAUTH Type", "GENERIC"},
                {"XAUTH Name", p.access().xauthName() == null ? "none" : p.access().xauthName()},
                {"XAUTH Password", p.access().xauthPassword() == null ? "none" : "set"},
                {"Hybrid XAUTH", bool(p.access().hybridXauth())}, {"Mode Config", p.access().modeCfg().name()},
                {"Pool", p.access().pool() == null ? "none" : p.access().pool()},
                {"DPD Mode", p.liveness().dpd().name()},
                {"DPD Idle Timeout", Integer.toString(p.liveness().dpdIdleTimeout())},
                {"Heartbeat Mode", p.liveness().heartbeat().name()}};
    }

    private static String bool(boolean b) {
        return b ? "TRUE" : "FALSE";
    }

    void writeConfig(ConfigOut out) {
        for (IsakmpPolicy p : config.policies()) {
            IsakmpPolicy d = IsakmpPolicy.defaults(p.name(), 0, true);
            StringBuilder s = new StringBuilder("create isakmp policy=" + quote(p.name()) + " peer=" + peer(p).toLowerCase(Locale.ROOT));
            if (p.key() >= 0) {
                s.append(" key=").append(p.key());
            }
            if (p.authType() != d.authType()) {
                s.append(" authtype=").append(p.authType().name().toLowerCase(Locale.ROOT));
            }
            if (p.localRsaKey() >= 0) {
                s.append(" localrsakey=").append(p.localRsaKey());
            }
            if (p.mode() != d.mode()) {
                s.append(" mode=").append(p.mode().name().toLowerCase(Locale.ROOT));
            }
            if (p.encAlg() != d.encAlg()) {
                s.append(" encalg=").append(p.encAlg().keyword().toLowerCase(Locale.ROOT));
            }
            if (p.hashAlg() != d.hashAlg()) {
                s.append(" hashalg=").append(p.hashAlg().keyword().toLowerCase(Locale.ROOT));
            }
            if (p.group() != d.group()) {
                s.append(" group=").append(p.group());
            }
            if (p.expirySeconds() != d.expirySeconds()) {
                s.append(" expiryseconds=").append(p.expirySeconds());
            }
            if (p.expiryKbytes() != 0) {
                s.append(" expirykbytes=").append(p.expiryKbytes());
            }
            if (p.localId() != null) {
                s.append(" localid=").append(quote(p.localId()));
            }
            if (p.remoteId() != null) {
                s.append(" remoteid=").append(quote(p.remoteId()));
            }
            flag(s, "sendnotify", p.sendNotify());
            flag(s, "senddeletes", p.sendDeletes());
            flag(s, "sendidalways", p.sendIdAlways());
            flag(s, "setcommitbit", p.setCommitBit());
            flag(s, "nattraversal", p.natTraversal());
            flag(s, "prenegotiate", p.prenegotiate());
            if (p.phase2XchgLimit() != 0) {
                s.append(" phase2xchglimit=").append(p.phase2XchgLimit());
            }
            if (p.dhExponentLength() != d.dhExponentLength()) {
                s.append(" dhexponentlength=").append(p.dhExponentLength());
            }
            if (p.msgRetryLimit() != d.msgRetryLimit()) {
                s.append(" msgretrylimit=").append(p.msgRetryLimit());
            }
            if (p.msgTimeout() != d.msgTimeout()) {
                s.append(" msgtimeout=").append(p.msgTimeout());
            }
            if (p.msgBackoff() != d.msgBackoff()) {
                s.append(" msgbackoff=").append(p.msgBackoff().name().toLowerCase(Locale.ROOT));
            }
            if (p.retryIkeAttempts() != 0) {
                s.append(" retryikeattempts=").append(p.retryIkeAttempts() < 0 ? "continuous" : Integer.toString(p.retryIkeAttempts()));
            }
            if (p.deleteDelay() != 0) {
                s.append(" deletedelay=").append(p.deleteDelay());
            }
            if (p.srcInterface() != null) {
                s.append(" srcinterface=").append(p.srcInterface());
            }
            RemoteAccessSettings ra = p.access();
            if (ra.xauth() != RemoteAccessSettings.Xauth.NONE) {
                s.append(" xauth=").append(ra.xauth().name().toLowerCase(Locale.ROOT));
            }
            if (ra.xauthName() != null) {
                s.append(" xauthname=").append(quote(ra.xauthName()));
            }
            if (ra.xauthPassword() != null) {
                s.append(" xauthpassword=").append(quote(ra.xauthPassword()));
            }
            flag(s, "hybridxauth", ra.hybridXauth());
            if (ra.pool() != null) {
                s.append(" pool=").append(quote(ra.pool()));
            }
            if (ra.modeCfg() != RemoteAccessSettings.ModeCfg.NONE && !(ra.pool() != null && ra.modeCfg() == RemoteAccessSettings.ModeCfg.PULL)) {
                s.append(" modecfg=").append(ra.modeCfg().name().toLowerCase(Locale.ROOT));
            }
            Liveness l = p.liveness();
            if (l.dpd() != Liveness.DEFAULTS.dpd()) {
                s.append(" dpdmode=").append(l.dpd().name().toLowerCase(Locale.ROOT));
            }
            if (l.dpdIdleTimeout() != Liveness.DEFAULTS.dpdIdleTimeout()) {
                s.append(" dpdidletimeout=").append(l.dpdIdleTimeout());
            }
            if (l.heartbeat() != Liveness.DEFAULTS.heartbeat()) {
                s.append(" heartbeatmode=").append(l.heartbeat().name().toLowerCase(Locale.ROOT));
            }
            out.line(s.toString());
        }
    }

    private static void flag(StringBuilder s, String name, boolean on) {
        if (on) {
            s.append(' ').append(name).append("=true");
        }
    }

    static String quote(String v) {
        return v.matches("[A-Za-z0-9._@-]+") ? v : "\"" + v + "\"";
    }
}
