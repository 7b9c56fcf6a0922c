package io.argate.isakmp.wire;

/**
 * Vendor ID payload (RFC 2408 section 3.16): an opaque hash naming an extension the sender
 * supports (NAT-T RFC 3947 and its drafts, DPD RFC 3706).
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        Vendor ID (VID)                        ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class VendorIdPayload extends OpaqueBody {
    public VendorIdPayload(byte[] data) {
        super(PayloadType.VID, data);
    }

    public static VendorIdPayload decode(byte[] body) throws WireException {
        nonEmpty(PayloadType.VID, body);
        return new VendorIdPayload(body);
    }
}
