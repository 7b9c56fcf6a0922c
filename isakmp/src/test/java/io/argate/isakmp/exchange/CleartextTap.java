package io.argate.isakmp.exchange;

import io.argate.isakmp.crypto.Phase1Cipher;
import io.argate.isakmp.crypto.Phase1Keys;
import io.argate.isakmp.crypto.Phase2Keys;
import io.argate.isakmp.crypto.PrfAlgorithm;
import io.argate.isakmp.wire.ExchangeType;
import io.argate.isakmp.wire.PayloadType;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A man in the middle on a {@link FakeWire} that holds the keys of both daemons (it reads them
 * from their ISAKMP SAs, as a test may): it decrypts every encrypted ISAKMP message, lets a
 * mutation change the plaintext of one of them, and encrypts what it delivers again so that
 * each side sees a CBC chain of its own (RFC 2409 appendix B: phase 1 chains message to message
 * from hash(g^xi | g^xr); each Quick Mode or Transaction exchange from hash(last phase 1 block |
 * M-ID), then message to message; each Informational message starts from that hash again). A
 * mutated phase 2 message gets its HASH recomputed (RFC 2409 section 5.5 HASH(1), (2), (3);
 * section 5.7 for Informational), so the mutation reaches the payload parsers and the state
 * machine instead of stopping at the decryption or hash check; so does a mutated Main Mode
 * message 5 or 6 its HASH_I or HASH_R over the identity it now carries. Retransmissions of a datagram
 * are delivered as it was delivered the first time.
 */
final class CleartextTap implements UnaryOperator<FakeWire.Sent> {
    /** Changes a plaintext: the first payload type and the payload chain (without padding) in, the same out. */
    interface Mutation {
        Body apply(Body body, int exchangeType);
    }

    record Body(int nextPayload, byte[] chain) {
    }

    /** One encrypted message as it crossed: who sent it, its exchange type and M-ID, its plaintext, and what was delivered. */
    record Seen(int from, int exchangeType, int messageId, Body plain, Body delivered) {
        boolean mutated() {
            return delivered.nextPayload != plain.nextPayload || !Arrays.equals(delivered.chain, plain.chain);
        }

        String describe() {
            return ExchangeType.REGISTRY.display(exchangeType) + " M-ID " + Integer.toHexString(messageId) + " from " + Integer.toHexString(from)
                    + ": " + HexFormat.of().formatHex(plain.chain) + " -> np " + delivered.nextPayload + " " + HexFormat.of().formatHex(delivered.chain);
        }
    }

    private record Keys(Phase1Cipher cipher, PrfAlgorithm prf, byte[] key, byte[] skeyidA, byte[] firstIv) {
    }

    private final Map<Integer, IsakmpDaemon> daemons;
    private final Map<Long, Keys> keys = new HashMap<>();
    /** The last CBC block each party has seen in each chain: "party/icookie/M-ID". */
    private final Map<String, byte[]> views = new HashMap<>();
    /** Quick Mode nonces as the exchange carried them: "icookie/M-ID/i" and ".../r". */
    private final Map<String, byte[]> nonces = new HashMap<>();
    private final Map<String, Integer> messagesInChain = new HashMap<>();
    private final Map<String, byte[]> retransmissions = new HashMap<>();
    final List<Seen> seen = new ArrayList<>();
    /** The ordinal (among encrypted messages, from 0) of the message to mutate, or -1. */
    int target = -1;
    Mutation mutation;
    /** The mutated datagram as delivered (null before it crossed). */
    byte[] mutant;

    CleartextTap(Map<Integer, IsakmpDaemon> daemons) {
        this.daemons = daemons;
    }

    /** The mutated message, once it crossed. */
    Seen mutated() {
        return target >= 0 && target < seen.size() ? seen.get(target) : null;
    }

    @Override
    public FakeWire.Sent apply(FakeWire.Sent s) {
        byte[] d = s.payload();
        int off = s.fromPort() == io.argate.isakmp.IsakmpLimits.NAT_T_PORT && d.length >= 4 && d[0] == 0 && d[1] == 0 && d[2] == 0 && d[3] == 0 ? 4 : 0;
        if (d.length < off + 28 || (d[off + 19] & 1) == 0) {
            return s;
        }
        String sentKey = HexFormat.of().formatHex(d);
        byte[] again = retransmissions.get(sentKey);
        if (again != null) {
            return new FakeWire.Sent(s.from(), s.fromPort(), s.to(), s.toPort(), again);
        }
        ByteBuffer h = ByteBuffer.wrap(d, off, 28);
        long icookie = h.getLong(off);
        int exchangeType = d[off + 18] & 0xff;
        int messageId = h.getInt(off + 20);
        Keys k = keysOf(icookie);
        int bs = k.cipher.blockSize();
        byte[] ct = Arrays.copyOfRange(d, off + 28, d.length);
        if (ct.length == 0 || ct.length % bs != 0) {
            return s;
        }
        String chain = chainOf(icookie, exchangeType, messageId);
        byte[] ivSender = ivOf(s.from(), icookie, messageId, chain, k);
        byte[] ivReceiver = ivOf(s.to(), icookie, messageId, chain, k);
        byte[] padded = k.cipher.decrypt(k.key, ivSender, ct);
        Body plain = new Body(d[off + 16] & 0xff, Arrays.copyOf(padded, chainLength(d[off + 16] & 0xff, padded)));
        int ordinal = seen.size();
        int inChain = messagesInChain.merge(icookie + "/" + messageId, 1, Integer::sum);
        if (exchangeType == ExchangeType.QUICK && inChain <= 2) {
            byte[] nonce = payloadBody(plain, PayloadType.NONCE);
            if (nonce != null) {
                nonces.put(icookie + "/" + messageId + (inChain == 1 ? "/i" : "/r"), nonce);
            }
        }
        Body out = plain;
        if (ordinal == target && mutation != null) {
            // a mutation of the HASH itself is undone by the recomputed HASH: then another mutation
            for (int tries = 0; tries < 20 && out.nextPayload == plain.nextPayload && Arrays.equals(out.chain, plain.chain); tries++) {
                out = mutation.apply(plain, exchangeType);
                if (messageId != 0) {
                    out = rehash(out, k, icookie, exchangeType, messageId, inChain);
                } else if (exchangeType == ExchangeType.IDPROT) {
                    out = rehashIdentity(out, s.from(), icookie);
                }
            }
        }
        seen.add(new Seen(s.from(), exchangeType, messageId, plain, out));
        byte[] body = Arrays.copyOf(out.chain, Math.max(bs, (out.chain.length + bs - 1) / bs * bs));
        byte[] ct2 = out == plain && Arrays.equals(ivSender, ivReceiver) ? ct : k.cipher.encrypt(k.key, ivReceiver, body);
        byte[] delivered = Arrays.copyOf(d, off + 28 + ct2.length);
        System.arraycopy(ct2, 0, delivered, off + 28, ct2.length);
        delivered[off + 16] = (byte) out.nextPayload;
        ByteBuffer.wrap(delivered, off + 24, 4).putInt(delivered.length - off);
        views.put(s.from() + "/" + chain, Arrays.copyOfRange(ct, ct.length - bs, ct.length));
        views.put(s.to() + "/" + chain, Arrays.copyOfRange(ct2, ct2.length - bs, ct2.length));
        retransmissions.put(sentKey, delivered);
        if (ordinal == target) {
            mutant = delivered;
        }
        return new FakeWire.Sent(s.from(), s.fromPort(), s.to(), s.toPort(), delivered);
    }

    /** Phase 1 is one chain; each Quick Mode and Transaction exchange is one; each Informational message its own. */
    private String chainOf(long icookie, int exchangeType, int messageId) {
        if (messageId == 0) {
            return icookie + "/0";
        }
        return icookie + "/" + messageId + (exchangeType == ExchangeType.INFO ? "/info" + seen.size() : "");
    }

    private byte[] ivOf(int party, long icookie, int messageId, String chain, Keys k) {
        byte[] v = views.get(party + "/" + chain);
        if (v != null) {
            return v;
        }
        if (messageId == 0) {
            return k.firstIv;
        }
        byte[] last = views.getOrDefault(party + "/" + icookie + "/0", k.firstIv);
        return Phase1Keys.phase2Iv(k.prf, last, messageId, k.cipher.blockSize());
    }

    private Keys keysOf(long icookie) {
        Keys k = keys.get(icookie);
        if (k != null) {
            return k;
        }
        for (IsakmpDaemon daemon : daemons.values()) {
            for (IkeSa sa : daemon.ikeSas()) {
                if (sa.icookie == icookie && sa.keys != null) {
                    k = new Keys(sa.cipher, sa.prf, sa.keys.encryptionKey(), sa.keys.skeyidA(), sa.keys.firstIv());
                    keys.put(icookie, k);
                    return k;
                }
            }
        }
        throw new AssertionError("no daemon holds the keys of ISAKMP SA " + Long.toHexString(icookie));
    }

    /** The chain's length without the padding after its last payload (the whole body when the chain does not walk). */
    private static int chainLength(int next, byte[] b) {
        int at = 0;
        while (next != 0) {
            if (at + 4 > b.length) {
                return b.length;
            }
            int len = (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
            if (len < 4 || at + len > b.length) {
                return b.length;
            }
            next = b[at] & 0xff;
            at += len;
        }
        return at;
    }

    /** The body (after the generic header) of the first payload of {@code type}, or null. */
    static byte[] payloadBody(Body body, int type) {
        int next = body.nextPayload;
        byte[] b = body.chain;
        int at = 0;
        while (next != 0 && at + 4 <= b.length) {
            int len = (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
            if (len < 4 || at + len > b.length) {
                return null;
            }
            if (next == type) {
                return Arrays.copyOfRange(b, at + 4, at + len);
            }
            next = b[at] & 0xff;
            at += len;
        }
        return null;
    }

    /**
     * A mutated Main Mode message 5 or 6: HASH_I or HASH_R (RFC 2409 section 5) recomputed over
     * the ID payload body it now carries, so a changed identity reaches the identity checks
     * instead of failing the hash. Left alone when the chain no longer has one HASH and one ID.
     */
    private Body rehashIdentity(Body out, int from, long icookie) {
        IkeSa sa = null;
        for (IkeSa x : daemons.get(from).ikeSas()) {
            if (x.icookie == icookie && x.keys != null) {
                sa = x;
            }
        }
        if (sa == null || sa.saiBody == null) {
            return out;
        }
        int hashAt = -1;
        byte[] id = null;
        for (int[] p : PlaintextMutator.chain(out)) {
            if (p[0] == PayloadType.HASH && p[2] == 4 + sa.prf.length()) {
                hashAt = p[1];
            } else if (p[0] == PayloadType.ID && id == null) {
                id = Arrays.copyOfRange(out.chain(), p[1] + 4, p[1] + p[2]);
            }
        }
        if (hashAt < 0 || id == null) {
            return out;
        }
        byte[] hash = sa.keys.authHash(sa.prf, sa.initiator, sa.gxi, sa.gxr, sa.icookie, sa.rcookie, sa.saiBody, id);
        byte[] b = out.chain().clone();
        System.arraycopy(hash, 0, b, hashAt + 4, hash.length);
        return new Body(out.nextPayload(), b);
    }

    /** A mutated phase 2 message's HASH payload (when it still comes first, at its length) over what now follows it. */
    private Body rehash(Body out, Keys k, long icookie, int exchangeType, int messageId, int inChain) {
        byte[] b = out.chain.clone();
        int hashLength = k.prf.length();
        if (out.nextPayload != PayloadType.HASH || b.length < 4 + hashLength || ((b[2] & 0xff) << 8 | b[3] & 0xff) != 4 + hashLength) {
            return out;
        }
        byte[] rest = Arrays.copyOfRange(b, 4 + hashLength, b.length);
        byte[] hash;
        String ex = icookie + "/" + messageId;
        if (exchangeType == ExchangeType.QUICK && inChain == 2) {
            hash = Phase2Keys.hash2(k.prf, k.skeyidA, messageId, nonces.getOrDefault(ex + "/i", new byte[0]), rest);
        } else if (exchangeType == ExchangeType.QUICK && inChain == 3) {
            hash = Phase2Keys.hash3(k.prf, k.skeyidA, messageId, nonces.getOrDefault(ex + "/i", new byte[0]), nonces.getOrDefault(ex + "/r", new byte[0]));
        } else {
            hash = Phase2Keys.hash1(k.prf, k.skeyidA, messageId, rest);
        }
        System.arraycopy(hash, 0, b, 4, hashLength);
        return new Body(out.nextPayload, b);
    }
}
