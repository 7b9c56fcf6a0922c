package io.argate.enco.spi;

/**
 * A driver could not do an operation it admitted to (a hardware error, a kernel refusal, a
 * timeout, or bad input such as an invalid DH public value). The ENCO service falls back to
 * software for the channel and counts it.
 */
public final class DriverFailure extends Exception {
    public DriverFailure(String message) {
        super(message, null, false, false);
    }

    public DriverFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
