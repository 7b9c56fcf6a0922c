package io.argate.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The NVS database: settings, users, keys and the event log in an embedded H2 file
 * ({@code <data>/nvs.mv.db}).
 *
 * <p>Every change is an H2 transaction committed to disk before {@link #transaction} returns
 * ({@code WRITE_DELAY=0}), so killing the router loses at most the change in flight
 * (DESIGN.md section 3). One connection serves all threads, one transaction at a time.
 *
 * <p>The directory and the database file are owner-only ({@link OwnerOnly}): the file holds
 * password hashes and encrypted keys.
 *
 * <p>A file that cannot be opened, or that opens without the NVS tables in it (H2 opens a
 * truncated file as an empty database instead of failing), is damaged: it is moved aside and a
 * fresh database created, so the router still boots with factory settings and says why.
 */
public final class Nvs implements AutoCloseable {

    public static final String FILE_NAME = "nvs.mv.db";
    /** The module name under which NVS records its own schema version. */
    public static final String MODULE = "NVS";

    private static final String BASE_NAME = "nvs";
    /** {@link #compact()}: chunks less full than this percentage are rewritten, at most this many bytes a call. */
    private static final int COMPACT_FILL_RATE = 80;
    private static final int COMPACT_WRITE_BYTES = 4 * 1024 * 1024;
    /** H2 error code for a database file locked by another process. */
    private static final int DATABASE_IN_USE = 90020;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final List<String> NVS_SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS settings(name VARCHAR PRIMARY KEY, \"VALUE\" VARCHAR)");

    private final ReentrantLock lock = new ReentrantLock();
    private final List<Runnable> closeHooks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Connection connection;
    private final String recoveryDetail;
    /** Nesting depth of {@link #transaction} on the lock holder's thread; inner calls join. */
    private int depth;
    private boolean closed;

    private Nvs(Connection connection, String recoveryDetail) {
        this.connection = connection;
        this.recoveryDetail = recoveryDetail;
    }

    /** Opens (creating on first boot) the NVS database in {@code dataDir}. */
    public static Nvs open(Path dataDir) {
        return open(dataDir, Clock.systemDefaultZone());
    }

    /** As {@link #open(Path)}; {@code clock} stamps the name a damaged file is moved to. */
    public static Nvs open(Path dataDir, Clock clock) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            OwnerOnly.directory(dataDir);
        } catch (IOException e) {
            throw new StoreException("NVS directory " + dataDir + " cannot be created: " + e.getMessage(), e);
        }
        boolean existed = Files.exists(file);
        Connection c = null;
        String damage;
        try {
            c = connect(dataDir);
            damage = existed ? checkIntact(c) : null;
            if (damage == null) {
                return ownerOnly(dataDir, ready(c, null));
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == DATABASE_IN_USE) {
                closeQuietly(c);
                throw new StoreException("NVS database " + file + " is in use by another process", e);
            }
            damage = "cannot be read (" + h2Reason(e) + ")";
        }
        closeQuietly(c);
        Path aside = moveAside(dataDir, clock);
        String detail = "NVS database " + FILE_NAME + " " + damage + "; moved to "
                + aside.getFileName() + " and a new one created";
        try {
            return ownerOnly(dataDir, ready(connect(dataDir), detail));
        } catch (SQLException e) {
            throw new StoreException("NVS database " + file + " cannot be created: " + h2Reason(e), e);
        }
    }

    /**
     * H2 creates its files with the process umask; the data directory is owner-only already, and
     * the files are narrowed too so a copy of the directory or a later chmod of it exposes nothing.
     */
    private static Nvs ownerOnly(Path dataDir, Nvs nvs) {
        try {
            OwnerOnly.files(dataDir, BASE_NAME);
        } catch (IOException e) {
            nvs.close();
            throw new StoreException("NVS database in " + dataDir + " cannot be made owner-only: " + e.getMessage(), e);
        }
        return nvs;
    }

    private static Connection connect(Path dataDir) throws SQLException {
        // DB_CLOSE_ON_EXIT=FALSE: the router, not a JVM shutdown hook, decides when NVS closes.
        // WRITE_DELAY=0: a commit is in the file when commit() returns, not up to 500 ms later.
        // async: H2's AsynchronousFileChannel file system, because a FileChannel is closed for
        // good when a thread doing I/O is interrupted (ClosedByInterruptException), and session
        // and timer threads are interrupted when they are stopped.
        String url = "jdbc:h2:async:" + dataDir.toAbsolutePath().resolve(BASE_NAME)
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        Connection c = DriverManager.getConnection(url, "", "");
        c.setAutoCommit(false);
        return c;
    }

    /**
     * Null when an existing file holds the NVS schema and every row of every table reads back;
     * otherwise why not. Reading all rows finds a damaged page at boot instead of mid-command;
     * NVS is small (the event log is bounded), so this costs little.
     */
    private static String checkIntact(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
                     + " WHERE TABLE_SCHEMA = 'PUBLIC'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        if (!tables.contains("SCHEMA_VERSION")) {
            return "holds no NVS tables (truncated, or not an NVS file)";
        }
        for (String table : tables) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT * FROM \"" + table.replace("\"", "\"\"") + "\"")) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        rs.getObject(i);
                    }
                }
            }
        }
        c.rollback();
        return null;
    }

    private static Nvs ready(Connection c, String recoveryDetail) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version(module VARCHAR PRIMARY KEY, version INT)");
        }
        c.commit();
        Nvs nvs = new Nvs(c, recoveryDetail);
        try {
            nvs.migrate(MODULE, NVS_SCHEMA);
        } catch (StoreException e) {
            closeQuietly(c);
            throw e;
        }
        return nvs;
    }

    private static Path moveAside(Path dataDir, Clock clock) {
        String stamp = LocalDateTime.now(clock).format(STAMP);
        Path aside = dataDir.resolve(BASE_NAME + ".damaged-" + stamp + ".mv.db");
        for (int n = 2; Files.exists(aside); n++) {
            aside = dataDir.resolve(BASE_NAME + ".damaged-" + stamp + "-" + n + ".mv.db");
        }
        try {
            Files.move(dataDir.resolve(FILE_NAME), aside);
        } catch (IOException e) {
            throw new StoreException("NVS database " + FILE_NAME + " is damaged and cannot be moved aside: "
                    + e.getMessage(), e);
        }
        return aside;
    }

    /** True when this boot found the database damaged and started a new one. */
    public boolean recoveredFromDamage() {
        return recoveryDetail != null;
    }

    /** What was wrong and where the damaged file went; null when nothing was. */
    public String recoveryDetail() {
        return recoveryDetail;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it
     * throws. SQL errors come back as {@link StoreException}. A call made from inside
     * {@code work} joins the outer transaction.
     */
    public <T> T transaction(SqlWork<T> work) {
        lock.lock();
        try {
            if (closed) {
                throw new StoreException("NVS database is closed");
            }
            if (depth > 0) {
                depth++;
                try {
                    return work.run(connection);
                } catch (SQLException e) {
                    throw failure(e);
                } finally {
                    depth--;
                }
            }
            depth = 1;
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException e) {
                rollbackQuietly();
                throw failure(e);
            } catch (RuntimeException | Error e) {
                rollbackQuietly();
                throw e;
            } finally {
                depth = 0;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Brings {@code module}'s tables up to date: step i (1-based) runs when the recorded
     * version is below i, and the version is recorded with it.
     *
     * <p>Each step commits with its version record rather than all steps in one transaction,
     * because H2 commits implicitly around DDL: a step that fails leaves the earlier steps
     * applied and recorded, and the next call resumes at the failed step. Write DDL steps with
     * {@code IF NOT EXISTS} so a crash between a DDL step and its record is harmless.
     */
    public void migrate(String module, List<String> ddlSteps) {
        Objects.requireNonNull(module, "module");
        for (int i = 0; i < ddlSteps.size(); i++) {
            int step = i + 1;
            String ddl = ddlSteps.get(i);
            transaction(c -> {
                if (recordedVersion(c, module) >= step) {
                    return null;
                }
                try (Statement s = c.createStatement()) {
                    s.execute(ddl);
                } catch (SQLException e) {
                    throw new SQLException("schema step " + step + " of module " + module + " failed: "
                            + h2Reason(e), e.getSQLState(), e.getErrorCode(), e);
                }
                try (PreparedStatement p = c.prepareStatement(
                        "MERGE INTO schema_version(module, version) KEY(module) VALUES(?, ?)")) {
                    p.setString(1, module);
                    p.setInt(2, step);
                    p.executeUpdate();
                }
                return null;
            });
        }
    }

    /** The schema version recorded for {@code module}; 0 when it has none. */
    public int schemaVersion(String module) {
        return transaction(c -> recordedVersion(c, module));
    }

    private static int recordedVersion(Connection c, String module) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT version FROM schema_version WHERE module = ?")) {
            p.setString(1, module);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    public Optional<String> setting(String name) {
        return transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT \"VALUE\" FROM settings WHERE name = ?")) {
                p.setString(1, name);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    public void putSetting(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value (use removeSetting to clear a setting)");
        transaction(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "MERGE INTO settings(name, \"VALUE\") KEY(name) VALUES(?, ?)")) {
                p.setString(1, name);
                p.setString(2, value);
                return p.executeUpdate();
            }
        });
    }

    public void removeSetting(String name) {
        transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM settings WHERE name = ?")) {
                p.setString(1, name);
                return p.executeUpdate();
            }
        });
    }

    /**
     * Rewrites the database file's partly used chunks so the space of deleted rows (the event
     * log's oldest entries) is reused. H2 does this in a background thread only when commits may
     * be delayed; NVS commits at once ({@code WRITE_DELAY=0}), so without this a log that keeps
     * its row count bounded still grows its file with every commit. Best effort: a failure is
     * reported as false, nothing is lost.
     */
    public boolean compact() {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            org.h2.mvstore.MVStore store = ((org.h2.engine.SessionLocal) connection.unwrap(org.h2.jdbc.JdbcConnection.class)
                    .getSession()).getDatabase().getStore().getMvStore();
            store.compact(COMPACT_FILL_RATE, COMPACT_WRITE_BYTES);
            return true;
        } catch (SQLException | RuntimeException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code work} when {@link #close()} is called, before the database closes (the event
     * log writes what it holds in memory). Runs outside the NVS lock, so it may take its own
     * locks before NVS's as it always does; a failing hook does not stop the close.
     */
    public void beforeClose(Runnable work) {
        closeHooks.add(work);
    }

    /** Closes the connection; H2 closes the file with its last connection. Idempotent. */
    @Override
    public void close() {
        if (!isClosed()) {
            for (Runnable hook : closeHooks) {
                try {
                    hook.run();
                } catch (RuntimeException e) {
                    // what the hook held is lost; the database still closes cleanly
                }
            }
        }
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                connection.close();
            } catch (SQLException e) {
                throw new StoreException("NVS database did not close cleanly: " + h2Reason(e), e);
            }
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the transaction did not commit either way
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already failing; the first error is the one reported
            }
        }
    }

    private static StoreException failure(SQLException e) {
        return new StoreException("NVS database error: " + h2Reason(e), e);
    }

    /** H2's first message line without its "[code-build]" tail, file path and tool advice. */
    private static String h2Reason(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        return message.replaceFirst("\\s*\\[\\d+-\\d+]\\s*$", "")
                .replaceFirst("\\.?\\s*Possible solutions?:.*$", "")
                .replaceAll(":?\\s*\"[^\"]*\\.mv\\.db\"", "")
                .strip();
    }
}
