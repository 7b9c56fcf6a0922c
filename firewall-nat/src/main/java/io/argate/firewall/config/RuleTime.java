package io.argate.firewall.config;

import java.time.DayOfWeek;
import java.util.Locale;

/**
 * When a rule is in force: AFTER=hh:mm, BEFORE=hh:mm and DAYS of {@code ADD FIREWALL POLICY RULE}
 * ([C:S39]). Outside its time a rule does not match, so the next rule, then the base rule, decides.
 * The reference gives only the syntax; the reading here is [I]: AFTER alone means from then to
 * midnight, BEFORE alone from midnight to then, AFTER later than BEFORE a window across midnight
 * (AFTER=22:00 BEFORE=06:00 is the night), and DAYS the day on which the packet arrives.
 *
 * @param after  minute of the day the rule starts at, or -1
 * @param before minute of the day the rule stops at (not included), or -1
 * @param days   bit {@code n} for {@link DayOfWeek} value {@code n + 1} (Monday bit 0)
 */
public record RuleTime(int after, int before, int days) {
    public static final int ALL_DAYS = 0x7f;
    public static final int WEEKDAYS = 0x1f;
    public static final int WEEKEND = 0x60;

    public RuleTime {
        if (after < -1 || after >= 24 * 60 || before < -1 || before >= 24 * 60 || days <= 0 || days > ALL_DAYS) {
            throw new IllegalArgumentException("after " + after + ", before " + before + ", days " + days);
        }
    }

    /** Whether the rule is in force on {@code day} at {@code minute} (0..1439) of that day. */
    public boolean covers(DayOfWeek day, int minute) {
        if ((days & 1 << (day.getValue() - 1)) == 0) {
            return false;
        }
        int from = after < 0 ? 0 : after;
        int to = before < 0 ? 24 * 60 : before;
        return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
    }

    /** The script's spelling: {@code after=hh:mm before=hh:mm days=...}, each only when not the default. */
    public String text() {
        StringBuilder b = new StringBuilder();
        if (after >= 0) {
            b.append(" after=").append(clock(after));
        }
        if (before >= 0) {
            b.append(" before=").append(clock(before));
        }
        if (days != ALL_DAYS) {
            b.append(" days=").append(dayNames(days));
        }
        return b.toString();
    }

    public static String clock(int minute) {
        return String.format(Locale.ROOT, "%02d:%02d", minute / 60, minute % 60);
    }

    static String dayNames(int days) {
        if (days == WEEKDAYS) {
            return "weekday";
        }
        if (days == WEEKEND) {
            return "weekend";
        }
        StringBuilder b = new StringBuilder();
        for (DayOfWeek d : DayOfWeek.values()) {
            if ((days & 1 << (d.getValue() - 1)) != 0) {
                b.append(b.length() == 0 ? "" : ",").append(d.name(), 0, 3);
            }
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }
}
