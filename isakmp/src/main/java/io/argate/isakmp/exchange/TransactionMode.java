package io.argate.isakmp.exchange;

import io.argate.isakmp.Datagram;
import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.IsakmpLimits;
import io.argate.isakmp.config.RemoteAccessSettings;
import io.argate.isakmp.crypto.Phase1Keys;
import io.argate.isakmp.crypto.Phase2Keys;
import io.argate.isakmp.modecfg.AddressPool;
import io.argate.isakmp.wire.AttrPayload;
import io.argate.isakmp.wire.Attribute;
import io.argate.isakmp.wire.CfgAttribute;
import io.argate.isakmp.wire.CfgType;
import io.argate.isakmp.wire.ExchangeType;
import io.argate.isakmp.wire.HashPayload;
import io.argate.isakmp.wire.IsakmpHeader;
import io.argate.isakmp.wire.Message;
import io.argate.isakmp.wire.Payload;
import io.argate.isakmp.wire.PayloadChain;
import io.argate.isakmp.wire.UnitySplitInclude;
import io.argate.isakmp.wire.WireException;
import io.argate.isakmp.xauth.XauthUsers;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.argate.isakmp.exchange.ExchangeState.*;
import static io.argate.isakmp.exchange.RemoteAccessState.Step;

/**
 * The Transaction exchange (ISAKMP exchange type 6) and what runs on it between phase 1 and
 * phase 2, in the order real clients use: XAUTH (draft-beaulieu-ike-xauth-02), then Mode Config
 * (draft-dukes-ike-mode-cfg-02).
 *
 * <pre>
 * XAUTH server                                   XAUTH client
 *   HDR*, HASH, ATTR(REQUEST: USER_NAME, USER_PASSWORD)  -->
 *                      <--  HDR*, HASH, ATTR(REPLY: USER_NAME=u, USER_PASSWORD=p)
 *   HDR*, HASH, ATTR(SET: STATUS=OK|FAIL)                -->   (a new message ID)
 *                      <--  HDR*, HASH, ATTR(ACK: STATUS)
 * Mode Config, pull: the client REQUESTs (INTERNAL_IP4_ADDRESS ...), the server REPLYs;
 * push: the server SETs the attributes, the client ACKs.
 * </pre>
 *
 * Every message is protected like an Informational one (section 3.4 of the mode-cfg draft):
 * HASH = prf(SKEYID_a, M-ID | the payloads after HASH), in both directions, and encrypted with
 * the exchange's own IV chain. A failed XAUTH is final: the server says STATUS=FAIL, logs the
 * user, and deletes the ISAKMP SA once the client acknowledges (or does not).
 */
final class TransactionMode {
    private TransactionMode() {
    }

    // ---- after phase 1 ----

    /**
     * Phase 1 is up: starts what the policy asks for. Returns true when phase 2 may start at once
     * (nothing to do), false when it waits for {@link IsakmpDaemon#remoteAccessReady}.
     */
    static boolean afterPhase1(IsakmpDaemon d, IkeSa sa) {
        RemoteAccessSettings ra = sa.policy.access();
        RemoteAccessState st = sa.access;
        if (ra.xauthServer()) {
            // what a flood of clients that never answer can hold is bounded (IsakmpLimits), each refusal counted
            if (d.xauthPending(sa.peer) >= IsakmpLimits.XAUTH_PENDING_PER_PEER || d.xauthPending(0) >= IsakmpLimits.XAUTH_PENDING_TOTAL) {
                d.counters().inc(IsakmpCounter.XAUTH_PENDING_LIMIT);
                st.xauth = Step.FAILED;
                d.deleteSa(sa, "too many ISAKMP SAs are waiting for XAUTH (" + IsakmpLimits.XAUTH_PENDING_PER_PEER + " per address, "
                        + IsakmpLimits.XAUTH_PENDING_TOTAL + " in all)");
                return false;
            }
            st.xauth = Step.PENDING;
            startXauthRequest(d, sa);
        } else if (ra.xauthClient()) {
            // the server asks; we wait for its REQUEST
            st.xauth = Step.PENDING;
        }
        if (ra.modeCfg() == RemoteAccessSettings.ModeCfg.CLIENT || ra.modeCfg() == RemoteAccessSettings.ModeCfg.PUSH && ra.pool() != null) {
            st.modeCfg = Step.PENDING;
        }
        if (st.xauth != Step.PENDING) {
            startModeCfg(d, sa);
        }
        if (!st.ready()) {
            st.waitTimer = d.loop().schedule(IsakmpLimits.REMOTE_ACCESS_WAIT, () -> {
                if (!st.ready() && d.owns(sa)) {
                    d.counters().inc(st.xauth == Step.PENDING ? IsakmpCounter.XAUTH_NO_ANSWER : IsakmpCounter.TRANS_FAILED);
                    d.deleteSa(sa, (st.xauth == Step.PENDING ? "XAUTH" : "Mode Config") + " did not finish within "
                            + IsakmpLimits.REMOTE_ACCESS_WAIT.toSeconds() + " s of phase 1");
                }
            });
        }
        return st.ready();
    }

    private static void startXauthRequest(IsakmpDaemon d, IkeSa sa) {
        TransactionExchange t = open(d, sa, TransactionExchange.Purpose.XAUTH);
        d.counters().inc(IsakmpCounter.XAUTH_REQUESTS);
        // XAUTH_TYPE is left out: GENERIC is its default (draft-beaulieu-ike-xauth-02 section 3.2)
        send(d, sa, t, CfgType.REQUEST, List.of(CfgAttribute.empty(CfgAttribute.XAUTH_USER_NAME),
                CfgAttribute.empty(CfgAttribute.XAUTH_USER_PASSWORD)), true);
        t.transition(TRANS_REQSENT, d);
    }

    /** XAUTH is done (or was not asked for): the Mode Config step our role has, if any. */
    private static void startModeCfg(IsakmpDaemon d, IkeSa sa) {
        RemoteAccessSettings ra = sa.policy.access();
        if (ra.modeCfg() == RemoteAccessSettings.ModeCfg.CLIENT) {
            TransactionExchange t = open(d, sa, TransactionExchange.Purpose.MODECFG);
            send(d, sa, t, CfgType.REQUEST, List.of(CfgAttribute.empty(CfgAttribute.INTERNAL_IP4_ADDRESS),
                    CfgAttribute.empty(CfgAttribute.INTERNAL_IP4_NETMASK), CfgAttribute.empty(CfgAttribute.INTERNAL_IP4_DNS),
                    CfgAttribute.empty(CfgAttribute.INTERNAL_IP4_NBNS)), true);
            t.transition(TRANS_REQSENT, d);
        } else if (ra.modeCfg() == RemoteAccessSettings.ModeCfg.PUSH && ra.pool() != null) {
            List<Attribute> attrs = assign(d, sa, null);
            if (attrs == null) {
                sa.access.modeCfg = Step.FAILED;
                d.deleteSa(sa, "Mode Config pool " + ra.pool() + " has no free address");
                return;
            }
            TransactionExchange t = open(d, sa, TransactionExchange.Purpose.MODECFG);
            send(d, sa, t, CfgType.SET, attrs, true);
            t.transition(TRANS_SETSENT, d);
        }
    }

    /** A Transaction exchange we start, under a fresh message ID. */
    private static TransactionExchange open(IsakmpDaemon d, IkeSa sa, TransactionExchange.Purpose purpose) {
        int mid = d.newMessageId(sa);
        TransactionExchange t = new TransactionExchange(d.nextExchangeId(), mid, true, purpose, d.loop().clock().instant());
        t.identifier = d.random().nextInt(0x10000);
        t.iv = Phase1Keys.phase2Iv(sa.prf, sa.iv, mid, sa.cipher.blockSize());
        sa.access.transactions.put(mid, t);
        d.log().log("XCHG", "Exchange " + t.exchangeId + ": Transaction (" + purpose + ") [init] started with peer " + IsakmpDaemon.dotted(sa.peer));
        return t;
    }

    // ---- sending ----

    /** HDR*, HASH, ATTR: the hash over M-ID and the ATTR payload, sealed with the exchange's IV chain. */
    private static void send(IsakmpDaemon d, IkeSa sa, TransactionExchange t, int cfgType, List<Attribute> attrs, boolean expectReply) {
        AttrPayload attr = new AttrPayload(cfgType, t.identifier, attrs);
        byte[] tail = PayloadChain.encode(List.of(attr));
        List<Payload> all = List.of(new HashPayload(Phase2Keys.informational(sa.prf, sa.keys.skeyidA(), t.messageId, tail)), attr);
        IsakmpHeader h = new IsakmpHeader(sa.icookie, sa.rcookie, 0, IsakmpHeader.VERSION_1_0, ExchangeType.TRANSACTION,
                IsakmpHeader.FLAG_ENCRYPTION, t.messageId, 0);
        MessageCrypto.Sealed s = MessageCrypto.seal(h, all, sa.cipher, sa.keys.encryptionKey(), t.iv);
        t.iv = s.nextIv();
        t.retransmit.sent(s.message(), sa.localPort, sa.peerPort);
        d.counters().inc(IsakmpCounter.TRANS_SENT);
        d.transmit(sa.local, sa.localPort, sa.peer, sa.peerPort, s.message(), all);
        if (expectReply) {
            arm(d, sa, t);
        }
    }

    private static void arm(IsakmpDaemon d, IkeSa sa, TransactionExchange t) {
        t.retransmit.arm(d.loop(), sa.policy.msgTimeout(), sa.policy.msgBackoff() == io.argate.isakmp.config.IsakmpPolicy.Backoff.INCREMENTAL, () -> {
            if (!d.owns(sa) || sa.access.transactions.get(t.messageId) != t || t.done()) {
                return;
            }
            if (t.retransmit.attempt() > sa.policy.msgRetryLimit()) {
                d.counters().inc(IsakmpCounter.EXCHANGE_TIMEOUTS);
                if (t.purpose == TransactionExchange.Purpose.XAUTH && sa.access.xauth == Step.PENDING) {
                    d.counters().inc(IsakmpCounter.XAUTH_NO_ANSWER);
                }
                fail(d, sa, t, "no answer from " + IsakmpDaemon.dotted(sa.peer) + " in state " + t.state.display() + " after "
                        + sa.policy.msgRetryLimit() + " retransmissions");
                return;
            }
            d.counters().inc(IsakmpCounter.RETRANSMISSIONS);
            d.transmit(sa.local, sa.localPort, sa.peer, sa.peerPort, t.retransmit.lastSent(), null);
            arm(d, sa, t);
        });
    }

    /** The exchange failed: logged once; the ISAKMP SA goes with it, since phase 2 could never start. */
    private static void fail(IsakmpDaemon d, IkeSa sa, TransactionExchange t, String why) {
        d.counters().inc(IsakmpCounter.TRANS_FAILED);
        t.failure = why;
        t.retransmit.cancel();
        d.log().log("XCHG", "Exchange " + t.exchangeId + ": Failed - " + why);
        d.deleteSa(sa, "its Transaction exchange " + t.exchangeId + " failed");
    }

    /** Finished: kept a while to answer a retransmission of the peer's last message. */
    private static void finish(IsakmpDaemon d, IkeSa sa, TransactionExchange t) {
        t.transition(TRANS_UP, d);
        t.retransmit.cancel();
        d.counters().inc(IsakmpCounter.TRANS_COMPLETED);
        d.log().log("XCHG", "Exchange " + t.exchangeId + ": Completed successfully");
        t.linger = d.loop().schedule(IsakmpLimits.LINGER, () -> sa.access.transactions.remove(t.messageId, t));
    }

    // ---- receiving ----

    /** One Transaction message for an ISAKMP SA (the dispatcher checked cookies and address). */
    static void receive(IsakmpDaemon d, IkeSa sa, Datagram dg, IsakmpHeader h, byte[] p) {
        d.counters().inc(IsakmpCounter.TRANS_RECEIVED);
        if (!sa.up() || h.messageId() == 0 || !h.encrypted()) {
            d.drop(IsakmpCounter.TRANS_UNEXPECTED, "Transaction message before phase 1 is up, with message ID 0, or in the clear");
            return;
        }
        RemoteAccessState st = sa.access;
        TransactionExchange t = st.transactions.get(h.messageId());
        boolean fresh = t == null;
        if (fresh) {
            if (sa.usedMessageIds.contains(h.messageId())) {
                d.drop(IsakmpCounter.TRANS_UNEXPECTED, "message ID " + Integer.toHexString(h.messageId()) + " was used before");
                return;
            }
            if (st.transactions.size() >= IsakmpLimits.TRANSACTIONS_IN_FLIGHT) {
                d.drop(IsakmpCounter.TRANS_LIMIT, "too many Transaction exchanges on ISAKMP SA " + sa.saId);
                return;
            }
            t = new TransactionExchange(0, h.messageId(), false, TransactionExchange.Purpose.XAUTH, d.loop().clock().instant());
            t.iv = Phase1Keys.phase2Iv(sa.prf, sa.iv, h.messageId(), sa.cipher.blockSize());
        } else if (t.retransmit.isDuplicate(p)) {
            d.counters().inc(IsakmpCounter.DUPLICATES);
            if (t.retransmit.answersDuplicate()) {
                d.transmit(sa.local, sa.localPort, sa.peer, sa.peerPort, t.retransmit.lastSent(), null);
            }
            return;
        } else if (!t.initiator || t.done()) {
            d.drop(IsakmpCounter.TRANS_UNEXPECTED, "a second message in Transaction exchange " + t.exchangeId + " in state " + t.state.display());
            return;
        }
        Message m;
        byte[] nextIv;
        try {
            IsakmpDaemon.Opened o = d.open(sa, h, p, t.iv);
            m = o.message();
            nextIv = o.nextIv();
        } catch (WireException e) {
            d.drop(IsakmpCounter.DROP_DECRYPT, e.getMessage());
            return;
        }
        Optional<String> bad = Transitions.TRANSACTION.check(m, true);
        if (bad.isPresent()) {
            d.drop(IsakmpCounter.DROP_BAD_PAYLOADS, bad.get());
            return;
        }
        byte[] want = Phase2Keys.informational(sa.prf, sa.keys.skeyidA(), h.messageId(), m.rawAfter(0));
        if (!MessageDigest.isEqual(want, m.first(HashPayload.class).data())) {
            d.drop(IsakmpCounter.TRANS_BAD_HASH, "Transaction HASH did not verify; message dropped");
            return;
        }
        AttrPayload attr = m.first(AttrPayload.class);
        if (fresh) {
            if (attr.cfgType() != CfgType.REQUEST && attr.cfgType() != CfgType.SET) {
                d.drop(IsakmpCounter.TRANS_UNEXPECTED, CfgType.REGISTRY.display(attr.cfgType()) + " starts no Transaction exchange");
                return;
            }
            TransactionExchange.Purpose purpose = xauthAttributes(attr) ? TransactionExchange.Purpose.XAUTH : TransactionExchange.Purpose.MODECFG;
            if (purpose == TransactionExchange.Purpose.MODECFG && attr.cfgType() == CfgType.REQUEST && st.xauth == Step.PENDING
                    && sa.policy.access().xauthServer()) {
                // a client that asks for its address before XAUTH finished: dropped unrecorded, so
                // its retransmission once XAUTH passed is answered (the order is XAUTH, then Mode Config)
                d.drop(IsakmpCounter.TRANS_UNEXPECTED, "Mode Config REQUEST from " + IsakmpDaemon.dotted(sa.peer) + " before XAUTH finished");
                return;
            }
            t = new TransactionExchange(d.nextExchangeId(), h.messageId(), false, purpose, t.started);
            t.identifier = attr.identifier();
            st.transactions.put(t.messageId, t);
            sa.usedMessageIds.add(t.messageId);
            d.log().log("XCHG", "Exchange " + t.exchangeId + ": Transaction (" + purpose + ") [resp] started with peer " + IsakmpDaemon.dotted(sa.peer));
        } else if (attr.cfgType() != CfgType.answer(t.state == TRANS_REQSENT ? CfgType.REQUEST : CfgType.SET)) {
            // the message ID pairs an answer with its question and HASH authenticates it; the
            // identifier is not checked, since strongSwan 5.9 answers with identifier 0 whatever was asked
            d.drop(IsakmpCounter.TRANS_UNEXPECTED, CfgType.REGISTRY.display(attr.cfgType()) + " does not answer exchange " + t.exchangeId
                    + " (" + t.state.display() + ")");
            return;
        }
        t.iv = nextIv;
        t.retransmit.received(p);
        switch (attr.cfgType()) {
            case CfgType.REQUEST -> request(d, sa, t, attr);
            case CfgType.SET -> set(d, sa, t, attr);
            case CfgType.REPLY -> reply(d, sa, t, attr);
            default -> ack(d, sa, t, attr);
        }
    }

    private static boolean xauthAttributes(AttrPayload a) {
        for (Attribute at : a.attributes()) {
            if (at.type() >= CfgAttribute.XAUTH_TYPE && at.type() <= CfgAttribute.XAUTH_ANSWER) {
                return true;
            }
        }
        return false;
    }

    /** A REQUEST from the peer: an XAUTH server asking us (client), or a Mode Config client asking our pool (server). */
    private static void request(IsakmpDaemon d, IkeSa sa, TransactionExchange t, AttrPayload attr) {
        t.transition(TRANS_REQRECV, d);
        RemoteAccessSettings ra = sa.policy.access();
        List<Attribute> answer;
        if (t.purpose == TransactionExchange.Purpose.XAUTH) {
            if (!ra.xauthClient() || ra.xauthName() == null || ra.xauthPassword() == null) {
                d.counters().inc(IsakmpCounter.XAUTH_UNCONFIGURED);
                fail(d, sa, t, "the peer asked for XAUTH, but ISAKMP policy " + sa.policy.name()
                        + (ra.xauthClient() ? " has no XAUTHNAME and XAUTHPASSWORD" : " has XAUTH=" + ra.xauth()));
                return;
            }
            answer = new ArrayList<>();
            for (Attribute a : attr.attributes()) {
                switch (a.type()) {
                    case CfgAttribute.XAUTH_TYPE -> {
                        if (a.asLong() != CfgAttribute.XAUTH_TYPE_GENERIC) {
                            fail(d, sa, t, "the peer asked for XAUTH type " + a.asLong() + "; only GENERIC (0) is supported");
                            return;
                        }
                        answer.add(a);
                    }
                    case CfgAttribute.XAUTH_USER_NAME -> answer.add(CfgAttribute.text(a.type(), ra.xauthName()));
                    case CfgAttribute.XAUTH_USER_PASSWORD -> answer.add(CfgAttribute.text(a.type(), ra.xauthPassword()));
                    case CfgAttribute.XAUTH_MESSAGE -> d.log().log("XCHG", "Exchange " + t.exchangeId + ": XAUTH server says \""
                            + printable(CfgAttribute.asText(a)) + "\"");
                    default -> {
                        // a PASSCODE, CHALLENGE or NEXT_PIN is a token card's; we have no answer for it
                    }
                }
            }
            sa.access.user = ra.xauthName();
            d.counters().inc(IsakmpCounter.XAUTH_CLIENT_ANSWERED);
        } else {
            if (!ra.modeCfgServer()) {
                fail(d, sa, t, "the peer asked for Mode Config attributes, but ISAKMP policy " + sa.policy.name() + " has no POOL");
                return;
            }
            if (!sa.access.phase2Allowed()) {
                fail(d, sa, t, "the peer asked for Mode Config before XAUTH passed");
                return;
            }
            answer = assign(d, sa, attr);
            if (answer == null) {
                fail(d, sa, t, "Mode Config pool " + ra.pool() + " has no free address for " + IsakmpDaemon.dotted(sa.peer));
                return;
            }
        }
        send(d, sa, t, CfgType.REPLY, answer, false);
        t.transition(TRANS_REPSENT, d);
        finish(d, sa, t);
    }

    /** A SET from the peer: an XAUTH server's STATUS (we are the client), or a Mode Config push. */
    private static void set(IsakmpDaemon d, IkeSa sa, TransactionExchange t, AttrPayload attr) {
        t.transition(TRANS_SETRECV, d);
        RemoteAccessState st = sa.access;
        if (t.purpose == TransactionExchange.Purpose.XAUTH) {
            Attribute status = attr.attribute(CfgAttribute.XAUTH_STATUS);
            boolean ok = status != null && status.asLong() == CfgAttribute.STATUS_OK;
            List<Attribute> acked = status == null ? List.of() : List.of(status);
            send(d, sa, t, CfgType.ACK, acked, false);
            t.transition(TRANS_ACKSENT, d);
            finish(d, sa, t);
            if (!ok) {
                st.xauth = Step.FAILED;
                d.counters().inc(IsakmpCounter.XAUTH_CLIENT_FAILED);
                d.log().log("ERROR", "XAUTH: server " + IsakmpDaemon.dotted(sa.peer) + " refused user " + st.user
                        + "; check XAUTHNAME and XAUTHPASSWORD of ISAKMP policy " + sa.policy.name());
                d.deleteSa(sa, "XAUTH failed for user " + st.user);
                return;
            }
            st.xauth = Step.DONE;
            d.counters().inc(IsakmpCounter.XAUTH_CLIENT_OK);
            d.log().log("XCHG", "XAUTH: authenticated to " + IsakmpDaemon.dotted(sa.peer) + " as user " + st.user);
            afterXauth(d, sa);
            return;
        }
        if (sa.policy.access().modeCfg() != RemoteAccessSettings.ModeCfg.CLIENT) {
            fail(d, sa, t, "the peer pushed Mode Config attributes, but ISAKMP policy " + sa.policy.name() + " has no MODECFG=CLIENT");
            return;
        }
        take(d, sa, attr);
        List<Attribute> acked = new ArrayList<>();
        for (Attribute a : attr.attributes()) {
            acked.add(CfgAttribute.empty(a.type()));
        }
        send(d, sa, t, CfgType.ACK, acked, false);
        t.transition(TRANS_ACKSENT, d);
        finish(d, sa, t);
        modeCfgDone(d, sa);
    }

    /** The peer's REPLY to our REQUEST: the XAUTH client's credentials (we are the server), or our Mode Config address. */
    private static void reply(IsakmpDaemon d, IkeSa sa, TransactionExchange t, AttrPayload attr) {
        t.transition(TRANS_REPRECV, d);
        finish(d, sa, t);
        if (t.purpose == TransactionExchange.Purpose.XAUTH) {
            checkCredentials(d, sa, attr);
            return;
        }
        take(d, sa, attr);
        if (sa.access.address == 0) {
            sa.access.modeCfg = Step.FAILED;
            d.deleteSa(sa, "the Mode Config server " + IsakmpDaemon.dotted(sa.peer) + " assigned no address");
            return;
        }
        modeCfgDone(d, sa);
    }

    /** The peer's ACK of our SET: XAUTH's status (a FAIL ends the SA now) or our Mode Config push. */
    private static void ack(IsakmpDaemon d, IkeSa sa, TransactionExchange t, AttrPayload attr) {
        t.transition(TRANS_ACKRECV, d);
        finish(d, sa, t);
        RemoteAccessState st = sa.access;
        if (t.purpose == TransactionExchange.Purpose.XAUTH) {
            if (st.xauth == Step.FAILED) {
                d.deleteSa(sa, "XAUTH failed for user " + st.user);
                return;
            }
            afterXauth(d, sa);
            return;
        }
        modeCfgDone(d, sa);
    }

    // ---- XAUTH server ----

    private static void checkCredentials(IsakmpDaemon d, IkeSa sa, AttrPayload attr) {
        RemoteAccessState st = sa.access;
        Attribute name = attr.attribute(CfgAttribute.XAUTH_USER_NAME);
        Attribute password = attr.attribute(CfgAttribute.XAUTH_USER_PASSWORD);
        String user = name == null ? "" : printable(CfgAttribute.asText(name));
        XauthUsers.Verdict v;
        if (name == null || password == null || name.value().length == 0 || name.value().length > IsakmpLimits.XAUTH_MAX_TEXT
                || password.value().length > IsakmpLimits.XAUTH_MAX_TEXT) {
            v = new XauthUsers.Verdict(XauthUsers.Outcome.REFUSED, "the reply lacks a user name or password, or one is longer than "
                    + IsakmpLimits.XAUTH_MAX_TEXT + " bytes");
        } else {
            v = d.xauthUsers().check(user, CfgAttribute.asText(password), sa.peer);
        }
        st.user = user.isEmpty() ? "(none)" : user;
        boolean ok = v.accepted();
        if (ok) {
            st.xauth = Step.DONE;
            d.counters().inc(IsakmpCounter.XAUTH_ACCEPTED);
            d.log().log("XCHG", "XAUTH: user " + st.user + " authenticated from " + IsakmpDaemon.dotted(sa.peer) + " (ISAKMP SA " + sa.saId + ")");
        } else {
            st.xauth = Step.FAILED;
            d.counters().inc(v.outcome() == XauthUsers.Outcome.DELAYED ? IsakmpCounter.XAUTH_DELAYED : IsakmpCounter.XAUTH_REFUSED);
            d.log().log("ERROR", "XAUTH: authentication failed for user " + st.user + " from " + IsakmpDaemon.dotted(sa.peer)
                    + (v.detail() == null ? "" : " (" + v.detail() + ")"));
        }
        TransactionExchange t = open(d, sa, TransactionExchange.Purpose.XAUTH);
        send(d, sa, t, CfgType.SET, List.of(Attribute.of(CfgAttribute.XAUTH_STATUS, ok ? CfgAttribute.STATUS_OK : CfgAttribute.STATUS_FAIL)), true);
        t.transition(TRANS_SETSENT, d);
    }

    private static void afterXauth(IsakmpDaemon d, IkeSa sa) {
        startModeCfg(d, sa);
        if (sa.access.ready()) {
            d.remoteAccessReady(sa);
        }
    }

    // ---- Mode Config ----

    /**
     * The attributes for a client from the policy's pool: a new lease, the netmask, DNS, WINS
     * and the split networks, answering what the client asked for (a pushed SET carries all).
     * Null when the pool does not exist or is full.
     */
    private static List<Attribute> assign(IsakmpDaemon d, IkeSa sa, AttrPayload asked) {
        String poolName = sa.policy.access().pool();
        AddressPool pool = d.config().pool(poolName).orElse(null);
        if (pool == null) {
            d.log().log("ERROR", "ISAKMP policy " + sa.policy.name() + " names POOL=" + poolName + ", which does not exist");
            return null;
        }
        RemoteAccessState st = sa.access;
        if (st.address == 0) {
            st.address = d.leases().lease(pool, sa.peer, st.user);
            if (st.address == 0) {
                d.counters().inc(IsakmpCounter.MODECFG_POOL_EMPTY);
                return null;
            }
            st.netmask = pool.netmask();
            d.counters().inc(IsakmpCounter.MODECFG_ASSIGNED);
            d.log().log("XCHG", "Mode Config: assigned " + IsakmpDaemon.dotted(st.address) + " from pool " + pool.name() + " to "
                    + IsakmpDaemon.dotted(sa.peer) + (st.user == null ? "" : " (user " + st.user + ")"));
        }
        List<Attribute> out = new ArrayList<>();
        boolean all = asked == null;
        if (all || asks(asked, CfgAttribute.INTERNAL_IP4_ADDRESS)) {
            out.add(CfgAttribute.address(CfgAttribute.INTERNAL_IP4_ADDRESS, st.address));
        }
        if (all || asks(asked, CfgAttribute.INTERNAL_IP4_NETMASK)) {
            out.add(CfgAttribute.address(CfgAttribute.INTERNAL_IP4_NETMASK, pool.netmask()));
        }
        if (all || asks(asked, CfgAttribute.INTERNAL_IP4_DNS)) {
            pool.dns().forEach(a -> out.add(CfgAttribute.address(CfgAttribute.INTERNAL_IP4_DNS, a)));
        }
        if (all || asks(asked, CfgAttribute.INTERNAL_IP4_NBNS)) {
            pool.wins().forEach(a -> out.add(CfgAttribute.address(CfgAttribute.INTERNAL_IP4_NBNS, a)));
        }
        if (!pool.split().isEmpty() && (all || asks(asked, CfgAttribute.UNITY_SPLIT_INCLUDE))) {
            out.add(new Attribute(CfgAttribute.UNITY_SPLIT_INCLUDE, false, UnitySplitInclude.encode(pool.split().stream()
                    .map(n -> new UnitySplitInclude.Network(n.address(), n.mask())).toList())));
        }
        if (!pool.split().isEmpty() && asked != null && asks(asked, CfgAttribute.INTERNAL_IP4_SUBNET)) {
            for (AddressPool.Subnet s : pool.split()) {
                byte[] v = new byte[8];
                System.arraycopy(CfgAttribute.address(0, s.address()).value(), 0, v, 0, 4);
                System.arraycopy(CfgAttribute.address(0, s.mask()).value(), 0, v, 4, 4);
                out.add(new Attribute(CfgAttribute.INTERNAL_IP4_SUBNET, false, v));
            }
        }
        return out;
    }

    private static boolean asks(AttrPayload a, int type) {
        return a.attribute(type) != null;
    }

    /** A client takes what the server gave: the address becomes our side of phase 2. */
    private static void take(IsakmpDaemon d, IkeSa sa, AttrPayload attr) {
        RemoteAccessState st = sa.access;
        List<Integer> dns = new ArrayList<>();
        List<Integer> wins = new ArrayList<>();
        for (Attribute a : attr.attributes()) {
            long v = CfgAttribute.asIpv4(a);
            if (v < 0) {
                continue;
            }
            switch (a.type()) {
                case CfgAttribute.INTERNAL_IP4_ADDRESS -> st.address = (int) v;
                case CfgAttribute.INTERNAL_IP4_NETMASK -> st.netmask = (int) v;
                case CfgAttribute.INTERNAL_IP4_DNS -> dns.add((int) v);
                case CfgAttribute.INTERNAL_IP4_NBNS -> wins.add((int) v);
                default -> {
                }
            }
        }
        st.dns = List.copyOf(dns);
        st.wins = List.copyOf(wins);
        if (st.address != 0) {
            d.counters().inc(IsakmpCounter.MODECFG_RECEIVED);
            d.log().log("XCHG", "Mode Config: " + IsakmpDaemon.dotted(sa.peer) + " assigned us " + IsakmpDaemon.dotted(st.address));
        }
    }

    private static void modeCfgDone(IsakmpDaemon d, IkeSa sa) {
        if (sa.access.modeCfg == Step.PENDING) {
            sa.access.modeCfg = Step.DONE;
        }
        if (sa.access.ready()) {
            d.remoteAccessReady(sa);
        }
    }

    // ---- phase 2 identities ----

    /**
     * Our IDci in Quick Mode: with MODECFG=CLIENT the address the server assigned (it is our
     * side of the tunnel, draft-dukes-ike-mode-cfg-02 section 2), else the policy's own.
     */
    static io.argate.isakmp.wire.IdPayload localIdentity(IkeSa sa, io.argate.isakmp.wire.IdPayload policy) {
        if (sa.policy.access().modeCfg() == RemoteAccessSettings.ModeCfg.CLIENT && sa.access.address != 0) {
            return io.argate.isakmp.wire.IdPayload.ipv4(sa.access.address);
        }
        return policy;
    }

    /**
     * The address the bundle's inner packets must carry as their source: the one a Mode Config
     * server assigned us, when Quick Mode has it as our side (IDci when we initiated, IDcr when
     * the gateway did); 0 otherwise, and the SPD's own addresses go through unchanged.
     */
    static int assignedToUs(IkeSa sa, QuickExchange q) {
        io.argate.isakmp.wire.IdPayload ours = q.initiator ? q.idci : q.idcr;
        if (ours == null || sa.policy.access().modeCfg() != RemoteAccessSettings.ModeCfg.CLIENT || sa.access.address == 0) {
            return 0;
        }
        io.argate.ipsec.spd.AddressSelector r = QuickIdentities.range(ours);
        return r != null && r.first() == sa.access.address && r.last() == sa.access.address ? sa.access.address : 0;
    }

    /**
     * A client we gave an address may only ask for phase 2 from that address: its IDci must be
     * exactly it, so one client cannot claim another's tunnel.
     */
    static void checkPeerIdentity(IkeSa sa, io.argate.isakmp.wire.IdPayload idci) throws ExchangeFailure {
        int leased = sa.access.address;
        if (leased == 0 || !sa.policy.access().modeCfgServer()) {
            return;
        }
        byte[] want = CfgAttribute.address(0, leased).value();
        boolean single = idci.idType() == io.argate.isakmp.wire.Doi.ID_IPV4_ADDR && java.util.Arrays.equals(idci.data(), want);
        boolean host = idci.idType() == io.argate.isakmp.wire.Doi.ID_IPV4_ADDR_SUBNET && idci.data().length == 8
                && java.util.Arrays.equals(java.util.Arrays.copyOf(idci.data(), 4), want)
                && java.util.Arrays.equals(java.util.Arrays.copyOfRange(idci.data(), 4, 8), new byte[]{-1, -1, -1, -1});
        if (!single && !host) {
            throw ExchangeFailure.fail(IsakmpCounter.QUICK_FAILED, io.argate.isakmp.wire.NotifyType.INVALID_ID_INFORMATION,
                    "the peer's phase 2 ID " + idci.text() + " is not the address " + IsakmpDaemon.dotted(leased) + " Mode Config assigned it");
        }
    }

    // ---- the SA goes ----

    /** The ISAKMP SA is gone: timers stop and a leased address returns to its pool. */
    static void release(IsakmpDaemon d, IkeSa sa) {
        RemoteAccessState st = sa.access;
        for (TransactionExchange t : st.transactions.values()) {
            t.retransmit.cancel();
            if (t.linger != null) {
                t.linger.cancel();
            }
        }
        if (st.waitTimer != null) {
            st.waitTimer.cancel();
        }
        if (st.address != 0 && sa.policy != null && sa.policy.access().modeCfgServer()) {
            d.leases().release(st.address);
            d.counters().inc(IsakmpCounter.MODECFG_RELEASED);
            d.log().log("XCHG", "Mode Config: " + IsakmpDaemon.dotted(st.address) + " returned to pool " + sa.policy.access().pool());
        }
    }

    /** Control characters in a peer's text become '?', so a log line stays one line. */
    static String printable(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }
}
