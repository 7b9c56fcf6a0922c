package io.argate.ipsec.path;

import io.argate.ip.packet.Ipv4;
import io.argate.ip.packet.Udp;
import io.argate.ipsec.IpsecCounter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Mode Config client's many-to-one translation, packet by packet. */
class AssignedAddressNatTest {
    static final int ASSIGNED = 0x0a63040a;
    static final int HOST1 = 0x0a630105;
    static final int HOST2 = 0x0a630106;
    static final int SERVER = 0x0a630207;

    final AssignedAddressNat nat = new AssignedAddressNat(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    static ByteBuf udp(int src, int sport, int dst, int dport) {
        ByteBuf b = Unpooled.buffer(40).writerIndex(40);
        Ipv4.write(b, 0, 0, 40, 1, 0, 64, Ipv4.PROTO_UDP, src, dst);
        Udp.write(b, 20, sport, dport, 20);
        for (int i = 28; i < 40; i++) {
            b.setByte(i, i);
        }
        Udp.checksum(b, 0);
        return b;
    }

    /** The UDP checksum a fresh computation gives: equal to what incremental updating left. */
    static int freshChecksum(ByteBuf b) {
        ByteBuf c = b.copy();
        Udp.checksum(c, 0);
        return c.getUnsignedShort(26);
    }

    @Test
    void twoHostsOnOnePortGetTwoPortsOfTheAssignedAddressAndTheirAnswersFindThem() {
        ByteBuf a = udp(HOST1, 5000, SERVER, 53);
        ByteBuf b = udp(HOST2, 5000, SERVER, 53);
        assertNull(nat.outbound(ASSIGNED, a, 0));
        assertNull(nat.outbound(ASSIGNED, b, 0));
        assertEquals(ASSIGNED, Ipv4.source(a, 0));
        assertEquals(ASSIGNED, Ipv4.source(b, 0));
        assertEquals(5000, a.getUnsignedShort(20), "a free port keeps its number");
        assertNotEquals(5000, b.getUnsignedShort(20), "ports stay unique on the one address");
        assertTrue(Ipv4.checksumOk(a, 0) && Ipv4.checksumOk(b, 0));
        assertEquals(freshChecksum(a), a.getUnsignedShort(26));
        assertEquals(freshChecksum(b), b.getUnsignedShort(26));

        ByteBuf back = udp(SERVER, 53, ASSIGNED, b.getUnsignedShort(20));
        assertNull(nat.inbound(ASSIGNED, back, 0));
        assertEquals(HOST2, Ipv4.destination(back, 0));
        assertEquals(5000, back.getUnsignedShort(22));
        assertEquals(freshChecksum(back), back.getUnsignedShort(26));
        assertEquals(2, nat.mappings(ASSIGNED).size());
    }

    @Test
    void whatCannotShareTheAddressIsRefusedWithItsReason() {
        ByteBuf gre = udp(HOST1, 1, SERVER, 2);
        gre.setByte(9, 47);
        Ipv4.updateChecksum(gre, 0);
        assertEquals(IpsecCounter.OUT_MODECFG_UNTRANSLATABLE, nat.outbound(ASSIGNED, gre, 0));
        ByteBuf fragment = udp(HOST1, 1, SERVER, 2);
        fragment.setShort(6, 0x2000);
        assertEquals(IpsecCounter.OUT_MODECFG_UNTRANSLATABLE, nat.outbound(ASSIGNED, fragment, 0));
        assertEquals(IpsecCounter.IN_MODECFG_NO_MAPPING, nat.inbound(ASSIGNED, udp(SERVER, 53, ASSIGNED, 40000), 0),
                "nothing from behind us opened that port");
    }

    @Test
    void theTableIsBoundedAndGoesWithItsAssignment() {
        int refused = 0;
        for (int i = 0; i < AssignedAddressNat.MAX_MAPPINGS + 10; i++) {
            if (nat.outbound(ASSIGNED, udp(HOST1 + (i >>> 12), 1024 + (i & 0xfff), SERVER, 53), 0) != null) {
                refused++;
            }
        }
        assertEquals(10, refused, "the mappings beyond the bound are refused while none is idle");
        assertEquals(AssignedAddressNat.MAX_MAPPINGS, nat.mappings(ASSIGNED).size());
        nat.retain(Set.of());
        assertEquals(0, nat.mappings(ASSIGNED).size(), "the SA went: its translations with it");
    }
}
