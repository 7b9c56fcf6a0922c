package io.argate.shell.cmd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One command of a module's declarative table: its words ({@code CREATE IPSEC POLICY=name}),
 * its parameters with types, which are required, their defaults, the privilege it needs and
 * its handler. The same declaration drives parsing, validation, {@code ?}, TAB and HELP.
 *
 * <pre>
 * table.add(CommandSpec.of("CREATE IPSEC POLICY").value(Values.name(1, 23, ...))
 *     .required("INTERFACE", interfaceType, "IP interface the policy is attached to")
 *     .required("ACTION", Values.choice("DENY", "IPSEC", "PERMIT"), "what to do with matching packets")
 *     .optional("PEERADDRESS", Values.or(Values.choice("ANY", "DYNAMIC"), Values.ip()), "ANY", "...")
 *     .security()
 *     .help("Create an IPsec policy")
 *     .handler(this::createPolicy));
 * </pre>
 */
public final class CommandSpec {
    private final List<Keyword> words = new ArrayList<>();
    private final Map<String, ParamSpec> params = new LinkedHashMap<>();
    private final List<List<String>> exclusive = new ArrayList<>();
    private Privilege privilege = Privilege.MANAGER;
    private boolean security;
    private boolean reportsSuccess = true;
    private String help = "";
    private Handler handler;
    private String module = "";
    private String restOfLine;
    private boolean positional;

    private CommandSpec() {
    }

    /** Starts a command from its space-separated words, e.g. {@code "SHOW IPSEC SA"}. */
    public static CommandSpec of(String words) {
        CommandSpec s = new CommandSpec();
        for (String w : words.trim().split("\\s+")) {
            s.words.add(new Keyword(w, List.of(), ValueMode.NONE, null, ""));
        }
        return s;
    }

    /** The last word takes a required value: {@code POLICY=name}. */
    public CommandSpec value(ValueType type) {
        return lastWord(ValueMode.REQUIRED, type);
    }

    /** The last word may take a value: {@code SHOW IPSEC POLICY[=name]}. */
    public CommandSpec optionalValue(ValueType type) {
        return lastWord(ValueMode.OPTIONAL, type);
    }

    /** Adds exact-match synonyms for the last word (LOGON, LOGI for LOGIN). */
    public CommandSpec alias(String... aliases) {
        Keyword k = words.remove(words.size() - 1);
        List<String> all = new ArrayList<>(k.aliases());
        all.addAll(Arrays.asList(aliases));
        words.add(new Keyword(k.name(), all, k.mode(), k.type(), k.help()));
        return this;
    }

    private CommandSpec lastWord(ValueMode mode, ValueType type) {
        Keyword k = words.remove(words.size() - 1);
        words.add(new Keyword(k.name(), k.aliases(), mode, type, k.help()));
        return this;
    }

    /** A parameter that must be given. */
    public CommandSpec required(String name, ValueType type, String help) {
        return param(new ParamSpec(new Keyword(name, List.of(), ValueMode.REQUIRED, type, help), true, null));
    }

    /** An optional parameter; {@code defaultText} is what applies when it is absent (or null). */
    public CommandSpec optional(String name, ValueType type, String defaultText, String help) {
        return param(new ParamSpec(new Keyword(name, List.of(), ValueMode.REQUIRED, type, help), false, defaultText));
    }

    /** An optional keyword that may carry a value: {@code DYNAMIC[=module]}. */
    public CommandSpec optionalWithValue(String name, ValueType type, String help) {
        return param(new ParamSpec(new Keyword(name, List.of(), ValueMode.OPTIONAL, type, help), false, null));
    }

    /** A bare keyword: {@code RANDOM}, {@code COUNTERS}. */
    public CommandSpec flag(String name, String help) {
        return param(new ParamSpec(new Keyword(name, List.of(), ValueMode.NONE, null, help), false, null));
    }

    private CommandSpec param(ParamSpec p) {
        if (params.putIfAbsent(p.name(), p) != null) {
            throw new IllegalArgumentException(this + ": parameter " + p.name() + " declared twice");
        }
        return this;
    }

    /** Everything after the command words is one free-text value under {@code name} (HELP topics). */
    public CommandSpec restOfLine(String name) {
        this.restOfLine = name.toUpperCase(Locale.ROOT);
        return this;
    }

    public String restOfLine() {
        return restOfLine;
    }

    /** The last word's value may also be typed after it without {@code =}: {@code PING 10.0.0.1}. */
    public CommandSpec positional() {
        this.positional = true;
        return this;
    }

    public boolean isPositional() {
        return positional;
    }

    /** At most one of these parameters may be given (e.g. RANDOM and VALUE). */
    public CommandSpec exclusive(String... names) {
        exclusive.add(Arrays.stream(names).map(n -> n.toUpperCase(Locale.ROOT)).toList());
        return this;
    }

    /** Lowest privilege allowed to run it (default MANAGER). */
    public CommandSpec privilege(Privilege p) {
        this.privilege = p;
        return this;
    }

    /** A security command: in security mode it needs SECURITY OFFICER (fact sheet 1.2). */
    public CommandSpec security() {
        this.security = true;
        return this;
    }

    /** No generic "Operation successful" after the handler (SHOW, HELP, PING ...). */
    public CommandSpec quiet() {
        this.reportsSuccess = false;
        return this;
    }

    public CommandSpec help(String text) {
        this.help = text;
        return this;
    }

    public CommandSpec handler(Handler h) {
        this.handler = h;
        return this;
    }

    CommandSpec module(String moduleName) {
        this.module = moduleName;
        return this;
    }

    public List<Keyword> words() {
        return List.copyOf(words);
    }

    public Map<String, ParamSpec> params() {
        return params;
    }

    public List<List<String>> exclusive() {
        return exclusive;
    }

    public Privilege privilege() {
        return privilege;
    }

    public boolean isSecurity() {
        return security;
    }

    public boolean reportsSuccess() {
        return reportsSuccess && !words.get(0).name().equals("SHOW");
    }

    public String help() {
        return help;
    }

    public Handler handler() {
        return handler;
    }

    /** Name of the module that registered it. */
    public String module() {
        return module;
    }

    /** The command's words joined: {@code CREATE IPSEC POLICY}. */
    public String title() {
        return words.stream().map(Keyword::name).collect(Collectors.joining(" "));
    }

    /** Full syntax line for HELP: words with values, then parameters, optional ones in brackets. */
    public String usage() {
        StringBuilder b = new StringBuilder();
        for (Keyword w : words) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(w.usage());
        }
        for (ParamSpec p : params.values()) {
            b.append(' ').append(p.required() ? p.keyword().usage() : "[" + p.keyword().usage() + "]");
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return title();
    }
}
