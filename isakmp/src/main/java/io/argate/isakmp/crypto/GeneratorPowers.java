package io.argate.isakmp.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Precomputed powers of a group's generator for g^x mod p, a fixed-base windowed method (Handbook
 * of Applied Cryptography section 14.6.3) that stores every digit's power: the exponent is cut
 * into {@link #WIDTH}-bit digits d_i, and g^x is the product of the table's entries
 * g^(d_i * 2^(WIDTH*i)), one Montgomery multiplication per digit and no squarings; a 220-bit
 * exponent costs 44 multiplications where a windowed square-and-multiply costs about 290. The
 * base is fixed (g = 2 in every MODP group), so the table is made once; shared secrets, whose
 * base is the peer's value, cannot use it.
 * <p>
 * The exponent is the secret, so every digit is looked up the same way: all {@value #ENTRIES}
 * entries of the digit's row are read whole and combined under a mask that is all ones only for
 * the wanted entry, computed by arithmetic and not by a branch; the number of digits depends only
 * on the exponent's bit length, which {@link ModpGroup#generate} fixes by setting the top bit.
 * Java promises nothing about the machine code, but this loop has no data-dependent branch or
 * index for the JIT to keep, so which entry was taken does not show in which memory was touched.
 * <p>
 * Entries are kept in the Montgomery form of the multiplier that makes and consumes them, as
 * little-endian 64-bit limbs, {@code limbs} per entry. A table is made once per group with
 * {@value #ENTRIES} multiplications a row (44 rows for a 220-bit exponent) and only read after.
 */
final class GeneratorPowers {
    /**
     * Digit width: a 220-bit exponent takes 44 multiplications at 5 bits against 55 at 4, and each
     * digit reads its 32-entry row (8 KB in group 14); 6 bits would read twice that to save 7.
     */
    static final int WIDTH = 5;
    static final int ENTRIES = 1 << WIDTH;
    /** Largest table kept per group; an exponent that would need more uses the generic exponentiation. */
    static final int MAX_TABLE_BYTES = 1 << 20;

    private static final VarHandle LE_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final int rows;
    private final int limbs;
    private final long[] table;

    /** The multiplier the entries are made with and for: values are its Montgomery form, as little-endian bytes of whole limbs. */
    interface Montgomery {
        /** R mod p: 1 in Montgomery form. */
        byte[] one();

        /** g in Montgomery form. */
        byte[] generator();

        /** a * b in Montgomery form. */
        byte[] multiply(byte[] a, byte[] b);
    }

    /**
     * The table for exponents of up to {@code exponentBits} bits: row i holds rowBase^d in
     * Montgomery form for d below {@value #ENTRIES}, rowBase = g^(2^(WIDTH*i)); the product that
     * would follow a row's last entry is the next row's base.
     */
    GeneratorPowers(ModpGroup group, int exponentBits, Montgomery m) {
        this.rows = rowsFor(exponentBits);
        this.limbs = (group.length() + 7) / 8;
        this.table = new long[rows * ENTRIES * limbs];
        byte[] rowBase = m.generator();
        for (int i = 0; i < rows; i++) {
            byte[] v = m.one();
            for (int d = 0; d < ENTRIES; d++) {
                int at = (i * ENTRIES + d) * limbs;
                for (int k = 0; k < limbs; k++) {
                    table[at + k] = (long) LE_LONGS.get(v, k * 8);
                }
                v = m.multiply(v, rowBase);
            }
            rowBase = v;
        }
    }

    static int rowsFor(int exponentBits) {
        return (exponentBits + WIDTH - 1) / WIDTH;
    }

    /** True when a table for {@code exponentBits}-bit exponents of {@code group} fits {@link #MAX_TABLE_BYTES}. */
    static boolean fits(ModpGroup group, int exponentBits) {
        return (long) rowsFor(exponentBits) * ENTRIES * group.length() <= MAX_TABLE_BYTES;
    }

    /** Rows in the table: the longest exponent it serves is {@code rows() * WIDTH} bits. */
    int rows() {
        return rows;
    }

    /** Limbs per entry; the value's bytes are {@code 8 * limbs()}. */
    int limbs() {
        return limbs;
    }

    /**
     * The exponent's digits, least significant first, {@code rows} of them (the caller sized it from
     * the exponent's public bit length). The caller clears the array when done.
     */
    static int[] digits(BigInteger exponent, int rows) {
        byte[] be = exponent.toByteArray();
        long[] x = new long[(rows * WIDTH + 63) / 64 + 1];
        for (int i = 0; i < be.length; i++) {
            int bit = (be.length - 1 - i) * 8;
            if (bit / 64 < x.length) {
                x[bit / 64] |= (long) (be[i] & 0xff) << (bit % 64);
            }
        }
        Arrays.fill(be, (byte) 0);
        int[] out = new int[rows];
        for (int i = 0; i < rows; i++) {
            int bit = i * WIDTH;
            int word = bit >>> 6;
            int shift = bit & 63;
            // the shift is the digit's position, public; a digit that straddles two limbs takes the high one's low bits
            long v = x[word] >>> shift;
            if (shift > 64 - WIDTH) {
                v |= x[word + 1] << (64 - shift);
            }
            out[i] = (int) (v & (ENTRIES - 1));
        }
        Arrays.fill(x, 0);
        return out;
    }

    /**
     * Entry (row, digit) as little-endian bytes into {@code out} ({@code 8 * limbs()} long), reading
     * every entry of the row: {@code limb} is scratch of {@code limbs()} longs.
     */
    void select(int row, int digit, long[] limb, byte[] out) {
        Arrays.fill(limb, 0);
        int at = row * ENTRIES * limbs;
        for (int d = 0; d < ENTRIES; d++, at += limbs) {
            // (d ^ digit) - 1 is negative only when d == digit: an all-ones mask for that entry, zero for the others
            long mask = ((d ^ digit) - 1) >> 31;
            for (int k = 0; k < limbs; k++) {
                limb[k] |= table[at + k] & mask;
            }
        }
        for (int k = 0; k < limbs; k++) {
            LE_LONGS.set(out, k * 8, limb[k]);
        }
    }
}
