package io.argate.isakmp.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * Attribute payload of the transaction exchange (draft-dukes-ike-mode-cfg-02 section 3.2), the
 * one payload XAUTH and Mode Config carry: its {@link CfgType} (REQUEST, REPLY, SET, ACK), the
 * identifier that pairs an answer with its question, and the attributes ({@link CfgAttribute}),
 * each in the TV or TLV form of RFC 2408 section 3.3. Decode and encode are symmetric: an
 * attribute this code does not know survives both unchanged.
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

    /** The first attribute of a class, or null. */
    public Attribute attribute(int type) {
        for (Attribute a : attributes) {
            if (a.type() == type) {
                return a;
            }
        }
        return null;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(cfgType).u8(0).u16(identifier);
        attributes.forEach(a -> a.encode(w));
    }
}
