package io.argate.isakmp.config;

import io.argate.isakmp.crypto.Phase1Cipher;
import io.argate.isakmp.crypto.PrfAlgorithm;

/**
 * One ISAKMP policy (CREATE ISAKMP POLICY, fact sheet 2.5; seed 003 "ISAKMP/IKE"): the peer it
 * applies to, the pre-shared key, the phase 1 algorithms, identities, and the exchange's
 * behaviour. Immutable; SET builds a changed copy through {@link Builder}.
 *
 * @param peer    the peer's IPv4 address, 0 with {@code anyPeer}
 * @param key     ENCO key number of the pre-shared key (TYPE=GENERAL), -1 when none
 * @param localId LOCALID, null for "our address" (seed 003 note)
 * @param remoteId REMOTEID, null when the peer's ID is not checked
 * @param phase2XchgLimit PHASE2XCHGLIMIT, 0 for NONE
 * @param retryIkeAttempts RETRYIKEATTEMPTS, -1 for CONTINUOUS
 * @param authType AUTHTYPE: a pre-shared key, or RSA signatures with certificates (RFC 2409 section 5.1)
 * @param localRsaKey LOCALRSAKEY: the ENCO RSA key pair that signs for us, -1 when none
 * @param access  XAUTH and Mode Config
 * @param liveness DPDMODE, DPDIDLETIMEOUT and HEARTBEATMODE
 */
public record IsakmpPolicy(String name, int peer, boolean anyPeer, int key, Mode mode, Phase1Cipher encAlg, PrfAlgorithm hashAlg,
                           int group, long expirySeconds, long expiryKbytes, String localId, String remoteId, boolean sendNotify,
                           boolean sendDeletes, boolean sendIdAlways, boolean setCommitBit, int phase2XchgLimit,
                           boolean natTraversal, int dhExponentLength, int msgRetryLimit, int msgTimeout, Backoff msgBackoff,
                           int retryIkeAttempts, int deleteDelay, String srcInterface, boolean prenegotiate,
                           AuthType authType, int localRsaKey, RemoteAccessSettings access, Liveness liveness) {

    public enum Mode {
        MAIN, AGGRESSIVE
    }

    /** AUTHTYPE, with the Authentication Method attribute value it is on the wire (RFC 2409 appendix A). */
    public enum AuthType {
        PRESHARED(1), RSASIG(3);

        private final int attribute;

        AuthType(int attribute) {
            this.attribute = attribute;
        }

        public int attribute() {
            return attribute;
        }
    }

    public enum Backoff {
        INCREMENTAL, NONE
    }

    public static final long DEFAULT_EXPIRY_SECONDS = 86400;

    /** A new policy with the fact sheet's defaults. */
    public static IsakmpPolicy defaults(String name, int peer, boolean any) {
        return new IsakmpPolicy(name, peer, any, -1, Mode.MAIN, Phase1Cipher.DES, PrfAlgorithm.SHA1, 1, DEFAULT_EXPIRY_SECONDS, 0,
                null, null, false, false, false, false, 0, false, 160, 8, 4, Backoff.INCREMENTAL, 0, 0, null, false,
                AuthType.PRESHARED, -1, RemoteAccessSettings.NONE, Liveness.DEFAULTS);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable copy for SET. */
    public static final class Builder {
        public String name;
        public int peer;
        public boolean anyPeer;
        public int key;
        public Mode mode;
        public Phase1Cipher encAlg;
        public PrfAlgorithm hashAlg;
        public int group;
        public long expirySeconds;
        public long expiryKbytes;
        public String localId;
        public String remoteId;
        public boolean sendNotify;
        public boolean sendDeletes;
        public boolean sendIdAlways;
        public boolean setCommitBit;
        public int phase2XchgLimit;
        public boolean natTraversal;
        public int dhExponentLength;
        public int msgRetryLimit;
        public int msgTimeout;
        public Backoff msgBackoff;
        public int retryIkeAttempts;
        public int deleteDelay;
        public String srcInterface;
        public boolean prenegotiate;
        public AuthType authType;
        public int localRsaKey;
        public RemoteAccessSettings access;
        public Liveness liveness;

        Builder(IsakmpPolicy p) {
            name = p.name;
            peer = p.peer;
            anyPeer = p.anyPeer;
            key = p.key;
            mode = p.mode;
            encAlg = p.encAlg;
            hashAlg = p.hashAlg;
            group = p.group;
            expirySeconds = p.expirySeconds;
            expiryKbytes = p.expiryKbytes;
            localId = p.localId;
            remoteId = p.remoteId;
            sendNotify = p.sendNotify;
            sendDeletes = p.sendDeletes;
            sendIdAlways = p.sendIdAlways;
            setCommitBit = p.setCommitBit;
            phase2XchgLimit = p.phase2XchgLimit;
            natTraversal = p.natTraversal;
            dhExponentLength = p.dhExponentLength;
            msgRetryLimit = p.msgRetryLimit;
            msgTimeout = p.msgTimeout;
            msgBackoff = p.msgBackoff;
            retryIkeAttempts = p.retryIkeAttempts;
            deleteDelay = p.deleteDelay;
            srcInterface = p.srcInterface;
            prenegotiate = p.prenegotiate;
            authType = p.authType;
            localRsaKey = p.localRsaKey;
            access = p.access;
            liveness = p.liveness;
        }

        public IsakmpPolicy build() {
            return new IsakmpPolicy(name, peer, anyPeer, key, mode, encAlg, hashAlg, group, expirySeconds, expiryKbytes, localId, remoteId,
                    sendNotify, sendDeletes, sendIdAlways, setCommitBit, phase2XchgLimit, natTraversal, dhExponentLength, msgRetryLimit,
                    msgTimeout, msgBackoff, retryIkeAttempts, deleteDelay, srcInterface, prenegotiate, authType, localRsaKey, access, liveness);
        }
    }
}
