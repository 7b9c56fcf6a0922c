package io.argate.isakmp.wire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The shared shape of the payloads whose whole body is one opaque field (KE, HASH, SIG, NONCE,
 * VID, NAT-D and payload types this codec does not know): the bytes are kept as received and
 * written back unchanged.
 */
public abstract class OpaqueBody implements Payload {
    private final int type;
    private final byte[] data;

    protected OpaqueBody(int type, byte[] data) {
        this.type = type;
        this.data = data.clone();
    }

    @Override
    public final int type() {
        return type;
    }

    public final byte[] data() {
        return data.clone();
    }

    public final int length() {
        return data.length;
    }

    @Override
    public final void encodeBody(WireWriter w) {
        w.bytes(data);
    }

    static byte[] nonEmpty(int type, byte[] body) throws WireException {
        if (body.length == 0) {
            throw new WireException(WireException.Reason.BAD_PAYLOAD_BODY, PayloadType.REGISTRY.name(type) + " payload is empty");
        }
        return body;
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((OpaqueBody) o).type == type && Arrays.equals(((OpaqueBody) o).data, data);
    }

    @Override
    public final int hashCode() {
        return type * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return PayloadType.REGISTRY.name(type) + "[" + HexFormat.of().formatHex(data) + "]";
    }
}
