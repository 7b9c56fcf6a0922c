package io.argate.enco.key;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;

/**
 * Length and weak-key rules per key type. DES ignores each byte's low (parity) bit, so a value
 * is kept exactly as typed (the peer router shows the same value), and the weak-key check
 * looks at it with parity normalised to odd (FIPS 46-3). The four weak and twelve semi-weak DES keys (FIPS 74 / NIST SP 800-67) are refused,
 * for each DES part of a 3DES key too, and 3DES parts must differ (else it is single DES).
 */
public final class KeyRules {
    private static final Set<String> WEAK = Set.of(
            "0101010101010101", "fefefefefefefefe", "e0e0e0e0f1f1f1f1", "1f1f1f1f0e0e0e0e",
            "01fe01fe01fe01fe", "fe01fe01fe01fe01", "1fe01fe00ef10ef1", "e01fe01ff10ef10e",
            "01e001e001f101f1", "e001e001f101f101", "1ffe1ffe0efe0efe", "fe1ffe1ffe0efe0e",
            "011f011f010e010e", "1f011f010e010e01", "e0fee0fef1fef1fe", "fee0fee0fef1fef1");

    private KeyRules() {
    }

    /** Null when the value fits the type; otherwise why not. */
    public static String check(KeyType type, byte[] value) {
        if (type == KeyType.RSA) {
            return RsaKey.of(value).isEmpty() ? "not an RSA key pair or public key" : null;
        }
        if (type == KeyType.GENERAL) {
            return value.length < 1 || value.length > KeyType.GENERAL_MAX
                    ? "a GENERAL key is 1.." + KeyType.GENERAL_MAX + " bytes, not " + value.length : null;
        }
        if (value.length != type.length()) {
            return "a " + type.keyword() + " key is " + type.length() + " bytes (" + type.length() * 2 + " hex digits), not " + value.length;
        }
        if (!type.des()) {
            return null;
        }
        byte[] odd = value.clone();
        fixParity(odd);
        for (int i = 0; i < odd.length; i += 8) {
            String part = HexFormat.of().formatHex(odd, i, i + 8);
            if (WEAK.contains(part)) {
                return "DES key part " + (i / 8 + 1) + " (0x" + part + ") is a weak or semi-weak DES key";
            }
        }
        if (odd.length >= 16 && Arrays.equals(odd, 0, 8, odd, 8, 16)) {
            return "the first two DES parts of a 3DES key must differ";
        }
        if (odd.length == 24 && Arrays.equals(odd, 8, 16, odd, 16, 24)) {
            return "the last two DES parts of a 3DES key must differ";
        }
        return null;
    }

    static void fixParity(byte[] v) {
        for (int i = 0; i < v.length; i++) {
            int b = v[i] & 0xfe;
            v[i] = (byte) (Integer.bitCount(b) % 2 == 0 ? b | 1 : b);
        }
    }
}
