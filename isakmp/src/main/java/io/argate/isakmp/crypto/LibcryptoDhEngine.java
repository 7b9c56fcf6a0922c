package io.argate.isakmp.crypto;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Modular exponentiation in OpenSSL's libcrypto (1.1.0 or later) through JNA: g^x from
 * per-group tables of powers of g multiplied with BN_mod_mul_montgomery ({@link GeneratorPowers}),
 * other bases with BN_mod_exp_mont_consttime, whose memory accesses and running time do not depend on the private
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

        static native Pointer BN_lebin2bn(Pointer s, int len, Pointer ret);

        static native int BN_bn2lebinpad(Pointer a, byte[] to, int tolen);

        static native int BN_set_word(Pointer a, NativeLong w);

        static native int BN_num_bits(Pointer a);

        static native int BN_to_montgomery(Pointer r, Pointer a, Pointer mont, Pointer ctx);

        static native int BN_from_montgomery(Pointer r, Pointer a, Pointer mont, Pointer ctx);

        static native int BN_mod_mul_montgomery(Pointer r, Pointer a, Pointer b, Pointer mont, Pointer ctx);
    }

    /** A group's prime as a BIGNUM and its Montgomery context; kept for the life of the process. */
    private record Modulus(Pointer prime, Pointer mont) {
    }

    private static String bound;

    private final String library;
    private final long version;
    private final Map<ModpGroup, Modulus> moduli = new EnumMap<>(ModpGroup.class);
    private final AtomicLong refused = new AtomicLong();
    private final boolean generatorTables;
    /** Per group, the powers of g for the longest exponent seen so far (copy-on-grow, read without a lock). */
    private final Map<ModpGroup, GeneratorPowers> powers = new ConcurrentHashMap<>();
    /** Groups whose table gave a wrong answer when made: their g^x is made by the generic exponentiation. */
    private final Set<ModpGroup> wrongTables = ConcurrentHashMap.newKeySet();

    private LibcryptoDhEngine(String library, long version, boolean generatorTables) {
        this.library = library;
        this.version = version;
        this.generatorTables = generatorTables;
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
    static LibcryptoDhEngine load(List<String> libraries) {
        return load(libraries, true);
    }

    /**
     * As {@link #load(List)}; {@code generatorTables} false makes every power with
     * BN_mod_exp_mont_consttime, g^x included (the engine before the tables, for measuring against).
     */
    static synchronized LibcryptoDhEngine load(List<String> libraries, boolean generatorTables) {
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
        return new LibcryptoDhEngine(bound, version, generatorTables);
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
        return generatorTables ? "libcrypto" : DhEngines.LIBCRYPTO_MODEXP;
    }

    /** The library and version, as OpenSSL_version_num gave it: libcrypto 3.0.19 (crypto), and "modexp only" without the tables of g. */
    public String describe() {
        return "libcrypto " + (version >>> 28) + "." + (version >>> 20 & 0xff) + "." + (version >>> 4 & 0xff) + " (" + library + ")"
                + (generatorTables ? "" : " modexp only");
    }

    /**
     * Calls answered another way than first meant: libcrypto refused the exponentiation (BigInteger
     * answered), or g^x had no usable table of powers of g (the generic exponentiation answered).
     */
    public long refused() {
        return refused.get();
    }

    @Override
    public byte[] power(ModpGroup group, BigInteger base, BigInteger exponent) {
        if (generatorTables && base.equals(group.generator()) && GeneratorPowers.fits(group, exponent.bitLength())) {
            return powerOfGenerator(group, exponent);
        }
        return modexp(group, base, exponent);
    }

    /**
     * The table of powers of g covering {@code bits}-bit exponents: the group's, made on first use
     * and remade larger when a longer exponent first comes; null when a table of the group gave a
     * wrong answer (then g^x is made by the generic exponentiation).
     */
    private GeneratorPowers powersFor(ModpGroup group, int bits) {
        GeneratorPowers t = powers.get(group);
        if ((t == null || t.rows() < GeneratorPowers.rowsFor(bits)) && !wrongTables.contains(group)) {
            t = powers.compute(group, (g, old) -> old != null && old.rows() >= GeneratorPowers.rowsFor(bits) ? old : checked(g, bits, old));
        }
        return wrongTables.contains(group) ? null : t;
    }

    /** A new table for the group; the one it replaces, and the group marked, when the new one's largest power disagrees with BigInteger's. */
    private GeneratorPowers checked(ModpGroup group, int bits, GeneratorPowers old) {
        try {
            GeneratorPowers t = new GeneratorPowers(group, bits, new MontgomeryOf(moduli.get(group)));
            // every entry takes part in x = 2^(rows*WIDTH) - 1 (all digits 31), so a wrong entry or multiplier shows here
            BigInteger x = BigInteger.ONE.shiftLeft(t.rows() * GeneratorPowers.WIDTH).subtract(BigInteger.ONE);
            byte[] got = powerOfGenerator(group, t, x);
            if (got != null && Arrays.equals(got, JavaDhEngine.INSTANCE.power(group, group.generator(), x))) {
                return t;
            }
        } catch (IllegalStateException e) {
            // libcrypto refused a step of making the table: as wrong, the generic exponentiation serves the group
        }
        wrongTables.add(group);
        return old;
    }

    /**
     * g^x from the group's table of powers of g, or by the generic exponentiation when there is no
     * usable table (counted as refused) or libcrypto refused a step.
     */
    byte[] powerOfGenerator(ModpGroup group, BigInteger exponent) {
        GeneratorPowers t = powersFor(group, exponent.bitLength());
        byte[] out = t == null ? null : powerOfGenerator(group, t, exponent);
        if (out != null) {
            return out;
        }
        refused.incrementAndGet();
        return modexp(group, group.generator(), exponent);
    }

    /**
     * g^x from {@code t} ({@link GeneratorPowers}): one entry per digit of x, picked by a
     * whole-row read, multiplied in with BN_mod_mul_montgomery (constant-time for operands of the
     * modulus's length, which an entry or product below p lacks only with probability about
     * 2^-64, the same exposure as libcrypto's own exponentiation loading its window table), then
     * out of Montgomery form. The digit count depends only on x's bit length. Null when libcrypto
     * refused a step.
     */
    private byte[] powerOfGenerator(ModpGroup group, GeneratorPowers t, BigInteger exponent) {
        Modulus m = moduli.get(group);
        int length = group.length();
        int rows = GeneratorPowers.rowsFor(exponent.bitLength());
        int[] digits = GeneratorPowers.digits(exponent, rows);
        long[] limb = new long[t.limbs()];
        byte[] entry = new byte[t.limbs() * 8];
        // the entry goes to libcrypto through native memory: a byte[] argument would be copied by JNA on every call
        Memory staged = new Memory(entry.length);
        byte[] out = new byte[length];
        Pointer ctx = Bn.BN_CTX_new();
        Pointer acc = Bn.BN_new();
        Pointer e = Bn.BN_new();
        Pointer r = Bn.BN_new();
        try {
            boolean ok = ctx != null && acc != null && e != null && r != null;
            for (int i = 0; ok && i < rows; i++) {
                t.select(i, digits[i], limb, entry);
                staged.write(0, entry, 0, entry.length);
                ok = Bn.BN_lebin2bn(staged, entry.length, i == 0 ? acc : e) != null
                        && (i == 0 || Bn.BN_mod_mul_montgomery(acc, acc, e, m.mont(), ctx) == 1);
            }
            return ok && Bn.BN_from_montgomery(r, acc, m.mont(), ctx) == 1 && Bn.BN_bn2binpad(r, out, length) == length ? out : null;
        } finally {
            Arrays.fill(digits, 0);
            Arrays.fill(limb, 0);
            Arrays.fill(entry, (byte) 0);
            staged.clear();
            staged.close();
            Bn.BN_clear_free(r);
            Bn.BN_clear_free(e);
            Bn.BN_clear_free(acc);
            Bn.BN_CTX_free(ctx);
        }
    }

    /** A group's Montgomery multiplication in libcrypto, for making its table of powers of g (public values only). */
    private static final class MontgomeryOf implements GeneratorPowers.Montgomery {
        private final Modulus m;
        private final int bytes;

        MontgomeryOf(Modulus m) {
            this.m = m;
            // whole 64-bit limbs: the MODP primes are multiples of 64 bits long
            this.bytes = (Bn.BN_num_bits(m.prime()) + 63) / 64 * 8;
        }

        private byte[] toMontgomery(long v) {
            Pointer ctx = Bn.BN_CTX_new();
            Pointer a = Bn.BN_new();
            try {
                if (ctx == null || a == null || Bn.BN_set_word(a, new NativeLong(v)) != 1 || Bn.BN_to_montgomery(a, a, m.mont(), ctx) != 1) {
                    throw new IllegalStateException("libcrypto refused BN_to_montgomery");
                }
                return littleEndian(a);
            } finally {
                Bn.BN_free(a);
                Bn.BN_CTX_free(ctx);
            }
        }

        private byte[] littleEndian(Pointer a) {
            byte[] out = new byte[bytes];
            if (Bn.BN_bn2lebinpad(a, out, bytes) != bytes) {
                throw new IllegalStateException("libcrypto refused BN_bn2lebinpad");
            }
            return out;
        }

        @Override
        public byte[] one() {
            return toMontgomery(1);
        }

        @Override
        public byte[] generator() {
            return toMontgomery(2);
        }

        @Override
        public byte[] multiply(byte[] a, byte[] b) {
            Pointer ctx = Bn.BN_CTX_new();
            Memory staged = new Memory(bytes);
            Pointer x = Bn.BN_new();
            Pointer y = Bn.BN_new();
            try {
                staged.write(0, a, 0, bytes);
                boolean ok = ctx != null && x != null && y != null && Bn.BN_lebin2bn(staged, bytes, x) != null;
                staged.write(0, b, 0, bytes);
                if (!ok || Bn.BN_lebin2bn(staged, bytes, y) == null || Bn.BN_mod_mul_montgomery(x, x, y, m.mont(), ctx) != 1) {
                    throw new IllegalStateException("libcrypto refused BN_mod_mul_montgomery");
                }
                return littleEndian(x);
            } finally {
                staged.close();
                Bn.BN_free(y);
                Bn.BN_free(x);
                Bn.BN_CTX_free(ctx);
            }
        }
    }

    /**
     * This engine's generic exponentiation alone, for {@link DhEngines#selfTest}: the tables of g
     * check themselves when made, per group on first use, so choosing the engine makes none.
     */
    DhEngine modexpOnly() {
        LibcryptoDhEngine self = this;
        return new DhEngine() {
            @Override
            public String name() {
                return self.name();
            }

            @Override
            public byte[] power(ModpGroup group, BigInteger base, BigInteger exponent) {
                return self.modexp(group, base, exponent);
            }
        };
    }

    /** base^exponent mod p by BN_mod_exp_mont_consttime, whatever the base. */
    byte[] modexp(ModpGroup group, BigInteger base, BigInteger exponent) {
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
