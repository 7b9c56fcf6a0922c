package io.argate.shell.user;

import io.argate.shell.cmd.Privilege;
import io.argate.store.Nvs;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The user database in NVS, like the AR's user database kept apart from configuration scripts
 * (DESIGN.md section 3: password hashes live in NVS). The default user manager/friend is created
 * when the table is empty.
 */
public final class UserStore {
    public static final String DEFAULT_USER = "manager";
    public static final String DEFAULT_PASSWORD = "friend";

    private final Nvs nvs;
    private final PasswordHash hasher;

    public UserStore(Nvs nvs, PasswordHash hasher) {
        this.nvs = nvs;
        this.hasher = hasher;
        nvs.migrate("USER", List.of(
                "CREATE TABLE IF NOT EXISTS users(user_key VARCHAR(64) PRIMARY KEY, name VARCHAR(64) NOT NULL, hash VARCHAR(200) NOT NULL,"
                        + " privilege VARCHAR(20) NOT NULL, login BOOLEAN NOT NULL, telnet BOOLEAN NOT NULL, description VARCHAR(24),"
                        + " logins BIGINT NOT NULL, failures INT NOT NULL, last_login TIMESTAMP WITH TIME ZONE)"));
        if (list().isEmpty()) {
            add(new User(DEFAULT_USER, hasher.hash(DEFAULT_PASSWORD), Privilege.MANAGER, true, true, "", 0, 0, null));
        }
    }

    public String hash(String password) {
        return hasher.hash(password);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    public Optional<User> find(String name) {
        return nvs.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT * FROM users WHERE user_key = ?")) {
                s.setString(1, key(name));
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(read(r)) : Optional.<User>empty();
                }
            }
        });
    }

    public List<User> list() {
        return nvs.transaction(c -> {
            List<User> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT * FROM users ORDER BY user_key"); ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(read(r));
                }
            }
            return out;
        });
    }

    private static User read(ResultSet r) throws java.sql.SQLException {
        Timestamp last = r.getTimestamp("last_login");
        return new User(r.getString("name"), r.getString("hash"), Privilege.valueOf(r.getString("privilege")), r.getBoolean("login"),
                r.getBoolean("telnet"), r.getString("description") == null ? "" : r.getString("description"),
                r.getLong("logins"), r.getInt("failures"), last == null ? null : last.toInstant());
    }

    public void add(User u) {
        nvs.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO users VALUES (?,?,?,?,?,?,?,?,?,?)")) {
                bind(s, u);
                return s.executeUpdate();
            }
        });
    }

    /** Replaces the stored user of the same name. */
    public void update(User u) {
        nvs.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("MERGE INTO users KEY(user_key) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
                bind(s, u);
                return s.executeUpdate();
            }
        });
    }

    private static void bind(PreparedStatement s, User u) throws java.sql.SQLException {
        s.setString(1, key(u.name()));
        s.setString(2, u.name());
        s.setString(3, u.hash());
        s.setString(4, u.privilege().name());
        s.setBoolean(5, u.login());
        s.setBoolean(6, u.telnet());
        s.setString(7, u.description());
        s.setLong(8, u.logins());
        s.setInt(9, u.failures());
        s.setTimestamp(10, u.lastLogin() == null ? null : Timestamp.from(u.lastLogin()));
    }

    public void delete(String name) {
        nvs.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM users WHERE user_key = ?")) {
                s.setString(1, key(name));
                return s.executeUpdate();
            }
        });
    }

    /** Records a login attempt's outcome. */
    public void recordLogin(String name, boolean ok, Instant at) {
        find(name).ifPresent(u -> update(ok
                ? new User(u.name(), u.hash(), u.privilege(), u.login(), u.telnet(), u.description(), u.logins() + 1, 0, at)
                : new User(u.name(), u.hash(), u.privilege(), u.login(), u.telnet(), u.description(), u.logins(), u.failures() + 1, u.lastLogin())));
    }

    public boolean anySecurityOfficer() {
        return list().stream().anyMatch(u -> u.privilege() == Privilege.SECURITY_OFFICER);
    }
}
