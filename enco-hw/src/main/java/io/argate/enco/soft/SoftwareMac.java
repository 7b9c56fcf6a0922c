package io.argate.enco.soft;

import io.argate.enco.spi.Algorithm;
import io.argate.enco.spi.DriverFailure;
import io.argate.enco.spi.MacChannel;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/** HMACs on the JDK (SHA intrinsics), truncated to the ICV length ESP and AH use. */
final class SoftwareMac implements MacChannel {
    private final Algorithm algorithm;
    private final Mac mac;
    private final byte[] full;
    private final byte[] key;

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
            case HMAC_MD5_96, HMAC_MD5 -> "HmacMD5";
            case HMAC_SHA1_96, HMAC_SHA1 -> "HmacSHA1";
            case HMAC_SHA256_128, HMAC_SHA256 -> "HmacSHA256";
            case HMAC_SHA384_192, HMAC_SHA384 -> "HmacSHA384";
            case HMAC_SHA512_256, HMAC_SHA512 -> "HmacSHA512";
            default -> throw new UnsupportedOperationException("software has no MAC " + a);
        };
        try {
            this.mac = Mac.getInstance(name);
            mac.init(new SecretKeySpec(key, name));
        } catch (GeneralSecurityException e) {
            throw new DriverFailure("JDK " + name + " unavailable", e);
        }
        this.full = new byte[mac.getMacLength()];
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
        for (ByteBuffer p : parts) {
            int pos = p.position();
            mac.update(p);
            p.position(pos);
        }
        try {
            mac.doFinal(full, 0);
        } catch (ShortBufferException impossible) {
            throw new DriverFailure(algorithm + ": " + impossible.getMessage(), impossible);
        }
        System.arraycopy(full, 0, out, outOffset, length());
    }
}
