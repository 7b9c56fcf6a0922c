package io.argate.isakmp.wire;

/**
 * Key Exchange payload (RFC 2408 section 3.7): the sender's Diffie-Hellman public value g^x,
 * which the exchange checks is exactly as long as the negotiated group's prime (RFC 2409 section 5).
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       Key Exchange Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class KePayload extends OpaqueBody {
    public KePayload(byte[] data) {
        super(PayloadType.KE, data);
    }

    public static KePayload decode(byte[] body) throws WireException {
        nonEmpty(PayloadType.KE, body);
        return new KePayload(body);
    }
}
