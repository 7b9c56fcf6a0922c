package io.argate.enco.key;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

/**
 * The value of an ENCO key of TYPE=RSA (fact sheet 3: "RSA needs LENGTH, or FILE"). A key pair
 * made by CREATE ENCO KEY ... LENGTH= is kept as its PKCS#8 encoding (RFC 5208), which holds the
 * public part too; a key imported from a .key file is only a peer's public part, kept as its
 * SubjectPublicKeyInfo (RFC 5280 section 4.1.2.7). A .key file is that public part in PEM.
 */
public final class RsaKey {
    /** Key lengths CREATE ENCO KEY TYPE=RSA LENGTH= takes, in bits. */
    public static final int MIN_BITS = 512;
    public static final int MAX_BITS = 4096;

    private static final String PEM_BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String PEM_END = "-----END PUBLIC KEY-----";

    private final RSAPublicKey publicKey;
    private final PrivateKey privateKey;

    private RsaKey(RSAPublicKey publicKey, PrivateKey privateKey) {
        this.publicKey = publicKey;
        this.privateKey = privateKey;
    }

    /** A new key pair of {@code bits} bits, public exponent 65537. */
    public static byte[] generate(int bits, SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits, random);
            return g.generateKeyPair().getPrivate().getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make RSA keys: " + e.getMessage(), e);
        }
    }

    /** The key a stored value holds, or empty when it is neither encoding. */
    public static Optional<RsaKey> of(byte[] value) {
        try {
            KeyFactory f = KeyFactory.getInstance("RSA");
            try {
                RSAPrivateCrtKey priv = (RSAPrivateCrtKey) f.generatePrivate(new PKCS8EncodedKeySpec(value));
                RSAPublicKey pub = (RSAPublicKey) f.generatePublic(new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
                return Optional.of(new RsaKey(pub, priv));
            } catch (GeneralSecurityException | ClassCastException notPrivate) {
                return Optional.of(new RsaKey((RSAPublicKey) f.generatePublic(new X509EncodedKeySpec(value)), null));
            }
        } catch (GeneralSecurityException | ClassCastException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The public part a .key file holds (PEM, or the DER itself), as a stored value; empty when it is not one. */
    public static Optional<byte[]> importPublic(byte[] file) {
        String text = new String(file, java.nio.charset.StandardCharsets.US_ASCII);
        byte[] der = file;
        int b = text.indexOf(PEM_BEGIN);
        int e = text.indexOf(PEM_END);
        if (b >= 0 && e > b) {
            try {
                der = Base64.getMimeDecoder().decode(text.substring(b + PEM_BEGIN.length(), e));
            } catch (IllegalArgumentException bad) {
                return Optional.empty();
            }
        }
        byte[] value = der;
        return of(value).map(k -> k.publicKey.getEncoded());
    }

    /** The public part as a .key file: PEM of the SubjectPublicKeyInfo. */
    public byte[] exportPublic() {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(publicKey.getEncoded());
        return (PEM_BEGIN + "\n" + b64 + "\n" + PEM_END + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    /** The private key, empty for an imported public part. */
    public Optional<PrivateKey> privateKey() {
        return Optional.ofNullable(privateKey);
    }

    public int bits() {
        return publicKey.getModulus().bitLength();
    }

    public BigInteger modulus() {
        return publicKey.getModulus();
    }

    public BigInteger exponent() {
        return publicKey.getPublicExponent();
    }

    public boolean pair() {
        return privateKey != null;
    }

    public PublicKey asPublic() {
        return publicKey;
    }
}
