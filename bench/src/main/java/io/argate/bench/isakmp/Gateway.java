package io.argate.bench.isakmp;

import io.argate.enco.Enco;
import io.argate.ipsec.config.IpsecConfig;
import io.argate.ipsec.esp.Transform;
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
import io.argate.isakmp.Datagram;
import io.argate.isakmp.IkeNetwork;
import io.argate.isakmp.config.IsakmpConfig;
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.crypto.Phase1Cipher;
import io.argate.isakmp.crypto.PrfAlgorithm;
import io.argate.isakmp.crypto.RandomSource;
import io.argate.isakmp.exchange.IsakmpDaemon;
import io.argate.isakmp.sa.NegotiatedBundle;
import io.argate.isakmp.sa.SaInstaller;
import io.argate.isakmp.sa.SadInstaller;
import io.argate.shell.loop.ControlLoop;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * One side of the setup-rate benchmark, built as the image's Router builds its ISAKMP side: its own
 * ControlLoop thread on the system clock, a real SAD with software ENCO, the secure random source.
 * Address pair k is 198.18.1.k (side A) to 198.18.2.k (side B), LANs 10.1.k.0/24 and 10.2.k.0/24,
 * so each pair has its own ISAKMP SA and each negotiation is a fresh Main Mode.
 */
final class Gateway {
    static final int A_BASE = 0xc6120100;
    static final int B_BASE = 0xc6120200;
    static final String PSK = "bench-secret-123";

    final ControlLoop loop;
    final IsakmpConfig isakmp = new IsakmpConfig();
    final IpsecConfig ipsec = new IpsecConfig();
    final Sad<Transform> sad;
    final IsakmpDaemon daemon;
    final long threadId;
    /** Key pairs made ahead, as the router makes them; its thread's CPU counts in this side's cost. */
    final io.argate.isakmp.crypto.KeyPairPool keyPairs = new io.argate.isakmp.crypto.KeyPairPool(RandomSource.secure());
    private Gateway peer;
    volatile String failure;
    long dropped;

    /** @param installed told (on this side's loop) of every bundle installed and sending */
    Gateway(String name, Enco enco, BiConsumer<Gateway, NegotiatedBundle> installed) {
        this.loop = new ControlLoop(Clock.systemUTC(), "bench-" + name);
        this.sad = new Sad<>(loop.clock());
        SadInstaller real = new SadInstaller(sad, enco, loop.clock());
        SaInstaller installer = new SaInstaller() {
            public int reserveSpi(IpsecProtocol p) {
                return real.reserveSpi(p);
            }

            public int install(NegotiatedBundle b) {
                int id = real.install(b);
                installed.accept(Gateway.this, b);
                return id;
            }

            public boolean delete(IpsecProtocol p, int spi) {
                return real.delete(p, spi);
            }

            // a responder's bundle receives from Quick Mode message 2 on but is only complete when
            // message 3 activates it: told then, so a round never ends while message 3 is on its way
            private final java.util.Map<Integer, NegotiatedBundle> receiving = new java.util.HashMap<>();

            public int installInbound(NegotiatedBundle b) {
                int id = real.installInbound(b);
                receiving.put(id, b);
                return id;
            }

            public boolean activate(int id) {
                boolean ok = real.activate(id);
                NegotiatedBundle b = receiving.remove(id);
                if (ok && b != null) {
                    installed.accept(Gateway.this, b);
                }
                return ok;
            }

            public boolean sending(String policy) {
                return real.sending(policy);
            }

            public java.util.List<io.argate.isakmp.sa.InstalledBundle> bundles(String policy) {
                return real.bundles(policy);
            }

            public boolean remove(int id) {
                receiving.remove(id);
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
        byte[] psk = PSK.getBytes(StandardCharsets.US_ASCII);
        EncoKeys keys = new EncoKeys() {
            public Optional<KeyInfo> info(int n) {
                return n == 1 ? Optional.of(new KeyInfo("GENERAL", psk.length)) : Optional.empty();
            }

            public Optional<byte[]> value(int n) {
                return n == 1 ? Optional.of(psk.clone()) : Optional.empty();
            }
        };
        IkeNetwork wire = new IkeNetwork() {
            public void send(int local, int localPort, int remote, int remotePort, byte[] payload) {
                // a copy as a socket would make; delivered as the router's receive thread does, by post
                if (!peer.daemon.post(new Datagram(local, localPort, remote, remotePort, payload.clone()))) {
                    dropped++;
                    failure = "the peer's event backlog was full: a datagram was lost";
                }
            }

            public int sourceFor(int remote) {
                return remote ^ (A_BASE ^ B_BASE);
            }
        };
        this.daemon = new IsakmpDaemon(isakmp, ipsec, installer, keys, wire, loop, RandomSource.secure(), (subtype, message) -> {
            if (subtype.equals("ERROR") || message.contains(": Failed")) {
                failure = message;
            }
        });
        daemon.keyPairs(keyPairs);
        this.threadId = loop.call(() -> Thread.currentThread().getId());
        isakmp.enabled(true);
        ipsec.enabled(true);
    }

    static void connect(Gateway a, Gateway b) {
        a.peer = b;
        b.peer = a;
    }

    /**
     * Pair k: ISAKMP policy with PEER=the other side's address (PSK, AES128/SHA, the group), an
     * IPsec policy vpn{k} keyed by ISAKMP with ESP AES128/SHA and PFS in the same group.
     */
    void configure(int pairs, int group, boolean sideA) throws Exception {
        ipsec.putSpec(SaSpecification.defaults(1, KeyManagement.ISAKMP, IpsecProtocol.ESP).withEncAlg(EncAlg.AES128).withHashAlg(HashAlg.SHA));
        BundleExpression e = BundleExpression.parse("1", KeyManagement.ISAKMP,
                n -> ipsec.spec(n).map(s -> new BundleExpression.SpecInfo(s.protocol(), s.keyManagement())).orElse(null));
        ipsec.putBundle(new BundleSpecification(1, KeyManagement.ISAKMP, e, BundleSpecification.DEFAULT_EXPIRY_SECONDS, 0));
        for (int k = 0; k < pairs; k++) {
            int peerAddress = sideA ? B_BASE + k : A_BASE + k;
            IsakmpPolicy.Builder p = IsakmpPolicy.defaults("p" + k, peerAddress, false).toBuilder();
            p.key = 1;
            p.encAlg = Phase1Cipher.AES128;
            p.hashAlg = PrfAlgorithm.SHA1;
            p.group = group;
            isakmp.put(p.build());
            int lan = (sideA ? 0x0a010000 : 0x0a020000) | k << 8;
            int peerLan = (sideA ? 0x0a020000 : 0x0a010000) | k << 8;
            ipsec.addPolicy(IpsecPolicy.builder("vpn" + k, "eth0", PolicyAction.IPSEC).keyManagement(KeyManagement.ISAKMP).bundle(1)
                    .peer(PeerAddress.of(peerAddress)).local(AddressSpec.address(lan).withMask(0xffffff00))
                    .remote(AddressSpec.address(peerLan).withMask(0xffffff00)).group(group).build(), k);
        }
    }

    /** The DH engine the daemons use: libcrypto with its version, or java (with the reason when libcrypto was not usable). */
    static String dhEngine() {
        io.argate.isakmp.crypto.DhEngines.Choice c = io.argate.isakmp.crypto.DhEngines.preferred();
        return c.engine() instanceof io.argate.isakmp.crypto.LibcryptoDhEngine l ? l.describe().replace(' ', '-')
                : c.engine().name() + c.fallback().map(w -> " (" + w + ")").orElse("");
    }

    long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getThreadCpuTime(threadId) + keyPairs.cpuNanos();
    }
}
