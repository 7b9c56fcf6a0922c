package io.argate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The router event log, kept in NVS and bounded (DESIGN.md section 3): beyond its capacity the
 * oldest entries are dropped.
 *
 * <p>Logging must never take the caller down, so {@link #log} does not throw: when NVS cannot
 * store an entry the failure is counted and the entry waits in a small in-memory ring, shown by
 * {@link #query} and written out with the next entry that stores successfully.
 */
public final class EventLog {

    public static final int DEFAULT_CAPACITY = 2000;
    /** Schema module name in NVS. */
    public static final String MODULE = "LOG";
    /** Entries kept in memory while NVS cannot take them. */
    static final int UNSAVED_LIMIT = 100;
    /** Longest code and message stored; longer text is cut, keeping the log bounded in bytes too. */
    static final int CODE_MAX = 16;
    static final int MESSAGE_MAX = 1000;

    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS event_log(seq BIGINT PRIMARY KEY, at TIMESTAMP, severity INT,"
                    + " module VARCHAR, type VARCHAR, subtype VARCHAR, message VARCHAR)");
    private static final String COLUMNS = "seq, at, severity, module, type, subtype, message";

    private final Nvs nvs;
    private final Clock clock;
    private final int capacity;
    private final ArrayDeque<LogEntry> unsaved = new ArrayDeque<>();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong listenerFailures = new AtomicLong();
    private final List<Consumer<LogEntry>> listeners = new CopyOnWriteArrayList<>();
    /** Guards nextSeq, ready and unsaved. */
    private final Object lock = new Object();
    private long nextSeq = 1;
    private boolean ready;

    public EventLog(Nvs nvs, Clock clock) {
        this(nvs, clock, DEFAULT_CAPACITY);
    }

    public EventLog(Nvs nvs, Clock clock, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("Event log capacity must be at least 1, not " + capacity);
        }
        this.nvs = nvs;
        this.clock = clock;
        this.capacity = capacity;
        synchronized (lock) {
            try {
                prepare();
            } catch (RuntimeException e) {
                // counted; log() retries, and entries meanwhile live in memory
                failures.incrementAndGet();
            }
        }
    }

    /** Migrates the table and continues the sequence after the newest stored entry. */
    private void prepare() {
        if (ready) {
            return;
        }
        nvs.migrate(MODULE, SCHEMA);
        long stored = nvs.transaction(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(seq) FROM event_log")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        nextSeq = Math.max(nextSeq, stored + 1);
        ready = true;
    }

    /**
     * Records an event and tells the listeners. Codes are stored upper case; control characters
     * in the message become spaces so an entry stays one line. Never throws.
     */
    public void log(Severity severity, String module, String type, String subtype, String message) {
        LogEntry entry;
        synchronized (lock) {
            try {
                prepare();
            } catch (RuntimeException e) {
                // fall through: the entry is numbered anyway and kept in memory below
            }
            entry = new LogEntry(nextSeq++, clock.instant().truncatedTo(ChronoUnit.MICROS),
                    severity == null ? Severity.INFO : severity,
                    code(module), code(type), code(subtype), text(message));
            unsaved.addLast(entry);
            try {
                if (!ready) {
                    throw new StoreException("event log table is not ready");
                }
                storeUnsaved();
                unsaved.clear();
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                while (unsaved.size() > UNSAVED_LIMIT) {
                    unsaved.removeFirst();
                }
            }
        }
        for (Consumer<LogEntry> listener : listeners) {
            try {
                listener.accept(entry);
            } catch (RuntimeException e) {
                // a broken session must not stop logging or the other sessions
                listenerFailures.incrementAndGet();
            }
        }
    }

    private void storeUnsaved() {
        long newest = unsaved.getLast().seq();
        nvs.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO event_log(" + COLUMNS + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (LogEntry e : unsaved) {
                    p.setLong(1, e.seq());
                    p.setObject(2, LocalDateTime.ofInstant(e.at(), ZoneOffset.UTC));
                    p.setInt(3, e.severity().number());
                    p.setString(4, e.module());
                    p.setString(5, e.type());
                    p.setString(6, e.subtype());
                    p.setString(7, e.message());
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM event_log WHERE seq <= ?")) {
                p.setLong(1, newest - capacity);
                return p.executeUpdate();
            }
        });
    }

    /**
     * The entries the filter selects, oldest first, including any not yet stored. When NVS
     * cannot be read this counts a failure and returns what memory holds rather than throwing,
     * so SHOW LOG always shows something.
     */
    public List<LogEntry> query(LogFilter filter) {
        List<LogEntry> found = new ArrayList<>();
        synchronized (lock) {
            try {
                if (ready) {
                    found.addAll(nvs.transaction(c -> select(c, filter)));
                }
            } catch (RuntimeException e) {
                failures.incrementAndGet();
            }
            for (LogEntry e : unsaved) {
                if (filter.matches(e)) {
                    found.add(e);
                }
            }
        }
        found.sort(Comparator.comparingLong(LogEntry::seq));
        if (filter.last() > 0 && found.size() > filter.last()) {
            return List.copyOf(found.subList(found.size() - filter.last(), found.size()));
        }
        return List.copyOf(found);
    }

    private static List<LogEntry> select(Connection c, LogFilter filter) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM event_log WHERE TRUE");
        List<Object> args = new ArrayList<>();
        if (filter.module() != null) {
            sql.append(" AND module = ?");
            args.add(filter.module());
        }
        if (filter.type() != null) {
            sql.append(" AND type = ?");
            args.add(filter.type());
        }
        if (filter.minSeverity() != null) {
            sql.append(" AND severity >= ?");
            args.add(filter.minSeverity().number());
        }
        sql.append(" ORDER BY seq DESC");
        if (filter.last() > 0) {
            sql.append(" LIMIT ?");
            args.add(filter.last());
        }
        List<LogEntry> entries = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                p.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    entries.add(new LogEntry(rs.getLong(1),
                            rs.getObject(2, LocalDateTime.class).toInstant(ZoneOffset.UTC),
                            Severity.ofNumber(rs.getInt(3)),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        }
        Collections.reverse(entries);
        return entries;
    }

    /** Empties the log (RESET LOG). Unlike {@link #log}, reports a storage failure. */
    public void clear() {
        synchronized (lock) {
            prepare();
            nvs.transaction(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("DELETE FROM event_log");
                }
            });
            unsaved.clear();
        }
    }

    /** Renders entries in the SHOW LOG layout; see {@link LogLayout}. */
    public String render(List<LogEntry> entries, ZoneId zone) {
        return LogLayout.render(entries, zone);
    }

    /** Called with every new entry, on the logging thread, after it is recorded. */
    public void addListener(Consumer<LogEntry> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<LogEntry> listener) {
        listeners.remove(listener);
    }

    /** Log writes and reads NVS could not do. */
    public long failures() {
        return failures.get();
    }

    /** Listener calls that threw. */
    public long listenerFailures() {
        return listenerFailures.get();
    }

    public int capacity() {
        return capacity;
    }

    private static String code(String code) {
        String c = text(code).replace(' ', '_').toUpperCase(Locale.ROOT);
        return c.length() > CODE_MAX ? c.substring(0, CODE_MAX) : c;
    }

    private static String text(String message) {
        if (message == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(message.length(), MESSAGE_MAX));
        for (int i = 0; i < message.length() && out.length() < MESSAGE_MAX; i++) {
            char ch = message.charAt(i);
            out.append(Character.isISOControl(ch) ? ' ' : ch);
        }
        return out.toString().strip();
    }
}
