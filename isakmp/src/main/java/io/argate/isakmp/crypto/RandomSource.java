package io.argate.isakmp.crypto;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * Where cookies, nonces, DH private values, SPIs and jitter come from. The router uses
 * {@link #secure()}; tests give each daemon a {@link #seeded} source so two peers in one JVM
 * produce the same bytes on every run (STYLE.md: deterministic nonce and DH sources).
 */
public interface RandomSource {
    void fill(byte[] out);

    default byte[] bytes(int n) {
        byte[] b = new byte[n];
        fill(b);
        return b;
    }

    default long nextLong() {
        byte[] b = bytes(8);
        long v = 0;
        for (byte x : b) {
            v = v << 8 | x & 0xff;
        }
        return v;
    }

    /** Uniform in [0, bound). */
    default int nextInt(int bound) {
        return (int) Long.remainderUnsigned(nextLong(), bound);
    }

    static RandomSource secure() {
        SecureRandom r = new SecureRandom();
        return r::nextBytes;
    }

    /** Reproducible bytes for tests; never for keys on a real router. */
    static RandomSource seeded(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return out -> {
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) r.nextInt(256);
            }
        };
    }
}
