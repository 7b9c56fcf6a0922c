package io.argate.shell.cmd;

import io.argate.shell.msg.Kind;
import io.argate.shell.msg.MessageDef;
import io.argate.shell.session.Output;
import io.argate.shell.session.Session;

import java.net.Inet4Address;
import java.util.Collections;
import java.util.Map;

/**
 * A parsed, validated command ready for its handler: the values of its words and parameters
 * by canonical name, the session that typed it, and where output goes.
 */
public final class Invocation {
    private final CommandSpec spec;
    private final Map<String, Object> values;
    private final Session session;
    private final Output out;
    private boolean reported;
    private Follow follow;

    public Invocation(CommandSpec spec, Map<String, Object> values, Session session, Output out) {
        this.spec = spec;
        this.values = Collections.unmodifiableMap(values);
        this.session = session;
        this.out = out;
    }

    public CommandSpec spec() {
        return spec;
    }

    public Session session() {
        return session;
    }

    public Output out() {
        return out;
    }

    /** All given values by canonical keyword; flags map to {@link Boolean#TRUE}. */
    public Map<String, Object> values() {
        return values;
    }

    /** True when the word or parameter was given (with or without a value). */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** True when given with a value (not as a bare keyword). */
    public boolean hasValue(String name) {
        Object v = values.get(name);
        return v != null && v != Present.BARE;
    }

    public Object get(String name) {
        Object v = values.get(name);
        return v == Present.BARE ? null : v;
    }

    public String string(String name) {
        Object v = get(name);
        return v == null ? null : v.toString();
    }

    public String string(String name, String dflt) {
        String v = string(name);
        return v == null ? dflt : v;
    }

    public long number(String name) {
        return (Long) get(name);
    }

    public long number(String name, long dflt) {
        Object v = get(name);
        return v == null ? dflt : (Long) v;
    }

    public int integer(String name) {
        return Math.toIntExact(number(name));
    }

    public int integer(String name, int dflt) {
        Object v = get(name);
        return v == null ? dflt : Math.toIntExact((Long) v);
    }

    public boolean bool(String name, boolean dflt) {
        Object v = get(name);
        return v == null ? dflt : (Boolean) v;
    }

    public Inet4Address ip(String name) {
        return (Inet4Address) get(name);
    }

    public void println(String line) {
        out.println(line);
    }

    /** Prints an Info or Warning message; errors are thrown as {@link CommandException}. */
    public void say(MessageDef def, Object... args) {
        if (def.kind() == Kind.ERROR) {
            throw new IllegalArgumentException("errors are thrown, not said: " + def);
        }
        out.println(def.render(args));
        reported = true;
    }

    /** True when the handler printed its own Info/Warning (no generic success line then). */
    public boolean reported() {
        return reported;
    }

    /**
     * For a command that goes on after its handler returns (PING): the handler starts the work
     * on the control plane, which prints to the returned {@link Follow} and finishes it; the
     * session prints those lines on its own thread. The generic success line is not printed.
     */
    public Follow follow() {
        if (follow == null) {
            follow = new Follow();
            reported = true;
        }
        return follow;
    }

    /** The follow-on output, or null when the command was over when its handler returned. */
    public Follow following() {
        return follow;
    }

    /** Marker for a keyword given without a value where a value was optional. */
    public enum Present {
        BARE
    }
}
