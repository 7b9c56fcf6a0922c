package io.argate.pki;

import javax.security.auth.x500.X500Principal;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Whether a certificate names an IKE identity (RFC 4945 section 3.1): a DN must be the subject;
 * an address, a domain name or user@domain must be one of its subject alternative names.
 */
public final class CertificateNames {
    /** GeneralName tags of RFC 5280 section 4.2.1.6. */
    static final int RFC822 = 1;
    static final int DNS = 2;
    static final int IP = 7;

    private CertificateNames() {
    }

    public static boolean hasSubject(X509Certificate c, byte[] derName) {
        try {
            return c.getSubjectX500Principal().equals(new X500Principal(derName));
        } catch (IllegalArgumentException notDer) {
            return false;
        }
    }

    public static boolean hasAddress(X509Certificate c, String dotted) {
        return alt(c, IP).stream().anyMatch(dotted::equals);
    }

    public static boolean hasDomain(X509Certificate c, String fqdn) {
        return alt(c, DNS).stream().anyMatch(fqdn::equalsIgnoreCase);
    }

    public static boolean hasEmail(X509Certificate c, String user) {
        return alt(c, RFC822).stream().anyMatch(user::equalsIgnoreCase);
    }

    /** The subject alternative names of one kind, as text. */
    public static List<String> alt(X509Certificate c, int kind) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> names = c.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> n : names) {
                    if (n.size() >= 2 && n.get(0) instanceof Integer k && k == kind && n.get(1) instanceof String s) {
                        out.add(s);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return out;
        }
        return out;
    }

    /** Every subject alternative name, for SHOW: {@code IP:1.1.1.1}, {@code DNS:gw1}, {@code EMAIL:a@b}. */
    public static List<String> describe(X509Certificate c) {
        List<String> out = new ArrayList<>();
        alt(c, IP).forEach(s -> out.add("IP:" + s));
        alt(c, DNS).forEach(s -> out.add("DNS:" + s));
        alt(c, RFC822).forEach(s -> out.add("EMAIL:" + s));
        return out;
    }
}
