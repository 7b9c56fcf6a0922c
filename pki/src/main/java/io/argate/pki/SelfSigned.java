package io.argate.pki;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.security.auth.x500.X500Principal;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * CREATE PKI CERTIFICATE: a self-signed X.509 v3 certificate (RFC 5280) for one of this
 * router's RSA key pairs, signed with SHA-256. It carries the subject alternative names IKE
 * peers match IDs against (an address, a domain name, user@domain; RFC 4945 section 3.1) and,
 * being its own issuer, basicConstraints CA so that a peer can load it as a trust anchor.
 */
public final class SelfSigned {
    private SelfSigned() {
    }

    public static X509Certificate make(PrivateKey key, PublicKey publicKey, X500Principal subject, long serial, List<AltName> altNames,
                                       Instant from, Duration validity) throws CertificateException {
        try {
            X500Name name = X500Name.getInstance(subject.getEncoded());
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(serial), Date.from(from),
                    Date.from(from.plus(validity)), name, publicKey);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign));
            if (!altNames.isEmpty()) {
                GeneralName[] g = altNames.stream().map(AltName::generalName).toArray(GeneralName[]::new);
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(g));
            }
            X509CertificateHolder h = b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key));
            return CertificateFile.parse(h.getEncoded());
        } catch (OperatorCreationException | IOException | IllegalArgumentException e) {
            throw new CertificateException("cannot make the certificate: " + e.getMessage(), e);
        }
    }
}
