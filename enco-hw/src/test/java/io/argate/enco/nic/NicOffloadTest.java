package io.argate.enco.nic;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NicOffloadTest {
    /**
     * The bytes iproute2 sends for
     * {@code ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1000 reqid 7 mode tunnel
     * replay-window 32 aead 'rfc4106(gcm(aes))' 0x000102...13 128 offload dev lo dir in},
     * captured with {@code strace -e trace=sendmsg -xx} on this machine (the kernel then refused
     * it: no ESP), nlmsg_seq set to 1. An independent oracle for the XFRM encoding (x86-64).
     */
    static final String IPROUTE2 = "5c010000100005000100000000000000"    // nlmsghdr: 348 bytes, NEWSA, REQUEST|ACK, seq 1
            + "00".repeat(56)                                                  // selector
            + "c0000202" + "00".repeat(12) + "00001000" + "32000000"         // id: daddr, spi, proto ESP
            + "c0000201" + "00".repeat(12)                                     // saddr
            + "ff".repeat(32) + "00".repeat(32)                                // lifetime_cfg: limits infinite
            + "00".repeat(32) + "00".repeat(12)                                // curlft, stats
            + "00000000" + "07000000" + "0200" + "01" + "20" + "00" + "00".repeat(7) // seq, reqid 7, AF_INET, tunnel, 32, flags
            + "60001200" + HexFormat.of().formatHex(java.util.Arrays.copyOf("rfc4106(gcm(aes))".getBytes(), 64))
            + "a0000000" + "80000000" + "000102030405060708090a0b0c0d0e0f10111213"   // AEAD: 160-bit key, 128-bit ICV
            + "0c001c00" + "01000000" + "02000000";                            // OFFLOAD_DEV: ifindex 1 (lo), INBOUND

    static XfrmSa gcmOffload() {
        return new XfrmSa(0xc0000201, 0xc0000202, 0x1000, 7, true, 32, "rfc4106(gcm(aes))", null, null,
                HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f10111213"), null, 128, 1, true);
    }

    @Test
    void newSaMatchesWhatIproute2Sends() {
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the captured bytes are little-endian");
        byte[] ours = gcmOffload().encodeNewSa(1);
        assertEquals(348, ours.length);
        assertEquals(IPROUTE2, HexFormat.of().formatHex(ours));
    }

    @Test
    void parseReadsBackWhatEncodeWrote() {
        XfrmSa.Parsed p = XfrmSa.parse(gcmOffload().encodeNewSa(9));
        assertEquals(0xc0000202, p.dst());
        assertEquals(0x1000, p.spi());
        assertEquals(50, p.proto());
        assertEquals(0xc0000201, p.src());
        assertEquals(7, p.reqid());
        assertEquals(2, p.family());
        assertEquals(1, p.mode());
        assertEquals(32, p.replay());
        assertEquals("rfc4106(gcm(aes))", p.aead());
        assertEquals(160, p.keyBits());
        assertEquals(128, p.icvBits());
        assertEquals(1, p.offloadIf());
        assertEquals(2, p.offloadFlags(), "XFRM_OFFLOAD_INBOUND");
        byte[] cut = java.util.Arrays.copyOf(gcmOffload().encodeNewSa(1), 100);
        assertThrows(IllegalArgumentException.class, () -> XfrmSa.parse(cut));
    }

    @Test
    void thisMachineHasNoEspOffloadAndSaysWhy() {
        NicOffloadDriver d = new NicOffloadDriver();
        assertTrue(d.capabilities().isEmpty());
        if (!d.present()) {
            assertEquals("not present", d.status().get(0));
            assertTrue(d.status().get(2).startsWith("kernel ESP:") || d.status().get(1).startsWith("no interface"), d.status().toString());
        }
        assertFalse(d.status().isEmpty());
    }
}
