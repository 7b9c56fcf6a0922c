package io.argate.store;

import java.util.Locale;

/**
 * What SHOW LOG selects: optional MODULE and TYPE codes (case-insensitive, whole code), a
 * minimum severity (SEVERITY=n shows level n and above), and the newest {@code last} entries
 * (0 = all). Results are oldest first.
 */
public record LogFilter(String module, String type, Severity minSeverity, int last) {

    public LogFilter {
        module = module == null ? null : module.strip().toUpperCase(Locale.ROOT);
        type = type == null ? null : type.strip().toUpperCase(Locale.ROOT);
        if (last < 0) {
            throw new IllegalArgumentException("The number of entries must be 0 or more, not " + last);
        }
    }

    /** Every entry. */
    public static LogFilter all() {
        return new LogFilter(null, null, null, 0);
    }

    public LogFilter module(String module) {
        return new LogFilter(module, type, minSeverity, last);
    }

    public LogFilter type(String type) {
        return new LogFilter(module, type, minSeverity, last);
    }

    public LogFilter severity(Severity minimum) {
        return new LogFilter(module, type, minimum, last);
    }

    public LogFilter last(int count) {
        return new LogFilter(module, type, minSeverity, count);
    }

    public boolean matches(LogEntry e) {
        return (module == null || module.equals(e.module()))
                && (type == null || type.equals(e.type()))
                && (minSeverity == null || e.severity().number() >= minSeverity.number());
    }
}
