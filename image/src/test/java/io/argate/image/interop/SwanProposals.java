package io.argate.image.interop;

/**
 * Proposal strings in strongSwan's syntax for the interop matrix (encryption-integrity
 * and PRF-DH group; the same string serves IKE and, for ESP, means PFS with that group). Join
 * several with a comma, in order of preference.
 */
public final class SwanProposals {
    private SwanProposals() {
    }

    /** AES-128 CBC, HMAC-SHA1, group 2 (1024-bit MODP). */
    public static final String AES128_SHA1_MODP1024 = "aes128-sha1-modp1024";
    /** AES-128 CBC, HMAC-SHA1, group 14: what Libreswan 4.10 accepts (it dropped group 2). */
    public static final String AES128_SHA1_MODP2048 = "aes128-sha1-modp2048";
    /** 3DES CBC, HMAC-SHA1, group 2. */
    public static final String TRIPLE_DES_SHA1_MODP1024 = "3des-sha1-modp1024";
    /** AES-256 CBC, HMAC-SHA2-256, group 14 (2048-bit MODP). */
    public static final String AES256_SHA256_MODP2048 = "aes256-sha256-modp2048";
    /** DES CBC, HMAC-MD5, group 1 (768-bit MODP). */
    public static final String DES_MD5_MODP768 = "des-md5-modp768";
    /** ESP AES-128 / HMAC-SHA1-96 without PFS. */
    public static final String ESP_AES128_SHA1 = "aes128-sha1";
    /** ESP 3DES / HMAC-SHA1-96 without PFS. */
    public static final String ESP_3DES_SHA1 = "3des-sha1";

    /** A preference list: {@code first,second,...}. */
    public static String list(String... proposals) {
        return String.join(",", proposals);
    }
}
