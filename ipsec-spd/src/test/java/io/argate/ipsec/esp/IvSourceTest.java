package io.argate.ipsec.esp;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IvSourceTest {
    /** CBC IVs: never repeated within an SA, different between SAs, and nothing like the counter they come from. */
    @Test
    void cbcIvsAreDistinctPerPacketAndPerSa() {
        IvSource one = IvSource.random();
        IvSource two = IvSource.random();
        Set<String> seen = new HashSet<>();
        byte[] iv = new byte[16];
        byte[] other = new byte[16];
        int zeroBytes = 0;
        for (long seq = 1; seq <= 20_000; seq++) {
            one.fill(iv, seq);
            assertTrue(seen.add(HexFormat.of().formatHex(iv)), "IV repeated at sequence " + seq);
            two.fill(other, seq);
            assertFalse(java.util.Arrays.equals(iv, other), "two SAs gave the same IV for sequence " + seq);
            for (byte b : iv) {
                zeroBytes += b == 0 ? 1 : 0;
            }
        }
        // a counter would be mostly zero bytes; pseudo-random bytes are zero 1 time in 256
        assertTrue(zeroBytes < 20_000 * 16 / 128, "IVs look like counters: " + zeroBytes + " zero bytes");
    }

    @Test
    void eightByteIvsForDesComeFromTheSameSource() {
        IvSource s = IvSource.random();
        byte[] a = new byte[8];
        byte[] b = new byte[8];
        s.fill(a, 1);
        s.fill(b, 2);
        assertNotEquals(HexFormat.of().formatHex(a), HexFormat.of().formatHex(b));
    }

    @Test
    void gcmIvsAreTheSequenceNumber() {
        byte[] iv = new byte[8];
        IvSource.sequence().fill(iv, 0x0102030405060708L);
        assertEquals("0102030405060708", HexFormat.of().formatHex(iv));
    }
}
