package io.argate.enco.spi;

/**
 * Everything an ENCO driver can provide (issue: ciphers, MACs, hashes, Diffie-Hellman, random).
 * Sizes are in bytes. For MACs {@code outputLength} is the ICV length actually used (HMAC-SHA1-96
 * gives 12), for PRF-style full HMACs the whole digest.
 */
public enum Algorithm {
    NULL_CIPHER(Kind.CIPHER, 0, 1, 0, 0),
    DES_CBC(Kind.CIPHER, 8, 8, 8, 0),
    TDES_CBC(Kind.CIPHER, 24, 8, 8, 0),
    AES_CBC_128(Kind.CIPHER, 16, 16, 16, 0),
    AES_CBC_192(Kind.CIPHER, 24, 16, 16, 0),
    AES_CBC_256(Kind.CIPHER, 32, 16, 16, 0),
    /** AES-GCM as ESP uses it (RFC 4106): 8-byte explicit IV; the salt comes with the key. */
    AES_GCM_128(Kind.AEAD, 16, 1, 8, 16),
    AES_GCM_192(Kind.AEAD, 24, 1, 8, 16),
    AES_GCM_256(Kind.AEAD, 32, 1, 8, 16),
    HMAC_MD5_96(Kind.MAC, 16, 0, 0, 12),
    HMAC_SHA1_96(Kind.MAC, 20, 0, 0, 12),
    HMAC_SHA256_128(Kind.MAC, 32, 0, 0, 16),
    HMAC_SHA384_192(Kind.MAC, 48, 0, 0, 24),
    HMAC_SHA512_256(Kind.MAC, 64, 0, 0, 32),
    HMAC_MD5(Kind.MAC, 0, 0, 0, 16),
    HMAC_SHA1(Kind.MAC, 0, 0, 0, 20),
    HMAC_SHA256(Kind.MAC, 0, 0, 0, 32),
    HMAC_SHA384(Kind.MAC, 0, 0, 0, 48),
    HMAC_SHA512(Kind.MAC, 0, 0, 0, 64),
    MD5(Kind.HASH, 0, 0, 0, 16),
    SHA1(Kind.HASH, 0, 0, 0, 20),
    SHA256(Kind.HASH, 0, 0, 0, 32),
    SHA384(Kind.HASH, 0, 0, 0, 48),
    SHA512(Kind.HASH, 0, 0, 0, 64),
    MODP_768(Kind.DH, 0, 0, 0, 96),
    MODP_1024(Kind.DH, 0, 0, 0, 128),
    MODP_1536(Kind.DH, 0, 0, 0, 192),
    MODP_2048(Kind.DH, 0, 0, 0, 256),
    MODP_3072(Kind.DH, 0, 0, 0, 384),
    MODP_4096(Kind.DH, 0, 0, 0, 512),
    RANDOM(Kind.RANDOM, 0, 0, 0, 0),
    /** IPComp LZS (RFC 2395), CPI 3. */
    LZS(Kind.COMPRESS, 0, 0, 0, 0),
    /** IPComp DEFLATE (RFC 2394), CPI 2. */
    DEFLATE(Kind.COMPRESS, 0, 0, 0, 0);

    /** What sort of engine an algorithm needs. */
    public enum Kind {
        CIPHER, AEAD, MAC, HASH, DH, RANDOM, COMPRESS
    }

    private final Kind kind;
    private final int keyLength;
    private final int blockSize;
    private final int ivLength;
    private final int outputLength;

    Algorithm(Kind kind, int keyLength, int blockSize, int ivLength, int outputLength) {
        this.kind = kind;
        this.keyLength = keyLength;
        this.blockSize = blockSize;
        this.ivLength = ivLength;
        this.outputLength = outputLength;
    }

    public Kind kind() {
        return kind;
    }

    /** Key length in bytes; 0 for MACs that take any key length (the PRF HMACs). */
    public int keyLength() {
        return keyLength;
    }

    public int blockSize() {
        return blockSize;
    }

    public int ivLength() {
        return ivLength;
    }

    /** ICV/tag/digest length, or the DH public value length (the prime's size). */
    public int outputLength() {
        return outputLength;
    }

    /** The Oakley/IKE group number of a MODP group (RFC 2409, 3526). */
    public int dhGroup() {
        return switch (this) {
            case MODP_768 -> 1;
            case MODP_1024 -> 2;
            case MODP_1536 -> 5;
            case MODP_2048 -> 14;
            case MODP_3072 -> 15;
            case MODP_4096 -> 16;
            default -> throw new IllegalStateException(this + " is not a DH group");
        };
    }
}
