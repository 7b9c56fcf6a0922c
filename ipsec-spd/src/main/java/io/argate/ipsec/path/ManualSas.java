package io.argate.ipsec.path;

import io.argate.ipsec.esp.Transform;

import io.argate.enco.Enco;
import io.argate.enco.spi.Algorithm;
import io.argate.enco.spi.DriverFailure;
import io.argate.ipsec.esp.AhTransform;
import io.argate.ipsec.esp.EspTransform;
import io.argate.ipsec.esp.IpcompTransform;
import io.argate.ipsec.replay.ReplayWindow;
import io.argate.ipsec.sad.Lifetime;
import io.argate.ipsec.sad.Sa;
import io.argate.ipsec.sad.SaBundle;
import io.argate.ipsec.sad.Sad;
import io.argate.ipsec.sad.UdpEncap;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spec.BundleExpression;
import io.argate.ipsec.spec.BundleSpecification;
import io.argate.ipsec.spec.CompAlg;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.EncoKeys;
import io.argate.ipsec.spec.HashAlg;
import io.argate.ipsec.spec.IpsecProtocol;
import io.argate.ipsec.spec.SaMode;
import io.argate.ipsec.spec.SaSpecification;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Builds the SA bundle of a manually keyed policy from its bundle's SA specifications and
 * their ENCO keys (seed 003, "manual keys"): one SA per protocol and direction, the keys bound
 * to ENCO channels, SPIs from INSPI/OUTSPI (IPComp uses its algorithm's well-known CPI).
 */
final class ManualSas {
    private ManualSas() {
    }

    /** The bundle's mode: its specifications must agree (a bundle is either tunnel or transport). */
    static SaMode mode(BundleSpecification bundle, List<SaSpecification> specs) throws DriverFailure {
        SaMode mode = null;
        for (BundleExpression.Choice c : bundle.expression().combinations().get(0).choices()) {
            for (SaSpecification s : specs) {
                if (s.number() == c.specs().get(0) && s.protocol() != IpsecProtocol.COMP) {
                    if (mode != null && mode != s.mode()) {
                        throw new DriverFailure("bundle " + bundle.number() + " mixes tunnel and transport mode");
                    }
                    mode = s.mode();
                }
            }
        }
        return mode == null ? SaMode.TUNNEL : mode;
    }

    /**
     * Everything a manual bundle is built from: the policy, its bundle specification, the SA
     * specifications the bundle names and the values of their ENCO keys. Two equal inputs build
     * the same SAs, so a commit that finds its policy's inputs unchanged keeps the bundle it has
     * (with its sequence numbers and replay window) instead of building a new one.
     *
     * @param keyValues the hex of every ENCO key the specifications name, by key number
     */
    record Inputs(IpsecPolicy policy, BundleSpecification bundle, List<SaSpecification> specs, java.util.Map<Integer, String> keyValues,
                  UdpEncap encap) {
    }

    static Inputs inputs(IpsecPolicy policy, BundleSpecification bundle, List<SaSpecification> all, EncoKeys keys, UdpEncap encap) {
        java.util.Set<Integer> named = new java.util.TreeSet<>();
        for (BundleExpression.Combination c : bundle.expression().combinations()) {
            for (BundleExpression.Choice ch : c.choices()) {
                named.addAll(ch.specs());
            }
        }
        List<SaSpecification> used = new ArrayList<>();
        java.util.Map<Integer, String> values = new java.util.TreeMap<>();
        for (SaSpecification s : all) {
            if (named.contains(s.number())) {
                used.add(s);
                for (int k : new int[]{s.encKey(), s.hashKey()}) {
                    keys.value(k).ifPresent(v -> values.put(k, java.util.HexFormat.of().formatHex(v)));
                }
            }
        }
        return new Inputs(policy, bundle, List.copyOf(used), java.util.Map.copyOf(values), encap);
    }

    static SaBundle<Transform> build(Inputs in, EncoKeys keys, Enco enco, Sad<Transform> sad, Instant now) throws DriverFailure {
        return build(in.policy(), in.bundle(), in.specs(), keys, enco, sad, now, in.encap());
    }

    /** @param encap the UDP ports when the policy sets UDPTUNNEL, else null */
    static SaBundle<Transform> build(IpsecPolicy policy, BundleSpecification bundle, List<SaSpecification> specs, EncoKeys keys,
                                     Enco enco, Sad<Transform> sad, Instant now, UdpEncap encap) throws DriverFailure {
        SaMode mode = mode(bundle, specs);
        BundleExpression.Combination combo = bundle.expression().combinations().get(0);
        List<Sa<Transform>> out = new ArrayList<>();
        List<Sa<Transform>> in = new ArrayList<>();
        for (BundleExpression.Choice choice : combo.choices()) {
            SaSpecification s = specs.stream().filter(x -> x.number() == choice.specs().get(0)).findFirst()
                    .orElseThrow(() -> new DriverFailure("SA specification " + choice.specs().get(0) + " is gone"));
            int id = sad.allocateSaId();
            ReplayWindow window = s.antiReplay() ? new ReplayWindow(s.replayWindow()) : null;
            // the AR's manual SAs have no extended-sequence-number option: 32-bit counters (RFC 4303 section 2.2.1)
            boolean esn = false;
            switch (s.protocol()) {
                case ESP -> {
                    out.add(new Sa<>(id, s.protocol(), (int) s.outSpi(), false, s.number(), esp(s, keys, enco), null, esn));
                    in.add(new Sa<>(id, s.protocol(), (int) s.inSpi(), true, s.number(), esp(s, keys, enco), window, esn));
                }
                case AH -> {
                    out.add(new Sa<>(id, s.protocol(), (int) s.outSpi(), false, s.number(), ah(s, keys, enco), null, esn));
                    in.add(new Sa<>(id, s.protocol(), (int) s.inSpi(), true, s.number(), ah(s, keys, enco), window, esn));
                }
                case COMP -> {
                    int cpi = s.compAlg().wellKnownCpi();
                    out.add(new Sa<>(id, s.protocol(), cpi, false, s.number(), comp(s, enco), null, esn));
                    in.add(new Sa<>(id, s.protocol(), cpi, true, s.number(), comp(s, enco), null, esn));
                }
            }
        }
        Collections.reverse(in);
        return new SaBundle<>(sad.allocateId(), policy.name(), bundle.number(), policy.peer().address(), true, out, in, now,
                Lifetime.of(0, bundle.expiryKbytes()), mode, encap);
    }

    private static byte[] key(EncoKeys keys, int number) throws DriverFailure {
        return keys.value(number).orElseThrow(() -> new DriverFailure("ENCO key " + number + " does not exist"));
    }

    private static EspTransform esp(SaSpecification s, EncoKeys keys, Enco enco) throws DriverFailure {
        EncAlg e = s.encAlg();
        if (e.aead()) {
            byte[] k = key(keys, s.encKey());
            Algorithm a = switch (e) {
                case AESGCM128 -> Algorithm.AES_GCM_128;
                case AESGCM192 -> Algorithm.AES_GCM_192;
                default -> Algorithm.AES_GCM_256;
            };
            return new EspTransform(e, enco.aead("IPSEC", a, Arrays.copyOf(k, k.length - 4), 16), Arrays.copyOfRange(k, k.length - 4, k.length),
                    "ENCO " + a);
        }
        byte[] ek = e == EncAlg.NULL ? new byte[0] : key(keys, s.encKey());
        if (e == EncAlg.TDES2KEY) {
            // two-key 3DES is EDE with K1, K2, K1
            byte[] full = Arrays.copyOf(ek, 24);
            System.arraycopy(ek, 0, full, 16, 8);
            ek = full;
        }
        Algorithm c = switch (e) {
            case DES -> Algorithm.DES_CBC;
            case TDESOUTER, TDES2KEY -> Algorithm.TDES_CBC;
            case AES128 -> Algorithm.AES_CBC_128;
            case AES192 -> Algorithm.AES_CBC_192;
            case AES256 -> Algorithm.AES_CBC_256;
            default -> Algorithm.NULL_CIPHER;
        };
        return new EspTransform(e, s.hashAlg(), enco.cipher("IPSEC", c, ek),
                s.hashAlg() == HashAlg.NULL ? null : enco.mac("IPSEC", mac(s.hashAlg()), key(keys, s.hashKey())), "ENCO " + c);
    }

    private static Algorithm mac(HashAlg h) {
        return switch (h) {
            case MD5 -> Algorithm.HMAC_MD5_96;
            case SHA -> Algorithm.HMAC_SHA1_96;
            case SHA2256 -> Algorithm.HMAC_SHA256_128;
            case NULL -> throw new IllegalArgumentException("no MAC for NULL");
        };
    }

    private static AhTransform ah(SaSpecification s, EncoKeys keys, Enco enco) throws DriverFailure {
        return new AhTransform(s.hashAlg(), enco.mac("IPSEC", mac(s.hashAlg()), key(keys, s.hashKey())), "ENCO " + mac(s.hashAlg()));
    }

    private static IpcompTransform comp(SaSpecification s, Enco enco) throws DriverFailure {
        Algorithm a = s.compAlg() == CompAlg.LZS ? Algorithm.LZS : Algorithm.DEFLATE;
        return new IpcompTransform(s.compAlg(), enco.compression("IPSEC", a), s.compAlg().wellKnownCpi());
    }
}
