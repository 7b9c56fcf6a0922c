package io.argate.image;

import io.argate.enco.key.EncoKeyStore;
import io.argate.enco.key.KeyType;
import io.argate.enco.key.RsaKey;
import io.argate.isakmp.auth.Certificates;
import io.argate.isakmp.wire.Doi;
import io.argate.isakmp.wire.IdPayload;
import io.argate.pki.CertificateEntry;
import io.argate.pki.CertificateFile;
import io.argate.pki.CertificateNames;
import io.argate.pki.CertificateStore;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What RSA-signature IKE asks of ENCO and the PKI module: LOCALRSAKEY's private key from ENCO,
 * the PKI's certificate for it, and the trust verdict on a peer's certificates, with the IKE ID
 * matched to the certificate as RFC 4945 section 3.1 says (a DN to the subject, an address, a
 * domain name or user@domain to a subject alternative name).
 */
final class PkiCredentials implements Certificates {
    private final EncoKeyStore keys;
    private final CertificateStore store;
    private final Clock clock;

    PkiCredentials(EncoKeyStore keys, CertificateStore store, Clock clock) {
        this.keys = keys;
        this.store = store;
        this.clock = clock;
    }

    private Optional<RsaKey> rsa(int id) {
        return keys.get(id).filter(k -> k.type() == KeyType.RSA).flatMap(k -> RsaKey.of(k.value()));
    }

    @Override
    public Optional<PrivateKey> signingKey(int encoKey) {
        return rsa(encoKey).flatMap(RsaKey::privateKey);
    }

    @Override
    public Optional<byte[]> certificateFor(int encoKey) {
        return rsa(encoKey).flatMap(k -> store.forKey(k.publicKey())).map(CertificateEntry::certificate).flatMap(PkiCredentials::der);
    }

    private static Optional<byte[]> der(X509Certificate c) {
        try {
            return Optional.of(c.getEncoded());
        } catch (CertificateEncodingException e) {
            return Optional.empty();
        }
    }

    @Override
    public Verdict verify(List<byte[]> sent, IdPayload id) {
        List<X509Certificate> certs = new ArrayList<>();
        for (byte[] der : sent) {
            try {
                certs.add(CertificateFile.parse(der));
            } catch (CertificateException e) {
                return Verdict.refused("a CERT payload holds no X.509 certificate (" + e.getMessage() + ")");
            }
        }
        CertificateStore.Verdict v = store.verify(certs, names(id), id.text(), Date.from(clock.instant()));
        if (!v.ok()) {
            return Verdict.refused(v.failure());
        }
        return Verdict.trusted(v.certificate().getPublicKey(), v.certificate().getSubjectX500Principal().getName());
    }

    /** Whether a certificate names the ID (RFC 4945 section 3.1). */
    static Predicate<X509Certificate> names(IdPayload id) {
        byte[] data = id.data();
        return switch (id.idType()) {
            case Doi.ID_DER_ASN1_DN -> c -> CertificateNames.hasSubject(c, data);
            case Doi.ID_IPV4_ADDR -> c -> CertificateNames.hasAddress(c, id.text());
            case Doi.ID_FQDN -> c -> CertificateNames.hasDomain(c, new String(data, StandardCharsets.US_ASCII));
            case Doi.ID_USER_FQDN -> c -> CertificateNames.hasEmail(c, new String(data, StandardCharsets.US_ASCII));
            default -> c -> false;
        };
    }
}
