package io.argate.shell.parse;

import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.Keyword;
import io.argate.shell.cmd.ParamSpec;
import io.argate.shell.cmd.ValueMode;
import io.argate.shell.cmd.ValueType;
import io.argate.shell.cmd.Values;
import io.argate.shell.msg.CliMessages;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The merged grammar of every module's command table: one tree of command words whose nodes
 * may end a command. The same tree parses lines, validates values, and answers TAB and
 * {@code ?} (JLine's TreeCompleter idea, with the AR abbreviation rule: any prefix that is
 * unique where it stands; an exact spelling always wins).
 */
public final class Grammar {
    private final GrammarNode root = new GrammarNode(null);
    private final List<CommandSpec> commands = new ArrayList<>();
    private final Set<String> modules = new LinkedHashSet<>();

    public Grammar(List<CommandSpec> specs) {
        root.path = "";
        for (CommandSpec s : specs) {
            add(s);
        }
    }

    private void add(CommandSpec spec) {
        GrammarNode node = root;
        for (Keyword w : spec.words()) {
            GrammarNode child = node.children.get(w.name());
            if (child == null) {
                child = new GrammarNode(w);
                child.path = node.path.isEmpty() ? w.name() : node.path + " " + w.name();
                node.children.put(w.name(), child);
            } else if (child.word.mode() != w.mode() && w.mode() != ValueMode.NONE && child.word.mode() != ValueMode.NONE) {
                throw new IllegalStateException(spec + ": word " + w.name() + " declared with two value forms");
            } else if (child.word.mode() == ValueMode.NONE && w.mode() != ValueMode.NONE) {
                // a longer command gives a value to a word an earlier one used bare: keep both usable
                GrammarNode merged = new GrammarNode(w);
                merged.path = child.path;
                merged.children.putAll(child.children);
                merged.command = child.command;
                node.children.put(w.name(), merged);
                child = merged;
            }
            node = child;
        }
        if (node.command != null) {
            throw new IllegalStateException("command " + spec + " declared twice (" + node.command.module() + ", " + spec.module() + ")");
        }
        node.command = spec;
        commands.add(spec);
        modules.add(spec.module().toUpperCase(Locale.ROOT));
    }

    public List<CommandSpec> commands() {
        return List.copyOf(commands);
    }

    /** The AR module a word after a verb names when this firmware has none of its commands (CREATE ISAKMP ...). */
    public Optional<String> moduleNotBuilt(String word) {
        return ArModules.notBuilt(word, modules);
    }

    /** Parses and validates a whole line. */
    public Parsed parse(String line) throws CommandException {
        List<Token> tokens = Tokenizer.tokenize(line);
        if (tokens.isEmpty()) {
            return null;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        GrammarNode node = root;
        int i = 0;
        // command words
        for (; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            Object hit = resolve(node, t.name(), node == root, Set.of());
            if (!(hit instanceof GrammarNode child)) {
                break;
            }
            node = child;
            if (t.hasValue() || child.word.mode() != ValueMode.REQUIRED) {
                putValue(values, child.word, t, false);
            }
            // a required value still missing is reported after the parameters (or taken
            // positionally, PING 10.0.0.1)
        }
        CommandSpec spec = node.command;
        if (spec == null) {
            if (i < tokens.size()) {
                throw unknownAt(node, tokens.get(i).name());
            }
            throw new CommandException(CliMessages.INCOMPLETE_COMMAND, names(node.children.values().stream().map(n -> n.word).toList()));
        }
        Keyword last = spec.words().get(spec.words().size() - 1);
        if (spec.isPositional() && i < tokens.size() && !tokens.get(i).hasValue() && !values.containsKey(last.name())
                && resolve(node, tokens.get(i).name(), false, Set.of()) == null) {
            // PING 10.0.0.1: the bare token is the last word's value
            Token t = tokens.get(i);
            putValue(values, last, new Token(last.name(), t.name(), t.column()), false);
            i++;
        }
        if (spec.restOfLine() != null && i < tokens.size()) {
            // HELP SHOW IPSEC: the rest of the line is one value, not parameters
            values.put(spec.restOfLine(), trimmed(line, tokens.get(i).column()));
            i = tokens.size();
        }
        // parameters
        for (; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            Object hit = resolve(node, t.name(), false, Set.of());
            if (hit instanceof GrammarNode) {
                throw unknownAt(node, t.name());
            }
            if (!(hit instanceof ParamSpec p)) {
                throw unknownAt(node, t.name());
            }
            if (values.containsKey(p.name())) {
                throw new CommandException(CliMessages.DUPLICATE_PARAMETER, p.name());
            }
            putValue(values, p.keyword(), t, true);
        }
        for (ParamSpec p : spec.params().values()) {
            if (p.required() && !values.containsKey(p.name())) {
                throw new CommandException(CliMessages.MISSING_PARAMETER, p.name());
            }
        }
        for (Keyword w : spec.words()) {
            if (w.mode() == ValueMode.REQUIRED && !values.containsKey(w.name())) {
                throw new CommandException(CliMessages.VALUE_REQUIRED, w.name(), w.name(), w.type().describe());
            }
        }
        for (List<String> group : spec.exclusive()) {
            List<String> given = group.stream().filter(values::containsKey).toList();
            if (given.size() > 1) {
                throw new CommandException(CliMessages.CONFLICTING_PARAMETERS, String.join(" and ", given));
            }
        }
        return new Parsed(spec, values);
    }

    /** Longest part of a refused value echoed back in an error. */
    static final int SHOWN_VALUE = 40;

    /**
     * A refused value as the error repeats it: printable ASCII as typed, any other character as
     * a backslash, u and four hex digits (so an Arabic-Indic digit or a bidi control is seen,
     * not rendered), cut to {@link #SHOWN_VALUE} characters.
     */
    static String shown(String value) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (; i < value.length() && b.length() < SHOWN_VALUE; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04X", (int) c));
            }
        }
        return i < value.length() ? b + "..." : b.toString();
    }

    private static String trimmed(String line, int from) {
        return line.substring(from).strip();
    }

    private static void putValue(Map<String, Object> values, Keyword k, Token t, boolean param) throws CommandException {
        if (!t.hasValue()) {
            if (k.mode() == ValueMode.REQUIRED) {
                throw new CommandException(CliMessages.VALUE_REQUIRED, k.name(), k.name(), k.type().describe());
            }
            if (k.mode() == ValueMode.OPTIONAL) {
                values.put(k.name(), Invocation.Present.BARE);
            } else if (param) {
                // flags are recorded; plain command words are not values
                values.put(k.name(), Boolean.TRUE);
            }
            return;
        }
        if (k.mode() == ValueMode.NONE) {
            throw new CommandException(CliMessages.VALUE_NOT_ALLOWED, k.name());
        }
        try {
            values.put(k.name(), k.type().parse(t.value()));
        } catch (ValueType.BadValue e) {
            String expected = k.type().describe() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
            throw new CommandException(CliMessages.BAD_VALUE, shown(t.value()), k.name(), expected);
        }
    }

    /**
     * Resolves a typed word at a node against its children and, when a command ends there, that
     * command's parameters. Returns the {@link GrammarNode} or {@link ParamSpec}, or null.
     */
    private Object resolve(GrammarNode node, String typed, boolean atRoot, Set<String> exclude) throws CommandException {
        if (typed.isEmpty() || !Values.isAscii(typed)) {
            return null;
        }
        String up = typed.toUpperCase(Locale.ROOT);
        Map<Object, Keyword> exact = new LinkedHashMap<>();
        Map<Object, Keyword> prefix = new LinkedHashMap<>();
        for (GrammarNode c : node.children.values()) {
            if (c.word.exact(up)) {
                exact.put(c, c.word);
            } else if (c.word.prefix(up)) {
                prefix.put(c, c.word);
            }
        }
        if (node.command != null) {
            for (ParamSpec p : node.command.params().values()) {
                if (exclude.contains(p.name())) {
                    continue;
                }
                if (p.keyword().exact(up)) {
                    exact.put(p, p.keyword());
                } else if (p.keyword().prefix(up)) {
                    prefix.put(p, p.keyword());
                }
            }
        }
        Map<Object, Keyword> hits = exact.isEmpty() ? prefix : exact;
        if (hits.size() == 1) {
            return hits.keySet().iterator().next();
        }
        if (hits.size() > 1) {
            throw new CommandException(CliMessages.AMBIGUOUS, typed,
                    hits.values().stream().map(Keyword::name).collect(Collectors.joining(", ")));
        }
        return null;
    }

    private CommandException unknownAt(GrammarNode node, String typed) {
        if (node == root) {
            return new CommandException(CliMessages.UNKNOWN_COMMAND, typed);
        }
        Optional<String> absent = node.word.mode() == ValueMode.NONE && root.children.containsValue(node) ? moduleNotBuilt(typed) : Optional.empty();
        if (absent.isPresent()) {
            return new CommandException(CliMessages.MODULE_NOT_BUILT, absent.get(), absent.get());
        }
        List<Keyword> valid = new ArrayList<>();
        node.children.values().forEach(c -> valid.add(c.word));
        if (node.command != null) {
            node.command.params().values().forEach(p -> valid.add(p.keyword()));
        }
        return new CommandException(CliMessages.UNKNOWN_PARAMETER, typed, node.path,
                valid.isEmpty() ? "nothing more" : names(valid));
    }

    private static String names(List<Keyword> ks) {
        return ks.stream().map(Keyword::name).collect(Collectors.joining(", "));
    }

    /**
     * What may come next after {@code line} (the text before the cursor). A trailing partial
     * word filters the candidates; after {@code NAME=} the candidates are that keyword's values.
     * {@code <cr>} is offered when the command could end here.
     */
    public List<Candidate> next(String line) {
        List<Token> tokens = Tokenizer.tokenizePartial(line);
        boolean endsWithSpace = line.isEmpty() || Character.isWhitespace(line.charAt(line.length() - 1));
        Token partial = endsWithSpace || tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
        List<Token> done = partial == null ? tokens : tokens.subList(0, tokens.size() - 1);

        GrammarNode node = root;
        Set<String> used = new LinkedHashSet<>();
        boolean inParams = false;
        try {
            for (Token t : done) {
                Object hit = resolve(node, t.name(), node == root, Set.of());
                if (hit instanceof GrammarNode child && !inParams) {
                    node = child;
                } else if (hit instanceof ParamSpec p) {
                    inParams = true;
                    used.add(p.name());
                } else {
                    Optional<String> absent = root.children.containsValue(node) ? moduleNotBuilt(t.name()) : Optional.empty();
                    return absent.map(m -> List.of(new Candidate("", m, "the " + m
                            + " module is not built into this firmware yet; its commands are not available"))).orElse(List.of());
                }
            }
        } catch (CommandException ambiguous) {
            return List.of();
        }

        List<Candidate> out = new ArrayList<>();
        if (partial != null && partial.hasValue()) {
            Keyword k = keywordFor(node, partial.name(), inParams);
            if (k == null || k.mode() == ValueMode.NONE) {
                return List.of();
            }
            String typedValue = partial.value().toUpperCase(Locale.ROOT);
            for (String v : k.type().keywords()) {
                if (v.startsWith(typedValue)) {
                    out.add(new Candidate(partial.name() + "=" + v, k.name() + "=" + v, k.help()));
                }
            }
            if (out.isEmpty()) {
                out.add(new Candidate(partial.name() + "=" + partial.value(), k.usage(), k.help()));
            }
            return out;
        }
        String prefix = partial == null ? "" : partial.name().toUpperCase(Locale.ROOT);
        if (!inParams) {
            List<GrammarNode> sorted = new ArrayList<>(node.children.values());
            sorted.sort(java.util.Comparator.comparing(c -> c.word.name()));
            for (GrammarNode c : sorted) {
                if (c.word.prefix(prefix) || prefix.isEmpty()) {
                    out.add(new Candidate(completionWord(c.word), c.word.usage(), describe(c)));
                }
            }
        }
        if (node.command != null) {
            for (ParamSpec p : node.command.params().values()) {
                if (used.contains(p.name())) {
                    continue;
                }
                if (prefix.isEmpty() || p.keyword().prefix(prefix)) {
                    String usage = p.required() ? p.keyword().usage() : "[" + p.keyword().usage() + "]";
                    String help = p.keyword().help() + (p.defaultText() == null ? "" : " (default " + p.defaultText() + ")");
                    out.add(new Candidate(completionWord(p.keyword()), usage, help));
                }
            }
            if (partial == null) {
                out.add(new Candidate("", "<cr>", "run " + node.command.title()));
            }
        }
        return out;
    }

    private Keyword keywordFor(GrammarNode node, String typed, boolean inParams) {
        try {
            Object hit = resolve(node, typed, node == root, Set.of());
            if (hit instanceof GrammarNode c && !inParams) {
                return c.word;
            }
            if (hit instanceof ParamSpec p) {
                return p.keyword();
            }
        } catch (CommandException ambiguous) {
            return null;
        }
        return null;
    }

    private static String completionWord(Keyword k) {
        return k.mode() == ValueMode.REQUIRED ? k.name() + "=" : k.name();
    }

    private static String describe(GrammarNode n) {
        if (n.command != null && !n.command.help().isEmpty()) {
            return n.command.help();
        }
        return n.word.help();
    }
}
