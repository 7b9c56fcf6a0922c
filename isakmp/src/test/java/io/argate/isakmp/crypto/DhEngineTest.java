package io.argate.isakmp.crypto;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both DH engines against answers computed outside Java and OpenSSL (dh-known-answers.py: the
 * primes from the RFC formula, Python's pow), in every group, for g^x and for a peer's value,
 * with 160-bit, 220-bit and full-length exponents; and the choice between them.
 */
class DhEngineTest {
    record Vector(ModpGroup group, int bits, BigInteger base, BigInteger exponent, byte[] expected) {
    }

    static List<Vector> vectors() throws IOException {
        List<Vector> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                DhEngineTest.class.getResourceAsStream("dh-known-answers.txt")), StandardCharsets.US_ASCII))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split(" ");
                out.add(new Vector(ModpGroup.of(Integer.parseInt(f[0])).orElseThrow(), Integer.parseInt(f[1]), new BigInteger(f[2], 16),
                        new BigInteger(f[3], 16), HexFormat.of().parseHex(f[4])));
            }
        }
        assertEquals(36, out.size(), "6 groups x 3 exponent lengths x (g, a peer's value)");
        return out;
    }

    private static void givesTheKnownAnswers(DhEngine engine) throws IOException {
        for (Vector v : vectors()) {
            assertEquals(v.bits(), v.exponent().bitLength());
            assertArrayEquals(v.expected(), engine.power(v.group(), v.base(), v.exponent()),
                    engine.name() + ": group " + v.group().number() + ", " + v.bits() + "-bit exponent, base " + (v.base().equals(BigInteger.TWO) ? "g" : "y"));
        }
    }

    private static LibcryptoDhEngine libcrypto() {
        try {
            return LibcryptoDhEngine.load(DhEngines.LIBRARIES);
        } catch (IllegalStateException e) {
            Assumptions.abort("libcrypto is not usable here, so only the Java engine is tested: " + e.getMessage());
            return null;
        }
    }

    @Test
    void javaEngineGivesTheKnownAnswers() throws IOException {
        givesTheKnownAnswers(JavaDhEngine.INSTANCE);
    }

    @Test
    void libcryptoEngineGivesTheKnownAnswers() throws IOException {
        LibcryptoDhEngine engine = libcrypto();
        givesTheKnownAnswers(engine);
        assertEquals(0, engine.refused(), "libcrypto answered every call itself");
        assertTrue(engine.describe().startsWith("libcrypto "), engine.describe());
    }

    @Test
    void libcryptoWithoutTheTablesOfGGivesTheKnownAnswers() throws IOException {
        LibcryptoDhEngine engine;
        try {
            engine = LibcryptoDhEngine.load(DhEngines.LIBRARIES, false);
        } catch (IllegalStateException e) {
            Assumptions.abort("libcrypto is not usable here: " + e.getMessage());
            return;
        }
        givesTheKnownAnswers(engine);
        assertEquals("libcrypto-modexp", engine.name());
        assertTrue(engine.describe().endsWith(" modexp only"), engine.describe());
    }

    @Test
    void theTablesOfGGiveTheSameValuesAsTheGenericExponentiation() {
        // g^x from the tables against BN_mod_exp_mont_consttime and BigInteger: exponent lengths on and off
        // the digit width and the 64-bit limbs, digits all 0 and all 1, and random exponents, in every group
        LibcryptoDhEngine engine = libcrypto();
        java.util.Random random = new java.util.Random(12);
        for (ModpGroup g : ModpGroup.values()) {
            for (int bits : new int[]{384, 320, 319, 300, 256, 221, 220, 219, 161, 160}) {
                BigInteger allOnes = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
                BigInteger topOnly = BigInteger.ONE.shiftLeft(bits - 1);
                BigInteger randomX = new BigInteger(bits - 1, random).setBit(bits - 1);
                for (BigInteger x : new BigInteger[]{allOnes, topOnly, randomX}) {
                    byte[] want = JavaDhEngine.INSTANCE.power(g, BigInteger.TWO, x);
                    assertArrayEquals(want, engine.powerOfGenerator(g, x), "group " + g.number() + ", " + bits + " bits, x=" + x.toString(16));
                    assertArrayEquals(want, engine.modexp(g, BigInteger.TWO, x));
                    assertArrayEquals(want, engine.power(g, BigInteger.TWO, x));
                }
            }
        }
        assertEquals(0, engine.refused(), "libcrypto answered every call itself");
    }

    @Test
    void libcryptoIsRightFromSeveralThreadsAtOnce() throws Exception {
        // the control loop and the key pair thread share the engine and its Montgomery contexts
        LibcryptoDhEngine engine = libcrypto();
        List<Vector> vs = vectors().stream().filter(v -> v.group().length() <= 256).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(pool.submit(() -> {
                    for (int round = 0; round < 5; round++) {
                        for (Vector v : vs) {
                            assertArrayEquals(v.expected(), engine.power(v.group(), v.base(), v.exponent()));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void whereLibcryptoLoadsItIsChosenAndSaysNothing() {
        libcrypto();
        DhEngines.Choice c = DhEngines.choose("auto", DhEngines.LIBRARIES);
        assertEquals("libcrypto", c.engine().name());
        assertTrue(c.fallback().isEmpty());
    }

    @Test
    void aMissingLibraryFallsBackToJavaWithOneLineSayingWhy() {
        DhEngines.Choice c = DhEngines.choose("auto", List.of("argate-no-such-libcrypto"));
        assertSame(JavaDhEngine.INSTANCE, c.engine());
        String line = c.fallback().orElseThrow();
        assertTrue(line.startsWith("Diffie-Hellman runs on Java's BigInteger, not libcrypto: "), line);
        assertTrue(line.contains("argate-no-such-libcrypto"), line);
        assertTrue(!line.contains("\n"), "one line");
    }

    @Test
    void javaCanBeAskedForAndIsNotAFallback() {
        DhEngines.Choice c = DhEngines.choose("java", DhEngines.LIBRARIES);
        assertSame(JavaDhEngine.INSTANCE, c.engine());
        assertTrue(c.fallback().isEmpty());
    }

    @Test
    void anEngineThatGivesAWrongAnswerIsRefused() {
        assertNull(DhEngines.selfTest(JavaDhEngine.INSTANCE));
        DhEngine broken = new DhEngine() {
            public String name() {
                return "broken";
            }

            public byte[] power(ModpGroup group, BigInteger base, BigInteger exponent) {
                byte[] v = JavaDhEngine.INSTANCE.power(group, base, exponent);
                if (group == ModpGroup.GROUP14 && !base.equals(BigInteger.TWO)) {
                    v[v.length - 1] ^= 1;
                }
                return v;
            }
        };
        String why = DhEngines.selfTest(broken);
        assertNotNull(why);
        assertEquals("broken gave a wrong answer for group 14 (220-bit exponent)", why);
    }
}
