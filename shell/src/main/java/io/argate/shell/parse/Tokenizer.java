package io.argate.shell.parse;

import io.argate.shell.cmd.CommandException;
import io.argate.shell.msg.CliMessages;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into tokens. Whitespace separates tokens; {@code =} binds a value to
 * the word before it; a value in double quotes keeps spaces and case. Control characters and
 * over-long lines are refused before anything else looks at the line.
 */
public final class Tokenizer {
    /** Longest command line accepted, interactive or from a script. */
    public static final int MAX_LINE = 1024;

    private Tokenizer() {
    }

    public static List<Token> tokenize(String line) throws CommandException {
        return split(line, false);
    }

    /** Lenient split for completion: an unterminated quote runs to the end of the line. */
    public static List<Token> tokenizePartial(String line) {
        try {
            return split(line, true);
        } catch (CommandException e) {
            return List.of();
        }
    }

    private static List<Token> split(String line, boolean lenient) throws CommandException {
        if (line.length() > MAX_LINE) {
            throw new CommandException(CliMessages.LINE_TOO_LONG, MAX_LINE);
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != '\t' && (Character.isISOControl(c))) {
                throw new CommandException(CliMessages.CONTROL_CHARACTER, (int) c);
            }
        }
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            StringBuilder name = new StringBuilder();
            if (line.charAt(i) == '"') {
                int close = line.indexOf('"', i + 1);
                if (close < 0) {
                    if (!lenient) {
                        throw new CommandException(CliMessages.UNTERMINATED_QUOTE);
                    }
                    close = n;
                }
                name.append(line, i + 1, close);
                i = Math.min(n, close + 1);
            } else {
                while (i < n && !Character.isWhitespace(line.charAt(i)) && line.charAt(i) != '=') {
                    name.append(line.charAt(i++));
                }
            }
            String value = null;
            if (i < n && line.charAt(i) == '=') {
                i++;
                if (i < n && line.charAt(i) == '"') {
                    int close = line.indexOf('"', i + 1);
                    if (close < 0) {
                        if (!lenient) {
                            throw new CommandException(CliMessages.UNTERMINATED_QUOTE);
                        }
                        close = n;
                    }
                    value = line.substring(i + 1, close);
                    i = Math.min(n, close + 1);
                } else {
                    int vs = i;
                    while (i < n && !Character.isWhitespace(line.charAt(i))) {
                        i++;
                    }
                    value = line.substring(vs, i);
                }
            }
            out.add(new Token(name.toString(), value, start));
        }
        return out;
    }
}
