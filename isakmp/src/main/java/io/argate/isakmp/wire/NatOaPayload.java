package io.argate.isakmp.wire;

import java.util.Arrays;

/**
 * NAT original address payload (RFC 3947 section 5.2; type 21, or 131 for the drafts), sent in
 * Quick Mode for transport mode behind a NAT. Only IPV4_ADDR (4 bytes) and IPV6_ADDR (16 bytes)
 * are allowed; any other length is refused.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !        Payload length         !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !   ID Type     !   RESERVED    !            RESERVED           !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !         IPv4 (4 octets) or IPv6 address (16 octets)           !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record NatOaPayload(int type, int idType, byte[] address) implements Payload {
    public NatOaPayload {
        address = address.clone();
    }

    @Override
    public byte[] address() {
        return address.clone();
    }

    public static NatOaPayload decode(int type, byte[] body) throws WireException {
        WireReader r = WireReader.of(body, WireException.Reason.BAD_PAYLOAD_BODY);
        int idType = r.u8("ID type");
        r.u8("reserved");
        r.u16("reserved");
        byte[] a = r.rest();
        int need = idType == Doi.ID_IPV4_ADDR ? 4 : idType == Doi.ID_IPV6_ADDR ? 16 : -1;
        if (need < 0) {
            throw new WireException(WireException.Reason.BAD_PAYLOAD_BODY, "NAT-OA of type " + Doi.ID_TYPE.display(idType)
                    + "; RFC 3947 allows IPV4_ADDR and IPV6_ADDR");
        }
        if (a.length != need) {
            throw new WireException(WireException.Reason.BAD_PAYLOAD_BODY, "NAT-OA address of " + a.length + " bytes; it must be " + need);
        }
        return new NatOaPayload(type, idType, a);
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(idType).u8(0).u16(0).bytes(address);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NatOaPayload n && n.type == type && n.idType == idType && Arrays.equals(n.address, address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address);
    }
}
