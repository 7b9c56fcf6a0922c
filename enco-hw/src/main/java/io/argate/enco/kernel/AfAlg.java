package io.argate.enco.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.nio.charset.StandardCharsets;

/**
 * One bound AF_ALG transform (linux/if_alg.h): a socket bound to "skcipher", "aead" or "hash"
 * and an algorithm name, a key, and the accepted operation socket. Layouts are x86-64/aarch64
 * LP64: struct sockaddr_alg is 88 bytes (family u16, type[14], feat u32, mask u32, name[64]);
 * struct msghdr is 56 bytes; a cmsghdr is 16 bytes with 8-byte aligned data.
 */
final class AfAlg implements AutoCloseable {
    static final int AF_ALG = 38;
    static final int SOCK_SEQPACKET = 5;
    static final int SOL_ALG = 279;
    static final int ALG_SET_KEY = 1;
    static final int ALG_SET_IV = 2;
    static final int ALG_SET_OP = 3;
    static final int ALG_SET_AEAD_ASSOCLEN = 4;
    static final int ALG_SET_AEAD_AUTHSIZE = 5;
    static final int ALG_OP_DECRYPT = 0;
    static final int ALG_OP_ENCRYPT = 1;

    private final int tfm;
    private final int op;

    AfAlg(String type, String name, byte[] key, int authSize) throws LastErrorException {
        LibC c = LibC.INSTANCE;
        int t = c.socket(AF_ALG, SOCK_SEQPACKET, 0);
        try {
            Memory sa = new Memory(88);
            sa.clear();
            sa.setShort(0, (short) AF_ALG);
            sa.write(2, type.getBytes(StandardCharsets.US_ASCII), 0, type.length());
            sa.write(24, name.getBytes(StandardCharsets.US_ASCII), 0, name.length());
            c.bind(t, sa, 88);
            if (key != null && key.length > 0) {
                Memory k = new Memory(key.length);
                k.write(0, key, 0, key.length);
                c.setsockopt(t, SOL_ALG, ALG_SET_KEY, k, key.length);
            }
            if (authSize > 0) {
                c.setsockopt(t, SOL_ALG, ALG_SET_AEAD_AUTHSIZE, Pointer.NULL, authSize);
            }
            this.op = c.accept(t, Pointer.NULL, Pointer.NULL);
            this.tfm = t;
        } catch (LastErrorException e) {
            c.close(t);
            throw e;
        }
    }

    /** Null when this kernel offers AF_ALG sockets; otherwise why not (errno text). */
    static String unavailable() {
        try {
            int fd = LibC.INSTANCE.socket(AF_ALG, SOCK_SEQPACKET, 0);
            LibC.INSTANCE.close(fd);
            return null;
        } catch (LastErrorException e) {
            return "AF_ALG sockets are not available in this kernel (errno " + e.getErrorCode() + (e.getErrorCode() == 97
                    ? ", EAFNOSUPPORT: CONFIG_CRYPTO_USER_API is not built in)" : ")");
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return "libc could not be loaded through JNA: " + e.getMessage();
        }
    }

    /**
     * One operation: sends {@code in} with the operation, IV and AAD length as control
     * messages, then reads {@code outLen} bytes of result into {@code out}.
     */
    int run(int operation, byte[] iv, int assocLen, Memory in, int inLen, Memory out, int outLen) throws LastErrorException {
        int ivSpace = iv == null ? 0 : 16 + align(4 + iv.length);
        int control = 16 + 8 + ivSpace + (assocLen >= 0 ? 16 + 8 : 0);
        Memory cmsg = new Memory(control);
        cmsg.clear();
        int at = 0;
        at = cmsg(cmsg, at, ALG_SET_OP, 4);
        cmsg.setInt(at - 8, operation);
        if (iv != null) {
            int start = at;
            at = cmsg(cmsg, at, ALG_SET_IV, 4 + iv.length);
            cmsg.setInt(start + 16, iv.length);
            cmsg.write(start + 20, iv, 0, iv.length);
        }
        if (assocLen >= 0) {
            at = cmsg(cmsg, at, ALG_SET_AEAD_ASSOCLEN, 4);
            cmsg.setInt(at - 8, assocLen);
        }
        Memory iov = new Memory(16);
        iov.setPointer(0, in);
        iov.setLong(8, inLen);
        Memory msg = new Memory(56);
        msg.clear();
        msg.setPointer(16, iov);
        msg.setLong(24, 1);
        msg.setPointer(32, cmsg);
        msg.setLong(40, control);
        LibC.INSTANCE.sendmsg(op, msg, 0);
        return (int) LibC.INSTANCE.read(op, out, outLen);
    }

    /** Writes a cmsghdr at {@code at} and returns where the next one starts. */
    private static int cmsg(Memory m, int at, int type, int dataLen) {
        m.setLong(at, 16 + dataLen);
        m.setInt(at + 8, SOL_ALG);
        m.setInt(at + 12, type);
        return at + 16 + align(dataLen);
    }

    private static int align(int n) {
        return (n + 7) & ~7;
    }

    /** For hashes: feeds data, then reads the digest. */
    int digest(Memory in, int inLen, Memory out, int outLen) throws LastErrorException {
        Memory iov = new Memory(16);
        iov.setPointer(0, in);
        iov.setLong(8, inLen);
        Memory msg = new Memory(56);
        msg.clear();
        msg.setPointer(16, iov);
        msg.setLong(24, 1);
        LibC.INSTANCE.sendmsg(op, msg, 0);
        return (int) LibC.INSTANCE.read(op, out, outLen);
    }

    @Override
    public void close() {
        try {
            LibC.INSTANCE.close(op);
            LibC.INSTANCE.close(tfm);
        } catch (LastErrorException ignored) {
            // nothing to do about a failing close
        }
    }
}
