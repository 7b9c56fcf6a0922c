package io.argate.isakmp.crypto;

import io.argate.isakmp.wire.Phase1Attribute;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The CBC ciphers that protect phase 1 and later ISAKMP messages (RFC 2409 appendix A: DES,
 * 3DES; RFC 3602 section 5 and RFC 2409's Key Length attribute for AES). Bodies are whole
 * blocks; the exchange pads them (RFC 2409 section 5.3).
 */
public enum Phase1Cipher {
    DES(Phase1Attribute.ENC_DES, 0, 8, 8, "DES", "DES"),
    TDES(Phase1Attribute.ENC_3DES, 0, 24, 8, "DESede", "3DESOUTER"),
    AES128(Phase1Attribute.ENC_AES, 128, 16, 16, "AES", "AES128"),
    AES192(Phase1Attribute.ENC_AES, 192, 24, 16, "AES", "AES192"),
    AES256(Phase1Attribute.ENC_AES, 256, 32, 16, "AES", "AES256");

    private final int attribute;
    private final int keyLengthAttribute;
    private final int keyLength;
    private final int blockSize;
    private final String jce;
    private final String keyword;

    Phase1Cipher(int attribute, int keyLengthAttribute, int keyLength, int blockSize, String jce, String keyword) {
        this.attribute = attribute;
        this.keyLengthAttribute = keyLengthAttribute;
        this.keyLength = keyLength;
        this.blockSize = blockSize;
        this.jce = jce;
        this.keyword = keyword;
    }

    public int attribute() {
        return attribute;
    }

    /** The Key Length attribute value in bits, or 0 when the cipher has a fixed key length. */
    public int keyLengthAttribute() {
        return keyLengthAttribute;
    }

    public int keyLength() {
        return keyLength;
    }

    public int blockSize() {
        return blockSize;
    }

    /** The ENCALG keyword and SHOW ISAKMP SA's EncA. column. */
    public String keyword() {
        return keyword;
    }

    /** The cipher an Encryption Algorithm and Key Length attribute pair names (keyLength 0 when absent). */
    public static Optional<Phase1Cipher> of(int attribute, int keyLengthBits) {
        for (Phase1Cipher c : values()) {
            if (c.attribute == attribute && (c.keyLengthAttribute == keyLengthBits || c.attribute != Phase1Attribute.ENC_AES && keyLengthBits == 0)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    public byte[] encrypt(byte[] key, byte[] iv, byte[] plain) {
        return run(Cipher.ENCRYPT_MODE, key, iv, plain);
    }

    public byte[] decrypt(byte[] key, byte[] iv, byte[] cipherText) {
        return run(Cipher.DECRYPT_MODE, key, iv, cipherText);
    }

    private byte[] run(int mode, byte[] key, byte[] iv, byte[] data) {
        if (data.length % blockSize != 0) {
            throw new IllegalArgumentException(data.length + " bytes is not a whole number of " + blockSize + "-byte blocks");
        }
        try {
            Cipher c = Cipher.getInstance(jce + "/CBC/NoPadding");
            c.init(mode, new SecretKeySpec(Arrays.copyOf(key, keyLength), jce), new IvParameterSpec(Arrays.copyOf(iv, blockSize)));
            return c.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(jce + "-CBC failed", e);
        }
    }
}
