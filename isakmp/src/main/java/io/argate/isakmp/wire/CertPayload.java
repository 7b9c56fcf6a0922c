package io.argate.isakmp.wire;

import java.util.Arrays;

/**
 * Certificate (type 6, RFC 2408 section 3.9) and Certificate Request (type 7, section 3.10)
 * payloads: one encoding or type byte, then the certificate or the authority. With RSA
 * signatures phase 1 carries our certificate and asks for the peer's; pre-shared-key exchanges ignore both.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Cert Encoding !                                               !
 * +-+-+-+-+-+-+-+-+                                               !
 * ~                 Certificate Data / Certificate Authority      ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record CertPayload(int type, int encoding, byte[] data) implements Payload {
    /** Certificate Encoding "X.509 Certificate - Signature" (RFC 2408 section 3.9): a DER certificate. */
    public static final int X509_SIGNATURE = 4;

    public CertPayload {
        if (type != PayloadType.CERT && type != PayloadType.CR) {
            throw new IllegalArgumentException("CERT or CR, not " + type);
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public static CertPayload decode(int type, byte[] body) throws WireException {
        WireReader r = WireReader.of(body, WireException.Reason.BAD_PAYLOAD_BODY);
        int encoding = r.u8("certificate encoding");
        return new CertPayload(type, encoding, r.rest());
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(encoding).bytes(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertPayload c && c.type == type && c.encoding == encoding && Arrays.equals(c.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }
}
