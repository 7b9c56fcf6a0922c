package io.argate.shell.user;

import io.argate.shell.msg.Kind;
import io.argate.shell.msg.Message;
import io.argate.shell.msg.MessageDef;

/** Every message of the USER module (module 38, numbers 0..99). */
public enum UserMessages implements MessageDef {
    USER_EXISTS(Kind.ERROR, 1, "User %s already exists"),
    USER_MISSING(Kind.ERROR, 2, "User %s does not exist"),
    LOGIN_REQUIRED(Kind.ERROR, 3, "LOGIN must be given for a user of USER privilege (LOGIN=YES, or LOGIN=NO for an authentication-only user)"),
    DELETE_SELF(Kind.ERROR, 4, "You cannot delete the user you are logged in as"),
    LAST_SECOFF(Kind.ERROR, 5, "User %s is the last SECURITY OFFICER and security mode is on; disable security mode first"),
    LAST_MANAGER(Kind.ERROR, 6, "User %s is the last user of MANAGER privilege or above; add another first"),
    NO_SECOFF(Kind.ERROR, 7, "Security mode needs a user with SECURITYOFFICER privilege; add one with ADD USER=name PASSWORD=... PRIVILEGE=SECURITYOFFICER"),
    SECURITY_ON(Kind.INFO, 8, "Security mode is now enabled"),
    SECURITY_OFF(Kind.INFO, 9, "Security mode is now disabled"),
    SECURITY_ALREADY_ON(Kind.WARNING, 10, "Security mode is already enabled"),
    SECURITY_ALREADY_OFF(Kind.WARNING, 11, "Security mode is already disabled"),
    PURGED(Kind.INFO, 12, "All users except %s have been deleted"),
    PASSWORD_RULE(Kind.ERROR, 13, "Password must be 1..32 printable characters"),
    USER_ADDED(Kind.INFO, 14, "User %s has been added"),
    USER_DELETED(Kind.INFO, 15, "User %s has been deleted");

    public static final int MODULE = 38;

    private final Message message;

    UserMessages(Kind kind, int number, String text) {
        this.message = new Message(kind, MODULE, number, text);
    }

    @Override
    public Message message() {
        return message;
    }
}
