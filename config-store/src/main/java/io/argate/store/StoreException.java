package io.argate.store;

/**
 * A storage operation failed. The message is written for the person at the console
 * ("File boot.cfg does not exist"), so the shell prints it as it is.
 *
 * <p>Unchecked because every caller (commands, boot, modules saving state) handles it the same
 * way: report the message and leave the previous state in place.
 */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
