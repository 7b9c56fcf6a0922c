package io.argate.isakmp;

import io.argate.store.EventLog;
import io.argate.store.Severity;

/**
 * Where the daemon's log lines go: the router's event log as {@code ISAK IKMP XCHG ...}
 * (seed 003: "03 11:31:14 3 ISAK IKMP XCHG Exchange 1: Completed successfully"), a list in tests.
 */
@FunctionalInterface
public interface IsakmpLog {
    /** @param subtype XCHG for exchange lines, MSG for module lines, ERROR for failures */
    void log(String subtype, String message);

    static IsakmpLog of(EventLog log) {
        return (subtype, message) -> log.log(subtype.equals("ERROR") ? Severity.IMPORTANT : Severity.INFO, "ISAK", "IKMP", subtype, message);
    }
}
