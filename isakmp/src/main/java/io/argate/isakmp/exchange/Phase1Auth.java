package io.argate.isakmp.exchange;

import io.argate.isakmp.auth.Certificates;
import io.argate.isakmp.auth.RsaSignature;
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.wire.CertPayload;
import io.argate.isakmp.wire.HashPayload;
import io.argate.isakmp.wire.IdPayload;
import io.argate.isakmp.wire.Message;
import io.argate.isakmp.wire.NotifyType;
import io.argate.isakmp.wire.Payload;
import io.argate.isakmp.wire.PayloadType;
import io.argate.isakmp.wire.SigPayload;

import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The authentication task of phase 1, per AUTHTYPE (RFC 2409 section 5): with a pre-shared key
 * each side sends HASH_I or HASH_R; with RSA signatures (section 5.1) it sends its certificate
 * and the signature of that hash, and checks the peer's signature with the key of a certificate
 * the PKI trusts and that names the peer's ID. The payload rules let either form through; this
 * step insists on the one the policy's method needs.
 */
final class Phase1Auth {
    private Phase1Auth() {
    }

    static boolean signatures(IkeSa sa) {
        return sa.policy.authType() == IsakmpPolicy.AuthType.RSASIG;
    }

    /**
     * Our phase 1 ID: LOCALID, else with signatures the subject of our certificate (the ID the
     * peer finds in it), else our address (seed 003 note).
     */
    static IdPayload localId(IsakmpDaemon d, IkeSa sa) {
        if (signatures(sa) && sa.policy.localId() == null) {
            Optional<byte[]> cert = d.certificates().certificateFor(sa.policy.localRsaKey());
            if (cert.isPresent()) {
                Optional<IdPayload> dn = Identities.subjectOf(cert.get());
                if (dn.isPresent()) {
                    return dn.get();
                }
            }
        }
        return Identities.local(sa.policy, sa.local);
    }

    /** A certificate request (any authority) when we authenticate with signatures, so the peer sends its certificate. */
    static List<Payload> request(IkeSa sa) {
        return signatures(sa) ? List.of(new CertPayload(PayloadType.CR, CertPayload.X509_SIGNATURE, new byte[0])) : List.of();
    }

    /** HASH_I/HASH_R, or our certificate and SIG_I/SIG_R. */
    static List<Payload> ours(IsakmpDaemon d, IkeSa sa, IdPayload ourId) throws ExchangeFailure {
        HashPayload hash = Phase1Steps.ourHash(sa, ourId);
        if (!signatures(sa)) {
            return List.of(hash);
        }
        int keyId = sa.policy.localRsaKey();
        PrivateKey key = d.certificates().signingKey(keyId).orElseThrow(() -> ExchangeFailure.fail(Phase1Steps.authFailed(sa), 0,
                "ISAKMP policy " + sa.policy.name() + ": LOCALRSAKEY=" + keyId + " is not an RSA key pair in ENCO"));
        List<Payload> out = new ArrayList<>();
        d.certificates().certificateFor(keyId).ifPresent(der -> out.add(new CertPayload(PayloadType.CERT, CertPayload.X509_SIGNATURE, der)));
        out.add(new SigPayload(RsaSignature.sign(key, hash.data())));
        return out;
    }

    /**
     * Checks the peer's HASH or SIG over its ID ({@code idBody} as it was on the wire); remembers
     * the peer's ID. A failure says which of the method's parts did not hold.
     */
    static void checkPeer(IsakmpDaemon d, IkeSa sa, Message m, IdPayload id, byte[] idBody, String where) throws ExchangeFailure {
        if (!signatures(sa)) {
            if (m.all(HashPayload.class).isEmpty()) {
                throw ExchangeFailure.fail(Phase1Steps.authFailed(sa), NotifyType.INVALID_PAYLOAD_TYPE, "ISAKMP policy " + sa.policy.name()
                        + ": " + where + " carries no HASH, and AUTHTYPE=PRESHARED needs one");
            }
            Phase1Steps.checkPeerHash(sa, m, id, idBody, where);
            return;
        }
        List<SigPayload> sig = m.all(SigPayload.class);
        if (sig.isEmpty()) {
            throw ExchangeFailure.fail(Phase1Steps.authFailed(sa), NotifyType.INVALID_PAYLOAD_TYPE, "ISAKMP policy " + sa.policy.name()
                    + ": " + where + " carries no SIG, and AUTHTYPE=RSASIG needs one");
        }
        List<byte[]> sent = new ArrayList<>();
        for (CertPayload c : m.all(CertPayload.class)) {
            if (c.type() == PayloadType.CERT && c.encoding() == CertPayload.X509_SIGNATURE) {
                sent.add(c.data());
            }
        }
        Certificates.Verdict v = d.certificates().verify(sent, id);
        if (!v.ok()) {
            throw ExchangeFailure.fail(Phase1Steps.authFailed(sa), NotifyType.INVALID_CERTIFICATE, "ISAKMP policy " + sa.policy.name()
                    + ": the peer's certificate at " + where + " is not accepted: " + v.failure());
        }
        byte[] want = sa.keys.authHash(sa.prf, !sa.initiator, sa.gxi, sa.gxr, sa.icookie, sa.rcookie, sa.saiBody, idBody);
        if (!RsaSignature.verify(v.key(), want, sig.get(0).data())) {
            throw ExchangeFailure.fail(Phase1Steps.authFailed(sa), NotifyType.INVALID_SIGNATURE, "ISAKMP policy " + sa.policy.name()
                    + ": the peer's " + (sa.initiator ? "SIG_R" : "SIG_I") + " did not verify at " + where + " with the key of "
                    + v.subject());
        }
        sa.peerId = id;
        sa.peerSubject = v.subject();
    }
}
