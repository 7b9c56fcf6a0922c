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
import io.argate.isakmp.config.IsakmpPolicy;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference's three-client example (seed 003: policies v1, v2, v3 with PEER=DYNAMIC and
 * RNAME=client1..3 on the gateway; each client with its LNAME), with three concurrent clients,
 * a client that claims another's name, and a client that reconnects from a new address.
 */
class DynamicPeersTest {
    static final int GATEWAY = FakeWire.A;
    static final int GATEWAY_LAN = 0xc0a80a00;

    @TempDir
    Path dir;
    Nvs nvs;
    ControlLoop loop;
    FakeWire wire;
    Enco enco;
    Router gw;

    @BeforeEach
    void open() throws Exception {
        nvs = Nvs.open(dir);
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        loop = new ControlLoop(clock, "test-loop");
        wire = new FakeWire(loop);
        enco = Router.enco(new EventLog(nvs, clock));
        gw = new Router("GW", GATEWAY, GATEWAY_LAN, loop, wire, enco, 1);
        gw.psk("three-clients");
        gw.put(gw.policy("any", 0));
        bundle(gw);
        for (int n = 1; n <= 3; n++) {
            // CREATE IPSEC POLICY=vN ... PEER=DYNAMIC; SET IPSEC POLICY=vN LAD=192.168.10.0 LMA=255.255.255.0 RNAME=clientN
            gw.ipsec.addPolicy(IpsecPolicy.builder("v" + n, "ppp0", PolicyAction.IPSEC).keyManagement(KeyManagement.ISAKMP).bundle(1)
                    .peer(PeerAddress.DYNAMIC).local(AddressSpec.address(GATEWAY_LAN).withMask(0xffffff00)).remoteName("client" + n).build(), n - 1);
        }
    }

    @AfterEach
    void close() {
        loop.close();
        nvs.close();
    }

    void bundle(Router r) throws Exception {
        r.ipsec.putSpec(Router.esp(1, EncAlg.AES128, HashAlg.SHA));
        BundleExpression e = BundleExpression.parse("1", KeyManagement.ISAKMP,
                n -> r.ipsec.spec(n).map(s -> new BundleExpression.SpecInfo(s.protocol(), s.keyManagement())).orElse(null));
        r.ipsec.putBundle(new BundleSpecification(1, KeyManagement.ISAKMP, e, BundleSpecification.DEFAULT_EXPIRY_SECONDS, 0));
    }

    /** A client at {@code address}: ISAKMP with a name ID, and the reference's client policy with LNAME={@code lname}. */
    Router client(String name, int address, String lname, long seed) throws Exception {
        return client(name, address, lname, seed, IsakmpPolicy.Mode.MAIN);
    }

    Router client(String name, int address, String lname, long seed, IsakmpPolicy.Mode mode) throws Exception {
        Router c = new Router(name, address, 0, loop, wire, enco, seed);
        c.psk("three-clients");
        IsakmpPolicy.Builder p = c.policy("gw", GATEWAY);
        p.mode = mode;
        p.localId = name + ".example";
        c.put(p);
        bundle(c);
        c.ipsec.addPolicy(IpsecPolicy.builder("vpncli", "ppp0", PolicyAction.IPSEC).keyManagement(KeyManagement.ISAKMP).bundle(1)
                .peer(PeerAddress.of(GATEWAY)).localName(lname).remote(AddressSpec.address(GATEWAY_LAN).withMask(0xffffff00)).build(), 0);
        return c;
    }

    int boundPeer(String policy) {
        return gw.sad.bundlesOf(policy).get(0).peer();
    }

    @Test
    void threeConcurrentClientsEachGetTheirOwnPolicy() throws Exception {
        Router c1 = client("client1", 0xc0000210, "client1", 11);
        Router c2 = client("client2", 0xc0000211, "client2", 12);
        Router c3 = client("client3", 0xc0000212, "client3", 13);
        loop.run(() -> {
            c1.daemon.initiate("vpncli");
            c2.daemon.initiate("vpncli");
            c3.daemon.initiate("vpncli");
        });
        wire.settle();
        assertEquals(3, gw.daemon.sas().size(), gw.log.toString());
        assertEquals(0xc0000210, boundPeer("v1"));
        assertEquals(0xc0000211, boundPeer("v2"));
        assertEquals(0xc0000212, boundPeer("v3"));
        for (Router c : new Router[]{c1, c2, c3}) {
            assertEquals(1, c.sad.bundlesOf("vpncli").size(), c.name + ": " + c.log);
        }
    }

    @Test
    void aClientClaimingAnotherClientsNameReachesNothingWhileThatClientIsConnected() throws Exception {
        Router c1 = client("client1", 0xc0000210, "client1", 11);
        loop.run(() -> c1.daemon.initiate("vpncli"));
        wire.settle();
        assertEquals(0xc0000210, boundPeer("v1"));
        // client2 authenticates with the shared key but asks for client1's policy
        Router rogue = client("client2", 0xc0000211, "client1", 12);
        loop.run(() -> rogue.daemon.initiate("vpncli"));
        wire.settle();
        assertEquals(1, gw.sad.bundlesOf("v1").size(), "v1 is still only client1's");
        assertEquals(0xc0000210, boundPeer("v1"));
        assertEquals(0, rogue.sad.bundles().size());
        assertTrue(gw.daemon.counters().get(IsakmpCounter.QUICK_FAILED) >= 1, gw.log.toString());
    }

    @Test
    void aClientReconnectingFromANewAddressReplacesItsOldSas() throws Exception {
        Router c1 = client("client1", 0xc0000210, "client1", 11);
        Router c2 = client("client2", 0xc0000211, "client2", 12);
        loop.run(() -> {
            c1.daemon.initiate("vpncli");
            c2.daemon.initiate("vpncli");
        });
        wire.settle();
        assertEquals(2, gw.daemon.sas().size());
        // client1's line drops and it comes back with a new address and no memory of its SAs
        Router again = client("client1", 0xc0000230, "client1", 21);
        loop.run(() -> again.daemon.initiate("vpncli"));
        wire.settle();
        assertEquals(2, gw.daemon.sas().size(), "client1's old ISAKMP SA went: " + gw.log);
        assertTrue(gw.daemon.sas().stream().noneMatch(s -> s.peer() == 0xc0000210), gw.log.toString());
        assertEquals(1, gw.sad.bundlesOf("v1").size());
        assertEquals(0xc0000230, boundPeer("v1"), "v1 follows client1 to its new address");
        assertEquals(0xc0000211, boundPeer("v2"), "client2 is untouched");
        assertEquals(1, gw.daemon.counters().get(IsakmpCounter.INITIAL_CONTACT_REPLACED));
        assertTrue(gw.log.stream().anyMatch(l -> l.contains("now at 192.0.2.48, said INITIAL-CONTACT")), gw.log.toString());
    }

    @Test
    void anAggressiveModeClientReconnectingFromANewAddressReplacesItsOldSasToo() throws Exception {
        IsakmpPolicy.Builder g = gw.policy("any", 0);
        g.mode = IsakmpPolicy.Mode.AGGRESSIVE;
        gw.put(g);
        Router c1 = client("client1", 0xc0000210, "client1", 11, IsakmpPolicy.Mode.AGGRESSIVE);
        loop.run(() -> c1.daemon.initiate("vpncli"));
        wire.settle();
        assertEquals(0xc0000210, boundPeer("v1"), gw.log.toString());
        Router again = client("client1", 0xc0000230, "client1", 21, IsakmpPolicy.Mode.AGGRESSIVE);
        loop.run(() -> again.daemon.initiate("vpncli"));
        wire.settle();
        assertEquals(1, gw.daemon.sas().size(), "Aggressive Mode message 3 carried INITIAL-CONTACT: " + gw.log);
        assertEquals(0xc0000230, boundPeer("v1"));
    }
}
