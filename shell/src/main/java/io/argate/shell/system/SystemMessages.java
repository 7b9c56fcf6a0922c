package io.argate.shell.system;

import io.argate.shell.msg.Kind;
import io.argate.shell.msg.Message;
import io.argate.shell.msg.MessageDef;

/** Every message of the SYSTEM module (module 37). */
public enum SystemMessages implements MessageDef {
    RESTARTING(Kind.INFO, 1, "Restarting the router%s"),
    NO_SUCH_SCRIPT(Kind.ERROR, 2, "Configuration file %s does not exist; the router was not restarted"),
    NO_HELP(Kind.ERROR, 3, "No commands match \"%s\""),
    NOT_A_SCRIPT(Kind.ERROR, 4, "%s is not a configuration script (%s); the router was not restarted"),
    RESTARTED(Kind.INFO, 5, "Router restarted with %s: all %d lines applied"),
    RESTARTED_WITH_ERRORS(Kind.WARNING, 6,
            "Router restarted with %s: %d of %d lines failed and were skipped, the others are applied"),
    RESTARTED_FACTORY(Kind.INFO, 7, "Router restarted with factory defaults%s");

    public static final int MODULE = 37;
    private final Message message;

    SystemMessages(Kind kind, int number, String text) {
        this.message = new Message(kind, MODULE, number, text);
    }

    @Override
    public Message message() {
        return message;
    }
}
