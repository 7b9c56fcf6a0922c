package io.argate.isakmp.auth;

import io.argate.isakmp.wire.IdPayload;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;

/**
 * What AUTHTYPE=RSASIG needs from the rest of the router (RFC 2409 section 5.1): the private key
 * of LOCALRSAKEY (an ENCO key pair), the certificate the PKI holds for it, and a verdict on the
 * certificates a peer sent. The ISAKMP module asks; ENCO and the PKI module answer, so this
 * module depends on neither.
 */
public interface Certificates {
    /** LOCALRSAKEY's private key, or empty when that ENCO key is missing or holds only a public part. */
    Optional<PrivateKey> signingKey(int encoKey);

    /** The X.509 certificate (DER) the PKI holds for that key pair, sent in our CERT payload; empty when none. */
    Optional<byte[]> certificateFor(int encoKey);

    /**
     * The peer's public key: from the first certificate it sent (DER, with any chain after it),
     * trusted through the PKI's certificates, and naming {@code id}; or, when it sent none, from
     * a trusted certificate the PKI holds for that ID.
     */
    Verdict verify(List<byte[]> sent, IdPayload id);

    /** The answer of {@link #verify}: a key and the certificate's subject, or why not. */
    record Verdict(PublicKey key, String subject, String failure) {
        public static Verdict trusted(PublicKey key, String subject) {
            return new Verdict(key, subject, null);
        }

        public static Verdict refused(String why) {
            return new Verdict(null, null, why);
        }

        public boolean ok() {
            return failure == null;
        }
    }

    /** A router without a PKI: no key signs and no certificate is trusted. */
    Certificates NONE = new Certificates() {
        @Override
        public Optional<PrivateKey> signingKey(int encoKey) {
            return Optional.empty();
        }

        @Override
        public Optional<byte[]> certificateFor(int encoKey) {
            return Optional.empty();
        }

        @Override
        public Verdict verify(List<byte[]> sent, IdPayload id) {
            return Verdict.refused("this router holds no trusted certificates (ADD PKI CERTIFICATE ... TRUSTED=YES)");
        }
    };
}
