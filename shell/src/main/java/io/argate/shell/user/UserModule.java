package io.argate.shell.user;

import io.argate.shell.ConfigOut;
import io.argate.shell.Module;
import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.Privilege;
import io.argate.shell.cmd.ValueType;
import io.argate.shell.cmd.Values;
import io.argate.store.EventLog;
import io.argate.store.Severity;

import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The USER module: ADD/SET/DELETE/PURGE/SHOW USER and security mode. Users are NVS state (like
 * the AR's user database) and are not written to configuration scripts, which keeps password
 * hashes out of .cfg files (DESIGN.md section 3); the script carries only SET USER SECUREDELAY.
 */
public final class UserModule implements Module {
    private static final ValueType NAME = Values.name(1, 64, "A-Za-z0-9", "letters and digits");
    private static final ValueType PASSWORD = Values.text(1, 32);
    private static final ValueType PRIVILEGE = Values.choice("USER", "MANAGER", "SECURITYOFFICER");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm").withZone(ZoneId.systemDefault());

    private final UserStore users;
    private final SecurityMode security;
    private final EventLog log;

    public UserModule(UserStore users, SecurityMode security, EventLog log) {
        this.users = users;
        this.security = security;
        this.log = log;
    }

    @Override
    public String name() {
        return "USER";
    }

    @Override
    public int number() {
        return UserMessages.MODULE;
    }

    @Override
    public int configOrder() {
        return 20;
    }

    @Override
    public void commands(CommandTable t) {
        t.add(CommandSpec.of("ADD USER").value(NAME)
                .required("PASSWORD", PASSWORD, "1..32 printable characters, case-sensitive")
                .optional("PRIVILEGE", PRIVILEGE, "USER", "privilege level")
                .optional("LOGIN", Values.bool(), "required for USER privilege", "may log in (NO: authentication only)")
                .optional("DESCRIPTION", Values.text(0, 24), "none", "free text")
                .optional("TELNET", Values.bool(), "NO", "may use the TELNET command")
                .security().help("Add a user").handler(this::add));
        t.add(CommandSpec.of("SET USER").optionalValue(NAME)
                .optional("PASSWORD", PASSWORD, null, "new password")
                .optional("PRIVILEGE", PRIVILEGE, null, "privilege level")
                .optional("LOGIN", Values.bool(), null, "may log in")
                .optional("DESCRIPTION", Values.text(0, 24), null, "free text")
                .optional("TELNET", Values.bool(), null, "may use the TELNET command")
                .optional("SECUREDELAY", Values.integer(10, 3600), "60", "security timer in seconds")
                .security().help("Change a user, or the security timer").handler(this::set));
        t.add(CommandSpec.of("DELETE USER").value(NAME).security().help("Delete a user").handler(this::delete));
        t.add(CommandSpec.of("PURGE USER").security().help("Delete every user except manager").handler(this::purge));
        t.add(CommandSpec.of("SHOW USER").optionalValue(NAME).privilege(Privilege.USER).help("Show users").handler(this::show));
        // Who may enter security mode: a security command at MANAGER level. In normal mode a
        // MANAGER has the Security Officer's rights (fact sheet 1.1, [C:S3][C:S5]), and a Security
        // Officer user must exist first ([C:S9]); the reference logs in again as the Security Officer
        // before this step because afterwards only that user may run the security commands.
        t.add(CommandSpec.of("ENABLE SYSTEM SECURITY_MODE").security().help("Enter security mode").handler(this::enableSecurity));
        t.add(CommandSpec.of("DISABLE SYSTEM SECURITY_MODE").security().help("Leave security mode").handler(this::disableSecurity));
    }

    private void add(Invocation inv) throws CommandException {
        String name = inv.string("USER");
        if (users.find(name).isPresent()) {
            throw new CommandException(UserMessages.USER_EXISTS, name);
        }
        Privilege p = privilege(inv.string("PRIVILEGE", "USER"));
        if (p == Privilege.USER && !inv.has("LOGIN")) {
            throw new CommandException(UserMessages.LOGIN_REQUIRED);
        }
        users.add(new User(name, users.hash(inv.string("PASSWORD")), p, inv.bool("LOGIN", true), inv.bool("TELNET", false),
                inv.string("DESCRIPTION", ""), 0, 0, null));
        log.log(Severity.INFO, "USER", "USER", "ADD", "User " + name + " added by " + inv.session().user());
        inv.say(UserMessages.USER_ADDED, name);
    }

    private static Privilege privilege(String v) {
        return v.equals("SECURITYOFFICER") ? Privilege.SECURITY_OFFICER : Privilege.valueOf(v);
    }

    private void set(Invocation inv) throws CommandException {
        if (!inv.hasValue("USER")) {
            if (!inv.has("SECUREDELAY") || inv.values().size() > 2) {
                throw new CommandException(io.argate.shell.msg.CliMessages.VALUE_REQUIRED, "USER", "USER", NAME.describe());
            }
            security.securityTimeout(Duration.ofSeconds(inv.number("SECUREDELAY")));
            return;
        }
        String name = inv.string("USER");
        User u = users.find(name).orElseThrow(() -> new CommandException(UserMessages.USER_MISSING, name));
        Privilege p = inv.has("PRIVILEGE") ? privilege(inv.string("PRIVILEGE")) : u.privilege();
        if (u.privilege() == Privilege.SECURITY_OFFICER && p != Privilege.SECURITY_OFFICER && security.securityMode() && secOffs() == 1) {
            throw new CommandException(UserMessages.LAST_SECOFF, u.name());
        }
        if (u.privilege().atLeast(Privilege.MANAGER) && !p.atLeast(Privilege.MANAGER) && managersOrAbove() == 1) {
            throw new CommandException(UserMessages.LAST_MANAGER, u.name());
        }
        if (inv.has("SECUREDELAY")) {
            security.securityTimeout(Duration.ofSeconds(inv.number("SECUREDELAY")));
        }
        users.update(new User(u.name(), inv.has("PASSWORD") ? users.hash(inv.string("PASSWORD")) : u.hash(), p,
                inv.bool("LOGIN", u.login()), inv.bool("TELNET", u.telnet()), inv.string("DESCRIPTION", u.description()),
                u.logins(), u.failures(), u.lastLogin()));
    }

    private long secOffs() {
        return users.list().stream().filter(x -> x.privilege() == Privilege.SECURITY_OFFICER).count();
    }

    private long managersOrAbove() {
        return users.list().stream().filter(x -> x.privilege().atLeast(Privilege.MANAGER) && x.login()).count();
    }

    private void delete(Invocation inv) throws CommandException {
        String name = inv.string("USER");
        User u = users.find(name).orElseThrow(() -> new CommandException(UserMessages.USER_MISSING, name));
        if (u.name().equalsIgnoreCase(inv.session().user())) {
            throw new CommandException(UserMessages.DELETE_SELF);
        }
        if (u.privilege() == Privilege.SECURITY_OFFICER && security.securityMode() && secOffs() == 1) {
            throw new CommandException(UserMessages.LAST_SECOFF, u.name());
        }
        if (u.privilege().atLeast(Privilege.MANAGER) && u.login() && managersOrAbove() == 1) {
            throw new CommandException(UserMessages.LAST_MANAGER, u.name());
        }
        users.delete(name);
        log.log(Severity.INFO, "USER", "USER", "DELETE", "User " + u.name() + " deleted by " + inv.session().user());
        inv.say(UserMessages.USER_DELETED, u.name());
    }

    private void purge(Invocation inv) throws CommandException {
        // PURGE USER keeps MANAGER (fact sheet 1.2); in security mode that would lock out the
        // Security Officer, so it is refused there like deleting the last one.
        if (security.securityMode()) {
            throw new CommandException(UserMessages.LAST_SECOFF, "(all)");
        }
        for (User u : users.list()) {
            if (!u.name().equalsIgnoreCase(UserStore.DEFAULT_USER)) {
                users.delete(u.name());
            }
        }
        if (users.find(UserStore.DEFAULT_USER).isEmpty()) {
            users.add(new User(UserStore.DEFAULT_USER, users.hash(UserStore.DEFAULT_PASSWORD), Privilege.MANAGER, true, true, "", 0, 0, null));
        }
        log.log(Severity.NOTICE, "USER", "USER", "PURGE", "Users purged by " + inv.session().user());
        inv.say(UserMessages.PURGED, UserStore.DEFAULT_USER);
    }

    private void show(Invocation inv) throws CommandException {
        List<User> list;
        if (inv.hasValue("USER")) {
            String name = inv.string("USER");
            list = List.of(users.find(name).orElseThrow(() -> new CommandException(UserMessages.USER_MISSING, name)));
        } else {
            list = users.list();
        }
        inv.println("");
        inv.println("User Authentication Database");
        inv.println("--------------------------------------------------------------------------------");
        inv.println(String.format("%-16s %-8s %-5s %-6s %-6s %-5s %-17s %s", "Username", "Priv", "Login", "Telnet", "Logins", "Fails", "Last login", "Description"));
        inv.println("--------------------------------------------------------------------------------");
        for (User u : list) {
            inv.println(String.format("%-16s %-8s %-5s %-6s %-6d %-5d %-17s %s", u.name(), u.privilege().prompt(), u.login() ? "Yes" : "No",
                    u.telnet() ? "Yes" : "No", u.logins(), u.failures(), u.lastLogin() == null ? "-" : WHEN.format(u.lastLogin()), u.description()));
        }
        inv.println("--------------------------------------------------------------------------------");
        inv.println("Current user: " + inv.session().user() + " (" + inv.session().privilege().prompt() + ") on " + inv.session().portLabel());
        inv.println("Security mode: " + (security.securityMode() ? "Enabled" : "Disabled")
                + "   Security timeout: " + security.securityTimeout().toSeconds() + " s");
    }

    private void enableSecurity(Invocation inv) throws CommandException {
        if (security.securityMode()) {
            inv.say(UserMessages.SECURITY_ALREADY_ON);
            return;
        }
        if (!users.anySecurityOfficer()) {
            throw new CommandException(UserMessages.NO_SECOFF);
        }
        security.set(true);
        log.log(Severity.IMPORTANT, "SYS", "SECUR", "ON", "Security mode enabled by " + inv.session().user());
        inv.say(UserMessages.SECURITY_ON);
    }

    private void disableSecurity(Invocation inv) {
        if (!security.securityMode()) {
            inv.say(UserMessages.SECURITY_ALREADY_OFF);
            return;
        }
        security.set(false);
        log.log(Severity.IMPORTANT, "SYS", "SECUR", "OFF", "Security mode disabled by " + inv.session().user());
        inv.say(UserMessages.SECURITY_OFF);
    }

    @Override
    public void writeConfig(ConfigOut out) {
        if (!security.securityTimeout().equals(SecurityMode.DEFAULT_TIMEOUT)) {
            out.line("set user securedelay=" + security.securityTimeout().toSeconds());
        }
    }

    @Override
    public void resetConfig() {
        security.securityTimeout(SecurityMode.DEFAULT_TIMEOUT);
    }
}
