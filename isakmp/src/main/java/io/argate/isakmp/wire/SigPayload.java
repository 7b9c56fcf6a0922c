package io.argate.isakmp.wire;

/**
 * Signature payload (RFC 2408 section 3.12), for the signature authentication of a later issue.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                         Signature Data                        ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class SigPayload extends OpaqueBody {
    public SigPayload(byte[] data) {
        super(PayloadType.SIG, data);
    }

    public static SigPayload decode(byte[] body) throws WireException {
        nonEmpty(PayloadType.SIG, body);
        return new SigPayload(body);
    }
}
