package io.argate.isakmp.wire;

/**
 * A payload of a type this codec does not know (or an XAUTH/mode-config payload before that
 * issue): kept byte for byte so it survives decode and encode; the exchange's payload rule
 * table refuses it with INVALID-PAYLOAD-TYPE's reason (RFC 2408 section 5.1).
 */
public final class UnknownPayload extends OpaqueBody {
    public UnknownPayload(int type, byte[] body) {
        super(type, body);
    }
}
