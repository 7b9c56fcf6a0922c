package io.argate.enco;

import io.argate.enco.soft.SoftwareDriver;
import io.argate.enco.spi.Algorithm;
import org.bouncycastle.crypto.agreement.DHStandardGroups;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class KnownAnswersTest {
    @Test
    void theSoftwareDriverPassesEveryStartUpVector() {
        SoftwareDriver d = new SoftwareDriver();
        for (Algorithm a : Algorithm.values()) {
            assertNull(KnownAnswers.check(d, a), a.name());
        }
    }

    @Test
    void primesRebuiltFromPiMatchTheRfcTables() {
        assertEquals(DHStandardGroups.rfc2409_768.getP(), DhPrimes.prime(Algorithm.MODP_768));
        assertEquals(DHStandardGroups.rfc2409_1024.getP(), DhPrimes.prime(Algorithm.MODP_1024));
        assertEquals(DHStandardGroups.rfc3526_1536.getP(), DhPrimes.prime(Algorithm.MODP_1536));
        assertEquals(DHStandardGroups.rfc3526_2048.getP(), DhPrimes.prime(Algorithm.MODP_2048));
        assertEquals(DHStandardGroups.rfc3526_3072.getP(), DhPrimes.prime(Algorithm.MODP_3072));
        assertEquals(DHStandardGroups.rfc3526_4096.getP(), DhPrimes.prime(Algorithm.MODP_4096));
    }
}
