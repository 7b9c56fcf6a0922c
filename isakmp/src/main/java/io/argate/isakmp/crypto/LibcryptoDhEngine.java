package io.argate.isakmp.crypto;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Modular exponentiation in OpenSSL's libcrypto (1.1.0 or later) through JNA:
 * BN_mod_exp_mont_consttime, whose memory accesses and running time do not depend on the private
 * exponent's bits (the window table is read whole each step), with one Montgomery context per
 * group made once and shared read-only by every thread. Each call has its own BN_CTX; the
 * exponent's BIGNUM and the scratch are cleared when freed. A call libcrypto refuses (it returns
 * 0 only when out of memory) is answered by BigInteger instead and counted.
 */
public final class LibcryptoDhEngine implements DhEngine {
    /** The direct-mapped functions; registered once per process against the library found. */
    static final class Bn {
        private Bn() {
        }

        static native long OpenSSL_version_num();

        static native Pointer BN_CTX_new();

        static native void BN_CTX_free(Pointer ctx);

        static native Pointer BN_new();

        static native void BN_free(Pointer a);

        static native void BN_clear_free(Pointer a);

        static native Pointer BN_bin2bn(byte[] s, int len, Pointer ret);

        static native int BN_bn2binpad(Pointer a, byte[] to, int tolen);

        static native Pointer BN_MONT_CTX_new();

        static native int BN_MONT_CTX_set(Pointer mont, Pointer mod, Pointer ctx);

        static native int BN_mod_exp_mont_consttime(Pointer rr, Pointer a, Pointer p, Pointer m, Pointer ctx, Pointer mont);
    }

    /** A group's prime as a BIGNUM and its Montgomery context; kept for the life of the process. */
    private record Modulus(Pointer prime, Pointer mont) {
    }

    private static String bound;

    private final String library;
    private final long version;
    private final Map<ModpGroup, Modulus> moduli = new EnumMap<>(ModpGroup.class);
    private final AtomicLong refused = new AtomicLong();

    private LibcryptoDhEngine(String library, long version) {
        this.library = library;
        this.version = version;
        Pointer ctx = Bn.BN_CTX_new();
        try {
            for (ModpGroup g : ModpGroup.values()) {
                byte[] p = JavaDhEngine.pad(g.prime(), g.length());
                Pointer prime = Bn.BN_bin2bn(p, p.length, null);
                Pointer mont = Bn.BN_MONT_CTX_new();
                if (ctx == null || prime == null || mont == null || Bn.BN_MONT_CTX_set(mont, prime, ctx) != 1) {
                    throw new IllegalStateException("libcrypto could not set up the Montgomery context of group " + g.number());
                }
                moduli.put(g, new Modulus(prime, mont));
            }
        } finally {
            Bn.BN_CTX_free(ctx);
        }
    }

    /**
     * Binds libcrypto, the first of {@code libraries} that loads with every function needed.
     *
     * @throws IllegalStateException saying why none could be used
     */
    static synchronized LibcryptoDhEngine load(List<String> libraries) {
        if (bound == null) {
            List<String> why = new ArrayList<>();
            for (String name : libraries) {
                try {
                    NativeLibrary lib = NativeLibrary.getInstance(name);
                    // JNA registers a class's natives once; a library without a function fails here, before any call
                    Native.register(Bn.class, lib);
                    bound = name;
                    break;
                } catch (UnsatisfiedLinkError | IllegalArgumentException e) {
                    why.add(name + ": " + firstLine(e.getMessage()));
                }
            }
            if (bound == null) {
                throw new IllegalStateException("libcrypto not loaded (" + String.join("; ", why) + ")");
            }
        } else if (!libraries.contains(bound)) {
            throw new IllegalStateException("libcrypto is already bound to " + bound + ", not one of " + libraries);
        }
        long version = Bn.OpenSSL_version_num();
        // BN_bn2binpad came with 1.1.0; MNNFFPPS version numbers, 3.x reads as 0x30000000 and up
        if (version < 0x10100000L) {
            throw new IllegalStateException("libcrypto " + Long.toHexString(version) + " is older than 1.1.0");
        }
        return new LibcryptoDhEngine(bound, version);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "not found";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public String name() {
        return "libcrypto";
    }

    /** The library and version, as OpenSSL_version_num gave it: libcrypto 3.0.19 (crypto). */
    public String describe() {
        return "libcrypto " + (version >>> 28) + "." + (version >>> 20 & 0xff) + "." + (version >>> 4 & 0xff) + " (" + library + ")";
    }

    /** Calls libcrypto refused and BigInteger answered. */
    public long refused() {
        return refused.get();
    }

    @Override
    public byte[] power(ModpGroup group, BigInteger base, BigInteger exponent) {
        Modulus m = moduli.get(group);
        int length = group.length();
        byte[] b = JavaDhEngine.pad(base, length);
        byte[] x = exponent.toByteArray();
        byte[] out = new byte[length];
        Pointer ctx = Bn.BN_CTX_new();
        Pointer a = Bn.BN_bin2bn(b, b.length, null);
        Pointer e = Bn.BN_bin2bn(x, x.length, null);
        Arrays.fill(x, (byte) 0);
        Pointer r = Bn.BN_new();
        try {
            if (ctx != null && a != null && e != null && r != null && Bn.BN_mod_exp_mont_consttime(r, a, e, m.prime(), ctx, m.mont()) == 1
                    && Bn.BN_bn2binpad(r, out, length) == length) {
                return out;
            }
        } finally {
            Bn.BN_clear_free(r);
            Bn.BN_clear_free(e);
            Bn.BN_free(a);
            Bn.BN_CTX_free(ctx);
        }
        refused.incrementAndGet();
        return JavaDhEngine.INSTANCE.power(group, base, exponent);
    }
}
