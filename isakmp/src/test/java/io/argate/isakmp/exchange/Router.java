package io.argate.isakmp.exchange;

import io.argate.ipsec.esp.Transform;

import io.argate.enco.Enco;
import io.argate.enco.soft.SoftwareDriver;
import io.argate.ipsec.config.IpsecConfig;
import io.argate.ipsec.sad.Sad;
import io.argate.ipsec.spd.AddressSpec;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spd.PeerAddress;
import io.argate.ipsec.spd.PolicyAction;
import io.argate.ipsec.spec.BundleExpression;
import io.argate.ipsec.spec.BundleSpecification;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.EncoKeys;
import io.argate.ipsec.spec.HashAlg;
import io.argate.ipsec.spec.IpsecProtocol;
import io.argate.ipsec.spec.KeyManagement;
import io.argate.ipsec.spec.SaSpecification;
import io.argate.isakmp.config.IsakmpConfig;
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.crypto.RandomSource;
import io.argate.isakmp.sa.NegotiatedBundle;
import io.argate.isakmp.sa.SaInstaller;
import io.argate.isakmp.sa.SadInstaller;
import io.argate.store.EventLog;
import io.argate.shell.loop.ControlLoop;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One router's ISAKMP side for in-process tests: configuration, a real SAD with software ENCO, a daemon on the shared loop. */
final class Router {
    final String name;
    final int address;
    final int lan;
    final IsakmpConfig isakmp = new IsakmpConfig();
    final IpsecConfig ipsec = new IpsecConfig();
    final Sad<Transform> sad;
    final List<NegotiatedBundle> installed = new ArrayList<>();
    final List<String> log = new ArrayList<>();
    final Map<Integer, byte[]> keys = new HashMap<>();
    final IsakmpDaemon daemon;

    Router(String name, int address, int lan, ControlLoop loop, FakeWire wire, Enco enco, long seed) {
        this.name = name;
        this.address = address;
        this.lan = lan;
        this.sad = new Sad<>(loop.clock(), java.util.random.RandomGenerator.of("L64X128MixRandom"));
        SadInstaller real = new SadInstaller(sad, enco, loop.clock());
        SaInstaller installer = new SaInstaller() {
            public int reserveSpi(IpsecProtocol p) {
                return real.reserveSpi(p);
            }

            public int install(NegotiatedBundle b) {
                installed.add(b);
                return real.install(b);
            }

            public boolean delete(IpsecProtocol p, int spi) {
                return real.delete(p, spi);
            }

            public int installInbound(NegotiatedBundle b) {
                installed.add(b);
                return real.installInbound(b);
            }

            public boolean activate(int id) {
                return real.activate(id);
            }

            public boolean sending(String policy) {
                return real.sending(policy);
            }

            public java.util.List<io.argate.isakmp.sa.InstalledBundle> bundles(String policy) {
                return real.bundles(policy);
            }

            public boolean remove(int id) {
                return real.remove(id);
            }

            public java.util.Map<Integer, Long> inboundPackets() {
                return real.inboundPackets();
            }

            public int clearPeer(int peer) {
                return real.clearPeer(peer);
            }

            public void followPeerPort(int peer, int port) {
                real.followPeerPort(peer, port);
            }

            public java.util.OptionalInt boundPeer(String policy) {
                return real.boundPeer(policy);
            }
        };
        EncoKeys encoKeys = new EncoKeys() {
            public Optional<KeyInfo> info(int n) {
                return Optional.ofNullable(keys.get(n)).map(k -> new KeyInfo("GENERAL", k.length));
            }

            public Optional<byte[]> value(int n) {
                return Optional.ofNullable(keys.get(n)).map(byte[]::clone);
            }
        };
        this.daemon = new IsakmpDaemon(isakmp, ipsec, installer, encoKeys, wire.port(address), loop, RandomSource.seeded(seed),
                (subtype, message) -> log.add(message));
        wire.attach(address, daemon);
        isakmp.enabled(true);
        ipsec.enabled(true);
    }

    void psk(String value) {
        keys.put(1, value.getBytes(StandardCharsets.US_ASCII));
    }

    IsakmpPolicy.Builder policy(String name, int peer) {
        return IsakmpPolicy.defaults(name, peer, peer == 0).toBuilder();
    }

    void put(IsakmpPolicy.Builder b) {
        b.key = 1;
        isakmp.put(b.build());
    }

    /** SA spec 1 (and more) + bundle 1 with {@code string} + IPsec policy vpn between the two LANs. */
    void ipsecPolicy(String string, int peerLan, int group, SaSpecification... specs) throws Exception {
        for (SaSpecification s : specs) {
            ipsec.putSpec(s);
        }
        BundleExpression e = BundleExpression.parse(string, KeyManagement.ISAKMP,
                n -> ipsec.spec(n).map(s -> new BundleExpression.SpecInfo(s.protocol(), s.keyManagement())).orElse(null));
        ipsec.putBundle(new BundleSpecification(1, KeyManagement.ISAKMP, e, BundleSpecification.DEFAULT_EXPIRY_SECONDS, 0));
        IpsecPolicy p = IpsecPolicy.builder("vpn", "eth0", PolicyAction.IPSEC).keyManagement(KeyManagement.ISAKMP).bundle(1)
                .peer(PeerAddress.of(FakeWire.peerOf(address))).local(AddressSpec.address(lan).withMask(0xffffff00))
                .remote(AddressSpec.address(peerLan).withMask(0xffffff00)).group(group).build();
        ipsec.addPolicy(p, 0);
    }

    static SaSpecification esp(int n, EncAlg enc, HashAlg hash) {
        return SaSpecification.defaults(n, KeyManagement.ISAKMP, IpsecProtocol.ESP).withEncAlg(enc).withHashAlg(hash);
    }

    static SaSpecification ah(int n, HashAlg hash) {
        return SaSpecification.defaults(n, KeyManagement.ISAKMP, IpsecProtocol.AH).withHashAlg(hash);
    }

    static Enco enco(EventLog log) {
        return new Enco(new SoftwareDriver(), List.of(), log);
    }
}
