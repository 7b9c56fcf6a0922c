package io.argate.shell.msg;

/**
 * Messages of the command processor itself (module 34): parse, validation and privilege
 * errors that come before any module's handler runs, and the generic success message.
 */
public enum CliMessages implements MessageDef {
    OPERATION_SUCCESSFUL(Kind.INFO, 3, "Operation successful"),
    UNKNOWN_COMMAND(Kind.ERROR, 1, "Unknown command \"%s\""),
    AMBIGUOUS(Kind.ERROR, 2, "\"%s\" is ambiguous here; it could be %s"),
    UNKNOWN_PARAMETER(Kind.ERROR, 4, "Parameter \"%s\" is not valid for %s; valid here: %s"),
    MISSING_PARAMETER(Kind.ERROR, 5, "Parameter %s is required"),
    BAD_VALUE(Kind.ERROR, 6, "Value \"%s\" is not valid for %s: expected %s"),
    VALUE_NOT_ALLOWED(Kind.ERROR, 7, "%s does not take a value"),
    VALUE_REQUIRED(Kind.ERROR, 8, "%s needs a value (%s=%s)"),
    DUPLICATE_PARAMETER(Kind.ERROR, 9, "Parameter %s is given more than once"),
    INCOMPLETE_COMMAND(Kind.ERROR, 10, "Incomplete command; next could be %s"),
    UNTERMINATED_QUOTE(Kind.ERROR, 11, "Quoted string is not terminated"),
    LINE_TOO_LONG(Kind.ERROR, 12, "Command line is longer than %d characters"),
    CONTROL_CHARACTER(Kind.ERROR, 13, "Command line contains a control character (0x%02X)"),
    PRIVILEGE(Kind.ERROR, 14, "Command requires %s privilege"),
    SECURITY_MODE(Kind.ERROR, 15, "Command is a security command; in security mode it needs SECURITY OFFICER privilege"),
    INTERNAL(Kind.ERROR, 16, "Command failed inside %s: %s; part of it may have been applied, see SHOW CONFIG DYNAMIC"),
    CONFLICTING_PARAMETERS(Kind.ERROR, 17, "Parameters %s cannot be used together"),
    SECURITY_TIMER(Kind.ERROR, 18, "Security timer expired; password not confirmed, command not run"),
    NOT_LOGGED_IN(Kind.ERROR, 19, "Not logged in; use LOGIN"),
    MODULE_NOT_BUILT(Kind.ERROR, 20, "%s commands are not available: the %s module is not built into this firmware yet");

    /** The command processor's module number. */
    public static final int MODULE = 34;

    private final Message message;

    CliMessages(Kind kind, int number, String text) {
        this.message = new Message(kind, MODULE, number, text);
    }

    @Override
    public Message message() {
        return message;
    }
}
