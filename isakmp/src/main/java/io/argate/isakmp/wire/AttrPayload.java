package io.argate.isakmp.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * Attribute payload of the transaction exchange (draft-ietf-ipsec-isakmp-mode-cfg-05 section
 * 3.2), for XAUTH and mode-config in a later issue.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !     Type      !   RESERVED    !           Identifier          !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                           Attributes                          ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record AttrPayload(int cfgType, int identifier, List<Attribute> attributes) implements Payload {
    public AttrPayload {
        attributes = List.copyOf(attributes);
    }

    @Override
    public int type() {
        return PayloadType.ATTR;
    }

    public static AttrPayload decode(byte[] body) throws WireException {
        WireReader r = WireReader.of(body, WireException.Reason.BAD_PAYLOAD_BODY);
        int type = r.u8("type");
        r.u8("reserved");
        int id = r.u16("identifier");
        List<Attribute> attrs = new ArrayList<>();
        WireReader ar = new WireReader(body, r.position(), body.length, WireException.Reason.BAD_ATTRIBUTE);
        while (ar.remaining() > 0) {
            attrs.add(Attribute.decode(ar));
        }
        return new AttrPayload(type, id, attrs);
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(cfgType).u8(0).u16(identifier);
        attributes.forEach(a -> a.encode(w));
    }
}
