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
            case DES_CBC -> new Bc(a, new DESEngine(), key);
            case TDES_CBC -> new Bc(a, new DESedeEngine(), key);
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

    private static final class Jdk implements CipherChannel {
        private final Algorithm algorithm;
        private final SecretKeySpec key;
        private final Cipher cipher;

        Jdk(Algorithm a, byte[] key) throws DriverFailure {
            if (key.length != a.keyLength()) {
                throw new DriverFailure(a + " needs a " + a.keyLength() + "-byte key, not " + key.length);
            }
            this.algorithm = a;
            this.key = new SecretKeySpec(key, "AES");
            try {
                this.cipher = Cipher.getInstance("AES/CBC/NoPadding");
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
            run(Cipher.ENCRYPT_MODE, iv, data);
        }

        public void decrypt(byte[] iv, ByteBuffer data) throws DriverFailure {
            run(Cipher.DECRYPT_MODE, iv, data);
        }

        private void run(int mode, byte[] iv, ByteBuffer data) throws DriverFailure {
            try {
                cipher.init(mode, key, new IvParameterSpec(iv));
                if (data.hasArray()) {
                    // same array in and out: the JDK supports in-place CBC without a copy
                    int off = data.arrayOffset() + data.position();
                    cipher.doFinal(data.array(), off, data.remaining(), data.array(), off);
                } else {
                    ByteBuffer out = data.duplicate();
                    cipher.doFinal(data.duplicate(), out);
                }
            } catch (GeneralSecurityException e) {
                throw new DriverFailure(algorithm + ": " + e.getMessage(), e);
            }
        }
    }

    private static final class Bc implements CipherChannel {
        private final Algorithm algorithm;
        private final CBCBlockCipher cbc;
        private final KeyParameter key;
        private final byte[] block;

        Bc(Algorithm a, BlockCipher engine, byte[] key) throws DriverFailure {
            if (key.length != a.keyLength()) {
                throw new DriverFailure(a + " needs a " + a.keyLength() + "-byte key, not " + key.length);
            }
            this.algorithm = a;
            this.cbc = (CBCBlockCipher) CBCBlockCipher.newInstance(engine);
            this.key = new KeyParameter(key);
            this.block = new byte[engine.getBlockSize()];
        }

        public Algorithm algorithm() {
            return algorithm;
        }

        public CipherChannel fork() throws DriverFailure {
            return SoftwareCipher.open(algorithm, key.getKey());
        }

        public void encrypt(byte[] iv, ByteBuffer data) throws DriverFailure {
            run(true, iv, data);
        }

        public void decrypt(byte[] iv, ByteBuffer data) throws DriverFailure {
            run(false, iv, data);
        }

        private void run(boolean encrypt, byte[] iv, ByteBuffer data) throws DriverFailure {
            int bs = block.length;
            if (data.remaining() % bs != 0) {
                throw new DriverFailure(algorithm + ": " + data.remaining() + " bytes is not a whole number of " + bs + "-byte blocks");
            }
            cbc.init(encrypt, new ParametersWithIV(key, iv));
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
        }
    }
}
