package io.argate.isakmp.exchange;

import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.crypto.ModpGroup;
import io.argate.isakmp.crypto.Phase1Cipher;
import io.argate.isakmp.crypto.PrfAlgorithm;
import io.argate.isakmp.wire.Attribute;
import io.argate.isakmp.wire.Doi;
import io.argate.isakmp.wire.Phase1Attribute;
import io.argate.isakmp.wire.ProposalPayload;
import io.argate.isakmp.wire.SaPayload;
import io.argate.isakmp.wire.TransformId;
import io.argate.isakmp.wire.TransformPayload;

import java.util.ArrayList;
import java.util.List;

/**
 * The phase 1 proposal task: the initiator offers its policy as one proposal with one KEY_IKE
 * transform (RFC 2409 appendix A attributes); the responder picks the first transform that one
 * of its candidate policies accepts and, when none does, says which attribute differed, in
 * the policy's own terms.
 */
final class Phase1Proposals {
    private Phase1Proposals() {
    }

    /** What both sides agreed. */
    record Agreed(IsakmpPolicy policy, Phase1Cipher cipher, PrfAlgorithm prf, ModpGroup group, long lifeSeconds, long lifeKbytes,
                  TransformPayload transform) {
    }

    static TransformPayload transform(IsakmpPolicy p, int number) {
        List<Attribute> a = new ArrayList<>();
        a.add(Attribute.of(Phase1Attribute.ENCRYPTION, p.encAlg().attribute()));
        if (p.encAlg().keyLengthAttribute() > 0) {
            a.add(Attribute.of(Phase1Attribute.KEY_LENGTH, p.encAlg().keyLengthAttribute()));
        }
        a.add(Attribute.of(Phase1Attribute.HASH, p.hashAlg().attribute()));
        a.add(Attribute.of(Phase1Attribute.AUTH_METHOD, p.authType().attribute()));
        a.add(Attribute.of(Phase1Attribute.GROUP_DESCRIPTION, p.group()));
        a.add(Attribute.of(Phase1Attribute.LIFE_TYPE, Phase1Attribute.LIFE_SECONDS));
        a.add(Attribute.of(Phase1Attribute.LIFE_DURATION, p.expirySeconds()));
        if (p.expiryKbytes() > 0) {
            a.add(Attribute.of(Phase1Attribute.LIFE_TYPE, Phase1Attribute.LIFE_KILOBYTES));
            a.add(Attribute.of(Phase1Attribute.LIFE_DURATION, p.expiryKbytes()));
        }
        return new TransformPayload(number, TransformId.KEY_IKE, a);
    }

    static SaPayload offer(IsakmpPolicy p) {
        return new SaPayload(Doi.IPSEC, Doi.SIT_IDENTITY_ONLY,
                List.of(new ProposalPayload(1, Doi.PROTO_ISAKMP, new byte[0], List.of(transform(p, 1)))));
    }

    /** How a policy reads in a mismatch message: {@code DES/SHA/group 1}. */
    static String describe(IsakmpPolicy p) {
        return p.encAlg().keyword() + "/" + p.hashAlg().keyword() + "/group " + p.group();
    }

    static String describe(TransformPayload t) {
        long enc = t.value(Phase1Attribute.ENCRYPTION, -1);
        long kl = t.value(Phase1Attribute.KEY_LENGTH, 0);
        String cipher = Phase1Cipher.of((int) enc, (int) kl).map(Phase1Cipher::keyword)
                .orElse(Phase1Attribute.ENC.name((int) enc) + (kl > 0 ? "-" + kl : ""));
        String hash = PrfAlgorithm.ofAttribute((int) t.value(Phase1Attribute.HASH, -1)).map(PrfAlgorithm::keyword)
                .orElse(Phase1Attribute.HASH_ALG.name((int) t.value(Phase1Attribute.HASH, -1)));
        return cipher + "/" + hash + "/group " + t.value(Phase1Attribute.GROUP_DESCRIPTION, -1);
    }

    /**
     * The responder's choice among the peer's transforms for one of {@code candidates}, or a
     * failure naming the first attribute that differed.
     */
    static Agreed choose(SaPayload sa, List<IsakmpPolicy> candidates, StringBuilder why) {
        if (!sa.parsed()) {
            why.append("the peer's SA uses DOI ").append(Doi.DOI.display(sa.doi())).append(" situation ").append(sa.situation())
                    .append("; only IPSEC with SIT_IDENTITY_ONLY is supported");
            return null;
        }
        for (ProposalPayload p : sa.proposals()) {
            if (p.protocolId() != Doi.PROTO_ISAKMP) {
                why.append("proposal ").append(p.number()).append(" is for ").append(Doi.PROTOCOL.display(p.protocolId())).append("; ");
                continue;
            }
            for (TransformPayload t : p.transforms()) {
                for (IsakmpPolicy policy : candidates) {
                    String differs = differs(t, policy);
                    if (differs == null) {
                        return agreed(t, policy);
                    }
                    if (why.length() == 0) {
                        why.append("ISAKMP policy ").append(policy.name()).append(": peer offered ").append(describe(t))
                                .append(", policy allows ").append(describe(policy)).append(" (").append(differs).append(")");
                    }
                }
            }
        }
        if (why.length() == 0) {
            why.append("no ISAKMP policy matches the peer");
        }
        return null;
    }

    /** The first attribute of the transform the policy does not accept, or null. */
    static String differs(TransformPayload t, IsakmpPolicy p) {
        if (t.transformId() != TransformId.KEY_IKE) {
            return "transform " + TransformId.ISAKMP.display(t.transformId()) + " is not KEY_IKE";
        }
        for (Attribute a : t.attributes()) {
            if (Phase1Attribute.CLASS.known(a.type()) || a.type() < 16384) {
                continue;
            }
            return "unknown attribute class " + a.type();
        }
        long enc = t.value(Phase1Attribute.ENCRYPTION, -1);
        long kl = t.value(Phase1Attribute.KEY_LENGTH, 0);
        if (enc != p.encAlg().attribute() || p.encAlg().keyLengthAttribute() > 0 && kl != p.encAlg().keyLengthAttribute()
                || p.encAlg().keyLengthAttribute() == 0 && kl != 0) {
            return enc != p.encAlg().attribute() ? "cipher differs" : "key length differs";
        }
        if (t.value(Phase1Attribute.HASH, -1) != p.hashAlg().attribute()) {
            return "hash differs";
        }
        if (t.value(Phase1Attribute.AUTH_METHOD, -1) != p.authType().attribute()) {
            return "authentication method " + Phase1Attribute.AUTH.display((int) t.value(Phase1Attribute.AUTH_METHOD, -1))
                    + " is not " + p.authType().name();
        }
        if (t.value(Phase1Attribute.GROUP_DESCRIPTION, -1) != p.group() || ModpGroup.of(p.group()).isEmpty()) {
            return "group differs";
        }
        long type = t.value(Phase1Attribute.GROUP_TYPE, Phase1Attribute.GROUP_TYPE_MODP);
        if (type != Phase1Attribute.GROUP_TYPE_MODP) {
            return "group type is not MODP";
        }
        if (t.attribute(Phase1Attribute.LIFE_TYPE) != null && lifetime(t, Phase1Attribute.LIFE_SECONDS) < 0) {
            return "lifetime attributes do not pair up";
        }
        return null;
    }

    /** The duration paired with a life type (RFC 2409 appendix A: type then duration), 0 when absent, -1 when malformed. */
    static long lifetime(TransformPayload t, int lifeType) {
        List<Attribute> a = t.attributes();
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).type() == Phase1Attribute.LIFE_TYPE && a.get(i).asLong() == lifeType) {
                if (i + 1 >= a.size() || a.get(i + 1).type() != Phase1Attribute.LIFE_DURATION) {
                    return -1;
                }
                return a.get(i + 1).asLong();
            }
        }
        return 0;
    }

    static Agreed agreed(TransformPayload t, IsakmpPolicy p) {
        long secs = lifetime(t, Phase1Attribute.LIFE_SECONDS);
        long kb = lifetime(t, Phase1Attribute.LIFE_KILOBYTES);
        // the shorter lifetime wins; both peers expire the SA by their own clock anyway (RFC 2407 section 4.5.4)
        long seconds = secs <= 0 ? p.expirySeconds() : Math.min(secs, p.expirySeconds());
        long kbytes = kb <= 0 ? p.expiryKbytes() : p.expiryKbytes() == 0 ? kb : Math.min(kb, p.expiryKbytes());
        return new Agreed(p, p.encAlg(), p.hashAlg(), ModpGroup.of(p.group()).orElseThrow(), seconds, kbytes, t);
    }
}
