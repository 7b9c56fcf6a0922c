package io.argate.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Event log severity, with the AlliedWare level numbers (SHOW LOG prints the number in its S
 * column; SEVERITY=n in a filter selects that level and above).
 */
public enum Severity {
    DEBUG(0), TRIVIAL(1), DETAIL(2), INFO(3), NOTICE(4), IMPORTANT(5), URGENT(6), CRITICAL(7);

    private final int number;

    Severity(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The severity with level {@code number} (0-7). */
    public static Severity ofNumber(int number) {
        for (Severity s : values()) {
            if (s.number == number) {
                return s;
            }
        }
        throw new IllegalArgumentException("Severity " + number + " is not valid; " + accepted());
    }

    /**
     * Parses a level number or a name, which may be shortened to any unique prefix as AR
     * keywords can ({@code IMP}, {@code CRIT}); {@code I} is ambiguous between INFO and IMPORTANT.
     */
    public static Severity parse(String text) {
        String t = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw new IllegalArgumentException("Severity is missing; " + accepted());
        }
        if (t.chars().allMatch(Character::isDigit)) {
            if (t.length() > 1) {
                throw new IllegalArgumentException("Severity " + text.strip() + " is not valid; " + accepted());
            }
            return ofNumber(t.charAt(0) - '0');
        }
        List<Severity> candidates = new ArrayList<>();
        for (Severity s : values()) {
            if (s.name().equals(t)) {
                return s;
            }
            if (s.name().startsWith(t)) {
                candidates.add(s);
            }
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("Severity " + text.strip() + " is not valid; " + accepted());
        }
        throw new IllegalArgumentException("Severity " + text.strip() + " is ambiguous: " + candidates);
    }

    private static String accepted() {
        return "use 0-7 or DEBUG, TRIVIAL, DETAIL, INFO, NOTICE, IMPORTANT, URGENT, CRITICAL";
    }
}
