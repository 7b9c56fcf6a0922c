package io.argate.store;

import java.time.Instant;

/**
 * One event log entry.
 *
 * @param seq      position in the log, increasing; orders entries
 * @param at       when it happened (microsecond precision, as stored)
 * @param module   short upper-case code of the router module, e.g. USER, SYS, CFG
 * @param type     short upper-case event type, e.g. USER, RSTRT
 * @param subtype  short upper-case event subtype, e.g. LOGIN, LOGFAIL, START
 * @param message  one line of text
 */
public record LogEntry(long seq, Instant at, Severity severity, String module, String type, String subtype,
                       String message) {
}
