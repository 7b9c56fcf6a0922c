package io.argate.shell.system;

import io.argate.shell.msg.Kind;
import io.argate.shell.msg.MessageDef;

/** Every message of the SYSTEM module (module 37). */
public enum SystemMessages implements MessageDef {
    RESTARTING(Kind.INFO, 1, "Restarting the router%s"),
    NO_SUCH_SCRIPT(Kind.ERROR, 2, "Configuration file %s does not exist"),
    NO_HELP(Kind.ERROR, 3, "No commands start with \"%s\"");

    public static final int MODULE = 37;
    private final Kind kind;
    private final int number;
    private final String text;

    SystemMessages(Kind kind, int number, String text) {
        this.kind = kind;
        this.number = number;
        this.text = text;
    }

    public Kind kind() {
        return kind;
    }

    public int module() {
        return MODULE;
    }

    public int number() {
        return number;
    }

    public String text() {
        return text;
    }
}
