package io.argate.pki;

import io.argate.shell.msg.Kind;
import io.argate.shell.msg.Message;
import io.argate.shell.msg.MessageDef;

/** Every message of the PKI module (argate's module number 92). */
public enum PkiMessages implements MessageDef {
    CERT_EXISTS(Kind.ERROR, 1, "PKI certificate %s already exists"),
    CERT_MISSING(Kind.ERROR, 2, "PKI certificate %s does not exist"),
    FILE_MISSING(Kind.ERROR, 3, "File %s does not exist"),
    FILE_NOT_CERT(Kind.ERROR, 4, "File %s does not hold an X.509 certificate: %s"),
    KEY_NOT_PAIR(Kind.ERROR, 5, "ENCO key %d is not an RSA key pair; create one with CREATE ENCO KEY=%d TYPE=RSA LENGTH=2048"),
    BAD_SUBJECT(Kind.ERROR, 6, "SUBJECT \"%s\" is not a distinguished name (e.g. \"cn=gw1, o=example, c=jp\")"),
    BAD_ALTNAME(Kind.ERROR, 7, "SUBJECTALTNAME \"%s\" is not an IP address, a domain name or user@domain"),
    FILE_EXISTS(Kind.ERROR, 8, "File %s already exists; delete it or name another certificate"),
    CREATED(Kind.INFO, 9, "Self-signed certificate %s (%d-bit RSA, serial %d) has been written to %s"),
    ADDED(Kind.INFO, 10, "PKI certificate %s (%s) has been added"),
    DELETED(Kind.INFO, 11, "PKI certificate %s has been deleted"),
    CHANGED(Kind.INFO, 12, "PKI certificate %s has been changed"),
    SAME_CERT(Kind.ERROR, 13, "File %s holds the same certificate as PKI certificate %s"),
    NAME_RULE(Kind.ERROR, 14, "\"%s\" is not a valid file name for a certificate: %s");

    public static final int MODULE = 92;

    private final Message message;

    PkiMessages(Kind kind, int number, String text) {
        this.message = new Message(kind, MODULE, number, text);
    }

    @Override
    public Message message() {
        return message;
    }
}
