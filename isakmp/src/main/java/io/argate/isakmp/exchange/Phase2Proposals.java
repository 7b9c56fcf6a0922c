package io.argate.isakmp.exchange;

import io.argate.ipsec.spec.BundleExpression;
import io.argate.ipsec.spec.BundleSpecification;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.ipsec.spec.IpsecProtocol;
import io.argate.ipsec.spec.SaMode;
import io.argate.ipsec.spec.SaSpecification;
import io.argate.isakmp.wire.Attribute;
import io.argate.isakmp.wire.Doi;
import io.argate.isakmp.wire.Phase2Attribute;
import io.argate.isakmp.wire.ProposalPayload;
import io.argate.isakmp.wire.SaPayload;
import io.argate.isakmp.wire.TransformId;
import io.argate.isakmp.wire.TransformPayload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The phase 2 proposal task, from the bundle specification's grammar (seed 003, fact sheet 2.4):
 * each ","-separated combination becomes one proposal number in preference order, each AND-ed
 * protocol one proposal payload with that number (RFC 2408 section 4.2: same number = applied
 * together), each OR alternative one transform. The responder reads the peer's proposals in the
 * peer's order and takes the first that one of its own combinations accepts, by the same
 * grammar; the initiator checks the answer is one it offered.
 */
final class Phase2Proposals {
    private Phase2Proposals() {
    }

    /** One agreed protocol: its specification, the peer's SPI and the transform as agreed. */
    record ChosenSa(IpsecProtocol protocol, SaSpecification spec, int peerSpi, TransformPayload transform) {
    }

    /**
     * The agreed proposal; {@code lifeSeconds/lifeKbytes} are what both use, {@code cut} when the
     * responder's own limit was shorter than the peer's (RESPONDER-LIFETIME, RFC 2407 section 4.6.3.1).
     */
    record Choice(int number, List<ChosenSa> sas, long lifeSeconds, long lifeKbytes, boolean cut, int group, SaMode mode) {
    }

    static int protocolId(IpsecProtocol p) {
        return switch (p) {
            case ESP -> Doi.PROTO_ESP;
            case AH -> Doi.PROTO_AH;
            case COMP -> Doi.PROTO_IPCOMP;
        };
    }

    static IpsecProtocol protocol(int id) {
        return switch (id) {
            case Doi.PROTO_ESP -> IpsecProtocol.ESP;
            case Doi.PROTO_AH -> IpsecProtocol.AH;
            case Doi.PROTO_IPCOMP -> IpsecProtocol.COMP;
            default -> null;
        };
    }

    static int transformId(SaSpecification s) {
        if (s.protocol() == IpsecProtocol.COMP) {
            // RFC 2407 section 4.4.5
            return s.compAlg() == io.argate.ipsec.spec.CompAlg.LZS ? TransformId.IPCOMP_LZS : TransformId.IPCOMP_DEFLATE;
        }
        if (s.protocol() == IpsecProtocol.AH) {
            return switch (s.hashAlg()) {
                case MD5 -> TransformId.AH_MD5;
                case SHA -> TransformId.AH_SHA;
                case SHA2256 -> TransformId.AH_SHA2_256;
                case NULL -> 0;
            };
        }
        return s.encAlg() == EncAlg.TDES2KEY ? TransformId.ESP_3DES : s.encAlg().transformId();
    }

    static int keyLengthBits(SaSpecification s) {
        if (s.protocol() != IpsecProtocol.ESP) {
            return 0;
        }
        return switch (s.encAlg() == null ? EncAlg.NULL : s.encAlg()) {
            case AES128 -> 128;
            case AES192 -> 192;
            case AES256 -> 256;
            default -> 0;
        };
    }

    static int mode(SaSpecification s, NatTraversal nat, boolean udp) {
        boolean tunnel = s.mode() == SaMode.TUNNEL;
        if (udp) {
            return tunnel ? nat.udpTunnelMode() : nat.udpTransportMode();
        }
        return tunnel ? Phase2Attribute.MODE_TUNNEL : Phase2Attribute.MODE_TRANSPORT;
    }

    static TransformPayload transform(int number, SaSpecification s, BundleSpecification b, int group, NatTraversal nat, boolean udp) {
        List<Attribute> a = new ArrayList<>();
        a.add(Attribute.of(Phase2Attribute.LIFE_TYPE, Phase2Attribute.LIFE_SECONDS));
        a.add(Attribute.of(Phase2Attribute.LIFE_DURATION, b.expirySeconds()));
        if (b.expiryKbytes() > 0) {
            a.add(Attribute.of(Phase2Attribute.LIFE_TYPE, Phase2Attribute.LIFE_KILOBYTES));
            a.add(Attribute.of(Phase2Attribute.LIFE_DURATION, b.expiryKbytes()));
        }
        if (group > 0) {
            a.add(Attribute.of(Phase2Attribute.GROUP_DESCRIPTION, group));
        }
        a.add(Attribute.of(Phase2Attribute.ENCAPSULATION_MODE, mode(s, nat, udp)));
        if (s.protocol() != IpsecProtocol.COMP && s.hashAlg() != null && s.hashAlg() != HashAlg.NULL) {
            a.add(Attribute.of(Phase2Attribute.AUTH_ALGORITHM, s.hashAlg().authAttribute()));
        }
        if (keyLengthBits(s) > 0) {
            a.add(Attribute.of(Phase2Attribute.KEY_LENGTH, keyLengthBits(s)));
        }
        return new TransformPayload(number, transformId(s), a);
    }

    /**
     * Combinations ISAKMP can negotiate: all of them, IPComp included (RFC 2393, negotiated as
     * protocol IPCOMP with the same proposal number as the ESP or AH it goes with, RFC 2407
     * section 4.4.1); an IPComp alone is not offered, since RFC 3173 section 4 wants a CPI
     * negotiated together with the SA that protects it.
     */
    static List<BundleExpression.Combination> negotiable(BundleSpecification b) {
        List<BundleExpression.Combination> out = new ArrayList<>();
        for (BundleExpression.Combination c : b.expression().combinations()) {
            if (!c.protocols().stream().allMatch(p -> p == IpsecProtocol.COMP)) {
                out.add(c);
            }
        }
        return out;
    }

    static SaPayload offer(BundleSpecification b, IntFunction<SaSpecification> specs, Map<IpsecProtocol, Integer> spis, int group,
                           NatTraversal nat, boolean udp) {
        List<ProposalPayload> ps = new ArrayList<>();
        int number = 1;
        for (BundleExpression.Combination c : negotiable(b)) {
            for (BundleExpression.Choice ch : c.choices()) {
                List<TransformPayload> ts = new ArrayList<>();
                for (int n : ch.specs()) {
                    ts.add(transform(ts.size() + 1, specs.apply(n), b, group, nat, udp));
                }
                ps.add(new ProposalPayload(number, protocolId(ch.protocol()), spiField(ch.protocol(), spis.get(ch.protocol())), ts));
            }
            number++;
        }
        return new SaPayload(Doi.IPSEC, Doi.SIT_IDENTITY_ONLY, ps);
    }

    static byte[] spi(int v) {
        return io.argate.isakmp.crypto.Phase1Keys.int32(v);
    }

    /** The SPI field of a proposal or notify: four bytes, but IPComp's CPI is two (RFC 2407 section 4.4.1). */
    static byte[] spiField(IpsecProtocol p, int v) {
        return p == IpsecProtocol.COMP ? new byte[]{(byte) (v >>> 8), (byte) v} : spi(v);
    }

    /** How a specification reads in a mismatch: {@code ESP AES128/SHA tunnel}. */
    static String describe(SaSpecification s) {
        if (s.protocol() == IpsecProtocol.COMP) {
            return s.protocol().display() + " " + s.compAlg() + " " + s.mode().name().toLowerCase();
        }
        return s.protocol().display() + " " + (s.protocol() == IpsecProtocol.ESP ? s.encAlg().keyword() + "/" : "")
                + s.hashAlg().keyword() + " " + s.mode().name().toLowerCase();
    }

    static String describe(int protocolId, TransformPayload t) {
        Phase2AttributeText text = new Phase2AttributeText(t);
        return Doi.PROTOCOL.name(protocolId) + " " + TransformId.forProtocol(protocolId).name(t.transformId())
                + (text.keyLength > 0 ? "-" + text.keyLength : "") + "/" + Phase2Attribute.AUTH.name((int) text.auth)
                + (text.group > 0 ? "/group " + text.group : "/no PFS");
    }

    private record Phase2AttributeText(long keyLength, long auth, long group) {
        Phase2AttributeText(TransformPayload t) {
            this(t.value(Phase2Attribute.KEY_LENGTH, 0), t.value(Phase2Attribute.AUTH_ALGORITHM, 0), t.value(Phase2Attribute.GROUP_DESCRIPTION, 0));
        }
    }

    /** The first attribute of {@code t} that specification {@code s} does not accept, or null. */
    static String differs(TransformPayload t, SaSpecification s, int group, boolean udp) {
        if (t.transformId() != transformId(s)) {
            return s.protocol() == IpsecProtocol.COMP ? "compression algorithm" : "cipher";
        }
        if (s.protocol() == IpsecProtocol.COMP) {
            return compDiffers(t, s, group);
        }
        if (t.value(Phase2Attribute.KEY_LENGTH, 0) != keyLengthBits(s)) {
            return "key length";
        }
        long auth = t.value(Phase2Attribute.AUTH_ALGORITHM, 0);
        long want = s.hashAlg() == null || s.hashAlg() == HashAlg.NULL ? 0 : s.hashAlg().authAttribute();
        if (auth != want) {
            return "hash";
        }
        if (t.value(Phase2Attribute.GROUP_DESCRIPTION, 0) != Math.max(group, 0)) {
            return "PFS group";
        }
        long mode = t.value(Phase2Attribute.ENCAPSULATION_MODE, Phase2Attribute.MODE_TUNNEL);
        boolean tunnel = mode == Phase2Attribute.MODE_TUNNEL || mode == Phase2Attribute.MODE_UDP_TUNNEL || mode == Phase2Attribute.MODE_UDP_TUNNEL_DRAFT;
        boolean transport = mode == Phase2Attribute.MODE_TRANSPORT || mode == Phase2Attribute.MODE_UDP_TRANSPORT
                || mode == Phase2Attribute.MODE_UDP_TRANSPORT_DRAFT;
        if (!(tunnel && s.mode() == SaMode.TUNNEL || transport && s.mode() == SaMode.TRANSPORT)) {
            return "encapsulation mode";
        }
        if (Phase1Proposals.lifetime(t, Phase2Attribute.LIFE_SECONDS) < 0) {
            return "lifetime attributes do not pair up";
        }
        for (Attribute a : t.attributes()) {
            if (!Phase2Attribute.CLASS.known(a.type()) && a.type() < 32768) {
                return "unknown attribute class " + a.type();
            }
            if (a.type() == Phase2Attribute.EXTENDED_SEQUENCE_NUMBER && a.asLong() != 0) {
                return "extended sequence numbers";
            }
        }
        return null;
    }

    /**
     * An IPCOMP transform carries no keys: only its mode and lifetimes must fit. Some peers
     * leave the PFS group off it (it belongs to the proposal, RFC 2407 section 4.5), so none is
     * accepted as well as ours.
     */
    private static String compDiffers(TransformPayload t, SaSpecification s, int group) {
        long g = t.value(Phase2Attribute.GROUP_DESCRIPTION, 0);
        if (g != 0 && g != Math.max(group, 0)) {
            return "PFS group";
        }
        long mode = t.value(Phase2Attribute.ENCAPSULATION_MODE, Phase2Attribute.MODE_TUNNEL);
        boolean tunnel = mode == Phase2Attribute.MODE_TUNNEL || mode == Phase2Attribute.MODE_UDP_TUNNEL || mode == Phase2Attribute.MODE_UDP_TUNNEL_DRAFT;
        if (tunnel != (s.mode() == SaMode.TUNNEL)) {
            return "encapsulation mode";
        }
        if (Phase1Proposals.lifetime(t, Phase2Attribute.LIFE_SECONDS) < 0) {
            return "lifetime attributes do not pair up";
        }
        return null;
    }

    /** The peer's proposals grouped by number, in the peer's order. */
    static Map<Integer, List<ProposalPayload>> byNumber(SaPayload sa) {
        Map<Integer, List<ProposalPayload>> m = new LinkedHashMap<>();
        for (ProposalPayload p : sa.proposals()) {
            m.computeIfAbsent(p.number(), k -> new ArrayList<>()).add(p);
        }
        return m;
    }

    /**
     * The responder's choice: the first of the peer's proposals that one of our combinations
     * accepts; {@code why} gets the first difference found, in our configuration's terms.
     */
    static Choice choose(SaPayload peer, BundleSpecification b, IntFunction<SaSpecification> specs, int group, boolean udp,
                         StringBuilder why) {
        if (!peer.parsed()) {
            why.append("the peer's SA is not IPsec DOI with SIT_IDENTITY_ONLY");
            return null;
        }
        for (Map.Entry<Integer, List<ProposalPayload>> e : byNumber(peer).entrySet()) {
            for (BundleExpression.Combination c : negotiable(b)) {
                Choice ch = match(e.getKey(), e.getValue(), c, b, specs, group, udp, why);
                if (ch != null) {
                    return ch;
                }
            }
        }
        if (why.length() == 0) {
            why.append("no proposal of the peer has the protocols of bundle ").append(b.number()).append(" (\"")
                    .append(b.expression().text()).append("\")");
        }
        return null;
    }

    private static Choice match(int number, List<ProposalPayload> ps, BundleExpression.Combination c, BundleSpecification b,
                                IntFunction<SaSpecification> specs, int group, boolean udp, StringBuilder why) {
        if (ps.size() != c.choices().size()) {
            return null;
        }
        List<ChosenSa> out = new ArrayList<>();
        long seconds = b.expirySeconds();
        long kbytes = b.expiryKbytes();
        boolean cut = false;
        int agreedGroup = 0;
        SaMode mode = null;
        for (ProposalPayload p : ps) {
            IpsecProtocol proto = protocol(p.protocolId());
            BundleExpression.Choice mine = null;
            for (BundleExpression.Choice ch : c.choices()) {
                if (ch.protocol() == proto) {
                    mine = ch;
                }
            }
            // IPComp's CPI comes in two bytes, or in the low two of four (RFC 2407 section 4.4.1)
            if (mine == null || p.spi().length != 4 && !(proto == IpsecProtocol.COMP && p.spi().length == 2)) {
                return null;
            }
            int peerSpi = proto == IpsecProtocol.COMP ? p.spiValue() & 0xffff : p.spiValue();
            ChosenSa found = null;
            for (TransformPayload t : p.transforms()) {
                for (int n : mine.specs()) {
                    SaSpecification s = specs.apply(n);
                    String d = differs(t, s, group, udp);
                    if (d == null) {
                        found = new ChosenSa(proto, s, peerSpi, t);
                        break;
                    }
                    if (why.length() == 0) {
                        why.append("peer offered ").append(describe(p.protocolId(), t)).append(", SA specification ").append(s.number())
                                .append(" of bundle ").append(b.number()).append(" has ").append(describe(s))
                                .append(group > 0 ? " with PFS group " + group : " without PFS").append(" (").append(d).append(" differs)");
                    }
                }
                if (found != null) {
                    break;
                }
            }
            if (found == null) {
                return null;
            }
            long ps2 = Phase1Proposals.lifetime(found.transform(), Phase2Attribute.LIFE_SECONDS);
            long pk = Phase1Proposals.lifetime(found.transform(), Phase2Attribute.LIFE_KILOBYTES);
            if (ps2 > 0 && (seconds == 0 || ps2 < seconds)) {
                seconds = ps2;
            } else if (ps2 > seconds && seconds > 0) {
                cut = true;
            }
            if (pk > 0 && (kbytes == 0 || pk < kbytes)) {
                kbytes = pk;
            } else if (pk > kbytes && kbytes > 0) {
                cut = true;
            }
            if (proto != IpsecProtocol.COMP || agreedGroup == 0) {
                agreedGroup = (int) found.transform().value(Phase2Attribute.GROUP_DESCRIPTION, 0);
            }
            mode = found.spec().mode();
            out.add(found);
        }
        return new Choice(number, out, seconds, kbytes, cut, agreedGroup, mode);
    }

    /** The initiator checks the responder's answer: one proposal number, protocols and transforms we offered. */
    static Choice accept(SaPayload reply, BundleSpecification b, IntFunction<SaSpecification> specs, int group, boolean udp,
                         StringBuilder why) {
        Map<Integer, List<ProposalPayload>> m = reply.parsed() ? byNumber(reply) : Map.of();
        if (m.size() != 1) {
            why.append("the peer's answer must hold exactly one proposal number");
            return null;
        }
        for (ProposalPayload p : m.values().iterator().next()) {
            if (p.transforms().size() != 1) {
                why.append("the peer's answer must hold one transform per protocol");
                return null;
            }
        }
        Map.Entry<Integer, List<ProposalPayload>> e = m.entrySet().iterator().next();
        for (BundleExpression.Combination c : negotiable(b)) {
            Choice ch = match(e.getKey(), e.getValue(), c, b, specs, group, udp, why);
            if (ch != null) {
                return ch;
            }
        }
        if (why.length() == 0) {
            why.append("the peer chose a combination bundle ").append(b.number()).append(" did not offer");
        }
        return null;
    }
}
