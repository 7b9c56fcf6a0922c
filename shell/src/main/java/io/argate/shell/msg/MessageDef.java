package io.argate.shell.msg;

/**
 * One message a module can print. Each module lists all of its messages in one enum that
 * implements this interface, so codes are stable and found in one place.
 *
 * <p>Code layout, following the two codes the reference shows ({@code Info (182057)} for ISAKMP
 * and {@code Info (181057)} for IPSEC): the kind digit, the module number, then a three-digit
 * message number.
 */
public interface MessageDef {

    /** The message's kind, module, number and text. */
    Message message();

    default Kind kind() {
        return message().kind();
    }

    /** Module number (see {@link io.argate.shell.Module#number()}). */
    default int module() {
        return message().module();
    }

    /** Message number within the module, 0..999. */
    default int number() {
        return message().number();
    }

    /** Text with {@link String#format} placeholders; no trailing full stop (added on render). */
    default String text() {
        return message().text();
    }

    default String code() {
        return kind().digit() + Integer.toString(module()) + String.format("%03d", number());
    }

    /** Renders {@code Error (334012): Parameter INTERFACE is required.} */
    default String render(Object... args) {
        String body = args.length == 0 ? text() : String.format(text(), args);
        if (!body.endsWith(".") && !body.endsWith("?") && !body.endsWith("!")) {
            body = body + ".";
        }
        return kind().label() + " (" + code() + "): " + body;
    }
}
