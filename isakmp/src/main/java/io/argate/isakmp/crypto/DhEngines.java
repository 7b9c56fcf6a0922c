package io.argate.isakmp.crypto;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the process's {@link DhEngine} once: libcrypto when it loads and its answers equal
 * BigInteger's for every group, else Java, with one line saying why ({@link Choice#fallback}) for
 * the router to log. The system property {@value #PROPERTY} ({@code auto}, {@code libcrypto},
 * {@code libcrypto-modexp}, {@code java}) overrides, so the engines can be measured against each other.
 */
public final class DhEngines {
    public static final String PROPERTY = "argate.dh.engine";
    /** libcrypto without the tables of powers of g: every power by BN_mod_exp_mont_consttime, for measuring the tables against. */
    public static final String LIBCRYPTO_MODEXP = "libcrypto-modexp";
    /** libcrypto.so comes with the development package; the versioned names are what a runtime-only system has. */
    static final List<String> LIBRARIES = List.of("crypto", "libcrypto.so.3", "libcrypto.so.1.1");

    /** The engine and, when libcrypto was wanted but not used, the log line saying why. */
    public record Choice(DhEngine engine, Optional<String> fallback) {
    }

    private static volatile Choice preferred;

    private DhEngines() {
    }

    /** The process's choice, made on first use from {@value #PROPERTY} (default auto). */
    public static Choice preferred() {
        Choice c = preferred;
        if (c == null) {
            synchronized (DhEngines.class) {
                if (preferred == null) {
                    preferred = choose(System.getProperty(PROPERTY, "auto"), LIBRARIES);
                }
                c = preferred;
            }
        }
        return c;
    }

    /** A fresh choice for {@code wanted} (a {@value #PROPERTY} value), as the process would make it; for benchmarks setting engines side by side. */
    public static Choice named(String wanted) {
        return choose(wanted, LIBRARIES);
    }

    static Choice choose(String wanted, List<String> libraries) {
        if (wanted.equalsIgnoreCase("java")) {
            return new Choice(JavaDhEngine.INSTANCE, Optional.empty());
        }
        String why;
        try {
            LibcryptoDhEngine lib = LibcryptoDhEngine.load(libraries, !wanted.equalsIgnoreCase(LIBCRYPTO_MODEXP));
            why = selfTest(lib.modexpOnly());
            if (why == null) {
                return new Choice(lib, Optional.empty());
            }
        } catch (IllegalStateException | LinkageError e) {
            why = e.getMessage();
        }
        return new Choice(JavaDhEngine.INSTANCE, Optional.of("Diffie-Hellman runs on Java's BigInteger, not libcrypto: " + why));
    }

    /**
     * Null when {@code engine} gives BigInteger's answers in every group for g^x and for a
     * public value near p, with exponents of the lengths DHEXPONENTLENGTH allows; else what
     * differed. The answers are checked against BigInteger here, once per
     * process; DhEngineTest checks both engines against values computed outside Java.
     */
    static String selfTest(DhEngine engine) {
        for (ModpGroup g : ModpGroup.values()) {
            BigInteger y = g.prime().subtract(BigInteger.valueOf(3));
            // DHEXPONENTLENGTH's floor for group 14 and its ceiling (1023 bits), the latter where it costs little
            BigInteger shortX = BigInteger.ONE.shiftLeft(219).add(BigInteger.valueOf(0x5a5a5a5L));
            BigInteger longX = BigInteger.ONE.shiftLeft(1022).subtract(BigInteger.valueOf(12345));
            for (BigInteger x : g.length() <= 256 ? new BigInteger[]{shortX, longX} : new BigInteger[]{shortX}) {
                for (BigInteger base : new BigInteger[]{BigInteger.TWO, y}) {
                    byte[] want = JavaDhEngine.INSTANCE.power(g, base, x);
                    if (!Arrays.equals(want, engine.power(g, base, x))) {
                        return engine.name() + " gave a wrong answer for group " + g.number() + " (" + x.bitLength() + "-bit exponent)";
                    }
                }
            }
        }
        return null;
    }
}
