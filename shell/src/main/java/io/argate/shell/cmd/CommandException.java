package io.argate.shell.cmd;

import io.argate.shell.msg.MessageDef;

/**
 * A command refused with an AR message. Handlers throw it before changing any state, so a
 * rejected command changes nothing.
 */
public final class CommandException extends Exception {
    private final transient MessageDef def;
    private final String rendered;

    public CommandException(MessageDef def, Object... args) {
        super(def.render(args), null, false, false);
        this.def = def;
        this.rendered = def.render(args);
    }

    public MessageDef def() {
        return def;
    }

    /** The full line: {@code Error (...): text.} */
    public String rendered() {
        return rendered;
    }
}
