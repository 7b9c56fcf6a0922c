package io.argate.isakmp.wire;

/** A message that does not follow its RFC layout: the named reason is what the drop counter and the log show. */
public final class WireException extends Exception {
    /** Why a message was refused by the codec. */
    public enum Reason {
        SHORT_HEADER("shorter than the 28-byte ISAKMP header"),
        BAD_MAJOR_VERSION("major version is not 1"),
        LENGTH_MISMATCH("header length differs from the datagram length"),
        TOO_LONG("longer than an ISAKMP message may be"),
        PAYLOAD_HEADER_TRUNCATED("a generic payload header runs past the message"),
        PAYLOAD_LENGTH("a payload length is below 4 or runs past the message"),
        TOO_MANY_PAYLOADS("more payloads than any exchange uses"),
        TRAILING_BYTES("bytes after the last payload"),
        BAD_PAYLOAD_BODY("a payload body does not fit its layout"),
        BAD_PROPOSAL("a proposal does not fit its layout"),
        BAD_TRANSFORM("a transform does not fit its layout"),
        BAD_ATTRIBUTE("a data attribute does not fit its transform"),
        BAD_ENCRYPTED_LENGTH("the encrypted body is not a whole number of cipher blocks");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private final Reason reason;

    public WireException(Reason reason, String detail) {
        super(reason.text() + (detail == null ? "" : ": " + detail), null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
