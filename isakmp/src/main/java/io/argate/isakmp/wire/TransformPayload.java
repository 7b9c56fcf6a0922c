package io.argate.isakmp.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * Transform payload (RFC 2408 section 3.6), carried inside a proposal; its attributes are those
 * of RFC 2409 appendix A for phase 1 and RFC 2407 section 4.5 for phase 2.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Transform #  !  Transform-Id !           RESERVED2           !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        SA Attributes                          ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record TransformPayload(int number, int transformId, List<Attribute> attributes) implements Payload {
    public TransformPayload {
        attributes = List.copyOf(attributes);
    }

    @Override
    public int type() {
        return PayloadType.TRANSFORM;
    }

    public static TransformPayload decode(byte[] body) throws WireException {
        WireReader r = WireReader.of(body, WireException.Reason.BAD_TRANSFORM);
        int number = r.u8("transform number");
        int id = r.u8("transform id");
        r.u16("reserved");
        List<Attribute> attrs = new ArrayList<>();
        WireReader ar = new WireReader(body, r.position(), body.length, WireException.Reason.BAD_ATTRIBUTE);
        while (ar.remaining() > 0) {
            attrs.add(Attribute.decode(ar));
        }
        return new TransformPayload(number, id, attrs);
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(number).u8(transformId).u16(0);
        for (Attribute a : attributes) {
            a.encode(w);
        }
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

    /** The numeric value of an attribute class, or {@code absent}. */
    public long value(int type, long absent) {
        Attribute a = attribute(type);
        return a == null ? absent : a.asLong();
    }
}
