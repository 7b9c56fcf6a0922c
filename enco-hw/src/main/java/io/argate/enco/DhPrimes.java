package io.argate.enco;

import io.argate.enco.spi.Algorithm;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The MODP primes rebuilt from their definition, independently of any driver's table:
 * p = 2^n - 2^(n-64) - 1 + 2^64 * (floor(2^(n-130) * pi) + k), with n and k from RFC 2409
 * section 6 and RFC 3526. Used by the self-test to check a driver's DH results.
 */
final class DhPrimes {
    private DhPrimes() {
    }

    private static final BigDecimal PI = pi(1300);

    static BigInteger prime(Algorithm a) {
        int n = a.outputLength() * 8;
        long k = switch (a) {
            case MODP_768 -> 149686;
            case MODP_1024 -> 129093;
            case MODP_1536 -> 741804;
            case MODP_2048 -> 124476;
            case MODP_3072 -> 1690314;
            case MODP_4096 -> 240904;
            default -> throw new IllegalArgumentException(a + " is not a MODP group");
        };
        BigInteger floor = new BigDecimal(BigInteger.TWO.pow(n - 130)).multiply(PI).setScale(0, RoundingMode.FLOOR).toBigInteger();
        return BigInteger.TWO.pow(n).subtract(BigInteger.TWO.pow(n - 64)).subtract(BigInteger.ONE)
                .add(BigInteger.TWO.pow(64).multiply(floor.add(BigInteger.valueOf(k))));
    }

    /** pi to {@code digits} decimal digits by Machin's formula: 16 atan(1/5) - 4 atan(1/239). */
    private static BigDecimal pi(int digits) {
        MathContext mc = new MathContext(digits + 10);
        return atanInverse(5, mc).multiply(BigDecimal.valueOf(16)).subtract(atanInverse(239, mc).multiply(BigDecimal.valueOf(4)), mc);
    }

    private static BigDecimal atanInverse(int x, MathContext mc) {
        BigDecimal xs = BigDecimal.valueOf((long) x * x);
        BigDecimal term = BigDecimal.ONE.divide(BigDecimal.valueOf(x), mc);
        BigDecimal sum = term;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(mc.getPrecision());
        for (int i = 1; term.abs().compareTo(eps) > 0; i++) {
            term = term.divide(xs, mc).negate();
            sum = sum.add(term.divide(BigDecimal.valueOf(2L * i + 1), mc), mc);
        }
        return sum;
    }
}
