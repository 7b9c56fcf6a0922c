package io.argate.isakmp.exchange;

import io.argate.enco.Enco;
import io.argate.ipsec.esp.IpcompTransform;
import io.argate.ipsec.esp.Transform;
import io.argate.ipsec.sad.Sa;
import io.argate.ipsec.sad.SaBundle;
import io.argate.ipsec.spec.CompAlg;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.ipsec.spec.IpsecProtocol;
import io.argate.ipsec.spec.KeyManagement;
import io.argate.ipsec.spec.SaSpecification;
import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.IsakmpDebug;
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.crypto.Phase1Cipher;
import io.argate.isakmp.sa.NegotiatedBundle;
import io.argate.isakmp.sa.NegotiatedSa;
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
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IPComp negotiated in Quick Mode (RFC 2393, RFC 3173 section 4, RFC 2407 sections 4.4.1 and
 * 4.4.5): an IPCOMP proposal with a 2-byte CPI and the same proposal number as its ESP, CPIs
 * chosen by each receiver from the negotiable range, installed ahead of ESP.
 */
class IpcompNegotiationTest {
    @TempDir
    Path dir;
    Nvs nvs;
    ControlLoop loop;
    FakeWire wire;
    Router a;
    Router b;

    @BeforeEach
    void open() {
        nvs = Nvs.open(dir);
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        loop = new ControlLoop(clock, "test-loop");
        wire = new FakeWire(loop);
        Enco enco = Router.enco(new EventLog(nvs, clock));
        a = new Router("A", FakeWire.A, 0x0a010100, loop, wire, enco, 1);
        b = new Router("B", FakeWire.B, 0x0a020100, loop, wire, enco, 2);
        for (Router r : new Router[]{a, b}) {
            r.psk("compress-me");
            IsakmpPolicy.Builder p = r.policy("i", FakeWire.peerOf(r.address));
            p.encAlg = Phase1Cipher.AES128;
            p.group = 2;
            r.put(p);
        }
    }

    @AfterEach
    void close() {
        loop.close();
        nvs.close();
    }

    static SaSpecification comp(int n, CompAlg alg) {
        return SaSpecification.defaults(n, KeyManagement.ISAKMP, IpsecProtocol.COMP).withCompAlg(alg);
    }

    @Test
    void ipcompAndEspAreNegotiatedTogetherAndInstalledInOrder() throws Exception {
        a.ipsecPolicy("1 AND 2", b.lan, 0, comp(1, CompAlg.DEFLATE), Router.esp(2, EncAlg.AES128, HashAlg.SHA));
        b.ipsecPolicy("1 AND 2", a.lan, 0, comp(1, CompAlg.DEFLATE), Router.esp(2, EncAlg.AES128, HashAlg.SHA));
        List<String> lines = new ArrayList<>();
        loop.run(() -> {
            b.daemon.debug().enable(IsakmpDebug.option("PKT"), lines::add);
            a.daemon.initiate("vpn");
        });
        wire.settle();
        assertEquals(1, a.installed.size(), a.log.toString());
        assertEquals(1, b.installed.size(), b.log.toString());
        NegotiatedBundle x = a.installed.get(0);
        NegotiatedBundle y = b.installed.get(0);
        assertEquals(List.of(IpsecProtocol.COMP, IpsecProtocol.ESP), x.sas().stream().map(NegotiatedSa::protocol).toList());
        assertEquals(List.of(IpsecProtocol.COMP, IpsecProtocol.ESP), y.sas().stream().map(NegotiatedSa::protocol).toList());
        NegotiatedSa ca = x.sas().get(0);
        NegotiatedSa cb = y.sas().get(0);
        assertEquals(ca.outboundSpi(), cb.inboundSpi(), "A compresses with the CPI B chose");
        assertEquals(ca.inboundSpi(), cb.outboundSpi());
        for (int cpi : new int[]{ca.inboundSpi(), ca.outboundSpi()}) {
            assertTrue(cpi >= 256 && cpi <= 61439, "a negotiated CPI (RFC 3173 section 3.3): " + cpi);
        }
        // on the wire: the IPCOMP proposal with its 2-byte CPI and transform IPCOMP_DEFLATE
        String dump = String.join("\n", lines);
        assertTrue(dump.contains("IPCOMP"), dump);
        assertTrue(dump.contains("DEFLATE"), dump);
        // in the SAD: A's sending bundle compresses first, then encrypts; B decompresses what arrives
        SaBundle<Transform> out = a.sad.outbound("vpn");
        Sa<Transform> c = out.outbound().get(0);
        assertEquals(IpsecProtocol.COMP, c.protocol());
        assertEquals(CompAlg.DEFLATE, ca.compAlg());
        assertEquals(ca.outboundSpi(), ((IpcompTransform) c.transform()).cpi());
        assertEquals(IpsecProtocol.ESP, out.outbound().get(1).protocol());
        assertEquals(1, b.daemon.counters().get(IsakmpCounter.QUICK_COMPLETED));
    }

    @Test
    void aResponderWithoutIpcompTakesThePeersPlainEspChoice() throws Exception {
        a.ipsecPolicy("1 AND 2, 3", b.lan, 0, comp(1, CompAlg.DEFLATE), Router.esp(2, EncAlg.AES128, HashAlg.SHA),
                Router.esp(3, EncAlg.AES128, HashAlg.SHA));
        b.ipsecPolicy("3", a.lan, 0, Router.esp(3, EncAlg.AES128, HashAlg.SHA));
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
        assertEquals(List.of(IpsecProtocol.ESP), a.installed.get(0).sas().stream().map(NegotiatedSa::protocol).toList());
    }

    @Test
    void aCompressionAlgorithmMismatchIsReportedAsSuch() throws Exception {
        a.ipsecPolicy("1 AND 2", b.lan, 0, comp(1, CompAlg.DEFLATE), Router.esp(2, EncAlg.AES128, HashAlg.SHA));
        b.ipsecPolicy("1 AND 2", a.lan, 0, comp(1, CompAlg.LZS), Router.esp(2, EncAlg.AES128, HashAlg.SHA));
        loop.run(() -> a.daemon.initiate("vpn"));
        wire.settle();
        assertEquals(0, a.installed.size());
        assertTrue(b.log.stream().anyMatch(l -> l.contains("compression algorithm differs")), b.log.toString());
    }
}
