package io.argate.isakmp.exchange;

import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.IsakmpLimits;
import io.argate.isakmp.crypto.Phase1Keys;
import io.argate.isakmp.wire.HashPayload;
import io.argate.isakmp.wire.IdPayload;
import io.argate.isakmp.wire.KePayload;
import io.argate.isakmp.wire.Message;
import io.argate.isakmp.wire.NoncePayload;
import io.argate.isakmp.wire.NotifyType;
import io.argate.isakmp.wire.PayloadType;
import io.argate.isakmp.wire.SaPayload;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The steps Main and Aggressive Mode share: agreeing the proposal, the key exchange and nonces,
 * SKEYID and its family, and the pre-shared-key hash (RFC 2409 sections 5 and 5.4). Failures
 * say what differed in the configuration's terms.
 */
final class Phase1Steps {
    private Phase1Steps() {
    }

    static IsakmpCounter noProposal(IkeSa sa) {
        return sa.kind == ExchangeKind.MAIN ? IsakmpCounter.MAIN_NO_PROPOSAL : IsakmpCounter.AGGR_NO_PROPOSAL;
    }

    static IsakmpCounter authFailed(IkeSa sa) {
        return sa.kind == ExchangeKind.MAIN ? IsakmpCounter.MAIN_AUTH_FAILED : IsakmpCounter.AGGR_AUTH_FAILED;
    }

    static void adopt(IkeSa sa, Phase1Proposals.Agreed a) {
        sa.policy = a.policy();
        sa.cipher = a.cipher();
        sa.prf = a.prf();
        sa.group = a.group();
        sa.lifeSeconds = a.lifeSeconds();
        sa.lifeKbytes = a.lifeKbytes();
    }

    /** The initiator checks that the responder picked the transform we offered, unchanged in what matters. */
    static void checkResponderChoice(IkeSa sa, SaPayload reply) throws ExchangeFailure {
        if (!reply.parsed() || reply.proposals().size() != 1 || reply.proposals().get(0).transforms().size() != 1) {
            throw ExchangeFailure.fail(noProposal(sa), NotifyType.BAD_PROPOSAL_SYNTAX,
                    "the peer's reply must hold exactly one proposal with one transform");
        }
        var t = reply.proposals().get(0).transforms().get(0);
        String differs = Phase1Proposals.differs(t, sa.policy);
        if (differs != null) {
            throw ExchangeFailure.fail(noProposal(sa), NotifyType.NO_PROPOSAL_CHOSEN, "ISAKMP policy " + sa.policy.name()
                    + ": peer chose " + Phase1Proposals.describe(t) + ", policy offered " + Phase1Proposals.describe(sa.policy)
                    + " (" + differs + ")");
        }
        adopt(sa, Phase1Proposals.agreed(t, sa.policy));
    }

    /** The body of the first SA payload as it was on the wire (SAi_b must be the bytes the initiator sent). */
    static byte[] rawBody(Message m, int type) {
        for (int i = 0; i < m.payloads().size(); i++) {
            if (m.payloads().get(i).type() == type) {
                byte[] raw = m.raw().get(i);
                return Arrays.copyOfRange(raw, 4, raw.length);
            }
        }
        throw new IllegalStateException("no payload " + type);
    }

    /** Takes the peer's KE and nonce: the KE must be exactly the group's length and a valid public value. */
    static void takePeerKeyExchange(IkeSa sa, Message m) throws ExchangeFailure {
        byte[] ke = m.first(KePayload.class).data();
        if (!sa.group.validPublic(ke)) {
            throw ExchangeFailure.fail(noProposal(sa), NotifyType.INVALID_KEY_INFORMATION, "the peer's key exchange value is "
                    + ke.length + " bytes or out of range; group " + sa.group.number() + " needs " + sa.group.length() + " bytes");
        }
        byte[] nonce = m.first(NoncePayload.class).data();
        if (sa.initiator) {
            sa.gxr = ke;
            sa.nr = nonce;
        } else {
            sa.gxi = ke;
            sa.ni = nonce;
        }
    }

    static void makeOurKeyExchange(IsakmpDaemon d, IkeSa sa) {
        sa.dh = d.keyPair(sa.group, sa.policy.dhExponentLength());
        byte[] nonce = d.random().bytes(IsakmpLimits.NONCE_LENGTH);
        if (sa.initiator) {
            sa.gxi = sa.dh.publicValue();
            sa.ni = nonce;
        } else {
            sa.gxr = sa.dh.publicValue();
            sa.nr = nonce;
        }
    }

    /** g^xy and SKEYID with the policy's pre-shared key or, with signatures, the nonces; the first phase 1 IV. */
    static void deriveKeys(IsakmpDaemon d, IkeSa sa) throws ExchangeFailure {
        sa.gxy = sa.group.agree(sa.dh, sa.initiator ? sa.gxr : sa.gxi);
        sa.keys = Phase1Auth.signatures(sa)
                ? Phase1Keys.signatures(sa.prf, sa.cipher, sa.ni, sa.nr, sa.gxy, sa.icookie, sa.rcookie, sa.gxi, sa.gxr)
                : Phase1Keys.preShared(sa.prf, sa.cipher, d.preSharedKey(sa.policy), sa.ni, sa.nr, sa.gxy, sa.icookie, sa.rcookie,
                sa.gxi, sa.gxr);
        sa.iv = sa.keys.firstIv();
        PhaseOneKeyLog.write(d.debug(), sa);
    }

    static HashPayload ourHash(IkeSa sa, IdPayload ourId) {
        return new HashPayload(sa.keys.authHash(sa.prf, sa.initiator, sa.gxi, sa.gxr, sa.icookie, sa.rcookie, sa.saiBody, ourId.body()));
    }

    /**
     * Checks the peer's HASH_I or HASH_R. With pre-shared keys a wrong key is the usual reason
     * the hash differs, and that is what the failure says (never "malformed payload").
     */
    static void checkPeerHash(IkeSa sa, Message m, IdPayload id, byte[] idBody, String where) throws ExchangeFailure {
        byte[] want = sa.keys.authHash(sa.prf, !sa.initiator, sa.gxi, sa.gxr, sa.icookie, sa.rcookie, sa.saiBody, idBody);
        byte[] got = m.first(HashPayload.class).data();
        if (!MessageDigest.isEqual(want, got)) {
            throw ExchangeFailure.fail(authFailed(sa), NotifyType.INVALID_HASH_INFORMATION, "ISAKMP policy " + sa.policy.name()
                    + ": the peer's " + (sa.initiator ? "HASH_R" : "HASH_I") + " did not verify at " + where
                    + "; the pre-shared key (KEY=" + sa.policy.key() + ") differs from the peer's");
        }
        sa.peerId = id;
    }

    static void checkRemoteId(IkeSa sa, IdPayload id) throws ExchangeFailure {
        if (!Identities.matches(sa.policy, id)) {
            throw ExchangeFailure.fail(authFailed(sa), NotifyType.INVALID_ID_INFORMATION, "ISAKMP policy " + sa.policy.name()
                    + ": the peer's ID " + id.text() + " does not match REMOTEID=" + sa.policy.remoteId());
        }
    }
}
