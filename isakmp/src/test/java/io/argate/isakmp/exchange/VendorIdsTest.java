package io.argate.isakmp.exchange;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The vendor IDs as peers send them on the wire (the published values, not recomputed). */
class VendorIdsTest {
    @Test
    void natTraversalAndDpdVendorIdsAreThePublishedOnes() {
        HexFormat h = HexFormat.of();
        assertEquals("4a131c81070358455c5728f20e95452f", h.formatHex(VendorIds.RFC3947));
        assertEquals("cd60464335df21f87cfdb2fc68b6a448", h.formatHex(VendorIds.DRAFT_02));
        assertEquals("90cb80913ebb696e086381b5ec427b1f", h.formatHex(VendorIds.DRAFT_02N));
        assertEquals("7d9419a65310ca6f2c179d9215529d56", h.formatHex(VendorIds.DRAFT_03));
        assertEquals("8f8d83826d246b6fc7a8a6a428c11de8", h.formatHex(VendorIds.DRAFT_08));
        assertEquals("afcad71368a1f1c96b8696fc77570100", h.formatHex(VendorIds.DPD));
    }
}
