package io.argate.enco.key;

import java.math.BigInteger;

/**
 * The character form SHOW ENCO KEY prints above a DES key's hex value. The reference gives one
 * sample (seed 003, manual-key section): {@code 9cemvrwgn5hvek} above {@code 0xF888CAC6C66ECF52}.
 *
 * <p>What that sample determines: 14 characters of 5 bits each (70 bits), most significant bit
 * first; the first 64 bits are the whole key, parity bits included (the first 13 characters
 * carry it, the 13th with one more bit); the alphabet is the "5-bit ASCII" of CREATE ENCO KEY
 * VALUE (fact sheet 3: letters and the digits 2 to 9) with {@code a..w} as 0..22 and the digits
 * {@code 2..9} as 24..31 (the sample fixes c, e, g, h, m, n, r, v, w, 5 and 9; {@code 5} = 27 and
 * {@code 9} = 31 put 2..9 at 24..31, and the letters a..w are contiguous).
 *
 * <p>What one sample cannot determine, so argate assumes it and says so here:
 * <ul>
 *   <li>value 23, which the sample does not use: one of x, y, z; argate uses {@code x};</li>
 *   <li>the last 6 bits, a check on the key: in the sample they are 10, which is the key modulo
 *       37 (the check-symbol rule of Crockford's base 32); argate computes that. Another 6-bit
 *       function could give 10 for this key too; a second sample from an AR router would settle it.</li>
 * </ul>
 */
public final class DesKeyText {
    static final String ALPHABET = "abcdefghijklmnopqrstuvwx23456789";
    private static final int CHARS = 14;
    private static final int CHECK_BITS = 6;
    private static final BigInteger CHECK_MODULUS = BigInteger.valueOf(37);

    private DesKeyText() {
    }

    /** The 14-character form of an 8-byte DES key. */
    public static String encode(byte[] key) {
        if (key.length != 8) {
            throw new IllegalArgumentException("a DES key has 8 bytes, not " + key.length);
        }
        BigInteger k = new BigInteger(1, key);
        BigInteger bits = k.shiftLeft(CHECK_BITS).or(k.mod(CHECK_MODULUS));
        StringBuilder out = new StringBuilder(CHARS);
        for (int i = CHARS - 1; i >= 0; i--) {
            out.append(ALPHABET.charAt(bits.shiftRight(i * 5).intValue() & 31));
        }
        return out.toString();
    }
}
