package io.argate.shell.cmd;

import java.util.List;
import java.util.Locale;

/**
 * A keyword of the grammar: a command word ({@code CREATE}, {@code IPSEC}, {@code POLICY}) or a
 * parameter name ({@code INTERFACE}), with the value it may carry.
 *
 * @param name    canonical upper-case spelling
 * @param aliases other spellings that match exactly (LOGON and LOGI for LOGIN)
 * @param mode    whether a value is taken
 * @param type    the value's type (null when mode is NONE)
 * @param help    one line for {@code ?} and HELP
 */
public record Keyword(String name, List<String> aliases, ValueMode mode, ValueType type, String help) {

    public Keyword {
        name = name.toUpperCase(Locale.ROOT);
        aliases = aliases.stream().map(a -> a.toUpperCase(Locale.ROOT)).toList();
        if ((mode == ValueMode.NONE) != (type == null)) {
            throw new IllegalArgumentException(name + ": a value type is needed exactly when a value is taken");
        }
    }

    /** True when {@code word} (upper case) is this keyword or one of its aliases exactly. */
    public boolean exact(String word) {
        return name.equals(word) || aliases.contains(word);
    }

    /** True when {@code word} (upper case) is a prefix of the name or of an alias. */
    public boolean prefix(String word) {
        if (name.startsWith(word)) {
            return true;
        }
        for (String a : aliases) {
            if (a.startsWith(word)) {
                return true;
            }
        }
        return false;
    }

    /** Usage form: {@code POLICY=name}, {@code [=name]} for optional values. */
    public String usage() {
        return switch (mode) {
            case NONE -> name;
            case OPTIONAL -> name + "[=" + type.describe() + "]";
            case REQUIRED -> name + "=" + type.describe();
        };
    }
}
