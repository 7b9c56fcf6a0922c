package io.argate.ipsec.esp;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * Where an ESP packet's IV comes from. CBC needs an unpredictable IV per packet (RFC 3602
 * section 2.3); GCM needs one that never repeats under a key (RFC 4106 section 3.1), which the
 * 64-bit sequence number gives. Known-answer tests supply the IV a standard's vector used.
 */
@FunctionalInterface
public interface IvSource {
    /** Fills {@code iv} (the algorithm's IV length) for the packet with sequence number {@code seq}. */
    void fill(byte[] iv, long seq);

    /**
     * The source another thread's fork of the transform uses: the same one when it keeps no
     * state between calls (the sequence, a test's fixed IV), else one of its own.
     */
    default IvSource fork() {
        return this;
    }

    /**
     * The CBC default: each IV is AES, under a random key of its own, applied to a random salt and
     * the packet's sequence number. Without that key the IVs are unpredictable (AES as a
     * pseudo-random function on a counter, the construction of NIST SP 800-90A's CTR_DRBG), and
     * they never repeat within an SA because the sequence number does not. One AES block per
     * packet, where asking SecureRandom for fresh bytes cost a system call and a global lock.
     */
    static IvSource random() {
        return new EncryptedSequence(new SecureRandom());
    }

    /** The full (64-bit) sequence number, big-endian: the GCM default. */
    static IvSource sequence() {
        return (iv, seq) -> {
            for (int i = 0; i < iv.length; i++) {
                iv[i] = (byte) (seq >>> (8 * (iv.length - 1 - i)));
            }
        };
    }

    /** AES-128 of (salt, sequence number) under a key nobody else holds; see {@link #random()}. Not thread-safe. */
    final class EncryptedSequence implements IvSource {
        private final Cipher aes;
        private final byte[] block = new byte[16];
        private final byte[] out = new byte[16];

        EncryptedSequence(SecureRandom random) {
            byte[] key = new byte[16];
            random.nextBytes(key);
            random.nextBytes(block);
            try {
                aes = Cipher.getInstance("AES/ECB/NoPadding");
                aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK has no AES", e);
            }
        }

        /**
         * Its own random key and salt: the IVs stay unpredictable, and two threads' IVs for
         * different sequence numbers collide only as two random 128-bit blocks do.
         */
        @Override
        public IvSource fork() {
            return new EncryptedSequence(new SecureRandom());
        }

        @Override
        public void fill(byte[] iv, long seq) {
            for (int i = 0; i < 8; i++) {
                block[8 + i] = (byte) (seq >>> (56 - 8 * i));
            }
            try {
                aes.doFinal(block, 0, 16, out, 0);
            } catch (GeneralSecurityException e) {
                // one whole block into a 16-byte array: cannot happen
                throw new IllegalStateException(e);
            }
            System.arraycopy(out, 0, iv, 0, iv.length);
        }
    }
}
