package io.argate.isakmp.exchange;

import io.argate.enco.Enco;
import io.argate.ip.packet.Ports;
import io.argate.ipsec.sad.UdpEncap;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.crypto.Phase1Cipher;
import io.argate.isakmp.crypto.PrfAlgorithm;
import io.argate.shell.loop.ControlLoop;
import io.argate.shell.loop.ManualClock;
import io.argate.store.EventLog;
import io.argate.store.Nvs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * An IPsec policy with UDPTUNNEL=TRUE keyed by ISAKMP (the reference's ESP over UDP, NAT-T off):
 * the bundle Quick Mode installs carries ESP in UDP from SET IPSEC UDPPORT to the policy's
 * UDPPORT, on both routers. Before, such bundles went out as plain ESP, which the peer (expecting
 * UDP 2746, as the reference has both routers configured) never matched.
 */
class UdpTunnelBundleTest {
    @TempDir
    Path dir;
    Nvs nvs;
    ControlLoop loop;
    FakeWire wire;
    Router a;
    Router b;

    @BeforeEach
    void open() throws Exception {
        nvs = Nvs.open(dir);
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        loop = new ControlLoop(clock, "test-loop");
        wire = new FakeWire(loop);
        Enco enco = Router.enco(new EventLog(nvs, clock));
        a = new Router("A", FakeWire.A, 0x0a010100, loop, wire, enco, 1);
        b = new Router("B", FakeWire.B, 0x0a020100, loop, wire, enco, 2);
        for (Router r : new Router[]{a, b}) {
            r.psk("jogefoge");
            IsakmpPolicy.Builder p = r.policy("i", FakeWire.peerOf(r.address));
            p.mode = IsakmpPolicy.Mode.MAIN;
            p.encAlg = Phase1Cipher.DES;
            p.hashAlg = PrfAlgorithm.SHA1;
            p.group = 1;
            r.put(p);
        }
        a.ipsecPolicy("1", b.lan, 0, Router.esp(1, EncAlg.DES, HashAlg.SHA));
        b.ipsecPolicy("1", a.lan, 0, Router.esp(1, EncAlg.DES, HashAlg.SHA));
    }

    @AfterEach
    void close() {
        loop.close();
        nvs.close();
    }

    private static void udpTunnel(Router r, int remotePort) {
        IpsecPolicy p = r.ipsec.policy("vpn").orElseThrow();
        r.ipsec.replacePolicy(p.toBuilder().udpTunnel(true).udpPort(remotePort).build(), r.ipsec.positionOf(p));
    }

    @Test
    void udpTunnelPoliciesGetBundlesInUdpFromTheGlobalPortToThePolicysPort() {
        udpTunnel(a, Ports.UDP_TUNNEL);
        a.ipsec.udpPort(3456);
        udpTunnel(b, 3456);
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
        assertEquals(1, a.installed.size(), "the exchange completed: " + a.log);
        assertEquals(1, b.installed.size(), "the exchange completed: " + b.log);
        // A listens on 3456 and sends to B's 2746; B listens on 2746 and sends to A's 3456
        assertEquals(new UdpEncap(3456, Ports.UDP_TUNNEL), a.installed.get(0).udpEncap());
        assertEquals(new UdpEncap(Ports.UDP_TUNNEL, 3456), b.installed.get(0).udpEncap());
    }

    @Test
    void withoutUdpTunnelTheBundleIsPlainEsp() {
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
        assertEquals(1, a.installed.size(), "the exchange completed: " + a.log);
        assertNull(a.installed.get(0).udpEncap());
        assertNull(b.installed.get(0).udpEncap());
    }
}
