package io.argate.enco.soft;

import io.argate.enco.spi.Algorithm;
import io.argate.enco.spi.DriverFailure;
import io.argate.enco.spi.MacChannel;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * HMACs (RFC 2104) on the JDK's message digests (SHA intrinsics), truncated to the ICV length
 * ESP and AH use: H((K xor opad) || H((K xor ipad) || text)), the key padded with zeros to the
 * hash's block, or hashed first when it is longer than a block. Computed on a MessageDigest
 * rather than javax.crypto.Mac because Mac.doFinal returns a new array for every packet (its
 * doFinal(out, offset) copies from one), while MessageDigest.digest(buf, offset, length) writes
 * into the caller's array: this way a packet allocates nothing (issue 15), for the same two
 * hash passes.
 */
final class SoftwareMac implements MacChannel {
    private final Algorithm algorithm;
    private final MessageDigest md;
    private final byte[] key;
    private final byte[] ipad;
    private final byte[] opad;
    /** The inner hash, then the full HMAC before truncation. */
    private final byte[] full;

    SoftwareMac(Algorithm a, byte[] key) throws DriverFailure {
        if (a.keyLength() != 0 && key.length != a.keyLength()) {
            throw new DriverFailure(a + " needs a " + a.keyLength() + "-byte key, not " + key.length);
        }
        if (key.length == 0) {
            throw new DriverFailure(a + " needs a key");
        }
        this.algorithm = a;
        this.key = key.clone();
        String name = switch (a) {
            case HMAC_MD5_96, HMAC_MD5 -> "MD5";
            case HMAC_SHA1_96, HMAC_SHA1 -> "SHA-1";
            case HMAC_SHA256_128, HMAC_SHA256 -> "SHA-256";
            case HMAC_SHA384_192, HMAC_SHA384 -> "SHA-384";
            case HMAC_SHA512_256, HMAC_SHA512 -> "SHA-512";
            default -> throw new UnsupportedOperationException("software has no MAC " + a);
        };
        // RFC 2104 section 2: B, the hash's block, is 64 bytes for MD5, SHA-1 and SHA-256 and
        // 128 for SHA-384 and SHA-512 (RFC 4231 section 2)
        int blockLength = name.equals("SHA-384") || name.equals("SHA-512") ? 128 : 64;
        try {
            this.md = MessageDigest.getInstance(name);
        } catch (GeneralSecurityException e) {
            throw new DriverFailure("JDK " + name + " unavailable", e);
        }
        byte[] k = key.length > blockLength ? md.digest(key) : key;
        this.ipad = new byte[blockLength];
        this.opad = new byte[blockLength];
        for (int i = 0; i < blockLength; i++) {
            byte b = i < k.length ? k[i] : 0;
            ipad[i] = (byte) (b ^ 0x36);
            opad[i] = (byte) (b ^ 0x5c);
        }
        this.full = new byte[md.getDigestLength()];
    }

    @Override
    public Algorithm algorithm() {
        return algorithm;
    }

    @Override
    public MacChannel fork() throws DriverFailure {
        return new SoftwareMac(algorithm, key);
    }

    @Override
    public int length() {
        return algorithm.outputLength();
    }

    @Override
    public void compute(byte[] out, int outOffset, ByteBuffer... parts) throws DriverFailure {
        md.reset();
        md.update(ipad);
        for (ByteBuffer p : parts) {
            int pos = p.position();
            md.update(p);
            p.position(pos);
        }
        try {
            md.digest(full, 0, full.length);
            md.update(opad);
            md.update(full);
            md.digest(full, 0, full.length);
        } catch (DigestException impossible) {
            // full is the digest's own length
            md.reset();
            throw new DriverFailure(algorithm + ": " + impossible.getMessage(), impossible);
        }
        System.arraycopy(full, 0, out, outOffset, length());
    }
}
