package io.argate.isakmp.wire;

/**
 * Hash payload (RFC 2408 section 3.11): HASH_I/HASH_R (RFC 2409 section 5) or a Quick Mode /
 * Informational HASH(n); its length must equal the PRF output, which the exchange checks.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                           Hash Data                           ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class HashPayload extends OpaqueBody {
    public HashPayload(byte[] data) {
        super(PayloadType.HASH, data);
    }

    public static HashPayload decode(byte[] body) throws WireException {
        nonEmpty(PayloadType.HASH, body);
        return new HashPayload(body);
    }
}
