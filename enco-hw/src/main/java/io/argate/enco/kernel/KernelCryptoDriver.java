package io.argate.enco.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.argate.enco.spi.AeadChannel;
import io.argate.enco.spi.Algorithm;
import io.argate.enco.spi.Capability;
import io.argate.enco.spi.CipherChannel;
import io.argate.enco.spi.DriverFailure;
import io.argate.enco.spi.EncoDriver;
import io.argate.enco.spi.MacChannel;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel crypto API through AF_ALG sockets: how crypto boards that register with the Linux
 * kernel (QAT, CCP, CAAM ...) are used from userspace. An algorithm is offered only when the
 * kernel's chosen driver for it is a hardware accelerator, or when the driver is forced (then
 * the kernel's CPU implementations serve, which is how it is tested without a board).
 */
public final class KernelCryptoDriver implements EncoDriver {
    public static final String NAME = "kernel-crypto";

    /** ENCO algorithm -> (AF_ALG type, kernel algorithm name). */
    static final Map<Algorithm, String[]> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put(Algorithm.DES_CBC, new String[]{"skcipher", "cbc(des)"});
        NAMES.put(Algorithm.TDES_CBC, new String[]{"skcipher", "cbc(des3_ede)"});
        NAMES.put(Algorithm.AES_CBC_128, new String[]{"skcipher", "cbc(aes)"});
        NAMES.put(Algorithm.AES_CBC_192, new String[]{"skcipher", "cbc(aes)"});
        NAMES.put(Algorithm.AES_CBC_256, new String[]{"skcipher", "cbc(aes)"});
        NAMES.put(Algorithm.AES_GCM_128, new String[]{"aead", "gcm(aes)"});
        NAMES.put(Algorithm.AES_GCM_256, new String[]{"aead", "gcm(aes)"});
        NAMES.put(Algorithm.HMAC_MD5_96, new String[]{"hash", "hmac(md5)"});
        NAMES.put(Algorithm.HMAC_SHA1_96, new String[]{"hash", "hmac(sha1)"});
        NAMES.put(Algorithm.HMAC_SHA256_128, new String[]{"hash", "hmac(sha256)"});
    }

    private final ProcCrypto proc;
    private final boolean forced;
    private final String unavailable;

    public KernelCryptoDriver(ProcCrypto proc, boolean forced) {
        this.proc = proc;
        this.forced = forced;
        this.unavailable = AfAlg.unavailable();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Why nothing is offered (AF_ALG missing), or null. */
    public String unavailableReason() {
        return unavailable;
    }

    @Override
    public List<String> status() {
        List<String> out = new ArrayList<>();
        if (unavailable != null) {
            out.add("not present: " + unavailable);
        }
        for (Map.Entry<Algorithm, ProcCrypto.Entry> e : kernelDrivers().entrySet()) {
            out.add(e.getKey() + " -> kernel driver " + e.getValue().driver() + " (" + (e.getValue().hardware() ? "hardware" : "CPU")
                    + (e.getValue().hardware() || forced ? "" : ", not used unless forced") + ")");
        }
        return out;
    }

    /** Per algorithm: the kernel driver that would serve it and whether it is hardware. */
    public Map<Algorithm, ProcCrypto.Entry> kernelDrivers() {
        Map<Algorithm, ProcCrypto.Entry> out = new LinkedHashMap<>();
        for (Map.Entry<Algorithm, String[]> e : NAMES.entrySet()) {
            proc.selected(e.getValue()[1]).ifPresent(en -> out.put(e.getKey(), en));
        }
        return out;
    }

    @Override
    public List<Capability> capabilities() {
        List<Capability> out = new ArrayList<>();
        if (unavailable != null) {
            return out;
        }
        for (Map.Entry<Algorithm, ProcCrypto.Entry> e : kernelDrivers().entrySet()) {
            boolean hw = e.getValue().hardware();
            if (hw || forced) {
                out.add(new Capability(e.getKey(), hw, hw ? 200 : 5000));
            }
        }
        return out;
    }

    private static String[] names(Algorithm a) {
        String[] n = NAMES.get(a);
        if (n == null) {
            throw new UnsupportedOperationException(NAME + " has no " + a);
        }
        return n;
    }

    @Override
    public CipherChannel cipher(Algorithm a, byte[] key) throws DriverFailure {
        String[] n = names(a);
        AfAlg alg = open(n, key, 0);
        return new CipherChannel() {
            private Memory in = new Memory(2048);
            private Memory out = new Memory(2048);

            public Algorithm algorithm() {
                return a;
            }

            public void encrypt(byte[] iv, ByteBuffer data) throws DriverFailure {
                run(AfAlg.ALG_OP_ENCRYPT, iv, data);
            }

            public void decrypt(byte[] iv, ByteBuffer data) throws DriverFailure {
                run(AfAlg.ALG_OP_DECRYPT, iv, data);
            }

            private void run(int op, byte[] iv, ByteBuffer data) throws DriverFailure {
                int len = data.remaining();
                if (in.size() < len) {
                    in = new Memory(len);
                    out = new Memory(len);
                }
                byte[] tmp = new byte[len];
                data.duplicate().get(tmp);
                in.write(0, tmp, 0, len);
                try {
                    int got = alg.run(op, iv, -1, in, len, out, len);
                    if (got != len) {
                        throw new DriverFailure("kernel returned " + got + " of " + len + " bytes");
                    }
                } catch (LastErrorException e) {
                    throw new DriverFailure("AF_ALG " + n[1] + ": errno " + e.getErrorCode(), e);
                }
                out.read(0, tmp, 0, len);
                data.duplicate().put(tmp);
            }

            public void close() {
                alg.close();
            }
        };
    }

    @Override
    public AeadChannel aead(Algorithm a, byte[] key, int tagLength) throws DriverFailure {
        String[] n = names(a);
        AfAlg alg = open(n, key, tagLength);
        return new AeadChannel() {
            public Algorithm algorithm() {
                return a;
            }

            public int tagLength() {
                return tagLength;
            }

            public void seal(byte[] nonce, byte[] aad, ByteBuffer buf, int length) throws DriverFailure {
                // kernel layout: AAD || plaintext in, AAD || ciphertext || tag out
                byte[] outBytes = op(AfAlg.ALG_OP_ENCRYPT, nonce, aad, buf, length, aad.length + length + tagLength);
                buf.duplicate().put(outBytes, aad.length, length + tagLength);
            }

            public boolean open(byte[] nonce, byte[] aad, ByteBuffer buf, int length) throws DriverFailure {
                try {
                    byte[] outBytes = op(AfAlg.ALG_OP_DECRYPT, nonce, aad, buf, length + tagLength, aad.length + length);
                    buf.duplicate().put(outBytes, aad.length, length);
                    return true;
                } catch (DriverFailure e) {
                    if (e.getCause() instanceof LastErrorException le && le.getErrorCode() == 74) {
                        return false; // EBADMSG: the tag did not verify
                    }
                    throw e;
                }
            }

            private byte[] op(int op, byte[] nonce, byte[] aad, ByteBuffer buf, int inLen, int outLen) throws DriverFailure {
                Memory in = new Memory(aad.length + inLen);
                Memory out = new Memory(Math.max(1, outLen));
                in.write(0, aad, 0, aad.length);
                byte[] data = new byte[inLen];
                buf.duplicate().get(data);
                in.write(aad.length, data, 0, inLen);
                try {
                    alg.run(op, nonce, aad.length, in, aad.length + inLen, out, outLen);
                } catch (LastErrorException e) {
                    throw new DriverFailure("AF_ALG " + n[1] + ": errno " + e.getErrorCode(), e);
                }
                return out.getByteArray(0, outLen);
            }

            public void close() {
                alg.close();
            }
        };
    }

    @Override
    public MacChannel mac(Algorithm a, byte[] key) throws DriverFailure {
        String[] n = names(a);
        AfAlg alg = open(n, key, 0);
        return new MacChannel() {
            public Algorithm algorithm() {
                return a;
            }

            public int length() {
                return a.outputLength();
            }

            public void compute(byte[] out, int off, ByteBuffer... parts) throws DriverFailure {
                int total = 0;
                for (ByteBuffer p : parts) {
                    total += p.remaining();
                }
                Memory in = new Memory(Math.max(1, total));
                int at = 0;
                for (ByteBuffer p : parts) {
                    byte[] b = new byte[p.remaining()];
                    p.duplicate().get(b);
                    in.write(at, b, 0, b.length);
                    at += b.length;
                }
                Memory digest = new Memory(64);
                try {
                    alg.digest(in, total, digest, 64);
                } catch (LastErrorException e) {
                    throw new DriverFailure("AF_ALG " + n[1] + ": errno " + e.getErrorCode(), e);
                }
                digest.read(0, out, off, length());
            }

            public void close() {
                alg.close();
            }
        };
    }

    private AfAlg open(String[] n, byte[] key, int authSize) throws DriverFailure {
        if (unavailable != null) {
            throw new DriverFailure(unavailable);
        }
        try {
            return new AfAlg(n[0], n[1], key, authSize);
        } catch (LastErrorException e) {
            throw new DriverFailure("AF_ALG " + n[1] + " could not be opened: errno " + e.getErrorCode(), e);
        }
    }
}
