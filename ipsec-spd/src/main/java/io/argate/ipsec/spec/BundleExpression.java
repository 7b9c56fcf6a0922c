package io.argate.ipsec.spec;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed bundle STRING (seed 003, "bundle specification"; fact sheet 2.4):
 *
 * <pre>
 * bundle      = combination *( "," combination )   ; alternatives in preference order (ISAKMP only)
 * combination = choice *( "AND" choice )           ; different protocols applied together
 * choice      = spec *( "OR" spec )                ; alternative specs of one protocol (ISAKMP only)
 * spec        = 0..255                             ; an SA specification number
 * </pre>
 *
 * Each combination's choices are kept in application order, IPComp then ESP then AH,
 * whatever order they were written in ("IPComp must always be applied first"). ISAKMP turns
 * the combinations into phase 2 proposals; a MANUAL bundle is exactly one combination with
 * one spec per protocol.
 *
 * @param text         the STRING as typed (kept for SHOW and the configuration)
 * @param combinations alternatives in preference order
 */
public record BundleExpression(String text, List<Combination> combinations) {

    /** One protocol's step in a combination, with its alternative specs in preference order. */
    public record Choice(IpsecProtocol protocol, List<Integer> specs) {
    }

    /** Protocols applied together, in application order. */
    public record Combination(List<Choice> choices) {
        public List<IpsecProtocol> protocols() {
            return choices.stream().map(Choice::protocol).toList();
        }
    }

    /** What the parser needs to know about an SA specification. */
    public record SpecInfo(IpsecProtocol protocol, KeyManagement keyManagement) {
    }

    /** Finds SA specifications by number; null when none exists. */
    @FunctionalInterface
    public interface SpecLookup {
        SpecInfo find(int number);
    }

    /** Every SA specification number the bundle uses. */
    public List<Integer> specNumbers() {
        List<Integer> out = new ArrayList<>();
        for (Combination c : combinations) {
            for (Choice ch : c.choices) {
                for (Integer n : ch.specs) {
                    if (!out.contains(n)) {
                        out.add(n);
                    }
                }
            }
        }
        return out;
    }

    public static BundleExpression parse(String text, KeyManagement keyManagement, SpecLookup lookup)
            throws BundleSyntaxException {
        List<Tok> toks = tokenize(text);
        if (toks.isEmpty()) {
            throw new BundleSyntaxException(1, "the bundle string is empty; give at least one SA specification number");
        }
        List<Combination> combos = new ArrayList<>();
        int i = 0;
        while (true) {
            // combination
            Map<IpsecProtocol, Choice> byProtocol = new EnumMap<>(IpsecProtocol.class);
            Map<IpsecProtocol, Integer> firstSpec = new EnumMap<>(IpsecProtocol.class);
            while (true) {
                // choice
                Tok first = expectNumber(toks, i, i == 0 ? "the bundle must start with an SA specification number"
                        : "expected an SA specification number after " + toks.get(i - 1).text.toUpperCase(Locale.ROOT));
                SpecInfo info = resolve(first, keyManagement, lookup);
                List<Integer> specs = new ArrayList<>(List.of(first.number));
                i++;
                while (i < toks.size() && toks.get(i).is("OR")) {
                    if (keyManagement == KeyManagement.MANUAL) {
                        throw new BundleSyntaxException(toks.get(i).column,
                                "OR offers alternatives for ISAKMP to negotiate; a MANUAL bundle takes one SA specification per protocol joined with AND");
                    }
                    Tok alt = expectNumber(toks, i + 1, "expected an SA specification number after OR");
                    SpecInfo altInfo = resolve(alt, keyManagement, lookup);
                    if (altInfo.protocol() != info.protocol()) {
                        throw new BundleSyntaxException(alt.column, "OR joins alternatives of one protocol, but SA specification "
                                + first.number + " is " + info.protocol().display() + " and " + alt.number + " is "
                                + altInfo.protocol().display());
                    }
                    if (specs.contains(alt.number)) {
                        throw new BundleSyntaxException(alt.column, "SA specification " + alt.number + " is offered twice in one OR");
                    }
                    specs.add(alt.number);
                    i += 2;
                }
                if (byProtocol.containsKey(info.protocol())) {
                    throw new BundleSyntaxException(first.column, "AND joins different protocols, but SA specifications "
                            + firstSpec.get(info.protocol()) + " and " + first.number + " are both " + info.protocol().display());
                }
                byProtocol.put(info.protocol(), new Choice(info.protocol(), List.copyOf(specs)));
                firstSpec.put(info.protocol(), first.number);
                if (i < toks.size() && toks.get(i).is("AND")) {
                    i++;
                    continue;
                }
                break;
            }
            combos.add(new Combination(List.copyOf(byProtocol.values())));
            if (i >= toks.size()) {
                break;
            }
            Tok sep = toks.get(i);
            if (!sep.is(",")) {
                throw new BundleSyntaxException(sep.column, "expected AND, OR or ',' but found \"" + sep.text + "\"");
            }
            if (keyManagement == KeyManagement.MANUAL) {
                throw new BundleSyntaxException(sep.column,
                        "',' offers alternative combinations for ISAKMP to negotiate; a MANUAL bundle has exactly one");
            }
            i++;
        }
        return new BundleExpression(text, List.copyOf(combos));
    }

    private static SpecInfo resolve(Tok t, KeyManagement km, SpecLookup lookup) throws BundleSyntaxException {
        SpecInfo info = lookup.find(t.number);
        if (info == null) {
            throw new BundleSyntaxException(t.column, "SA specification " + t.number + " does not exist");
        }
        if (info.keyManagement() != km) {
            throw new BundleSyntaxException(t.column, "SA specification " + t.number + " uses " + info.keyManagement()
                    + " key management but the bundle is " + km);
        }
        return info;
    }

    private static Tok expectNumber(List<Tok> toks, int i, String rule) throws BundleSyntaxException {
        if (i >= toks.size()) {
            int end = toks.isEmpty() ? 1 : toks.get(toks.size() - 1).column + toks.get(toks.size() - 1).text.length();
            throw new BundleSyntaxException(end, rule + ", but the string ends");
        }
        Tok t = toks.get(i);
        if (t.number < 0) {
            throw new BundleSyntaxException(t.column, rule + ", but found \"" + t.text + "\"");
        }
        return t;
    }

    private record Tok(String text, int column, int number) {
        boolean is(String word) {
            return text.equalsIgnoreCase(word);
        }
    }

    private static List<Tok> tokenize(String s) throws BundleSyntaxException {
        List<Tok> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == ',') {
                out.add(new Tok(",", i + 1, -1));
                i++;
            } else if (c >= '0' && c <= '9') {
                int start = i;
                while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    i++;
                }
                String digits = s.substring(start, i);
                int n = digits.length() > 3 ? 256 : Integer.parseInt(digits);
                if (n > 255) {
                    throw new BundleSyntaxException(start + 1, "SA specification numbers are 0..255, not " + digits);
                }
                out.add(new Tok(digits, start + 1, n));
            } else if (Character.isLetter(c)) {
                int start = i;
                while (i < s.length() && Character.isLetter(s.charAt(i))) {
                    i++;
                }
                String word = s.substring(start, i);
                if (!word.equalsIgnoreCase("AND") && !word.equalsIgnoreCase("OR")) {
                    throw new BundleSyntaxException(start + 1, "\"" + word + "\" is not AND or OR");
                }
                out.add(new Tok(word, start + 1, -1));
            } else {
                throw new BundleSyntaxException(i + 1, "character '" + c + "' is not allowed; use numbers, AND, OR and ','");
            }
        }
        return out;
    }
}
