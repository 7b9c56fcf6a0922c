package io.argate.isakmp.crypto;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pairs made ahead are as good as pairs made on the loop: valid, the right length, never handed out twice. */
class KeyPairPoolTest {
    @Test
    void everyPairIsFreshAndValidWhetherMadeAheadOrOnDemand() {
        KeyPairPool pool = new KeyPairPool(RandomSource.secure());
        Set<BigInteger> seen = new HashSet<>();
        try {
            for (int i = 0; i < 40; i++) {
                ModpGroup g = i % 2 == 0 ? ModpGroup.GROUP2 : ModpGroup.GROUP14;
                ModpGroup.KeyPair p = pool.take(g, 160);
                assertTrue(seen.add(p.x()), "a private exponent was handed out twice");
                assertEquals(g.length(), p.publicValue().length);
                assertEquals(BigInteger.TWO.modPow(p.x(), g.prime()), new BigInteger(1, p.publicValue()));
                assertTrue(p.x().bitLength() >= 2 * (g == ModpGroup.GROUP2 ? 80 : 110), "the exponent keeps the group's floor");
            }
        } finally {
            pool.close();
        }
        // a closed pool still answers, making the pair itself
        ModpGroup.KeyPair late = pool.take(ModpGroup.GROUP2, 160);
        assertTrue(seen.add(late.x()));
        assertTrue(ModpGroup.GROUP2.validPublic(late.publicValue()));
    }
}
