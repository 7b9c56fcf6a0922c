package io.argate.firewall.cli;

import io.argate.firewall.config.AddressRange;
import io.argate.firewall.config.PortRange;
import io.argate.shell.cmd.IpRange;
import io.argate.shell.cmd.ValueType;
import io.argate.shell.cmd.Values;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The firewall's parameter types: policy names, ports and port ranges, protocols, option lists. */
final class FirewallValues {
    private FirewallValues() {
    }

    /** Policy names: 1-15 characters from alphanumerics and _ ([C:S37]). */
    static final ValueType POLICY_NAME = Values.name(1, 15, "A-Za-z0-9_", "letters, digits and _");
    static final ValueType IFNAME = Values.name(1, 15, "A-Za-z0-9-", "letters, digits and -");
    static final ValueType ADDRESSES = Values.ipRange();

    /** PROTOCOL names and their IP protocol numbers; ALL is -1. */
    static final Map<String, Integer> PROTOCOLS = Map.of("ALL", -1, "ICMP", 1, "TCP", 6, "UDP", 17, "GRE", 47, "ESP", 50,
            "AH", 51, "OSPF", 89);
    static final ValueType PROTOCOL = Values.or(Values.choice("ALL", "ICMP", "TCP", "UDP", "GRE", "ESP", "AH", "OSPF"),
            Values.integer(0, 255));

    static int protocol(Object v) {
        return v instanceof Long l ? l.intValue() : PROTOCOLS.get((String) v);
    }

    static String protocolName(int p) {
        return PROTOCOLS.entrySet().stream().filter(e -> e.getValue() == p).map(Map.Entry::getKey).findFirst()
                .orElse(Integer.toString(p));
    }

    static AddressRange range(Object v) {
        IpRange r = (IpRange) v;
        return new AddressRange(Values.toInt(r.from()), Values.toInt(r.to()));
    }

    /** {@code ALL}, a port, or {@code first-last} with first not above last. */
    static final ValueType PORTS = new ValueType() {
        @Override
        public Object parse(String raw) throws BadValue {
            if (raw.equalsIgnoreCase("ALL")) {
                return PortRange.ALL;
            }
            int dash = raw.indexOf('-');
            int first = port(dash < 0 ? raw : raw.substring(0, dash));
            int last = dash < 0 ? first : port(raw.substring(dash + 1));
            if (first > last) {
                throw new BadValue("the first port of a range must not be above the last");
            }
            return new PortRange(first, last);
        }

        private int port(String s) throws BadValue {
            if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) {
                throw new BadValue(null);
            }
            int p = Integer.parseInt(s);
            if (p > 65535) {
                throw new BadValue("ports are 0..65535");
            }
            return p;
        }

        @Override
        public String describe() {
            return "ALL, a port or a range (0..65535[-0..65535])";
        }

        @Override
        public List<String> keywords() {
            return List.of("ALL");
        }

        @Override
        public String format(Object value) {
            return value.toString().toLowerCase(Locale.ROOT);
        }
    };

    /**
     * {@code h:mm} or {@code hh:mm} as the number hhmm, hours and minutes as written (so the
     * caller can say which is out of its range); anything else is refused.
     */
    private static int hoursAndMinutes(String raw) throws ValueType.BadValue {
        int colon = raw.indexOf(':');
        if (colon < 1 || colon > 2 || raw.length() != colon + 3 || !(raw.substring(0, colon) + raw.substring(colon + 1)).chars()
                .allMatch(c -> c >= '0' && c <= '9')) {
            throw new ValueType.BadValue(null);
        }
        return Integer.parseInt(raw.substring(0, colon)) * 100 + Integer.parseInt(raw.substring(colon + 1));
    }

    /** A time of day, {@code hh:mm} from 00:00 to 23:59 (AFTER, BEFORE [C:S39]); parsed as the minute of the day. */
    static final ValueType CLOCK = new ValueType() {
        @Override
        public Object parse(String raw) throws BadValue {
            int hhmm = hoursAndMinutes(raw);
            if (hhmm / 100 > 23 || hhmm % 100 > 59) {
                throw new BadValue("hours are 0..23 and minutes 0..59");
            }
            return hhmm / 100 * 60 + hhmm % 100;
        }

        @Override
        public String describe() {
            return "a time of day hh:mm (00:00..23:59)";
        }

        @Override
        public String format(Object value) {
            return io.argate.firewall.config.RuleTime.clock((Integer) value);
        }
    };

    /** TTL of a rule, {@code hh:mm} from 00:01 to 99:59 ([C:S39]); parsed as minutes. */
    static final ValueType TTL = new ValueType() {
        @Override
        public Object parse(String raw) throws BadValue {
            int hhmm = hoursAndMinutes(raw);
            if (hhmm % 100 > 59) {
                throw new BadValue("minutes are 0..59");
            }
            if (hhmm == 0) {
                throw new BadValue("a rule must live at least 00:01");
            }
            return hhmm / 100 * 60 + hhmm % 100;
        }

        @Override
        public String describe() {
            return "how long the rule lives, hh:mm (00:01..99:59)";
        }

        @Override
        public String format(Object value) {
            return io.argate.firewall.config.RuleTime.clock((Integer) value);
        }
    };

    /** DAYS ([C:S39]): days, WEEKDAY, WEEKEND or ALL, comma-separated. */
    static final ValueType DAYS = list("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN", "WEEKDAY", "WEEKEND", "ALL");

    /** The days a DAYS value names, as {@link io.argate.firewall.config.RuleTime}'s bits (Monday bit 0). */
    @SuppressWarnings("unchecked")
    static int dayBits(Object v) {
        int bits = 0;
        for (String d : (Set<String>) v) {
            bits |= switch (d) {
                case "WEEKDAY" -> io.argate.firewall.config.RuleTime.WEEKDAYS;
                case "WEEKEND" -> io.argate.firewall.config.RuleTime.WEEKEND;
                case "ALL" -> io.argate.firewall.config.RuleTime.ALL_DAYS;
                default -> 1 << List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN").indexOf(d);
            };
        }
        return bits;
    }

    /** Minutes 0..43200 ([C:S40]). */
    static final ValueType MINUTES = Values.integer(0, io.argate.firewall.FirewallLimits.MAX_TIMEOUT_MINUTES);

    /** A comma-separated list of keywords, each abbreviable; ALL stands for every one. Parsed as a Set. */
    static ValueType list(String... words) {
        ValueType one = Values.choice(words);
        return new ValueType() {
            @Override
            public Object parse(String raw) throws BadValue {
                Set<String> out = new LinkedHashSet<>();
                for (String part : raw.split(",", -1)) {
                    out.add((String) one.parse(part.trim()));
                }
                return out;
            }

            @Override
            public String describe() {
                return "one or more of " + String.join("|", words) + ", separated by commas";
            }

            @Override
            public List<String> keywords() {
                return Arrays.asList(words);
            }

            @Override
            @SuppressWarnings("unchecked")
            public String format(Object value) {
                return String.join(",", (Set<String>) value).toLowerCase(Locale.ROOT);
            }
        };
    }
}
