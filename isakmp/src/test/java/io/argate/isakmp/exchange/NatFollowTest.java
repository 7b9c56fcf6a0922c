package io.argate.isakmp.exchange;

import io.argate.enco.Enco;
import io.argate.ipsec.spd.AddressSpec;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spd.PeerAddress;
import io.argate.ipsec.spd.PolicyAction;
import io.argate.ipsec.spec.BundleExpression;
import io.argate.ipsec.spec.BundleSpecification;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.ipsec.spec.KeyManagement;
import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.IsakmpLimits;
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.config.Liveness;
import io.argate.shell.loop.ControlLoop;
import io.argate.shell.loop.ManualClock;
import io.argate.store.EventLog;
import io.argate.store.Nvs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A behind a NAT (public address {@link #NAT}) that maps its ports 500 and 4500 to ports of its
 * own: the keepalives keep running while the tunnel is idle (RFC 3948 section 2.3), and when the
 * NAT's mapping changes, B follows A to the new port once an authenticated message comes from
 * there (RFC 3947 section 5), for IKE and for ESP in UDP.
 */
class NatFollowTest {
    static final int NAT = 0xc6336401;

    @TempDir
    Path dir;
    Nvs nvs;
    ControlLoop loop;
    FakeWire wire;
    Enco enco;
    Router a;
    Router b;
    /** The NAT's public port for A's 4500; the test changes it to model a new mapping. */
    int mapped4500 = 40002;

    @BeforeEach
    void open() throws Exception {
        nvs = Nvs.open(dir);
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        loop = new ControlLoop(clock, "test-loop");
        wire = new FakeWire(loop);
        enco = Router.enco(new EventLog(nvs, clock));
        a = new Router("A", FakeWire.A, 0x0a010100, loop, wire, enco, 1);
        b = new Router("B", FakeWire.B, 0x0a020100, loop, wire, enco, 2);
        wire.attach(NAT, a.daemon);
        wire.filter = s -> {
            if (s.from() == FakeWire.A) {
                return new FakeWire.Sent(NAT, s.fromPort() == 500 ? 40001 : mapped4500, s.to(), s.toPort(), s.payload());
            }
            if (s.to() == NAT) {
                if (s.toPort() != 40001 && s.toPort() != mapped4500) {
                    return null; // a stale mapping: the NAT drops it
                }
                return new FakeWire.Sent(s.from(), s.fromPort(), FakeWire.A, s.toPort() == 40001 ? 500 : 4500, s.payload());
            }
            return s;
        };
        for (Router r : new Router[]{a, b}) {
            r.psk("behind-a-nat");
            IsakmpPolicy.Builder p = r.policy("i", r == a ? FakeWire.B : 0);
            p.natTraversal = true;
            p.liveness = r == a ? Liveness.DEFAULTS.withDpd(Liveness.DpdMode.BOTH).withIdleTimeout(10) : Liveness.DEFAULTS;
            r.put(p);
            r.ipsec.putSpec(Router.esp(1, EncAlg.AES128, HashAlg.SHA));
            BundleExpression e = BundleExpression.parse("1", KeyManagement.ISAKMP,
                    n -> r.ipsec.spec(n).map(s -> new BundleExpression.SpecInfo(s.protocol(), s.keyManagement())).orElse(null));
            r.ipsec.putBundle(new BundleSpecification(1, KeyManagement.ISAKMP, e, BundleSpecification.DEFAULT_EXPIRY_SECONDS, 0));
        }
        a.ipsec.addPolicy(IpsecPolicy.builder("vpn", "eth0", PolicyAction.IPSEC).keyManagement(KeyManagement.ISAKMP).bundle(1)
                .peer(PeerAddress.of(FakeWire.B)).local(AddressSpec.address(a.lan).withMask(0xffffff00))
                .remote(AddressSpec.address(b.lan).withMask(0xffffff00)).build(), 0);
        b.ipsec.addPolicy(IpsecPolicy.builder("vpn", "eth0", PolicyAction.IPSEC).keyManagement(KeyManagement.ISAKMP).bundle(1)
                .peer(PeerAddress.DYNAMIC).local(AddressSpec.address(b.lan).withMask(0xffffff00))
                .remote(AddressSpec.address(a.lan).withMask(0xffffff00)).build(), 0);
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
        assertEquals(1, b.sad.bundles().size(), b.log.toString());
    }

    @AfterEach
    void close() {
        loop.close();
        nvs.close();
    }

    int bRemotePort() {
        return b.sad.bundles().get(0).udpEncap().remotePort();
    }

    @Test
    void keepalivesRunWhileIdleAndANewMappingIsFollowedOnTheNextAuthenticatedMessage() {
        assertEquals(NAT, b.sad.bundles().get(0).peer());
        assertEquals(40002, bRemotePort(), "ESP in UDP to A's mapped 4500");
        int before = wire.sent.size();
        loop.advance(Duration.ofSeconds(9));
        assertEquals(0, a.daemon.counters().get(IsakmpCounter.DPD_SENT));
        // over a minute of idling the keepalive comes three times
        loop.advance(Duration.ofSeconds(51));
        wire.settle();
        long keepalives = wire.sent.subList(before, wire.sent.size()).stream().filter(s -> s.payload().length == 1 && s.from() == FakeWire.A).count();
        assertEquals(3, keepalives, "RFC 3948 section 2.3 keepalives every 20 s while the tunnel is idle");
        assertEquals(0, b.daemon.counters().get(IsakmpCounter.NAT_PORT_CHANGES));

        // the NAT forgets and maps A's 4500 to a new port; B's answers to the old one are lost until B follows
        mapped4500 = 40777;
        long acks = a.daemon.counters().get(IsakmpCounter.DPD_ACKS_RECEIVED);
        loop.advance(Duration.ofSeconds(11));
        wire.settle();
        assertEquals(1, b.daemon.counters().get(IsakmpCounter.NAT_PORT_CHANGES));
        assertEquals(40777, bRemotePort(), "ESP in UDP follows too");
        assertTrue(a.daemon.counters().get(IsakmpCounter.DPD_ACKS_RECEIVED) > acks, "B's ACK reached A at its new port");
        assertTrue(b.log.stream().anyMatch(l -> l.contains("moved from port 40002 to 40777")), b.log.toString());
        assertEquals(0, a.daemon.counters().get(IsakmpCounter.DPD_PEERS_DEAD));
        assertEquals(IsakmpLimits.NAT_T_PORT, wire.sent.get(wire.sent.size() - 1).fromPort());
    }
}
