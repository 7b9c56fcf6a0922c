package io.argate.pki;

/**
 * ADD PKI CERTIFICATE ... TYPE=: a certificate authority that issues peers' certificates, a
 * peer's (end entity's) certificate, or this router's own certificate (made self-signed by
 * CREATE PKI CERTIFICATE, or issued to it).
 */
public enum CertType {
    CA, ENDENTITY, SELF
}
