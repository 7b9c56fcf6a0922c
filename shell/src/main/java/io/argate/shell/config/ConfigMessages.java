package io.argate.shell.config;

import io.argate.shell.msg.Kind;
import io.argate.shell.msg.Message;
import io.argate.shell.msg.MessageDef;

/** Every message of the CONFIG module (module 36). */
public enum ConfigMessages implements MessageDef {
    CREATED(Kind.INFO, 1, "Configuration written to %s (%d lines)"),
    NOT_A_SCRIPT(Kind.ERROR, 2, "%s is not a configuration script; the name must end in .cfg"),
    NO_SUCH_FILE(Kind.ERROR, 3, "Configuration file %s does not exist"),
    BOOT_SET(Kind.INFO, 4, "The boot configuration is now %s"),
    BOOT_NONE(Kind.INFO, 5, "No boot configuration: the router will start with factory defaults"),
    NO_SUCH_MODULE(Kind.ERROR, 6, "Module %s has no configuration; modules are %s"),
    WRITE_FAILED(Kind.ERROR, 7, "Could not write %s: %s");

    public static final int MODULE = 36;
    private final Message message;

    ConfigMessages(Kind kind, int number, String text) {
        this.message = new Message(kind, MODULE, number, text);
    }

    @Override
    public Message message() {
        return message;
    }
}
