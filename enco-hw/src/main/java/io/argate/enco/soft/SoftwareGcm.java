package io.argate.enco.soft;

import io.argate.enco.spi.AeadChannel;
import io.argate.enco.spi.Algorithm;
import io.argate.enco.spi.DriverFailure;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/** AES-GCM on the JDK (AES-NI and carry-less multiply intrinsics), tag after the ciphertext. */
final class SoftwareGcm implements AeadChannel {
    private final Algorithm algorithm;
    private final SecretKeySpec key;
    private final int tagLength;
    private final Cipher cipher;

    SoftwareGcm(Algorithm a, byte[] key, int tagLength) throws DriverFailure {
        if (key.length != a.keyLength()) {
            throw new DriverFailure(a + " needs a " + a.keyLength() + "-byte key, not " + key.length);
        }
        if (tagLength != 8 && tagLength != 12 && tagLength != 16) {
            throw new DriverFailure("AES-GCM for ESP has 8, 12 or 16-byte ICVs (RFC 4106), not " + tagLength);
        }
        this.algorithm = a;
        this.key = new SecretKeySpec(key, "AES");
        this.tagLength = tagLength;
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new DriverFailure("JDK AES/GCM unavailable", e);
        }
    }

    @Override
    public Algorithm algorithm() {
        return algorithm;
    }

    @Override
    public int tagLength() {
        return tagLength;
    }

    @Override
    public AeadChannel fork() throws DriverFailure {
        return new SoftwareGcm(algorithm, key.getEncoded(), tagLength);
    }

    @Override
    public void seal(byte[] nonce, byte[] aad, ByteBuffer buf, int length) throws DriverFailure {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(tagLength * 8, nonce));
            cipher.updateAAD(aad);
            if (buf.hasArray()) {
                int off = buf.arrayOffset() + buf.position();
                cipher.doFinal(buf.array(), off, length, buf.array(), off);
            } else {
                ByteBuffer in = buf.duplicate().limit(buf.position() + length);
                ByteBuffer out = buf.duplicate().limit(buf.position() + length + tagLength);
                cipher.doFinal(in, out);
            }
        } catch (GeneralSecurityException e) {
            throw new DriverFailure(algorithm + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean open(byte[] nonce, byte[] aad, ByteBuffer buf, int length) throws DriverFailure {
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(tagLength * 8, nonce));
            cipher.updateAAD(aad);
            if (buf.hasArray()) {
                int off = buf.arrayOffset() + buf.position();
                cipher.doFinal(buf.array(), off, length + tagLength, buf.array(), off);
            } else {
                ByteBuffer in = buf.duplicate().limit(buf.position() + length + tagLength);
                ByteBuffer out = buf.duplicate().limit(buf.position() + length);
                cipher.doFinal(in, out);
            }
            return true;
        } catch (AEADBadTagException bad) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new DriverFailure(algorithm + ": " + e.getMessage(), e);
        }
    }
}
