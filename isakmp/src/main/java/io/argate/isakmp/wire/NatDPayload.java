package io.argate.isakmp.wire;

/**
 * NAT discovery payload (RFC 3947 section 3.2): HASH(CKY-I | CKY-R | IP | Port) with the
 * negotiated hash. Sent as type 20 after the RFC 3947 vendor ID, as 130 after a draft one.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                 HASH of the address and port                  ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class NatDPayload extends OpaqueBody {
    public NatDPayload(int type, byte[] hash) {
        super(type, hash);
    }

    public static NatDPayload decode(int type, byte[] body) throws WireException {
        return new NatDPayload(type, nonEmpty(type, body));
    }
}
