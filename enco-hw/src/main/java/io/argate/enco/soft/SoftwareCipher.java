package io.argate.enco.soft;

import io.argate.enco.spi.Algorithm;
import io.argate.enco.spi.CipherChannel;
import io.argate.enco.spi.DriverFailure;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * CBC ciphers in software. AES goes to the JDK (AES-NI intrinsics); DES and 3DES go to Bouncy
 * Castle's lightweight engines, which ANCHORS.md measures at ~1.4x the JDK for them.
 */
final class SoftwareCipher {
    private SoftwareCipher() {
    }

    static CipherChannel open(Algorithm a, byte[] key) throws DriverFailure {
        return switch (a) {
            case NULL_CIPHER -> new Null();
            case AES_CBC_128, AES_CBC_192, AES_CBC_256 -> new Jdk(a, key);
            case DES_CBC -> new Bc(a, new DESEngine(), new DESEngine(), key);
            case TDES_CBC -> new Bc(a, new DESedeEngine(), new DESedeEngine(), key);
            default -> throw new UnsupportedOperationException("software has no cipher " + a);
        };
    }

    /** ESP's NULL encryption (RFC 2410): the data stays as it is. */
    private static final class Null implements CipherChannel {
        public Algorithm algorithm() {
            return Algorithm.NULL_CIPHER;
        }

        public void encrypt(byte[] iv, ByteBuffer data) {
        }

        public CipherChannel fork() {
            // no state at all: one is enough for every thread
            return this;
        }

        public void decrypt(byte[] iv, ByteBuffer data) {
        }
    }

    /**
     * AES-CBC on the JDK without re-initialising the cipher per packet. A JDK cipher takes a new
     * IV only through init, and init with a new IvParameterSpec copies the IV and the key each
     * time; JDK 17's doFinal also copies the whole input when it is encrypted in place. So each
     * direction keeps one cipher, initialised once with an all-zero IV, and folds the packet's IV
     * into the first block itself: CBC encryption with IV v of P1, P2, ... is CBC with a zero IV
     * of (P1 xor v), P2, ... (C1 = E(P1 xor v), every later block chains on the ciphertext as
     * usual), and decryption with a zero IV yields P1 xor v in the first block, the rest as they
     * are (RFC 3602 section 2: C1 = E(P1 xor IV)). An empty doFinal puts the chaining back to
     * the zero IV for the next packet. The JDK (17 and 25 alike) copies its input into a new
     * array whenever input and output overlap in the same array (CipherCore's overlap test), so
     * the cipher writes into this channel's own scratch array and the result is copied back: the
     * same one copy the JDK would make, without the garbage. Nothing is allocated per packet.
     */
    private static final class Jdk implements CipherChannel {
        private static final int BLOCK = 16;
        private final Algorithm algorithm;
        private final SecretKeySpec key;
        private Cipher encryptor;
        private Cipher decryptor;
        /** Where the empty doFinal that resets a cipher writes its nothing. */
        private final byte[] none = new byte[BLOCK];
        /** The cipher's output before it is copied back into the packet; grows to the largest packet seen. */
        private byte[] scratch = new byte[2048];

        Jdk(Algorithm a, byte[] key) throws DriverFailure {
            if (key.length != a.keyLength()) {
                throw new DriverFailure(a + " needs a " + a.keyLength() + "-byte key, not " + key.length);
            }
            this.algorithm = a;
            this.key = new SecretKeySpec(key, "AES");
            // fail now, not on the first packet, when the JDK has no AES-CBC
            this.encryptor = cipher(Cipher.ENCRYPT_MODE);
        }

        private Cipher cipher(int mode) throws DriverFailure {
            try {
                Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
                c.init(mode, key, new IvParameterSpec(new byte[BLOCK]));
                return c;
            } catch (GeneralSecurityException e) {
                throw new DriverFailure("JDK AES/CBC unavailable", e);
            }
        }

        public Algorithm algorithm() {
            return algorithm;
        }

        public CipherChannel fork() throws DriverFailure {
            return new Jdk(algorithm, key.getEncoded());
        }

        public void encrypt(byte[] iv, ByteBuffer data) throws DriverFailure {
            if (check(iv, data)) {
                foldIv(iv, data);
                Cipher c = encryptor != null ? encryptor : cipher(Cipher.ENCRYPT_MODE);
                encryptor = null;
                encryptor = run(c, data);
            }
        }

        public void decrypt(byte[] iv, ByteBuffer data) throws DriverFailure {
            if (check(iv, data)) {
                Cipher c = decryptor != null ? decryptor : cipher(Cipher.DECRYPT_MODE);
                decryptor = null;
                decryptor = run(c, data);
                foldIv(iv, data);
            }
        }

        /** The first block of {@code data} xor the IV. */
        private static void foldIv(byte[] iv, ByteBuffer data) {
            int p = data.position();
            for (int i = 0; i < BLOCK; i++) {
                data.put(p + i, (byte) (data.get(p + i) ^ iv[i]));
            }
        }

        /** False when there is nothing to do; a length that is not whole blocks is refused, as the JDK refuses it. */
        private boolean check(byte[] iv, ByteBuffer data) throws DriverFailure {
            if (data.remaining() % BLOCK != 0) {
                throw new DriverFailure(algorithm + ": " + data.remaining() + " bytes is not a whole number of " + BLOCK + "-byte blocks");
            }
            if (iv.length != BLOCK) {
                throw new DriverFailure(algorithm + ": the IV has " + iv.length + " bytes, not " + BLOCK);
            }
            return data.hasRemaining();
        }

        /**
         * CBC with the zero IV over {@code data} in place, and the cipher reset for the next
         * packet; returns the cipher to keep. After a failure the caller keeps none, so the next
         * packet starts from a fresh cipher, never from a half-done chain.
         */
        private Cipher run(Cipher c, ByteBuffer data) throws DriverFailure {
            try {
                int n = data.remaining();
                if (scratch.length < n + BLOCK) {
                    scratch = new byte[Integer.highestOneBit(n + BLOCK - 1) << 1];
                }
                if (data.hasArray()) {
                    int off = data.arrayOffset() + data.position();
                    c.update(data.array(), off, n, scratch, 0);
                    System.arraycopy(scratch, 0, data.array(), off, n);
                } else {
                    // output a block behind the input in one array: the JDK's overlap test lets that through without a copy
                    int p = data.position();
                    data.get(p, scratch, BLOCK, n);
                    c.update(scratch, BLOCK, n, scratch, 0);
                    data.put(p, scratch, 0, n);
                }
                c.doFinal(none, 0);
                return c;
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new DriverFailure(algorithm + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * DES and 3DES on Bouncy Castle's engines, with the zero-IV folding of {@link Jdk}: one CBC
     * per direction initialised once, the packet's IV folded into the first block, and a reset
     * (back to the zero IV) after each packet, so a packet makes no key or IV objects.
     */
    private static final class Bc implements CipherChannel {
        private final Algorithm algorithm;
        private final byte[] rawKey;
        private final CBCBlockCipher encryptor;
        private final CBCBlockCipher decryptor;
        private final byte[] block;

        Bc(Algorithm a, BlockCipher engine, BlockCipher decryptEngine, byte[] key) throws DriverFailure {
            if (key.length != a.keyLength()) {
                throw new DriverFailure(a + " needs a " + a.keyLength() + "-byte key, not " + key.length);
            }
            this.algorithm = a;
            this.rawKey = key.clone();
            this.block = new byte[engine.getBlockSize()];
            ParametersWithIV zeroIv = new ParametersWithIV(new KeyParameter(key), new byte[block.length]);
            this.encryptor = (CBCBlockCipher) CBCBlockCipher.newInstance(engine);
            this.decryptor = (CBCBlockCipher) CBCBlockCipher.newInstance(decryptEngine);
            encryptor.init(true, zeroIv);
            decryptor.init(false, zeroIv);
        }

        public Algorithm algorithm() {
            return algorithm;
        }

        public CipherChannel fork() throws DriverFailure {
            return SoftwareCipher.open(algorithm, rawKey);
        }

        public void encrypt(byte[] iv, ByteBuffer data) throws DriverFailure {
            check(iv, data);
            if (data.hasRemaining()) {
                foldIv(iv, data);
                run(encryptor, data);
            }
        }

        public void decrypt(byte[] iv, ByteBuffer data) throws DriverFailure {
            check(iv, data);
            if (data.hasRemaining()) {
                run(decryptor, data);
                foldIv(iv, data);
            }
        }

        private void check(byte[] iv, ByteBuffer data) throws DriverFailure {
            int bs = block.length;
            if (data.remaining() % bs != 0) {
                throw new DriverFailure(algorithm + ": " + data.remaining() + " bytes is not a whole number of " + bs + "-byte blocks");
            }
            if (iv.length != bs) {
                throw new DriverFailure(algorithm + ": the IV has " + iv.length + " bytes, not " + bs);
            }
        }

        private void foldIv(byte[] iv, ByteBuffer data) {
            int p = data.position();
            for (int i = 0; i < block.length; i++) {
                data.put(p + i, (byte) (data.get(p + i) ^ iv[i]));
            }
        }

        private void run(CBCBlockCipher cbc, ByteBuffer data) {
            int bs = block.length;
            try {
                if (data.hasArray()) {
                    byte[] arr = data.array();
                    int off = data.arrayOffset() + data.position();
                    for (int i = 0; i < data.remaining(); i += bs) {
                        cbc.processBlock(arr, off + i, arr, off + i);
                    }
                } else {
                    int p = data.position();
                    for (int i = 0; i < data.remaining(); i += bs) {
                        data.get(p + i, block);
                        cbc.processBlock(block, 0, block, 0);
                        data.put(p + i, block);
                    }
                }
            } finally {
                // back to the zero IV for the next packet, whatever happened to this one
                cbc.reset();
            }
        }
    }
}
