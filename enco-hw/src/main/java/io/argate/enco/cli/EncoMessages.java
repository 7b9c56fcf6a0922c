package io.argate.enco.cli;

import io.argate.shell.msg.Kind;
import io.argate.shell.msg.Message;
import io.argate.shell.msg.MessageDef;

/** Every message of the ENCO module (module 71). */
public enum EncoMessages implements MessageDef {
    KEY_EXISTS(Kind.ERROR, 1, "ENCO key %d already exists"),
    KEY_MISSING(Kind.ERROR, 2, "ENCO key %d does not exist"),
    KEY_RULE(Kind.ERROR, 3, "ENCO key %d: %s"),
    VALUE_NEEDED(Kind.ERROR, 4, "ENCO key %d: give VALUE= or RANDOM"),
    LENGTH_NEEDED(Kind.ERROR, 5, "ENCO key %d: a RANDOM GENERAL key needs LENGTH=1..256"),
    LENGTH_ONLY_GENERAL(Kind.ERROR, 6, "ENCO key %d: LENGTH is only for RANDOM GENERAL keys; %s keys are %d bytes"),
    CREATED(Kind.INFO, 7, "ENCO key %d (%s, %d bytes) has been created"),
    NORMAL_MODE(Kind.WARNING, 8, "ENCO key %d will be lost at the next restart: keys are kept across restarts only in security mode"),
    DESTROYED(Kind.INFO, 9, "ENCO key %d has been destroyed"),
    VALUE_NEEDS_SECOFF(Kind.ERROR, 10, "In security mode only a SECURITY OFFICER may see a key's value"),
    STAC_LATER(Kind.INFO, 11, "STAC channels will be %d after the next restart (now %d)"),
    COUNTERS_RESET(Kind.INFO, 12, "ENCO counters have been reset"),
    DEBUG_ON(Kind.INFO, 13, "ENCO debugging has been enabled"),
    DEBUG_OFF(Kind.INFO, 14, "ENCO debugging has been disabled"),
    KEY_CHANGED(Kind.INFO, 15, "ENCO key %d has been changed"),
    KEY_IN_USE(Kind.ERROR, 16, "ENCO key %d is used by %s; destroy or change that first"),
    FILE_ONLY_RSA(Kind.ERROR, 17, "ENCO key %d: FILE is only for RSA keys"),
    RSA_PARAMETERS(Kind.ERROR, 18, "ENCO key %d: an RSA key takes LENGTH (a new key pair) or FILE (import or export), not VALUE or RANDOM"),
    RSA_LENGTH(Kind.ERROR, 19, "ENCO key %d: an RSA key pair needs LENGTH=%d..%d (bits)"),
    RSA_FILE_MISSING(Kind.ERROR, 20, "ENCO key %d: file %s does not exist"),
    RSA_CREATED(Kind.INFO, 21, "ENCO key %d (RSA, %d bits, %s) has been created"),
    RSA_EXPORTED(Kind.INFO, 22, "The public part of ENCO key %d has been written to %s");

    public static final int MODULE = 71;
    private final Message message;

    EncoMessages(Kind kind, int number, String text) {
        this.message = new Message(kind, MODULE, number, text);
    }

    @Override
    public Message message() {
        return message;
    }
}
