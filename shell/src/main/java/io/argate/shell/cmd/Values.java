package io.argate.shell.cmd;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The value types of the command language (DESIGN.md section 2): IP address, mask, integer
 * range, enumeration, name, quoted string, hex and boolean, plus their combinations.
 */
public final class Values {
    private Values() {
    }

    /** Dotted-quad IPv4 address, parsed strictly (no host names, no leading zeros beyond one digit group rules). */
    public static ValueType ip() {
        return new ValueType() {
            @Override
            public Object parse(String raw) throws BadValue {
                return parseIpv4(raw);
            }

            @Override
            public String describe() {
                return "an IP address (a.b.c.d)";
            }

            @Override
            public String format(Object value) {
                return ((Inet4Address) value).getHostAddress();
            }
        };
    }

    /** A contiguous IPv4 netmask such as 255.255.255.0. */
    public static ValueType mask() {
        return new ValueType() {
            @Override
            public Object parse(String raw) throws BadValue {
                Inet4Address a = parseIpv4(raw);
                int bits = toInt(a);
                int inverted = ~bits;
                if ((inverted & (inverted + 1)) != 0) {
                    throw new BadValue("the one bits of a mask must be contiguous");
                }
                return a;
            }

            @Override
            public String describe() {
                return "a network mask (e.g. 255.255.255.0)";
            }

            @Override
            public String format(Object value) {
                return ((Inet4Address) value).getHostAddress();
            }
        };
    }

    /** An address range {@code a.b.c.d-e.f.g.h} (first not above last) or a single address. */
    public static ValueType ipRange() {
        return new ValueType() {
            @Override
            public Object parse(String raw) throws BadValue {
                int dash = raw.indexOf('-');
                if (dash < 0) {
                    Inet4Address a = parseIpv4(raw);
                    return new IpRange(a, a);
                }
                Inet4Address from = parseIpv4(raw.substring(0, dash));
                Inet4Address to = parseIpv4(raw.substring(dash + 1));
                if (Integer.compareUnsigned(toInt(from), toInt(to)) > 0) {
                    throw new BadValue("the first address of a range must not be above the last");
                }
                return new IpRange(from, to);
            }

            @Override
            public String describe() {
                return "an IP address or range (a.b.c.d[-e.f.g.h])";
            }

            @Override
            public String format(Object value) {
                return value.toString();
            }
        };
    }

    /** An integer in {@code min..max}; parsed values are {@link Long}. */
    public static ValueType integer(long min, long max) {
        return new ValueType() {
            @Override
            public Object parse(String raw) throws BadValue {
                long v = parseDecimal(raw);
                if (v < min || v > max) {
                    throw new BadValue("out of range");
                }
                return v;
            }

            @Override
            public String describe() {
                return min + ".." + max;
            }
        };
    }

    /**
     * One of a fixed set of keywords, abbreviable to any unique prefix; an exact match wins.
     * Parsed values are the canonical upper-case keyword.
     */
    public static ValueType choice(String... keywords) {
        List<String> words = Arrays.stream(keywords).map(k -> k.toUpperCase(Locale.ROOT)).toList();
        return new ValueType() {
            @Override
            public Object parse(String raw) throws BadValue {
                return matchKeyword(words, raw);
            }

            @Override
            public String describe() {
                return String.join("|", words);
            }

            @Override
            public List<String> keywords() {
                return words;
            }

            @Override
            public String format(Object value) {
                return value.toString().toLowerCase(Locale.ROOT);
            }
        };
    }

    /** TRUE/FALSE, YES/NO, ON/OFF (abbreviable); parsed values are {@link Boolean}. */
    public static ValueType bool() {
        List<String> words = List.of("TRUE", "FALSE", "YES", "NO", "ON", "OFF");
        return new ValueType() {
            @Override
            public Object parse(String raw) throws BadValue {
                String w = matchKeyword(words, raw);
                return w.equals("TRUE") || w.equals("YES") || w.equals("ON");
            }

            @Override
            public String describe() {
                return "TRUE|FALSE|YES|NO|ON|OFF";
            }

            @Override
            public List<String> keywords() {
                return words;
            }

            @Override
            public String format(Object value) {
                return ((Boolean) value) ? "true" : "false";
            }
        };
    }

    /**
     * A name of {@code min..max} characters matching {@code charset} (a regex character class
     * body such as {@code A-Za-z0-9_-}); case is kept.
     */
    public static ValueType name(int min, int max, String charset, String charsetDescription) {
        Pattern p = Pattern.compile("[" + charset + "]{" + min + "," + max + "}");
        return new ValueType() {
            @Override
            public Object parse(String raw) throws BadValue {
                if (raw.length() < min || raw.length() > max) {
                    throw new BadValue("length must be " + min + ".." + max);
                }
                if (!p.matcher(raw).matches()) {
                    throw new BadValue("only " + charsetDescription + " are allowed");
                }
                return raw;
            }

            @Override
            public String describe() {
                return "a name of " + min + ".." + max + " " + charsetDescription;
            }
        };
    }

    /** Free text of printable characters, {@code min..max} long; quote it to keep spaces. */
    public static ValueType text(int min, int max) {
        return new ValueType() {
            @Override
            public Object parse(String raw) throws BadValue {
                if (raw.length() < min || raw.length() > max) {
                    throw new BadValue("length must be " + min + ".." + max);
                }
                for (int i = 0; i < raw.length(); i++) {
                    if (Character.isISOControl(raw.charAt(i))) {
                        throw new BadValue("control characters are not allowed");
                    }
                }
                return raw;
            }

            @Override
            public String describe() {
                return "a string of " + min + ".." + max + " characters (quoted if it has spaces)";
            }
        };
    }

    /** Hex digits with a {@code 0x} prefix, {@code minBytes..maxBytes} long; parsed as byte[]. */
    public static ValueType hex(int minBytes, int maxBytes) {
        return new ValueType() {
            @Override
            public Object parse(String raw) throws BadValue {
                if (!(raw.startsWith("0x") || raw.startsWith("0X"))) {
                    throw new BadValue("hex values start with 0x");
                }
                String digits = raw.substring(2);
                // Character.digit accepts fullwidth and other Unicode digits that HexFormat refuses
                if (!digits.chars().allMatch(Values::isHexDigit)) {
                    throw new BadValue("only the hex digits 0-9 and A-F are allowed");
                }
                if (digits.length() % 2 != 0) {
                    throw new BadValue("an even number of hex digits is needed");
                }
                int bytes = digits.length() / 2;
                if (bytes < minBytes || bytes > maxBytes) {
                    throw new BadValue("length must be " + minBytes + ".." + maxBytes + " bytes");
                }
                return HexFormat.of().parseHex(digits);
            }

            @Override
            public String describe() {
                return "hex 0x... of " + minBytes + ".." + maxBytes + " bytes";
            }

            @Override
            public String format(Object value) {
                return "0x" + HexFormat.of().formatHex((byte[]) value);
            }
        };
    }

    /**
     * The first alternative that accepts the value wins; keyword alternatives are tried first,
     * so {@code or(choice("ANY","DYNAMIC"), ip())} reads {@code ANY} as the keyword.
     */
    public static ValueType or(ValueType... alternatives) {
        List<ValueType> alts = new ArrayList<>(Arrays.asList(alternatives));
        // keyword alternatives first, so ANY is never read as a name
        alts.sort(java.util.Comparator.comparing(t -> t.keywords().isEmpty()));
        return new ValueType() {
            @Override
            public Object parse(String raw) throws BadValue {
                String detail = null;
                for (ValueType t : alts) {
                    try {
                        return t.parse(raw);
                    } catch (BadValue e) {
                        // keep the free-form alternative's reason: it says more than "not ANY"
                        if (t.keywords().isEmpty() && e.getMessage() != null) {
                            detail = e.getMessage();
                        }
                    }
                }
                throw new BadValue(detail);
            }

            @Override
            public String describe() {
                return String.join(" or ", alts.stream().map(ValueType::describe).toList());
            }

            @Override
            public List<String> keywords() {
                return alts.stream().flatMap(t -> t.keywords().stream()).toList();
            }

            @Override
            public String format(Object value) {
                for (ValueType t : alts) {
                    if (!t.keywords().isEmpty() && value instanceof String s && t.keywords().contains(s)) {
                        return t.format(value);
                    }
                }
                for (ValueType t : alts) {
                    if (t.keywords().isEmpty()) {
                        try {
                            return t.format(value);
                        } catch (ClassCastException wrongAlternative) {
                            // value belongs to another alternative
                        }
                    }
                }
                return String.valueOf(value);
            }
        };
    }

    /** Resolves an abbreviation against keywords: exact match, else a unique prefix. */
    static String matchKeyword(List<String> words, String raw) throws ValueType.BadValue {
        // Unicode case mapping would read the dotless i or the long s as I and S: keywords are ASCII
        if (raw.isEmpty() || !isAscii(raw)) {
            throw new ValueType.BadValue(null);
        }
        String up = raw.toUpperCase(Locale.ROOT);
        if (words.contains(up)) {
            return up;
        }
        List<String> hits = words.stream().filter(w -> w.startsWith(up)).toList();
        if (hits.size() == 1) {
            return hits.get(0);
        }
        if (hits.size() > 1) {
            throw new ValueType.BadValue("ambiguous, could be " + String.join(" or ", hits));
        }
        throw new ValueType.BadValue(null);
    }

    public static Inet4Address parseIpv4(String raw) throws ValueType.BadValue {
        String[] parts = raw.split("\\.", -1);
        if (parts.length != 4) {
            throw new ValueType.BadValue(null);
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Values::isDigit)) {
                throw new ValueType.BadValue(null);
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new ValueType.BadValue("each part must be 0..255");
            }
            b[i] = (byte) v;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException impossible) {
            throw new ValueType.BadValue(null);
        }
    }

    /**
     * A non-negative decimal number of ASCII digits. {@link Character#isDigit} and
     * {@link Long#parseLong} also accept Arabic-Indic, fullwidth and other Unicode digits, which
     * no AR command means and no script should silently turn into a number; a number above
     * {@link Long#MAX_VALUE} is out of every range, not an exception.
     */
    public static long parseDecimal(String raw) throws ValueType.BadValue {
        if (raw.isEmpty()) {
            throw new ValueType.BadValue(null);
        }
        if (!raw.chars().allMatch(Values::isDigit)) {
            // say why when the value looks like a number in another script
            throw new ValueType.BadValue(raw.chars().anyMatch(Character::isDigit) && raw.chars().allMatch(Character::isDigit)
                    ? "only the digits 0-9 are allowed" : null);
        }
        long v = 0;
        for (int i = 0; i < raw.length(); i++) {
            int d = raw.charAt(i) - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                throw new ValueType.BadValue("out of range");
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** True when every character is printable ASCII (keywords and numbers are spelled in it). */
    public static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    /** An ASCII decimal digit. */
    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** An ASCII hex digit, either case. */
    static boolean isHexDigit(int c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    public static int toInt(Inet4Address a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    /** Quotes a script value when it holds characters the tokenizer would split on. */
    public static String quoteIfNeeded(String s) {
        if (s.isEmpty() || s.chars().anyMatch(c -> c == ' ' || c == '\t' || c == '=' || c == '#')) {
            return '"' + s + '"';
        }
        return s;
    }
}
