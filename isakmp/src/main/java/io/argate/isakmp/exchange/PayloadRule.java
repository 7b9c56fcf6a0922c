package io.argate.isakmp.exchange;

import io.argate.isakmp.wire.Message;
import io.argate.isakmp.wire.Payload;
import io.argate.isakmp.wire.PayloadType;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which payloads one message of an exchange may carry, how many of each, whether the message
 * must be encrypted, and whether HASH must come first (the strongSwan per-exchange rule tables;
 * RFC 2409 sections 5 to 5.7 give the shapes). Checked by the dispatcher before any state logic:
 * a payload type not listed, a count out of range, or a message in the clear that must be
 * encrypted is refused with a reason.
 */
public record PayloadRule(String message, Encryption encryption, boolean hashFirst, Map<Integer, int[]> counts, Set<Integer> oneOf) {
    public enum Encryption {
        CLEAR, ENCRYPTED, EITHER
    }

    /** Builder-style: {@code rule("MM I1", CLEAR).one(SA).any(VID)}. */
    public static PayloadRule rule(String message, Encryption e) {
        return new PayloadRule(message, e, false, Map.of(), Set.of());
    }

    public PayloadRule withHashFirst() {
        return new PayloadRule(message, encryption, true, counts, oneOf).with(PayloadType.HASH, 1, 1);
    }

    public PayloadRule one(int type) {
        return with(type, 1, 1);
    }

    public PayloadRule optional(int type) {
        return with(type, 0, 1);
    }

    public PayloadRule any(int type) {
        return with(type, 0, 16);
    }

    public PayloadRule with(int type, int min, int max) {
        Map<Integer, int[]> m = new HashMap<>(counts);
        m.put(type, new int[]{min, max});
        return new PayloadRule(message, encryption, hashFirst, Map.copyOf(m), oneOf);
    }

    /** At least one payload of these types (each allowed by its own count), e.g. an Informational's Notification or Delete. */
    public PayloadRule atLeastOneOf(int... types) {
        return new PayloadRule(message, encryption, hashFirst, counts, Set.copyOf(Arrays.stream(types).boxed().toList()));
    }

    /** NAT-D and NAT-OA count together with their draft numbers. */
    private static int canonical(int type) {
        return switch (type) {
            case PayloadType.NAT_D_DRAFT -> PayloadType.NAT_D;
            case PayloadType.NAT_OA_DRAFT -> PayloadType.NAT_OA;
            default -> type;
        };
    }

    /** The first rule the message breaks, or empty. */
    public Optional<String> check(Message m, boolean arrivedEncrypted) {
        if (encryption == Encryption.ENCRYPTED && !arrivedEncrypted) {
            return Optional.of(message + " must be encrypted but arrived in the clear");
        }
        if (encryption == Encryption.CLEAR && arrivedEncrypted) {
            return Optional.of(message + " must be in the clear but arrived encrypted");
        }
        if (hashFirst && (m.payloads().isEmpty() || m.payloads().get(0).type() != PayloadType.HASH)) {
            return Optional.of(message + " must start with HASH");
        }
        Map<Integer, Integer> seen = new HashMap<>();
        for (Payload p : m.payloads()) {
            int t = canonical(p.type());
            if (!counts.containsKey(t)) {
                return Optional.of(PayloadType.REGISTRY.display(p.type()) + " payload is not allowed in " + message);
            }
            seen.merge(t, 1, Integer::sum);
        }
        if (!oneOf.isEmpty() && oneOf.stream().noneMatch(seen::containsKey)) {
            return Optional.of(message + " carries neither " + String.join(" nor ", oneOf.stream().sorted()
                    .map(t -> "a " + PayloadType.REGISTRY.name(t) + " payload").toList()));
        }
        for (Map.Entry<Integer, int[]> e : counts.entrySet()) {
            int n = seen.getOrDefault(e.getKey(), 0);
            if (n < e.getValue()[0] || n > e.getValue()[1]) {
                return Optional.of(message + " carries " + n + " " + PayloadType.REGISTRY.name(e.getKey()) + " payloads; "
                        + (e.getValue()[0] == e.getValue()[1] ? "exactly " + e.getValue()[0] : e.getValue()[0] + ".." + e.getValue()[1])
                        + " allowed");
            }
        }
        return Optional.empty();
    }
}
