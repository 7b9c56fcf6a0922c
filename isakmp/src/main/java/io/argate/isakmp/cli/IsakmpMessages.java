package io.argate.isakmp.cli;

import io.argate.shell.msg.Kind;
import io.argate.shell.msg.Message;
import io.argate.shell.msg.MessageDef;

/** Every message of the ISAKMP module (module number 82, as the seed's {@code Info (182057): ISAKMP Debugging has been enabled.}). */
public enum IsakmpMessages implements MessageDef {
    POLICY_EXISTS(Kind.ERROR, 1, "ISAKMP policy %s already exists"),
    POLICY_MISSING(Kind.ERROR, 2, "ISAKMP policy %s does not exist"),
    POLICY_RULE(Kind.ERROR, 3, "ISAKMP policy %s: %s"),
    ALREADY_ENABLED(Kind.WARNING, 4, "ISAKMP is already enabled"),
    ALREADY_DISABLED(Kind.WARNING, 5, "ISAKMP is already disabled"),
    ENABLED(Kind.INFO, 6, "ISAKMP module has been enabled"),
    DISABLED(Kind.INFO, 7, "ISAKMP module has been disabled"),
    PURGED(Kind.INFO, 8, "ISAKMP configuration and SAs have been purged"),
    COUNTERS_RESET(Kind.INFO, 9, "ISAKMP counters have been reset"),
    SA_MISSING(Kind.ERROR, 10, "ISAKMP SA %d does not exist"),
    EXCHANGE_MISSING(Kind.ERROR, 11, "ISAKMP exchange %d does not exist"),
    POOL_EXISTS(Kind.ERROR, 12, "ISAKMP pool %s already exists"),
    POOL_MISSING(Kind.ERROR, 13, "ISAKMP pool %s does not exist"),
    POOL_RULE(Kind.ERROR, 14, "ISAKMP pool %s: %s"),
    POOL_IN_USE(Kind.ERROR, 15, "ISAKMP pool %s is used by %s"),
    DEBUG_ENABLED(Kind.INFO, 57, "ISAKMP Debugging has been enabled"),
    DEBUG_DISABLED(Kind.INFO, 58, "ISAKMP Debugging has been disabled");

    public static final int MODULE = 82;

    private final Message message;

    IsakmpMessages(Kind kind, int number, String text) {
        this.message = new Message(kind, MODULE, number, text);
    }

    @Override
    public Message message() {
        return message;
    }
}
