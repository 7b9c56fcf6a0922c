package io.argate.firewall.engine;

import io.argate.firewall.config.FirewallPolicy;
import io.argate.firewall.config.InterfaceNat;
import io.argate.firewall.config.InterfaceType;
import io.argate.firewall.config.NatType;
import io.argate.ip.forward.StageFilter.Verdict;
import io.argate.ip.packet.Ipv4;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packets with valid IP headers (INPUT checked those) and anything at all after them: short
 * transport headers, lying TCP data offsets, ICMP errors quoting garbage, fragments. Each one
 * passes or is dropped with a counted reason; none throws, none leaves a wrong IP checksum.
 */
class MangledPacketsTest {
    @Test
    void twentyThousandMangledPacketsEachPassOrAreCountedAndNoneBreaksTheEngine() {
        Rig rig = new Rig(256);
        rig.config.enabled(true);
        FirewallPolicy net = rig.config.create("net");
        net.interfaces().put("vlan1", InterfaceType.PRIVATE);
        net.interfaces().put("ppp0", InterfaceType.PUBLIC);
        net.nats().add(new InterfaceNat(NatType.ENHANCED, "vlan1", "ppp0", null, null));
        net.icmpForwarding().addAll(EnumSet.allOf(FirewallPolicy.IcmpForwarding.class));
        rig.commit();
        Random rnd = new Random(21);
        int[] protos = {Ipv4.PROTO_TCP, Ipv4.PROTO_UDP, Ipv4.PROTO_ICMP, Ipv4.PROTO_ESP, 47};
        int dropped = 0;
        for (int i = 0; i < 20_000; i++) {
            int len = 20 + rnd.nextInt(80);
            ByteBuf b = Unpooled.buffer(len);
            boolean out = rnd.nextBoolean();
            int src = out ? Packets.ip("192.168.10.0") | rnd.nextInt(8) : Packets.ip("8.8.8.0") | rnd.nextInt(8);
            int dst = out ? Packets.ip("8.8.8.0") | rnd.nextInt(8) : (rnd.nextBoolean() ? Packets.ip("1.1.1.1") : Packets.ip("192.168.10.5"));
            int frag = rnd.nextInt(8) == 0 ? (rnd.nextBoolean() ? Ipv4.FLAG_MF : rnd.nextInt(0x2000)) : 0;
            Ipv4.write(b, 0, 0, len, rnd.nextInt(4), frag, 64, protos[rnd.nextInt(protos.length)], src, dst);
            for (int k = 20; k < len; k++) {
                b.setByte(k, rnd.nextInt(256));
            }
            if (rnd.nextInt(4) == 0 && len >= 48 && Ipv4.protocol(b, 0) == Ipv4.PROTO_ICMP) {
                // an error quoting a packet of a random earlier flow, or garbage
                b.setByte(20, 3);
                b.setByte(28, 0x45);
            }
            b.writerIndex(len);
            if (rig.forward(out ? "vlan1" : "ppp0", b) == Verdict.DROP) {
                dropped++;
            } else {
                assertEquals(0, Ipv4.checksum(b, 0, 20), "packet " + i);
            }
        }
        long counted = rig.engine.counters(net.id()).drops();
        assertEquals(dropped, counted, "every drop has a counted reason");
        assertTrue(dropped > 1000 && dropped < 20_000, "some pass and some are dropped: " + dropped);
    }
}
