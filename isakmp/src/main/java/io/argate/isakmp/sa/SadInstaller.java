package io.argate.isakmp.sa;

import io.argate.ipsec.esp.Transform;

import io.argate.enco.Enco;
import io.argate.enco.spi.Algorithm;
import io.argate.enco.spi.DriverFailure;
import io.argate.ipsec.esp.AhTransform;
import io.argate.ipsec.esp.EspTransform;
import io.argate.ipsec.esp.IpcompTransform;
import io.argate.ipsec.sad.Sa;
import io.argate.ipsec.sad.SaBundle;
import io.argate.ipsec.sad.Sad;
import io.argate.ipsec.spec.CompAlg;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.ipsec.spec.IpsecProtocol;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Installs negotiated bundles into the IPsec SAD the way manual keying builds its own (ipsec-spd
 * ManualSas): one ESP or AH transform per direction on ENCO channels, keyed from KEYMAT instead
 * of ENCO keys. Anti-replay is on for negotiated SAs (RFC 2401 section 5.2.1: a receiver with
 * automated keying should use it), with the smallest AR window.
 */
public final class SadInstaller implements SaInstaller {
    static final int REPLAY_WINDOW = 64;

    private final Sad<Transform> sad;
    private final Enco enco;
    private final Clock clock;

    public SadInstaller(Sad<Transform> sad, Enco enco, Clock clock) {
        this.sad = sad;
        this.enco = enco;
        this.clock = clock;
    }

    @Override
    public int reserveSpi(IpsecProtocol protocol) {
        return sad.reserveSpi(protocol);
    }

    @Override
    public int install(NegotiatedBundle b) {
        SaBundle<Transform> bundle = build(b);
        sad.install(bundle);
        return bundle.id();
    }

    @Override
    public int installInbound(NegotiatedBundle b) {
        SaBundle<Transform> bundle = build(b);
        sad.installInbound(bundle);
        return bundle.id();
    }

    @Override
    public boolean activate(int bundleId) {
        return sad.bundle(bundleId).map(sad::activate).orElse(false);
    }

    private SaBundle<Transform> build(NegotiatedBundle b) {
        List<Sa<Transform>> out = new ArrayList<>();
        List<Sa<Transform>> in = new ArrayList<>();
        try {
            for (NegotiatedSa n : b.sas()) {
                int id = sad.allocateSaId();
                switch (n.protocol()) {
                    case ESP -> {
                        out.add(new Sa<>(id, n.protocol(), n.outboundSpi(), false, n.specNumber(), esp(n, n.outboundKeys()), null));
                        in.add(new Sa<>(id, n.protocol(), n.inboundSpi(), true, n.specNumber(), esp(n, n.inboundKeys()),
                                new io.argate.ipsec.replay.ReplayWindow(REPLAY_WINDOW)));
                    }
                    case AH -> {
                        out.add(new Sa<>(id, n.protocol(), n.outboundSpi(), false, n.specNumber(), ah(n, n.outboundKeys()), null));
                        in.add(new Sa<>(id, n.protocol(), n.inboundSpi(), true, n.specNumber(), ah(n, n.inboundKeys()),
                                new io.argate.ipsec.replay.ReplayWindow(REPLAY_WINDOW)));
                    }
                    case COMP -> {
                        // no anti-replay: IPComp has no sequence numbers (RFC 3173 section 2)
                        out.add(new Sa<>(id, n.protocol(), n.outboundSpi(), false, n.specNumber(), comp(n, n.outboundSpi()), null));
                        in.add(new Sa<>(id, n.protocol(), n.inboundSpi(), true, n.specNumber(), comp(n, n.inboundSpi()), null));
                    }
                }
            }
        } catch (DriverFailure e) {
            throw new IllegalStateException("ENCO refused a channel: " + e.getMessage(), e);
        }
        Collections.reverse(in);
        SaBundle<Transform> bundle = new SaBundle<>(sad.allocateId(), b.policy(), b.bundleSpec(), b.peer(), b.initiator(), out, in,
                clock.instant(), b.lifetime(), b.mode(), b.udpEncap());
        bundle.assignedAddress(b.assignedAddress());
        return bundle;
    }

    @Override
    public List<InstalledBundle> bundles(String policy) {
        List<InstalledBundle> out = new ArrayList<>();
        for (SaBundle<Transform> b : sad.bundlesOf(policy)) {
            long received = 0;
            java.util.Map<IpsecProtocol, Integer> spis = new java.util.EnumMap<>(IpsecProtocol.class);
            for (Sa<Transform> sa : b.inbound()) {
                received += sa.bytes();
                spis.put(sa.protocol(), sa.spi());
            }
            out.add(new InstalledBundle(b.id(), b.policy(), b.initiator(), b.state() == io.argate.ipsec.sad.SaState.VALID,
                    b.lifetime().hardSeconds(), b.lifetime().softSeconds(), received, spis));
        }
        return out;
    }

    @Override
    public boolean remove(int bundleId) {
        return sad.bundle(bundleId).map(b -> {
            sad.remove(b);
            return true;
        }).orElse(false);
    }

    @Override
    public boolean sending(String policy) {
        return sad.outbound(policy) != null;
    }

    @Override
    public boolean delete(IpsecProtocol protocol, int spi) {
        return sad.deleteBySpi(protocol, spi).isPresent();
    }

    @Override
    public java.util.Map<Integer, Long> inboundPackets() {
        java.util.Map<Integer, Long> out = new java.util.HashMap<>();
        for (SaBundle<Transform> b : sad.bundles()) {
            long n = 0;
            for (Sa<Transform> sa : b.inbound()) {
                n += sa.packets();
            }
            out.merge(b.peer(), n, Long::sum);
        }
        return out;
    }

    @Override
    public int clearPeer(int peer) {
        int n = 0;
        for (SaBundle<Transform> b : sad.bundles()) {
            if (b.peer() == peer) {
                sad.remove(b);
                n++;
            }
        }
        return n;
    }

    @Override
    public void followPeerPort(int peer, int port) {
        for (SaBundle<Transform> b : sad.bundles()) {
            if (b.peer() == peer) {
                b.followRemotePort(port);
            }
        }
    }

    @Override
    public java.util.OptionalInt boundPeer(String policy) {
        for (SaBundle<Transform> b : sad.bundlesOf(policy)) {
            return java.util.OptionalInt.of(b.peer());
        }
        return java.util.OptionalInt.empty();
    }

    private EspTransform esp(NegotiatedSa n, byte[] keys) throws DriverFailure {
        EncAlg e = n.encAlg();
        int encLength = e == EncAlg.NULL ? 0 : e.keyLength();
        byte[] ek = Arrays.copyOf(keys, encLength);
        byte[] ak = Arrays.copyOfRange(keys, encLength, keys.length);
        Algorithm c = switch (e) {
            case DES -> Algorithm.DES_CBC;
            case TDESOUTER, TDES2KEY -> Algorithm.TDES_CBC;
            case AES128 -> Algorithm.AES_CBC_128;
            case AES192 -> Algorithm.AES_CBC_192;
            case AES256 -> Algorithm.AES_CBC_256;
            case NULL -> Algorithm.NULL_CIPHER;
            default -> throw new DriverFailure(e + " is not negotiated by ISAKMP yet");
        };
        return new EspTransform(e, n.hashAlg(), enco.cipher("ISAKMP", c, ek),
                n.hashAlg() == HashAlg.NULL ? null : enco.mac("ISAKMP", mac(n.hashAlg()), ak), "ENCO " + c);
    }

    private IpcompTransform comp(NegotiatedSa n, int cpi) throws DriverFailure {
        Algorithm a = n.compAlg() == CompAlg.LZS ? Algorithm.LZS : Algorithm.DEFLATE;
        return new IpcompTransform(n.compAlg(), enco.compression("ISAKMP", a), cpi);
    }

    private AhTransform ah(NegotiatedSa n, byte[] keys) throws DriverFailure {
        return new AhTransform(n.hashAlg(), enco.mac("ISAKMP", mac(n.hashAlg()), keys), "ENCO " + mac(n.hashAlg()));
    }

    private static Algorithm mac(HashAlg h) {
        return switch (h) {
            case MD5 -> Algorithm.HMAC_MD5_96;
            case SHA -> Algorithm.HMAC_SHA1_96;
            case SHA2256 -> Algorithm.HMAC_SHA256_128;
            case NULL -> throw new IllegalArgumentException("no MAC for NULL");
        };
    }
}
