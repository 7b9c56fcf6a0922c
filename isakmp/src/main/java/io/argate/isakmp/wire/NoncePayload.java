package io.argate.isakmp.wire;

/**
 * Nonce payload (RFC 2408 section 3.13); RFC 2409 section 5 bounds it to 8..256 bytes.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                            Nonce Data                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class NoncePayload extends OpaqueBody {
    public static final int NONCE_MIN = 8;
    public static final int NONCE_MAX = 256;

    public NoncePayload(byte[] data) {
        super(PayloadType.NONCE, data);
    }

    public static NoncePayload decode(byte[] body) throws WireException {
        if (body.length < NONCE_MIN || body.length > NONCE_MAX) {
            throw new WireException(WireException.Reason.BAD_PAYLOAD_BODY, "nonce of " + body.length + " bytes; RFC 2409 section 5 allows 8..256");
        }
        return new NoncePayload(body);
    }
}
