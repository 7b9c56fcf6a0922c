package io.argate.pki;

import java.security.cert.X509Certificate;

/**
 * One certificate the PKI module holds: its name, the flash file it was read from, whether it is
 * trusted as an anchor (TRUSTED=YES: IKE accepts it, or what it signed), and its type.
 */
public record CertificateEntry(String name, String location, X509Certificate certificate, boolean trusted, CertType type) {
    public CertificateEntry with(boolean trusted, CertType type) {
        return new CertificateEntry(name, location, certificate, trusted, type);
    }
}
