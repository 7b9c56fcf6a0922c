package io.argate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    /** Identical events within this time of a stored one are counted and summarised ({@link RepeatFilter}). */
    public static final Duration REPEAT_WINDOW = Duration.ofSeconds(30);
    /** What the log may make the NVS file grow to under any flood (EventLogFloodTest holds it to this). */
    public static final long DISK_BUDGET = 16L * 1024 * 1024;
    /** Commits a second made at once, then entries are written in batches of {@link #BATCH}. */
    static final int BURST_COMMITS = 8;
    static final int BATCH = 64;
    /** Commits between two compactions of the NVS file ({@link Nvs#compact()}). */
    static final int COMPACT_EVERY = 256;
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
    private final RepeatFilter repeats = new RepeatFilter(REPEAT_WINDOW);
    private final AtomicLong repeated = new AtomicLong();
    private Instant burstStart = Instant.MIN;
    private int commitsInBurst;
    private int commitsSinceCompact;
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
        // entries batched during a flood reach the file before NVS closes
        nvs.beforeClose(this::flush);
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
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            RepeatFilter.Key key = new RepeatFilter.Key(severity == null ? Severity.INFO : severity,
                    code(module), code(type), code(subtype), text(message));
            summarise(repeats.due(now, false), now);
            if (repeats.repeat(key, now)) {
                repeated.incrementAndGet();
                return;
            }
            summarise(repeats.stored(key, now), now);
            entry = new LogEntry(nextSeq++, now, key.severity(), key.module(), key.type(), key.subtype(), key.message());
            unsaved.addLast(entry);
            if (storeNow(now)) {
                store();
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

    private void summarise(List<RepeatFilter.Summary> summaries, Instant now) {
        for (RepeatFilter.Summary sm : summaries) {
            RepeatFilter.Key k = sm.key();
            unsaved.addLast(new LogEntry(nextSeq++, now, k.severity(), k.module(), k.type(), k.subtype(), sm.message(MESSAGE_MAX)));
        }
    }

    /**
     * Whether the entries waiting in memory go to NVS now. Each commit leaves a chunk in the H2
     * file that is reused only after H2's retention time, so a flood of commits grows the file
     * whatever the row count: up to {@link #BURST_COMMITS} commits a second are made at once
     * (every entry durable as it is logged), beyond that entries are written {@link #BATCH} at a
     * time or at the next second, whichever comes first.
     */
    private boolean storeNow(Instant now) {
        if (unsaved.size() >= BATCH) {
            return true;
        }
        if (!now.isBefore(burstStart.plusSeconds(1))) {
            burstStart = now;
            commitsInBurst = 0;
        }
        return commitsInBurst < BURST_COMMITS;
    }

    /** Writes what waits in memory; on failure keeps the newest {@link #UNSAVED_LIMIT} and counts. */
    private void store() {
        if (unsaved.isEmpty()) {
            return;
        }
        try {
            if (!ready) {
                throw new StoreException("event log table is not ready");
            }
            storeUnsaved();
            unsaved.clear();
            commitsInBurst++;
            if (++commitsSinceCompact >= COMPACT_EVERY) {
                commitsSinceCompact = 0;
                nvs.compact();
            }
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            while (unsaved.size() > UNSAVED_LIMIT) {
                unsaved.removeFirst();
            }
        }
    }

    /** Writes every waiting entry and the summaries of open runs (before NVS closes, and for SHOW LOG). */
    public void flush() {
        synchronized (lock) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            summarise(repeats.due(now, true), now);
            store();
        }
    }

    /** Events counted as repeats of a stored one rather than stored themselves. */
    public long repeated() {
        return repeated.get();
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
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            List<RepeatFilter.Summary> closed = repeats.due(now, false);
            if (!closed.isEmpty()) {
                summarise(closed, now);
                store();
            }
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
            // entries still in memory count against the capacity as stored ones do
            long oldestKept = nextSeq - capacity;
            found.removeIf(e -> e.seq() < oldestKept);
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
