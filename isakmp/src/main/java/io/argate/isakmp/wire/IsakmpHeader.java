package io.argate.isakmp.wire;

/**
 * The ISAKMP header (RFC 2408 section 3.1), 28 bytes at the start of every message.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                          Initiator                            !
 * !                            Cookie                             !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                          Responder                            !
 * !                            Cookie                             !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Next Payload ! MjVer ! MnVer ! Exchange Type !     Flags     !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                          Message ID                           !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                            Length                             !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The length must equal the datagram's exactly; major version 1 is required (a higher one is
 * INVALID-MAJOR-VERSION, RFC 2408 section 5.1); a minor version above 0 is accepted and kept.
 */
public record IsakmpHeader(long initiatorCookie, long responderCookie, int nextPayload, int version, int exchangeType,
                           int flags, int messageId, int length) {
    public static final int LENGTH = 28;
    public static final int VERSION_1_0 = 0x10;
    /** Encryption bit: the body after the header is encrypted (RFC 2408 section 3.1). */
    public static final int FLAG_ENCRYPTION = 0x01;
    /** Commit bit (RFC 2408 section 3.1, RFC 2409 section 5.5). */
    public static final int FLAG_COMMIT = 0x02;
    /** Authentication-only bit. */
    public static final int FLAG_AUTH_ONLY = 0x04;

    public boolean encrypted() {
        return (flags & FLAG_ENCRYPTION) != 0;
    }

    public boolean commit() {
        return (flags & FLAG_COMMIT) != 0;
    }

    public IsakmpHeader withLength(int l) {
        return new IsakmpHeader(initiatorCookie, responderCookie, nextPayload, version, exchangeType, flags, messageId, l);
    }

    public IsakmpHeader withNextPayload(int n) {
        return new IsakmpHeader(initiatorCookie, responderCookie, n, version, exchangeType, flags, messageId, length);
    }

    public static IsakmpHeader decode(byte[] message) throws WireException {
        if (message.length < LENGTH) {
            throw new WireException(WireException.Reason.SHORT_HEADER, message.length + " bytes");
        }
        WireReader r = new WireReader(message, 0, LENGTH, WireException.Reason.SHORT_HEADER);
        long ic = r.u64("initiator cookie");
        long rc = r.u64("responder cookie");
        int next = r.u8("next payload");
        int version = r.u8("version");
        int xchg = r.u8("exchange type");
        int flags = r.u8("flags");
        int mid = r.u32("message id");
        int length = r.u32("length");
        if (version >>> 4 != 1) {
            throw new WireException(WireException.Reason.BAD_MAJOR_VERSION, "version " + (version >>> 4) + "." + (version & 15));
        }
        if (length != message.length) {
            throw new WireException(WireException.Reason.LENGTH_MISMATCH, "header says " + Integer.toUnsignedString(length)
                    + ", datagram has " + message.length);
        }
        return new IsakmpHeader(ic, rc, next, version, xchg, flags, mid, length);
    }

    public void encode(WireWriter w) {
        w.u64(initiatorCookie).u64(responderCookie).u8(nextPayload).u8(version).u8(exchangeType).u8(flags).u32(messageId).u32(length);
    }
}
