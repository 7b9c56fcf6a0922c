package io.argate.shell.msg;

/**
 * The data of one message: kind, module number, message number and text. Each module's message
 * enum holds one per constant and implements {@link MessageDef} by returning it.
 */
public record Message(Kind kind, int module, int number, String text) {
}
