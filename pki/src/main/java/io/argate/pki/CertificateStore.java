package io.argate.pki;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The certificates ADD PKI CERTIFICATE has loaded, by name, and the trust decision IKE asks for:
 * a peer's certificate is accepted when it is itself a TRUSTED certificate here, or when it was
 * signed by one (directly, or through intermediates the peer sent), each certificate in the
 * chain within its validity on the router's clock (RFC 5280 section 6, without revocation).
 * Read and changed on the control loop only.
 */
public final class CertificateStore {
    /** Intermediates a peer's chain may hold before a trusted certificate must be reached. */
    static final int MAX_CHAIN = 4;

    private final Map<String, CertificateEntry> byName = new LinkedHashMap<>();

    public Optional<CertificateEntry> get(String name) {
        return Optional.ofNullable(byName.get(key(name)));
    }

    public Collection<CertificateEntry> all() {
        return List.copyOf(byName.values());
    }

    public void put(CertificateEntry e) {
        byName.put(key(e.name()), e);
    }

    public boolean remove(String name) {
        return byName.remove(key(name)) != null;
    }

    public void clear() {
        byName.clear();
    }

    /** The entry holding exactly this certificate, if any. */
    public Optional<CertificateEntry> holding(X509Certificate c) {
        return byName.values().stream().filter(e -> same(e.certificate(), c)).findFirst();
    }

    /** This router's certificate for a key pair: a SELF (else any) certificate whose public key is {@code key}. */
    public Optional<CertificateEntry> forKey(PublicKey key) {
        Optional<CertificateEntry> self = byName.values().stream()
                .filter(e -> e.type() == CertType.SELF && e.certificate().getPublicKey().equals(key)).findFirst();
        return self.isPresent() ? self : byName.values().stream().filter(e -> e.certificate().getPublicKey().equals(key)).findFirst();
    }

    /** The verdict on a peer: its certificate when trusted, else why not. */
    public record Verdict(X509Certificate certificate, String failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    /**
     * Checks the certificates a peer sent (its own first, then any chain), or, when it sent none,
     * the certificates held here that name it; {@code namesPeer} says whether a certificate
     * names the peer's ID.
     */
    public Verdict verify(List<X509Certificate> sent, Predicate<X509Certificate> namesPeer, String peerId, Date now) {
        if (sent.isEmpty()) {
            String why = "the peer sent no certificate and no PKI certificate names " + peerId;
            for (CertificateEntry e : byName.values()) {
                if (e.type() != CertType.CA && namesPeer.test(e.certificate())) {
                    Verdict v = chain(e.certificate(), List.of(), now);
                    if (v.ok()) {
                        return v;
                    }
                    why = v.failure();
                }
            }
            return new Verdict(null, why);
        }
        X509Certificate end = sent.get(0);
        if (!namesPeer.test(end)) {
            return new Verdict(null, "its certificate (" + subject(end) + ") does not name the peer's ID " + peerId);
        }
        return chain(end, sent.subList(1, sent.size()), now);
    }

    private Verdict chain(X509Certificate end, List<X509Certificate> intermediates, Date now) {
        X509Certificate at = end;
        for (int depth = 0; depth <= MAX_CHAIN; depth++) {
            String invalid = validity(at, now);
            if (invalid != null) {
                return new Verdict(null, invalid);
            }
            Optional<CertificateEntry> held = holding(at);
            if (held.isPresent() && held.get().trusted()) {
                return new Verdict(end, null);
            }
            X509Certificate issuer = null;
            for (CertificateEntry e : byName.values()) {
                if (e.trusted() && issued(e.certificate(), at)) {
                    String bad = validity(e.certificate(), now);
                    if (bad != null) {
                        return new Verdict(null, bad);
                    }
                    return new Verdict(end, null);
                }
            }
            for (X509Certificate c : intermediates) {
                if (!same(c, at) && issued(c, at)) {
                    issuer = c;
                }
            }
            if (issuer == null && held.isPresent() && issued(at, at)) {
                return new Verdict(null, subject(at) + " is PKI certificate " + held.get().name() + ", which is not TRUSTED"
                        + " (SET PKI CERTIFICATE=" + held.get().name() + " TRUSTED=YES)");
            }
            if (issuer == null) {
                return new Verdict(null, subject(at) + " was issued by " + at.getIssuerX500Principal().getName()
                        + ", which no TRUSTED PKI certificate is");
            }
            at = issuer;
        }
        return new Verdict(null, "its chain is longer than " + MAX_CHAIN + " certificates");
    }

    /** True when {@code issuer} signed {@code c}. */
    static boolean issued(X509Certificate issuer, X509Certificate c) {
        if (!issuer.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            return false;
        }
        try {
            c.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static String validity(X509Certificate c, Date now) {
        try {
            c.checkValidity(now);
            return null;
        } catch (CertificateExpiredException e) {
            return subject(c) + " expired on " + c.getNotAfter().toInstant();
        } catch (CertificateNotYetValidException e) {
            return subject(c) + " is not valid before " + c.getNotBefore().toInstant();
        }
    }

    static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }

    static boolean same(X509Certificate a, X509Certificate b) {
        try {
            return Arrays.equals(a.getEncoded(), b.getEncoded());
        } catch (CertificateEncodingException e) {
            return false;
        }
    }

    private static String key(String name) {
        return name.toUpperCase(java.util.Locale.ROOT);
    }
}
