package io.argate.isakmp.wire;

/**
 * One ISAKMP payload (RFC 2408 section 3.2 onwards). Every payload starts with the generic
 * header, which {@link PayloadChain} reads and writes; a payload class encodes and decodes only
 * its body, symmetrically, and draws its layout in its comment.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public interface Payload {
    /** The payload type number this payload is sent as. */
    int type();

    /** Writes the body (everything after the generic header). */
    void encodeBody(WireWriter w);

    /** The body as bytes (SAi_b, IDii_b and friends of RFC 2409 are bodies). */
    default byte[] body() {
        WireWriter w = new WireWriter();
        encodeBody(w);
        return w.toBytes();
    }
}
