package io.argate.pki;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * A .cer file: one X.509 certificate (RFC 5280) as DER, or as PEM (RFC 7468 "CERTIFICATE"
 * label), the two forms CREATE PKI CERTIFICATE ... FORMAT= writes and other tools exchange.
 */
public final class CertificateFile {
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    private CertificateFile() {
    }

    /** The certificate a file holds; the exception's message says why not. */
    public static X509Certificate read(byte[] file) throws CertificateException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(file));
        } catch (CertificateException | RuntimeException e) {
            throw new CertificateException(e.getMessage() == null ? "not DER or PEM X.509" : e.getMessage().split("\n")[0], e);
        }
    }

    /** A DER certificate, as the IKE CERT payload carries it. */
    public static X509Certificate parse(byte[] der) throws CertificateException {
        return read(der);
    }

    public static byte[] pem(X509Certificate c) throws CertificateEncodingException {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.getEncoded());
        return (BEGIN + "\n" + b64 + "\n" + END + "\n").getBytes(StandardCharsets.US_ASCII);
    }
}
