package io.argate.firewall.ftp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The place in an FTP control line that names a data connection's endpoint, and its codec: the
 * argument of PORT ({@code h1,h2,h3,h4,p1,p2}, RFC 959 section 4.1.2) and EPRT
 * ({@code |1|a.b.c.d|port|}, RFC 2428 section 2), the six numbers of a 227 reply (RFC 959 section
 * 4.2; RFC 1123 section 4.1.2.6 says to scan for them, since the text around them varies) and the
 * port of a 229 reply ({@code (|||port|)}, RFC 2428 section 3). {@link #parse} finds it at the start
 * of a segment's data, {@link #encode} writes the same form with another endpoint.
 *
 * @param kind      what the line is
 * @param start     offset of the endpoint text from the start of the data
 * @param end       offset just past it
 * @param address   the address it names (0 for a 229 reply, which names none)
 * @param port      the port it names
 * @param delimiter EPRT's delimiter character
 */
public record FtpEndpointText(Kind kind, int start, int end, int address, int port, char delimiter) {
    public enum Kind {
        /** Active mode, from the client: the client listens. */
        PORT,
        EPRT,
        /** Passive mode, from the server: the server listens. */
        PASV_227,
        EPSV_229;

        public boolean active() {
            return this == PORT || this == EPRT;
        }
    }

    /** The verbs and reply codes of lines that announce a data connection, as a line starts with them. */
    private static final String[] ANNOUNCING = {"PORT ", "EPRT ", "227 ", "229 "};

    /**
     * The endpoint named by the first announcing line among the complete lines (ended by LF, RFC
     * 959 section 4.1: CRLF) of the data at {@code at} ({@code length} bytes, starting a line), or
     * null. A line not ended in this data is not read: its end, still to come, may change what it
     * says ("PORT 192,168,10,5,156,6" may be followed by "5").
     */
    public static FtpEndpointText parse(ByteBuf b, int at, int length) {
        String s = b.toString(at, length, StandardCharsets.ISO_8859_1);
        int from = 0;
        for (int eol = s.indexOf('\n'); eol >= 0; eol = s.indexOf('\n', from)) {
            FtpEndpointText t = line(s.substring(from, eol));
            if (t != null) {
                return new FtpEndpointText(t.kind, from + t.start, from + t.end, t.address, t.port, t.delimiter);
            }
            from = eol + 1;
        }
        return null;
    }

    /**
     * Whether the data ends in an unfinished line that is, or may become, one announcing a data
     * connection ("PO", "PORT 192,16", "227 Entering"): the rest is in a later segment.
     */
    public static boolean endsUnfinished(ByteBuf b, int at, int length) {
        String s = b.toString(at, length, StandardCharsets.ISO_8859_1);
        String tail = s.substring(s.lastIndexOf('\n') + 1).toUpperCase(java.util.Locale.ROOT);
        if (tail.isEmpty()) {
            return false;
        }
        for (String verb : ANNOUNCING) {
            int n = Math.min(tail.length(), verb.length());
            if (tail.regionMatches(0, verb, 0, n)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a complete line asks for a data connection in another address family than IPv4
     * ({@code EPRT |2|...|}, {@code EPSV 2}, RFC 2428 sections 2 and 3): nothing here translates
     * it, and it is passed as it is.
     */
    public static boolean otherFamily(ByteBuf b, int at, int length) {
        String s = b.toString(at, length, StandardCharsets.ISO_8859_1);
        int from = 0;
        for (int eol = s.indexOf('\n'); eol >= 0; eol = s.indexOf('\n', from)) {
            String line = s.substring(from, eol).trim().toUpperCase(java.util.Locale.ROOT);
            from = eol + 1;
            if (line.startsWith("EPRT ") && line.length() > 7 && !Character.isDigit(line.charAt(5))
                    && !line.startsWith("1" + line.charAt(5), 6)) {
                return true;
            }
            if (line.startsWith("EPSV ") && !line.equals("EPSV 1") && !line.equals("EPSV ALL") && line.length() > 5) {
                return true;
            }
        }
        return false;
    }

    /** The endpoint a single line (without its LF) names, offsets from the line's start, or null. */
    private static FtpEndpointText line(String line) {
        if (line.length() < 5) {
            return null;
        }
        // commands are case-insensitive (RFC 959 section 5.3); replies start with their code and a space
        String verb = line.substring(0, 5).toUpperCase(java.util.Locale.ROOT);
        return switch (verb) {
            case "PORT " -> sixNumbers(Kind.PORT, line, 5);
            case "EPRT " -> eprt(line);
            default -> verb.startsWith("227 ") ? sixNumbers(Kind.PASV_227, line, firstDigit(line, 4))
                    : verb.startsWith("229 ") ? epsv(line) : null;
        };
    }

    private static int firstDigit(String line, int from) {
        for (int i = from; i < line.length(); i++) {
            if (Character.isDigit(line.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** h1,h2,h3,h4,p1,p2 from {@code from}: each 0..255. */
    private static FtpEndpointText sixNumbers(Kind kind, String line, int from) {
        if (from < 0) {
            return null;
        }
        int[] n = new int[6];
        int i = from;
        for (int k = 0; k < 6; k++) {
            int begin = i;
            int v = 0;
            while (i < line.length() && Character.isDigit(line.charAt(i)) && i - begin < 3) {
                v = v * 10 + line.charAt(i) - '0';
                i++;
            }
            if (i == begin || v > 255) {
                return null;
            }
            n[k] = v;
            if (k < 5) {
                if (i >= line.length() || line.charAt(i) != ',') {
                    return null;
                }
                i++;
            }
        }
        int address = n[0] << 24 | n[1] << 16 | n[2] << 8 | n[3];
        return new FtpEndpointText(kind, from, i, address, n[4] << 8 | n[5], ',');
    }

    private static FtpEndpointText eprt(String line) {
        if (line.length() < 6) {
            return null;
        }
        char d = line.charAt(5);
        if (d < 33 || d > 126 || Character.isDigit(d)) {
            return null;
        }
        String[] f = line.substring(6).split(java.util.regex.Pattern.quote(String.valueOf(d)), -1);
        // |1|a.b.c.d|port| splits into "1", address, port, rest
        if (f.length < 4 || !f[0].equals("1")) {
            return null; // IPv6 (2) and unknown families are not translated
        }
        long address = dotted(f[1]);
        int port = number(f[2], 65535);
        if (address < 0 || port < 0) {
            return null;
        }
        int end = 6 + f[0].length() + 1 + f[1].length() + 1 + f[2].length() + 1;
        return new FtpEndpointText(Kind.EPRT, 5, end, (int) address, port, d);
    }

    private static FtpEndpointText epsv(String line) {
        int open = line.indexOf('(');
        if (open < 0 || open + 4 >= line.length()) {
            return null;
        }
        char d = line.charAt(open + 1);
        if (line.charAt(open + 2) != d || line.charAt(open + 3) != d) {
            return null;
        }
        int close = line.indexOf(d, open + 4);
        if (close < 0) {
            return null;
        }
        int port = number(line.substring(open + 4, close), 65535);
        return port < 0 ? null : new FtpEndpointText(Kind.EPSV_229, open + 4, close, 0, port, d);
    }

    /** The address, or -1 when {@code s} is not a dotted quad. */
    private static long dotted(String s) {
        String[] p = s.split("\\.", -1);
        if (p.length != 4) {
            return -1;
        }
        long a = 0;
        for (String x : p) {
            int v = number(x, 255);
            if (v < 0) {
                return -1;
            }
            a = a << 8 | v;
        }
        return a;
    }

    private static int number(String s, int max) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        int v = Integer.parseInt(s);
        return v > max ? -1 : v;
    }

    /** The endpoint text of this kind naming {@code address} and {@code port}, as it replaces [start, end). */
    public byte[] encode(int address, int port) {
        String text = switch (kind) {
            case PORT, PASV_227 -> (address >>> 24) + "," + (address >>> 16 & 0xff) + "," + (address >>> 8 & 0xff) + ","
                    + (address & 0xff) + "," + (port >>> 8) + "," + (port & 0xff);
            case EPRT -> delimiter + "1" + delimiter + (address >>> 24) + "." + (address >>> 16 & 0xff) + "."
                    + (address >>> 8 & 0xff) + "." + (address & 0xff) + delimiter + port + delimiter;
            case EPSV_229 -> Integer.toString(port);
        };
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
