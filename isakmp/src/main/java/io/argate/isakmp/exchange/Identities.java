package io.argate.isakmp.exchange;

import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.wire.Doi;
import io.argate.isakmp.wire.IdPayload;


/**
 * The identity task of phase 1: our ID is LOCALID (an address, an FQDN, a user FQDN, or a DN,
 * sent as its DER encoding as RFC 2407 section 4.6.2.1 says) or, without it, our address (seed 003 note); the peer's ID
 * must match REMOTEID when the policy names one.
 */
final class Identities {
    private Identities() {
    }

    static IdPayload local(IsakmpPolicy p, int ourAddress) {
        String id = p.localId();
        if (id == null) {
            return IdPayload.ipv4(ourAddress);
        }
        int a = parseAddress(id);
        if (a != 0 || id.equals("0.0.0.0")) {
            return IdPayload.ipv4(a);
        }
        if (id.contains("=")) {
            return IdPayload.distinguishedName(id);
        }
        return IdPayload.name(id);
    }

    /** The subject of a certificate (DER) as an ID_DER_ASN1_DN payload; empty when it does not parse. */
    static java.util.Optional<IdPayload> subjectOf(byte[] certificate) {
        try {
            var cert = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(certificate));
            return java.util.Optional.of(new IdPayload(Doi.ID_DER_ASN1_DN, 0, 0, cert.getSubjectX500Principal().getEncoded()));
        } catch (java.security.cert.CertificateException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** True when the peer's ID is what REMOTEID names (case-insensitive for names, DNs by their RFC 5280 comparison), or REMOTEID is unset. */
    static boolean matches(IsakmpPolicy p, IdPayload id) {
        String want = p.remoteId();
        if (want == null) {
            return true;
        }
        if (id.idType() == Doi.ID_DER_ASN1_DN && want.contains("=")) {
            return IdPayload.distinguishedName(want).equals(id);
        }
        int a = parseAddress(want);
        if (a != 0) {
            return id.idType() == Doi.ID_IPV4_ADDR && id.word(0) == a;
        }
        return (id.idType() == Doi.ID_FQDN || id.idType() == Doi.ID_USER_FQDN || id.idType() == Doi.ID_DER_ASN1_DN
                || id.idType() == Doi.ID_KEY_ID) && id.text().equalsIgnoreCase(want);
    }

    /** A dotted-quad address, or 0 when the text is not one. */
    static int parseAddress(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return 0;
        }
        int a = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return 0;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return 0;
            }
            a = a << 8 | v;
        }
        return a;
    }
}
