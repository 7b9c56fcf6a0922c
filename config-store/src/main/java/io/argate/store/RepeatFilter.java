package io.argate.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Summarises floods of identical events, in the spirit of syslog's "last message repeated N
 * times": an event equal in severity, codes and text to one stored less than {@link #window}
 * ago is counted instead of stored, and when that window closes one summary entry says how
 * many there were. A flood thus costs at most two entries per distinct event per window.
 * At most {@link #MAX_RUNS} distinct events are followed at once; the oldest is summarised
 * early to make room.
 */
final class RepeatFilter {
    static final int MAX_RUNS = 64;

    /** What makes two events identical. */
    record Key(Severity severity, String module, String type, String subtype, String message) {
        static Key of(LogEntry e) {
            return new Key(e.severity(), e.module(), e.type(), e.subtype(), e.message());
        }
    }

    /** A closed run with repeats: what its summary entry says. */
    record Summary(Key key, long repeats, Duration window) {
        String message(int max) {
            String m = "Repeated " + repeats + " times in " + window.toSeconds() + " s: " + key.message();
            return m.length() > max ? m.substring(0, max) : m;
        }
    }

    private static final class Run {
        final Instant since;
        long repeats;

        Run(Instant since) {
            this.since = since;
        }
    }

    private final Duration window;
    private final LinkedHashMap<Key, Run> runs = new LinkedHashMap<>();

    RepeatFilter(Duration window) {
        this.window = window;
    }

    /** True when {@code key} repeats an event stored within the window: it is counted, not stored. */
    boolean repeat(Key key, Instant now) {
        Run r = runs.get(key);
        if (r != null && now.isBefore(r.since.plus(window))) {
            r.repeats++;
            return true;
        }
        return false;
    }

    /**
     * Records that {@code key} is being stored now, opening its window; returns the summary of
     * a run pushed out to make room, if it had repeats.
     */
    List<Summary> stored(Key key, Instant now) {
        List<Summary> out = new ArrayList<>();
        Run old = runs.remove(key);
        if (old != null && old.repeats > 0) {
            out.add(new Summary(key, old.repeats, window));
        }
        if (runs.size() >= MAX_RUNS) {
            Iterator<Map.Entry<Key, Run>> it = runs.entrySet().iterator();
            Map.Entry<Key, Run> eldest = it.next();
            it.remove();
            if (eldest.getValue().repeats > 0) {
                out.add(new Summary(eldest.getKey(), eldest.getValue().repeats, window));
            }
        }
        runs.put(key, new Run(now));
        return out;
    }

    /** Summaries of runs whose window has closed by {@code now} (all runs when {@code all}), which end. */
    List<Summary> due(Instant now, boolean all) {
        List<Summary> out = new ArrayList<>();
        Iterator<Map.Entry<Key, Run>> it = runs.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Run> e = it.next();
            if (all || !now.isBefore(e.getValue().since.plus(window))) {
                it.remove();
                if (e.getValue().repeats > 0) {
                    out.add(new Summary(e.getKey(), e.getValue().repeats, window));
                }
            }
        }
        return out;
    }
}
