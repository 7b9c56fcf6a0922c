package io.argate.isakmp.exchange;

import io.argate.ipsec.config.IpsecConfig;
import io.argate.ipsec.sad.SadEvent;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spd.PeerAddress;
import io.argate.ipsec.spd.PolicyAction;
import io.argate.ipsec.spec.BundleSpecification;
import io.argate.ipsec.spec.EncoKeys;
import io.argate.ipsec.spec.IpsecProtocol;
import io.argate.ipsec.spec.KeyManagement;
import io.argate.isakmp.Datagram;
import io.argate.isakmp.IkeNetwork;
import io.argate.isakmp.IsakmpCounter;
import io.argate.isakmp.IsakmpDebug;
import io.argate.isakmp.IsakmpLimits;
import io.argate.isakmp.IsakmpLog;
import io.argate.isakmp.config.IsakmpConfig;
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.crypto.Phase1Keys;
import io.argate.isakmp.crypto.RandomSource;
import io.argate.isakmp.sa.NegotiatedBundle;
import io.argate.isakmp.sa.SaInstaller;
import io.argate.isakmp.wire.DeletePayload;
import io.argate.isakmp.wire.Doi;
import io.argate.isakmp.wire.ExchangeType;
import io.argate.isakmp.wire.HashPayload;
import io.argate.isakmp.wire.IdPayload;
import io.argate.isakmp.wire.IsakmpHeader;
import io.argate.isakmp.wire.Message;
import io.argate.isakmp.wire.MessageDump;
import io.argate.isakmp.wire.NotifyPayload;
import io.argate.isakmp.wire.NotifyType;
import io.argate.isakmp.wire.Payload;
import io.argate.isakmp.wire.PayloadChain;
import io.argate.isakmp.wire.WireException;
import io.argate.shell.loop.ControlLoop;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The IKEv1 daemon on the control loop (DESIGN.md section 5): receives datagrams as loop events,
 * dispatches each message through the payload rules and the transition table to its handler,
 * sends and retransmits on the loop's timers, starts exchanges on ACQUIRE and rekeys on soft
 * expiry, and installs what Quick Mode agreed through the {@link SaInstaller}. Every bad
 * message ends in a counted drop with a reason; nothing a peer sends can throw out of here.
 */
public final class IsakmpDaemon implements IkeSa.StateLog {
    private final IsakmpConfig config;
    private final IpsecConfig ipsec;
    private final SaInstaller installer;
    private final EncoKeys keys;
    private final IkeNetwork network;
    private final ControlLoop loop;
    private final RandomSource random;
    private final IsakmpLog log;
    private final IsakmpCounter.Set counters = new IsakmpCounter.Set();
    /** ISAKMP SAs (and phase 1 exchanges) by initiator cookie. */
    private final Map<Long, IkeSa> sas = new LinkedHashMap<>();
    /** IPsec policies with a Quick Mode in flight, so a burst of ACQUIREs starts one. */
    private final Set<String> negotiating = new HashSet<>();
    private final IsakmpDebug debug = new IsakmpDebug();
    private final Prenegotiation prenegotiation;
    private final Phase2Rekey rekey;
    private final LivenessDriver liveness;
    private final SaTeardown teardown = new SaTeardown(this);
    private int nextExchange = 1;
    private int nextSaId = 1;
    /** XAUTH servers check users here (the router's user database). */
    private io.argate.isakmp.xauth.XauthUsers xauthUsers = io.argate.isakmp.xauth.XauthUsers.NONE;
    /** Mode Config addresses leased to clients, returned when their ISAKMP SA goes. */
    private final io.argate.isakmp.modecfg.PoolLeases leases = new io.argate.isakmp.modecfg.PoolLeases();

    private io.argate.isakmp.crypto.KeyPairPool keyPairs;
    private io.argate.isakmp.auth.Certificates certificates = io.argate.isakmp.auth.Certificates.NONE;

    public IsakmpDaemon(IsakmpConfig config, IpsecConfig ipsec, SaInstaller installer, EncoKeys keys, IkeNetwork network,
                        ControlLoop loop, RandomSource random, IsakmpLog log) {
        this.config = config;
        this.ipsec = ipsec;
        this.installer = installer;
        this.keys = keys;
        this.network = network;
        this.loop = loop;
        this.random = random;
        this.log = log;
        this.liveness = new LivenessDriver(this, loop, log);
        this.prenegotiation = new Prenegotiation(config, ipsec, installer, this::initiate);
        this.rekey = new Phase2Rekey(this, loop, this::initiate);
    }

    /** After each command (the module's commit): PRENEGOTIATE policies are keyed without waiting for a packet. */
    public void commit() {
        prenegotiation.commit();
    }

    /** The PKI's answers for AUTHTYPE=RSASIG; without it no policy can authenticate by signature. */
    public IsakmpDaemon certificates(io.argate.isakmp.auth.Certificates certificates) {
        this.certificates = certificates;
        return this;
    }

    io.argate.isakmp.auth.Certificates certificates() {
        return certificates;
    }

    // ---- services for the handlers ----

    RandomSource random() {
        return random;
    }

    /**
     * Key pairs made ahead on a thread of their own (the router and the benchmarks, with a secure
     * random source); without it each pair is made on the loop when the exchange needs it.
     */
    public IsakmpDaemon keyPairs(io.argate.isakmp.crypto.KeyPairPool pool) {
        this.keyPairs = pool;
        return this;
    }

    io.argate.isakmp.crypto.ModpGroup.KeyPair keyPair(io.argate.isakmp.crypto.ModpGroup group, int exponentBits) {
        return keyPairs == null ? group.generate(random, exponentBits) : keyPairs.take(group, exponentBits);
    }

    SaInstaller installer() {
        return installer;
    }

    IpsecConfig ipsec() {
        return ipsec;
    }

    IsakmpLog log() {
        return log;
    }

    /** {@code sa} when it is still up, else another ISAKMP SA with its peer that is, else null. */
    IkeSa liveSaWith(IkeSa sa) {
        if (sas.get(sa.icookie) == sa && sa.up()) {
            return sa;
        }
        for (IkeSa o : sas.values()) {
            if (o.peer == sa.peer && o.up()) {
                return o;
            }
        }
        return null;
    }

    public IsakmpCounter.Set counters() {
        return counters;
    }

    // ---- services for XAUTH and Mode Config (TransactionMode) ----

    /** Where an XAUTH server checks user names and passwords (the router wires its user database in). */
    public void xauthUsers(io.argate.isakmp.xauth.XauthUsers users) {
        this.xauthUsers = users;
    }

    io.argate.isakmp.xauth.XauthUsers xauthUsers() {
        return xauthUsers;
    }

    /** The Mode Config leases, for SHOW ISAKMP POOL. */
    public io.argate.isakmp.modecfg.PoolLeases leases() {
        return leases;
    }

    IsakmpConfig config() {
        return config;
    }

    ControlLoop loop() {
        return loop;
    }

    int nextExchangeId() {
        return nextExchange++;
    }

    /** The ISAKMP SAs and phase 1 exchanges, as a copy. */
    List<IkeSa> ikeSas() {
        return List.copyOf(sas.values());
    }

    /** True while the SA is still this daemon's (not deleted). */
    boolean owns(IkeSa sa) {
        return sas.get(sa.icookie) == sa;
    }

    /** ENABLE/DISABLE ISAKMP DEBUG: which output is on and where it goes (the enabling session's tap). */
    public IsakmpDebug debug() {
        return debug;
    }

    @Override
    public void state(int exchange, ExchangeState from, ExchangeState to) {
        if (debug.on(IsakmpDebug.Output.STATE)) {
            debug.line("ISAKMP Exchange " + exchange + ": " + from.display() + " -> " + to.display());
        }
    }

    static String dotted(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
    }

    byte[] preSharedKey(IsakmpPolicy p) throws ExchangeFailure {
        if (p.key() < 0) {
            throw ExchangeFailure.fail(IsakmpCounter.MAIN_FAILED, 0, "ISAKMP policy " + p.name() + " has no KEY for AUTHTYPE=PRESHARED");
        }
        return keys.value(p.key()).orElseThrow(() -> ExchangeFailure.fail(IsakmpCounter.MAIN_FAILED, 0, "ISAKMP policy " + p.name()
                + ": KEY=" + p.key() + " names no ENCO key"));
    }

    /** Policies that may answer this peer: the one naming its address, else PEER=ANY ones (with REMOTEID matching the ID when known). */
    List<IsakmpPolicy> responderCandidates(int peer, IdPayload id) {
        Optional<IsakmpPolicy> fixed = config.forPeer(peer);
        if (fixed.isPresent()) {
            counters.inc(IsakmpCounter.POLICY_BY_PEER_GOOD);
            return List.of(fixed.get());
        }
        List<IsakmpPolicy> out = new ArrayList<>();
        for (IsakmpPolicy p : config.anyPeer()) {
            if (id == null || Identities.matches(p, id)) {
                out.add(p);
            }
        }
        counters.inc(out.isEmpty() ? IsakmpCounter.POLICY_BY_PEER_FAILED : IsakmpCounter.POLICY_BY_PEER_GOOD);
        return out;
    }

    /** The KEYMAN=ISAKMP IPsec policy whose selectors are the peer's phase 2 IDs, best match first. */
    IpsecPolicy policyForIds(int peer, IdPayload idci, IdPayload idcr) {
        IpsecPolicy best = null;
        int bestScore = 0;
        for (IpsecPolicy p : ipsec.policies()) {
            if (p.action() != PolicyAction.IPSEC || p.keyManagement() != KeyManagement.ISAKMP || !QuickIdentities.peerMatches(p, peer)
                    || PeerBinding.boundElsewhere(installer, p, peer)) {
                continue;
            }
            int local = QuickIdentities.score(p.local(), p.localName(), p.transportProtocol(), p.localPort(), idcr);
            int remote = QuickIdentities.score(p.remote(), p.remoteName(), p.transportProtocol(), p.remotePort(), idci);
            if (local > 0 && remote > 0 && local + remote > bestScore) {
                best = p;
                bestScore = local + remote;
            }
        }
        return best;
    }

    boolean hasOtherSaWith(IkeSa sa) {
        for (IkeSa o : sas.values()) {
            if (o != sa && o.peer == sa.peer && o.up()) {
                return true;
            }
        }
        return false;
    }

    void floatPorts(IkeSa sa, int port) {
        sa.localPort = port;
        sa.peerPort = port;
    }

    // ---- sending ----

    private void transmit(int local, int localPort, int peer, int peerPort, byte[] message) {
        transmit(local, localPort, peer, peerPort, message, null);
    }

    /** Sends one message; {@code clear} is what an encrypted message carries, for DEBUG=PKT (null for a retransmission). */
    void transmit(int local, int localPort, int peer, int peerPort, byte[] message, List<? extends Payload> clear) {
        if (debug.on(IsakmpDebug.Output.PACKET) && message.length > 1) {
            // a 1-byte message is a NAT-T keepalive (RFC 3948 section 2.3), not ISAKMP
            dump("ISAKMP Tx Message to " + dotted(peer) + ":" + peerPort, message);
            if (clear != null && !clear.isEmpty() && (message[19] & IsakmpHeader.FLAG_ENCRYPTION) != 0) {
                debug(MessageDump.decrypted("Payloads before encryption:", clear.get(0).type(), PayloadChain.encode(clear),
                        debug.on(IsakmpDebug.Output.RAW)));
            }
        }
        counters.inc(IsakmpCounter.TX_DATAGRAMS);
        network.send(local, localPort, peer, peerPort, frame(localPort, message));
    }

    /**
     * The UDP payload for {@code message} sent from {@code localPort}: on 4500 an ISAKMP message
     * follows the four-byte non-ESP marker (RFC 3948 section 2.2), but a NAT keepalive is the
     * single 0xFF byte alone (section 2.3); on 500 the message as it is.
     */
    static byte[] frame(int localPort, byte[] message) {
        if (localPort != IsakmpLimits.NAT_T_PORT || message.length == 1) {
            return message;
        }
        byte[] out = new byte[message.length + IsakmpLimits.NON_ESP_MARKER];
        System.arraycopy(message, 0, out, IsakmpLimits.NON_ESP_MARKER, message.length);
        return out;
    }

    void sendPhase1(IkeSa sa, List<? extends Payload> payloads, boolean encrypt, boolean expectReply) {
        IsakmpHeader h = new IsakmpHeader(sa.icookie, sa.rcookie, 0, IsakmpHeader.VERSION_1_0, sa.kind.exchangeType(),
                encrypt ? IsakmpHeader.FLAG_ENCRYPTION : 0, 0, 0);
        byte[] message;
        if (encrypt) {
            MessageCrypto.Sealed s = MessageCrypto.seal(h, payloads, sa.cipher, sa.keys.encryptionKey(), sa.iv);
            sa.iv = s.nextIv();
            message = s.message();
        } else {
            message = Message.encodeClear(h, payloads);
        }
        sa.retransmit.sent(message, sa.localPort, sa.peerPort);
        transmit(sa.local, sa.localPort, sa.peer, sa.peerPort, message, payloads);
        if (expectReply) {
            armPhase1(sa);
        }
    }

    private void armPhase1(IkeSa sa) {
        sa.retransmit.arm(loop, sa.policy.msgTimeout(), sa.policy.msgBackoff() == IsakmpPolicy.Backoff.INCREMENTAL, () -> {
            if (sas.get(sa.icookie) != sa || sa.up()) {
                return;
            }
            if (sa.retransmit.attempt() > sa.policy.msgRetryLimit()) {
                failPhase1(sa, ExchangeFailure.fail(IsakmpCounter.EXCHANGE_TIMEOUTS, 0, "no answer from " + dotted(sa.peer) + " in state "
                        + sa.state.display() + " after " + sa.policy.msgRetryLimit() + " retransmissions"));
                retryPhase1(sa);
                return;
            }
            counters.inc(IsakmpCounter.RETRANSMISSIONS);
            transmit(sa.local, sa.localPort, sa.peer, sa.peerPort, sa.retransmit.lastSent());
            armPhase1(sa);
        });
    }

    void sendQuick(IkeSa sa, QuickExchange q, HashPayload hash, List<? extends Payload> tail, boolean expectReply) {
        List<Payload> all = new ArrayList<>();
        all.add(hash);
        all.addAll(tail);
        int flags = IsakmpHeader.FLAG_ENCRYPTION | (q.commit ? IsakmpHeader.FLAG_COMMIT : 0);
        IsakmpHeader h = new IsakmpHeader(sa.icookie, sa.rcookie, 0, IsakmpHeader.VERSION_1_0, ExchangeType.QUICK, flags, q.messageId, 0);
        MessageCrypto.Sealed s = MessageCrypto.seal(h, all, sa.cipher, sa.keys.encryptionKey(), q.iv);
        q.iv = s.nextIv();
        q.retransmit.sent(s.message(), sa.localPort, sa.peerPort);
        transmit(sa.local, sa.localPort, sa.peer, sa.peerPort, s.message(), all);
        if (expectReply) {
            armQuick(sa, q);
        }
    }

    private void armQuick(IkeSa sa, QuickExchange q) {
        q.retransmit.arm(loop, sa.policy.msgTimeout(), sa.policy.msgBackoff() == IsakmpPolicy.Backoff.INCREMENTAL, () -> {
            if (sa.quick.get(q.messageId) != q || q.state == ExchangeState.QUICK_DONE) {
                return;
            }
            if (q.retransmit.attempt() > sa.policy.msgRetryLimit()) {
                failQuick(sa, q, ExchangeFailure.fail(IsakmpCounter.EXCHANGE_TIMEOUTS, 0, "no answer from " + dotted(sa.peer) + " in state "
                        + q.state.display() + " after " + sa.policy.msgRetryLimit() + " retransmissions"));
                retryQuick(sa, q);
                return;
            }
            counters.inc(IsakmpCounter.RETRANSMISSIONS);
            transmit(sa.local, sa.localPort, sa.peer, sa.peerPort, q.retransmit.lastSent());
            armQuick(sa, q);
        });
    }

    /** An Informational exchange (RFC 2409 section 5.7): protected under the SA when it is up, else in the clear. */
    void sendInformational(IkeSa sa, List<? extends Payload> payloads) {
        counters.inc(IsakmpCounter.INFO_SENT);
        if (sa.keys == null || !sa.up()) {
            IsakmpHeader h = new IsakmpHeader(sa.icookie, sa.rcookie, 0, IsakmpHeader.VERSION_1_0, ExchangeType.INFO, 0, 0, 0);
            transmit(sa.local, sa.localPort, sa.peer, sa.peerPort, Message.encodeClear(h, payloads));
            return;
        }
        int mid = newMessageId(sa);
        byte[] tail = PayloadChain.encode(payloads);
        List<Payload> all = new ArrayList<>();
        all.add(new HashPayload(io.argate.isakmp.crypto.Phase2Keys.informational(sa.prf, sa.keys.skeyidA(), mid, tail)));
        all.addAll(payloads);
        IsakmpHeader h = new IsakmpHeader(sa.icookie, sa.rcookie, 0, IsakmpHeader.VERSION_1_0, ExchangeType.INFO,
                IsakmpHeader.FLAG_ENCRYPTION, mid, 0);
        byte[] iv = Phase1Keys.phase2Iv(sa.prf, sa.iv, mid, sa.cipher.blockSize());
        transmit(sa.local, sa.localPort, sa.peer, sa.peerPort, MessageCrypto.seal(h, all, sa.cipher, sa.keys.encryptionKey(), iv).message(), all);
    }

    int newMessageId(IkeSa sa) {
        while (true) {
            int mid = (int) random.nextLong();
            if (mid != 0 && sa.usedMessageIds.add(mid)) {
                return mid;
            }
        }
    }

    // ---- starting exchanges ----

    /**
     * Data-path events (post them to the loop): ACQUIRE starts a negotiation, a soft expiry of a
     * bundle we initiated starts its replacement.
     */
    public void sadEvent(SadEvent e) {
        if (!loop.inLoop()) {
            loop.post(() -> sadEvent(e));
            return;
        }
        if (!config.enabled()) {
            return;
        }
        if (e instanceof SadEvent.Acquire a) {
            initiate(a.policy());
        } else if (e instanceof SadEvent.SoftExpiry s) {
            rekey.softExpiry(s);
        } else if (e instanceof SadEvent.HardExpiry h) {
            prenegotiation.expired(h.policy());
        } else if (e instanceof SadEvent.Purging p) {
            teardown.purging(p, upSaWith(p.peer()));
        } else if (e instanceof SadEvent.UnknownSpi) {
            counters.inc(IsakmpCounter.BAD_SPI_REQUESTS);
        }
    }

    /** Starts keying an IPsec policy: Quick Mode on an ISAKMP SA with its peer, first phase 1 when there is none. */
    public void initiate(String policyName) {
        IpsecPolicy p = ipsec.policy(policyName).orElse(null);
        if (p == null || p.action() != PolicyAction.IPSEC || p.keyManagement() != KeyManagement.ISAKMP || negotiating.contains(p.name())) {
            return;
        }
        if (p.peer().kind() != PeerAddress.Kind.FIXED) {
            log.log("ERROR", "IPsec policy " + p.name() + " has PEER=" + p.peer() + "; the peer must start the negotiation");
            return;
        }
        int peer = p.peer().address();
        Optional<IsakmpPolicy> ip = p.isakmpPolicy() != null ? config.policy(p.isakmpPolicy()) : config.forPeer(peer);
        if (ip.isEmpty()) {
            counters.inc(IsakmpCounter.POLICY_BY_PEER_FAILED);
            log.log("ERROR", "IPsec policy " + p.name() + ": no ISAKMP policy has PEER=" + dotted(peer));
            return;
        }
        counters.inc(IsakmpCounter.POLICY_BY_PEER_GOOD);
        negotiating.add(p.name());
        for (IkeSa sa : sas.values()) {
            if (sa.peer == peer && sa.up() && !sa.rekeyed && sa.access.ready()) {
                startQuick(sa, p);
                return;
            }
        }
        for (IkeSa sa : sas.values()) {
            // phase 1 still running, or XAUTH / Mode Config still to finish on it
            if (sa.peer == peer && (sa.initiator && !sa.up() || sa.up() && !sa.rekeyed && !sa.access.ready())) {
                sa.waiting.add(p.name());
                return;
            }
        }
        startPhase1(ip.get(), peer).waiting.add(p.name());
    }

    /** Starts Main or Aggressive Mode with a peer as the policy says. */
    IkeSa startPhase1(IsakmpPolicy policy, int peer) {
        int local = IkeSource.of(network, policy, peer);
        ExchangeKind kind = policy.mode() == IsakmpPolicy.Mode.AGGRESSIVE ? ExchangeKind.AGGRESSIVE : ExchangeKind.MAIN;
        long cookie;
        do {
            cookie = random.nextLong();
        } while (cookie == 0 || sas.containsKey(cookie));
        IkeSa sa = new IkeSa(nextExchange++, true, kind, policy, peer, IsakmpLimits.IKE_PORT, local, IsakmpLimits.IKE_PORT, cookie,
                loop.clock().instant());
        sas.put(cookie, sa);
        log.log("XCHG", "Exchange " + sa.exchangeId + ": Phase 1 [init] started with peer " + dotted(peer));
        counters.inc(kind == ExchangeKind.MAIN ? IsakmpCounter.MAIN_INITIATED : IsakmpCounter.AGGR_INITIATED);
        if (kind == ExchangeKind.MAIN) {
            MainMode.mainOutI1(this, sa);
        } else {
            AggressiveMode.aggrOutI1(this, sa);
        }
        return sa;
    }

    /**
     * RETRYIKEATTEMPTS: a phase 1 we started that ran out of retransmissions (MSGRETRYLIMIT)
     * starts again from message 1 with fresh cookies, up to that many times (CONTINUOUS: until
     * it completes), keeping the IPsec policies that wait for it.
     */
    private void retryPhase1(IkeSa failed) {
        IsakmpPolicy now = config.policy(failed.policy.name()).orElse(null);
        int allowed = now == null ? 0 : now.retryIkeAttempts();
        if (!failed.initiator || !config.enabled() || allowed == 0 || allowed > 0 && failed.ikeRetries >= allowed) {
            return;
        }
        counters.inc(IsakmpCounter.RETRY_IKE_PH1);
        log.log("XCHG", "Exchange " + failed.exchangeId + ": Phase 1 with peer " + dotted(failed.peer) + " is retried (attempt "
                + (failed.ikeRetries + 1) + " of " + (allowed < 0 ? "CONTINUOUS" : allowed) + ")");
        IkeSa next = startPhase1(now, failed.peer);
        next.ikeRetries = failed.ikeRetries + 1;
        for (String w : failed.waiting) {
            if (negotiating.add(w)) {
                next.waiting.add(w);
            }
        }
    }

    /** RETRYIKEATTEMPTS for phase 2: a Quick Mode we started that ran out of retransmissions starts again on the same ISAKMP SA. */
    private void retryQuick(IkeSa sa, QuickExchange failed) {
        int allowed = sa.policy.retryIkeAttempts();
        if (!failed.initiator || failed.policy == null || allowed == 0 || allowed > 0 && failed.ikeRetries >= allowed
                || sas.get(sa.icookie) != sa || !sa.up() || !negotiating.add(failed.policy.name())) {
            return;
        }
        counters.inc(IsakmpCounter.RETRY_IKE_PH2);
        log.log("XCHG", "Exchange " + failed.exchangeId + ": Phase 2 with peer " + dotted(sa.peer) + " is retried (attempt "
                + (failed.ikeRetries + 1) + " of " + (allowed < 0 ? "CONTINUOUS" : allowed) + ")");
        QuickExchange next = startQuick(sa, failed.policy);
        if (next != null) {
            next.ikeRetries = failed.ikeRetries + 1;
        }
    }

    private QuickExchange startQuick(IkeSa sa, IpsecPolicy p) {
        BundleSpecification b = ipsec.bundle(p.bundle()).orElse(null);
        if (b == null || Phase2Proposals.negotiable(b).isEmpty()) {
            negotiating.remove(p.name());
            log.log("ERROR", "IPsec policy " + p.name() + ": bundle " + p.bundle() + (b == null ? " does not exist"
                    : " has no combination ISAKMP can negotiate (IPComp alone needs an ESP or AH SA with it)"));
            return null;
        }
        int mid = newMessageId(sa);
        QuickExchange q = new QuickExchange(nextExchange++, mid, true, loop.clock().instant());
        q.policy = p;
        q.bundle = b;
        q.iv = Phase1Keys.phase2Iv(sa.prf, sa.iv, mid, sa.cipher.blockSize());
        sa.quick.put(mid, q);
        log.log("XCHG", "Exchange " + q.exchangeId + ": Phase 2 [init] started with peer " + dotted(sa.peer));
        counters.inc(IsakmpCounter.QUICK_INITIATED);
        QuickMode.quickOutI1(this, sa, q);
        return q;
    }

    // ---- completion ----

    void phase1Up(IkeSa sa, Message last) {
        sa.upAt = loop.clock().instant();
        sa.saId = nextSaId++;
        counters.inc(sa.kind == ExchangeKind.MAIN ? IsakmpCounter.MAIN_COMPLETED : IsakmpCounter.AGGR_COMPLETED);
        for (NotifyPayload n : last.all(NotifyPayload.class)) {
            log.log("XCHG", "Exchange " + sa.exchangeId + ": Notification Received - " + NotifyType.REGISTRY.name(n.notifyType()));
            if (n.notifyType() == NotifyType.INITIAL_CONTACT) {
                forgetOthers(sa);
            }
        }
        log.log("XCHG", "Exchange " + sa.exchangeId + ": Completed successfully");
        liveness.up(sa);
        long life = Math.max(sa.lifeSeconds, 1);
        long soft = life * 95 / 100 - random.nextInt((int) Math.max(1, life * IsakmpLimits.REKEY_JITTER_PERCENT / 100));
        sa.softTimer = loop.schedule(Duration.ofSeconds(Math.max(1, soft)), () -> softExpire(sa));
        sa.hardTimer = loop.schedule(Duration.ofSeconds(life), () -> deleteSa(sa, "its lifetime of " + life + " s ended"));
        if (sa.nat != NatTraversal.NONE && sa.natLocal) {
            // RFC 3948 section 2.3: the side behind the NAT keeps the mapping alive
            sa.keepalive = loop.every(Duration.ofSeconds(20), () -> transmit(sa.local, IsakmpLimits.NAT_T_PORT, sa.peer, sa.peerPort, new byte[]{(byte) 0xff}));
        }
        retireReplaced(sa);
        if (TransactionMode.afterPhase1(this, sa)) {
            remoteAccessReady(sa);
        }
    }

    /** XAUTH and Mode Config are done (or were not asked for): the IPsec policies waiting for this SA start phase 2. */
    void remoteAccessReady(IkeSa sa) {
        if (sa.access.waitTimer != null) {
            sa.access.waitTimer.cancel();
        }
        List<String> waiting = new ArrayList<>(sa.waiting);
        sa.waiting.clear();
        for (String name : waiting) {
            negotiating.remove(name);
            initiate(name);
        }
    }

    /**
     * INITIAL-CONTACT (RFC 2407 section 4.6.3.3): the peer kept no state, so its older ISAKMP SAs
     * and their IPsec SAs go, found by address and, for a client that reconnects from a new
     * address, by the identity it authenticated with ({@link PeerBinding}).
     */
    private void forgetOthers(IkeSa sa) {
        for (IkeSa o : List.copyOf(sas.values())) {
            if (o != sa && o.up() && PeerBinding.samePeer(o, sa)) {
                String why = "replaced by ISAKMP SA " + sa.saId + ": the peer" + (o.peer == sa.peer ? "" : ", now at " + dotted(sa.peer) + ",")
                        + " said INITIAL-CONTACT";
                log.log("XCHG", "ISAKMP SA " + o.saId + " with " + dotted(o.peer) + " deleted: " + why);
                counters.inc(IsakmpCounter.INITIAL_CONTACT_REPLACED);
                liveness.cleared(o, why);
                remove(o);
                if (!hasUpSaWith(o.peer) || o.peer == sa.peer) {
                    clearIpsec(o.peer);
                }
            }
        }
    }

    /** Removes the IPsec SAs to a peer, counted as deletions. */
    private void clearIpsec(int peer) {
        int n = installer.clearPeer(peer);
        for (int i = 0; i < n; i++) {
            counters.inc(IsakmpCounter.SA_DELETED);
        }
    }

    /** An ISAKMP SA with {@code peer} that is up, or null. */
    IkeSa upSaWith(int peer) {
        for (IkeSa o : sas.values()) {
            if (o.peer == peer && o.up()) {
                return o;
            }
        }
        return null;
    }

    boolean hasUpSaWith(int peer) {
        for (IkeSa o : sas.values()) {
            if (o.peer == peer && o.up()) {
                return true;
            }
        }
        return false;
    }

    /** A dead peer (DPD or heartbeat): its ISAKMP SAs and IPsec SAs go, with the reason logged and kept for SHOW. */
    void clearPeer(int peer, String why) {
        for (IkeSa o : List.copyOf(sas.values())) {
            if (o.peer == peer) {
                log.log("XCHG", "ISAKMP SA " + o.saId + " with " + dotted(peer) + " cleared: " + why);
                liveness.cleared(o, why);
                remove(o);
            }
        }
        clearIpsec(peer);
    }

    /**
     * A phase 1 that replaces one we rekeyed: new Quick Modes already use it, and the old ISAKMP
     * SA is deleted after the policy's DELETEDELAY, once no Quick Mode still runs on it.
     */
    private void retireReplaced(IkeSa fresh) {
        for (IkeSa old : sas.values()) {
            if (old != fresh && old.peer == fresh.peer && old.up() && old.rekeyed) {
                loop.schedule(Duration.ofSeconds(fresh.policy.deleteDelay()), () -> retire(old, fresh));
            }
        }
    }

    private void retire(IkeSa old, IkeSa fresh) {
        if (old.quick.values().stream().anyMatch(q -> q.state != ExchangeState.QUICK_DONE)) {
            loop.schedule(IsakmpLimits.REKEY_WATCH, () -> retire(old, fresh));
            return;
        }
        deleteSa(old, "replaced by ISAKMP SA " + fresh.saId);
    }

    private void softExpire(IkeSa sa) {
        if (sas.get(sa.icookie) != sa || !sa.initiator) {
            return;
        }
        sa.rekeyed = true;
        startPhase1(sa.policy, sa.peer);
    }

    /** Ends an ISAKMP SA, telling the peer when SENDDELETES (RFC 2408 section 3.15: the SPI is the cookie pair). */
    void deleteSa(IkeSa sa, String why) {
        if (sas.get(sa.icookie) != sa) {
            return;
        }
        if (sa.up() && sa.policy.sendDeletes()) {
            counters.inc(IsakmpCounter.DELETES_SENT);
            sendInformational(sa, List.of(new DeletePayload(Doi.IPSEC, Doi.PROTO_ISAKMP, 16, List.of(MainMode.initialContactSpi(sa)))));
        }
        log.log("XCHG", "ISAKMP SA " + sa.saId + " with " + dotted(sa.peer) + " deleted: " + why);
        liveness.cleared(sa, why);
        remove(sa);
    }

    private void remove(IkeSa sa) {
        sas.remove(sa.icookie);
        liveness.gone(sa);
        sa.retransmit.cancel();
        TransactionMode.release(this, sa);
        for (QuickExchange q : sa.quick.values()) {
            q.retransmit.cancel();
            QuickMode.discardUnsent(this, q);
            if (q.state != ExchangeState.QUICK_DONE && q.policy != null) {
                negotiating.remove(q.policy.name());
            }
        }
        for (ControlLoop.Timer t : Arrays.asList(sa.softTimer, sa.hardTimer, sa.keepalive)) {
            if (t != null) {
                t.cancel();
            }
        }
        for (String w : sa.waiting) {
            negotiating.remove(w);
        }
    }

    /** Installs what Quick Mode agreed; {@code sending} false installs it receiving only until {@link #startSending}. */
    void installBundle(IkeSa sa, QuickExchange q, NegotiatedBundle b, boolean sending) throws ExchangeFailure {
        try {
            q.bundleId = sending ? installer.install(b) : installer.installInbound(b);
        } catch (IllegalStateException e) {
            counters.inc(IsakmpCounter.SA_INSTALL_FAILED);
            throw ExchangeFailure.fail(IsakmpCounter.QUICK_FAILED, 0, "the IPsec SA bundle for policy " + b.policy() + " was not installed: " + e.getMessage());
        }
        counters.inc(IsakmpCounter.SA_INSTALLED);
        if (sending) {
            completed(sa, q);
        }
    }

    /** The receiving-only bundle of {@code q} starts sending (Quick Mode message 3 or CONNECTED arrived). */
    void startSending(IkeSa sa, QuickExchange q) throws ExchangeFailure {
        if (q.bundleId < 0 || !installer.activate(q.bundleId)) {
            throw ExchangeFailure.fail(IsakmpCounter.QUICK_FAILED, 0, "the IPsec SA bundle for policy " + q.policy.name()
                    + " was removed before it could send");
        }
        completed(sa, q);
    }

    private void completed(IkeSa sa, QuickExchange q) {
        q.sending = true;
        rekey.installed(sa, q.policy.name(), q.bundleId);
        counters.inc(IsakmpCounter.QUICK_COMPLETED);
        negotiating.remove(q.policy.name());
        q.finishedAt = loop.clock().instant();
        log.log("XCHG", "Exchange " + q.exchangeId + ": Completed successfully");
        // kept a while to answer a retransmission of the peer's last message
        loop.schedule(IsakmpLimits.LINGER, () -> sa.quick.remove(q.messageId, q));
    }

    // ---- failures ----

    private void failPhase1(IkeSa sa, ExchangeFailure f) {
        counters.inc(f.counter());
        counters.inc(sa.kind == ExchangeKind.MAIN ? IsakmpCounter.MAIN_FAILED : IsakmpCounter.AGGR_FAILED);
        sa.failure = f.getMessage();
        log.log("XCHG", "Exchange " + sa.exchangeId + ": Failed - " + f.getMessage());
        if (f.notifyType() != 0 && sa.policy != null && sa.policy.sendNotify()) {
            sendInformational(sa, List.of(NotifyPayload.of(Doi.PROTO_ISAKMP, new byte[0], f.notifyType(), new byte[0])));
        }
        remove(sa);
    }

    private void failQuick(IkeSa sa, QuickExchange q, ExchangeFailure f) {
        counters.inc(f.counter());
        counters.inc(IsakmpCounter.QUICK_FAILED);
        log.log("XCHG", "Exchange " + q.exchangeId + ": Failed - " + f.getMessage());
        if (f.notifyType() != 0 && sa.policy.sendNotify()) {
            sendInformational(sa, List.of(NotifyPayload.of(Doi.PROTO_ESP, new byte[0], f.notifyType(), new byte[0])));
        }
        q.retransmit.cancel();
        QuickMode.discardUnsent(this, q);
        sa.quick.remove(q.messageId);
        if (q.policy != null) {
            negotiating.remove(q.policy.name());
        }
    }

    // ---- DEBUG=PKT ----

    private void dump(String title, byte[] message) {
        debug(MessageDump.message(title, message, debug.on(IsakmpDebug.Output.RAW)));
    }

    /** A received message's payloads once the daemon decrypted them (seed 003: the AR shows them too). */
    private void debugDecrypted(IsakmpHeader h, byte[] plain) {
        if (debug.on(IsakmpDebug.Output.PACKET)) {
            debug(MessageDump.decrypted("Decrypted Payloads:", h.nextPayload(), plain, debug.on(IsakmpDebug.Output.RAW)));
        }
    }

    private void debug(List<String> lines) {
        for (String l : lines) {
            debug.line(l);
        }
    }

    void drop(IsakmpCounter c, String why) {
        counters.inc(c);
        if (debug.on(IsakmpDebug.Output.STATE)) {
            debug.line("ISAKMP dropped a message: " + why);
        }
    }

    // ---- receiving ----

    /** From a receive thread: queues the datagram on the loop without blocking. */
    public boolean post(Datagram d) {
        return loop.post(() -> receive(d));
    }

    /** On the loop: one datagram from UDP 500 or 4500. */
    public void receive(Datagram d) {
        counters.inc(IsakmpCounter.RX_DATAGRAMS);
        if (!config.enabled()) {
            drop(IsakmpCounter.DROP_DISABLED, "ISAKMP is disabled");
            return;
        }
        byte[] p = d.payload();
        if (d.localPort() == IsakmpLimits.NAT_T_PORT) {
            if (p.length == 1 && (p[0] & 0xff) == 0xff) {
                counters.inc(IsakmpCounter.RX_KEEPALIVES);
                return;
            }
            if (p.length < IsakmpLimits.NON_ESP_MARKER || p[0] != 0 || p[1] != 0 || p[2] != 0 || p[3] != 0) {
                drop(IsakmpCounter.RX_NOT_IKE_ON_4500, "no non-ESP marker on port 4500");
                return;
            }
            p = Arrays.copyOfRange(p, IsakmpLimits.NON_ESP_MARKER, p.length);
        }
        if (debug.on(IsakmpDebug.Output.PACKET)) {
            // before any check, so a message the daemon drops is seen as it came
            dump("ISAKMP Rx Message from " + dotted(d.remoteAddress()) + ":" + d.remotePort(), p);
        }
        IsakmpHeader h;
        try {
            h = IsakmpHeader.decode(p);
        } catch (WireException e) {
            drop(IsakmpCounter.DROP_MALFORMED, e.getMessage());
            return;
        }
        try {
            dispatch(d, h, p);
        } catch (RuntimeException e) {
            // a defect, not a peer's doing: count it and keep the daemon running
            drop(IsakmpCounter.DROP_MALFORMED, "internal error on a message: " + e);
            log.log("ERROR", "ISAKMP dropped a message after an internal error: " + e);
        }
    }

    private void dispatch(Datagram d, IsakmpHeader h, byte[] p) {
        IkeSa sa = sas.get(h.initiatorCookie());
        if (sa == null) {
            startResponder(d, h, p);
            return;
        }
        if (sa.peer != d.remoteAddress() || h.responderCookie() != sa.rcookie && !(sa.initiator && sa.rcookie == 0 && !sa.up())) {
            drop(IsakmpCounter.DROP_UNKNOWN_COOKIE, "cookies or address do not match an SA");
            return;
        }
        switch (h.exchangeType()) {
            case ExchangeType.IDPROT, ExchangeType.AGGRESSIVE -> phase1(sa, d, h, p);
            case ExchangeType.QUICK -> quick(sa, d, h, p);
            case ExchangeType.INFO -> informational(sa, d, h, p);
            case ExchangeType.TRANSACTION -> TransactionMode.receive(this, sa, d, h, p);
            default -> drop(IsakmpCounter.DROP_BAD_EXCHANGE, "exchange type " + ExchangeType.REGISTRY.display(h.exchangeType()));
        }
    }

    /** Phase 1 exchanges we answer that have not authenticated yet (bounded by HALF_OPEN_TOTAL), for SHOW ISAKMP. */
    public int halfOpenCount() {
        return halfOpen(0);
    }

    /** ISAKMP SAs up whose XAUTH has not finished (the server waits for a password, or the client for a request), for SHOW ISAKMP. */
    public int xauthPendingCount() {
        return xauthPending(0);
    }

    /** SAs waiting for XAUTH with {@code peer} (0: with anyone). */
    int xauthPending(int peer) {
        int n = 0;
        for (IkeSa s : sas.values()) {
            if (s.up() && s.access.xauth == RemoteAccessState.Step.PENDING && (peer == 0 || s.peer == peer)) {
                n++;
            }
        }
        return n;
    }

    private int halfOpen(int peer) {
        int n = 0;
        for (IkeSa s : sas.values()) {
            if (!s.initiator && !s.up() && (peer == 0 || s.peer == peer)) {
                n++;
            }
        }
        return n;
    }

    private void startResponder(Datagram d, IsakmpHeader h, byte[] p) {
        if (h.responderCookie() != 0 || h.messageId() != 0 || h.exchangeType() != ExchangeType.IDPROT && h.exchangeType() != ExchangeType.AGGRESSIVE) {
            drop(IsakmpCounter.DROP_UNKNOWN_COOKIE, "no SA has initiator cookie " + Long.toHexString(h.initiatorCookie()));
            return;
        }
        // a flood of first messages holds at most HALF_OPEN_TOTAL exchanges; each refusal is counted by its reason
        if (halfOpen(d.remoteAddress()) >= IsakmpLimits.HALF_OPEN_PER_PEER) {
            drop(IsakmpCounter.DROP_HALF_OPEN_PEER, "too many unauthenticated exchanges with " + dotted(d.remoteAddress()));
            return;
        }
        if (halfOpen(0) >= IsakmpLimits.HALF_OPEN_TOTAL) {
            IkeSa unanswered = HalfOpenEviction.oldestUnanswered(sas.values());
            if (unanswered == null) {
                drop(IsakmpCounter.DROP_HALF_OPEN_TOTAL, "too many unauthenticated exchanges in total");
                return;
            }
            counters.inc(IsakmpCounter.HALF_OPEN_EVICTED);
            remove(unanswered);
        }
        ExchangeKind kind = h.exchangeType() == ExchangeType.IDPROT ? ExchangeKind.MAIN : ExchangeKind.AGGRESSIVE;
        IkeSa sa = new IkeSa(nextExchange, false, kind, null, d.remoteAddress(), d.remotePort(), d.localAddress(), d.localPort(),
                h.initiatorCookie(), loop.clock().instant());
        long rc;
        do {
            rc = random.nextLong();
        } while (rc == 0);
        sa.rcookie = rc;
        Message m = decodeAndCheck(sa, h, p, null);
        if (m == null) {
            return;
        }
        Transition t = Transitions.expected(sa.state, false).orElseThrow();
        sas.put(sa.icookie, sa);
        nextExchange++;
        log.log("XCHG", "Exchange " + sa.exchangeId + ": Phase 1 [resp] started with peer " + dotted(sa.peer));
        counters.inc(kind == ExchangeKind.MAIN ? IsakmpCounter.MAIN_RESPONDED : IsakmpCounter.AGGR_RESPONDED);
        sa.retransmit.received(p);
        try {
            t.handler().handle(this, new Inbound(sa, null, m, false, d));
        } catch (ExchangeFailure f) {
            failPhase1(sa, f);
        }
    }

    /** Decodes a clear message and checks the rule of the row expected next; null (counted) when it breaks either. */
    private Message decodeAndCheck(IkeSa sa, IsakmpHeader h, byte[] p, PayloadRule forced) {
        if (h.encrypted()) {
            drop(IsakmpCounter.DROP_BAD_PAYLOADS, "an encrypted first message");
            return null;
        }
        Message m;
        try {
            m = Message.decodeClear(h, p);
        } catch (WireException e) {
            drop(IsakmpCounter.DROP_MALFORMED, e.getMessage());
            return null;
        }
        PayloadRule rule = forced != null ? forced : Transitions.expected(sa.state, sa.initiator).map(Transition::rule).orElse(null);
        Optional<String> bad = rule == null ? Optional.of("no message expected") : rule.check(m, false);
        if (bad.isPresent()) {
            drop(IsakmpCounter.DROP_BAD_PAYLOADS, bad.get());
            return null;
        }
        return m;
    }

    private void phase1(IkeSa sa, Datagram d, IsakmpHeader h, byte[] p) {
        if (sa.retransmit.isDuplicate(p)) {
            counters.inc(IsakmpCounter.DUPLICATES);
            if (sa.retransmit.answersDuplicate()) {
                int[] target = sa.retransmit.lastTarget();
                transmit(sa.local, target[0], sa.peer, target[1], sa.retransmit.lastSent());
            }
            return;
        }
        Optional<Transition> t = Transitions.expected(sa.state, sa.initiator);
        if (t.isEmpty() || h.exchangeType() != sa.kind.exchangeType() || h.messageId() != 0) {
            drop(IsakmpCounter.DROP_UNEXPECTED, "phase 1 message in state " + sa.state.display());
            return;
        }
        byte[] savedIv = sa.iv;
        Message m;
        if (h.encrypted()) {
            if (sa.keys == null) {
                drop(IsakmpCounter.DROP_UNEXPECTED, "encrypted phase 1 message before the keys exist");
                return;
            }
            Opened opened;
            try {
                opened = open(sa, h, p, sa.iv);
            } catch (WireException e) {
                pskSuspect(sa, t.get(), e.getMessage());
                return;
            }
            m = opened.message();
            Optional<String> bad = t.get().rule().check(m, true);
            if (bad.isPresent()) {
                // a body that decrypted to a well-formed payload chain was encrypted with our key (a different
                // key yields noise): the message is malformed, not a sign of a wrong pre-shared key
                drop(IsakmpCounter.DROP_BAD_PAYLOADS, bad.get());
                return;
            }
            sa.iv = opened.nextIv();
        } else {
            try {
                m = Message.decodeClear(h, p);
            } catch (WireException e) {
                drop(IsakmpCounter.DROP_MALFORMED, e.getMessage());
                return;
            }
            Optional<String> bad = t.get().rule().check(m, false);
            if (bad.isPresent()) {
                drop(IsakmpCounter.DROP_BAD_PAYLOADS, bad.get());
                return;
            }
        }
        if (d.localPort() != sa.localPort && sa.nat != NatTraversal.NONE && d.localPort() == IsakmpLimits.NAT_T_PORT) {
            // RFC 3947 section 4: the peer moved to 4500; answer where the message came from
            sa.localPort = IsakmpLimits.NAT_T_PORT;
        }
        if (sa.localPort == IsakmpLimits.NAT_T_PORT) {
            sa.peerPort = d.remotePort();
        }
        sa.retransmit.received(p);
        try {
            t.get().handler().handle(this, new Inbound(sa, null, m, h.encrypted(), d));
        } catch (ExchangeFailure f) {
            if (f.fatal()) {
                failPhase1(sa, f);
            } else {
                sa.iv = savedIv;
                drop(f.counter(), f.getMessage());
            }
        }
    }

    /**
     * An encrypted phase 1 message that does not decrypt to valid payloads: with pre-shared keys
     * this is what a different key looks like (both sides derive SKEYID_e from it), so that is
     * what the log says, once per exchange; the message is dropped and the exchange waits.
     */
    private void pskSuspect(IkeSa sa, Transition t, String detail) {
        counters.inc(IsakmpCounter.DROP_DECRYPT);
        counters.inc(Phase1Steps.authFailed(sa));
        if (sa.failure == null) {
            sa.failure = "ISAKMP policy " + sa.policy.name() + ": " + t.rule().message() + " did not decrypt to valid payloads; the pre-shared key (KEY="
                    + sa.policy.key() + ") differs from the peer's";
            log.log("XCHG", "Exchange " + sa.exchangeId + ": " + sa.failure + " (" + detail + ")");
            if (sa.policy.sendNotify()) {
                sendInformational(sa, List.of(NotifyPayload.of(Doi.PROTO_ISAKMP, new byte[0], NotifyType.INVALID_HASH_INFORMATION, new byte[0])));
            }
        }
    }

    private void quick(IkeSa sa, Datagram d, IsakmpHeader h, byte[] p) {
        if (!sa.up() || h.messageId() == 0 || !h.encrypted()) {
            drop(IsakmpCounter.DROP_UNEXPECTED, "Quick Mode message before phase 1 is up, with message ID 0, or in the clear");
            return;
        }
        QuickExchange q = sa.quick.get(h.messageId());
        boolean fresh = q == null;
        if (fresh) {
            if (!sa.access.phase2Allowed()) {
                // draft-beaulieu-ike-xauth-02 section 4: no phase 2 before XAUTH succeeded
                drop(IsakmpCounter.XAUTH_PHASE2_REFUSED, "Quick Mode from " + dotted(sa.peer) + " before XAUTH succeeded");
                return;
            }
            if (sa.usedMessageIds.contains(h.messageId())) {
                drop(IsakmpCounter.DROP_UNEXPECTED, "message ID " + Integer.toHexString(h.messageId()) + " was used before");
                return;
            }
            if (sa.quick.size() >= IsakmpLimits.PHASE2_IN_FLIGHT || sa.policy.phase2XchgLimit() > 0 && sa.quick.size() >= sa.policy.phase2XchgLimit()) {
                drop(IsakmpCounter.DROP_HALF_OPEN, "too many Quick Mode exchanges on ISAKMP SA " + sa.saId);
                return;
            }
            q = new QuickExchange(nextExchange, h.messageId(), false, loop.clock().instant());
            q.iv = Phase1Keys.phase2Iv(sa.prf, sa.iv, h.messageId(), sa.cipher.blockSize());
        } else if (q.retransmit.isDuplicate(p)) {
            counters.inc(IsakmpCounter.DUPLICATES);
            if (q.retransmit.answersDuplicate()) {
                transmit(sa.local, sa.localPort, sa.peer, sa.peerPort, q.retransmit.lastSent());
            }
            return;
        }
        Optional<Transition> t = Transitions.expected(q.state, q.initiator);
        if (t.isEmpty()) {
            drop(IsakmpCounter.DROP_UNEXPECTED, "Quick Mode message in state " + q.state.display());
            return;
        }
        Opened opened;
        try {
            opened = open(sa, h, p, q.iv);
        } catch (WireException e) {
            drop(IsakmpCounter.DROP_DECRYPT, e.getMessage());
            return;
        }
        Message m = opened.message();
        Optional<String> bad = t.get().rule().check(m, true);
        if (bad.isPresent()) {
            drop(IsakmpCounter.DROP_BAD_PAYLOADS, bad.get());
            return;
        }
        byte[] savedIv = q.iv;
        q.iv = opened.nextIv();
        if (fresh) {
            nextExchange++;
            sa.quick.put(q.messageId, q);
            sa.usedMessageIds.add(q.messageId);
        }
        q.retransmit.received(p);
        q.peerCommit |= q.initiator && h.commit();
        try {
            t.get().handler().handle(this, new Inbound(sa, q, m, true, d));
            heardFrom(sa, d);
            if (fresh) {
                log.log("XCHG", "Exchange " + q.exchangeId + ": Phase 2 [resp] started with peer " + dotted(sa.peer));
                counters.inc(IsakmpCounter.QUICK_RESPONDED);
            }
        } catch (ExchangeFailure f) {
            if (f.fatal()) {
                failQuick(sa, q, f);
            } else {
                q.iv = savedIv;
                if (fresh) {
                    sa.quick.remove(q.messageId);
                    sa.usedMessageIds.remove(q.messageId);
                }
                drop(f.counter(), f.getMessage());
            }
        }
    }

    /** An encrypted message's body, decoded, and the IV for the next message (its last cipher block). */
    record Opened(Message message, byte[] nextIv) {
    }

    /**
     * Decrypts an encrypted message with {@code iv} (RFC 2409 appendix B: the phase 1 IV chain,
     * or the exchange's phase 2 IV) and decodes its payloads; the decode goes to DEBUG=PKT.
     */
    Opened open(IkeSa sa, IsakmpHeader h, byte[] p, byte[] iv) throws WireException {
        byte[][] opened = MessageCrypto.open(p, sa.cipher, sa.keys.encryptionKey(), iv);
        if (opened == null) {
            throw new WireException(WireException.Reason.BAD_ENCRYPTED_LENGTH, null);
        }
        debugDecrypted(h, opened[0]);
        return new Opened(Message.decodeBody(h, opened[0]), opened[1]);
    }

    private void informational(IkeSa sa, Datagram d, IsakmpHeader h, byte[] p) {
        counters.inc(IsakmpCounter.INFO_RECEIVED);
        if (!h.encrypted()) {
            Message m = decodeAndCheck(sa, h, p, Transitions.INFO_CLEAR);
            if (m != null) {
                for (NotifyPayload n : m.all(NotifyPayload.class)) {
                    counters.inc(IsakmpCounter.NOTIFIES_RECEIVED);
                    log.log("XCHG", "Exchange " + sa.exchangeId + ": Notification Received (unauthenticated) - "
                            + NotifyType.REGISTRY.name(n.notifyType()) + explain(n.notifyType()));
                }
            }
            return;
        }
        if (!sa.up() || h.messageId() == 0) {
            drop(IsakmpCounter.DROP_UNEXPECTED, "protected Informational before phase 1 is up or with message ID 0");
            return;
        }
        byte[] iv = Phase1Keys.phase2Iv(sa.prf, sa.iv, h.messageId(), sa.cipher.blockSize());
        Message m;
        try {
            m = open(sa, h, p, iv).message();
        } catch (WireException e) {
            drop(IsakmpCounter.DROP_DECRYPT, e.getMessage());
            return;
        }
        Optional<String> bad = Transitions.INFO_PROTECTED.check(m, true);
        if (bad.isPresent()) {
            drop(IsakmpCounter.DROP_BAD_PAYLOADS, bad.get());
            return;
        }
        byte[] want = io.argate.isakmp.crypto.Phase2Keys.informational(sa.prf, sa.keys.skeyidA(), h.messageId(), m.rawAfter(0));
        if (!java.security.MessageDigest.isEqual(want, m.first(HashPayload.class).data())) {
            drop(IsakmpCounter.INFO_BAD_HASH, "Informational HASH did not verify");
            return;
        }
        for (Payload pl : m.payloads()) {
            if (pl instanceof NotifyPayload n) {
                counters.inc(IsakmpCounter.NOTIFIES_RECEIVED);
                if (n.notifyType() == NotifyType.R_U_THERE) {
                    liveness.ruThere(sa, n);
                    continue;
                }
                if (n.notifyType() == NotifyType.R_U_THERE_ACK) {
                    liveness.ack(sa, n);
                    continue;
                }
                if (n.notifyType() == io.argate.isakmp.liveness.HeartbeatMessage.TYPE) {
                    liveness.heartbeat(sa, n);
                    continue;
                }
                log.log("XCHG", "Exchange " + sa.exchangeId + ": Notification Received - " + NotifyType.REGISTRY.name(n.notifyType())
                        + explain(n.notifyType()));
                if (n.notifyType() == NotifyType.INITIAL_CONTACT) {
                    forgetOthers(sa);
                }
            } else if (pl instanceof DeletePayload del) {
                counters.inc(IsakmpCounter.DELETES_RECEIVED);
                peerDeleted(sa, del);
            }
        }
        heardFrom(sa, d);
    }

    /**
     * An authenticated message on an up SA: the peer is alive, and behind a NAT whose mapping
     * changed it now sends from another port, which the SA and its ESP-in-UDP follow (RFC 3947
     * section 5; RFC 3948 section 2.1 leaves the port to the NAT).
     */
    private void heardFrom(IkeSa sa, Datagram d) {
        liveness.heard(sa);
        if (sas.get(sa.icookie) == sa && sa.floated() && d.localPort() == IsakmpLimits.NAT_T_PORT && d.remotePort() != sa.peerPort) {
            counters.inc(IsakmpCounter.NAT_PORT_CHANGES);
            log.log("XCHG", "ISAKMP SA " + sa.saId + ": peer " + dotted(sa.peer) + " moved from port " + sa.peerPort + " to " + d.remotePort()
                    + " (its NAT mapping changed); following it");
            sa.peerPort = d.remotePort();
            installer.followPeerPort(sa.peer, d.remotePort());
        }
    }

    private static String explain(int notify) {
        return switch (notify) {
            case NotifyType.INVALID_HASH_INFORMATION, NotifyType.AUTHENTICATION_FAILED ->
                    ": the peer could not verify us; check that both ends use the same pre-shared key";
            case NotifyType.NO_PROPOSAL_CHOSEN -> ": the peer accepted none of our proposals; compare the algorithms of both ends";
            case NotifyType.INVALID_ID_INFORMATION -> ": the peer did not accept our identities; compare LOCALID/REMOTEID or the policy selectors";
            default -> "";
        };
    }

    private void peerDeleted(IkeSa sa, DeletePayload del) {
        if (del.protocol() == Doi.PROTO_ISAKMP) {
            for (byte[] spi : del.spis()) {
                if (spi.length == 16) {
                    IkeSa gone = sas.get(java.nio.ByteBuffer.wrap(spi).getLong());
                    if (gone != null && gone.peer == sa.peer) {
                        log.log("XCHG", "ISAKMP SA " + gone.saId + " with " + dotted(gone.peer) + " deleted by the peer");
                        liveness.cleared(gone, "deleted by the peer");
                        remove(gone);
                    }
                }
            }
            return;
        }
        IpsecProtocol proto = Phase2Proposals.protocol(del.protocol());
        if (proto == null || del.spiSize() != 4) {
            return;
        }
        for (byte[] spi : del.spis()) {
            if (installer.delete(proto, java.nio.ByteBuffer.wrap(spi).getInt())) {
                counters.inc(IsakmpCounter.SA_DELETED);
            }
        }
    }

    /** DESTROY ISAKMP POLICY: the SAs negotiated under it, and the IPsec SAs keyed with their peers, go as PURGE ends them. */
    public void policyDestroyed(String name) {
        teardown.end(sa -> sa.policy != null && sa.policy.name().equals(name), "ISAKMP policy " + name + " was destroyed");
    }

    // ---- views for SHOW ----

    /** One row of SHOW ISAKMP EXCHANGE. */
    public record ExchangeView(int id, String phase, String state, int peer, String type, String failure) {
    }

    /** One row of SHOW ISAKMP SA. */
    public record SaView(int id, int peer, String encAlg, String hashAlg, long hardSeconds, long softSeconds, long usedSeconds,
                         long icookie, long rcookie, boolean initiator, String natT, String peerId, String authentication) {
    }

    public List<ExchangeView> exchanges() {
        List<ExchangeView> out = new ArrayList<>();
        for (IkeSa sa : sas.values()) {
            if (!sa.up()) {
                out.add(new ExchangeView(sa.exchangeId, sa.kind.phase(), sa.state.display(), sa.peer, sa.kind.name(), sa.failure));
            }
            for (QuickExchange q : sa.quick.values()) {
                if (q.state != ExchangeState.QUICK_DONE) {
                    out.add(new ExchangeView(q.exchangeId, "2", q.state.display(), sa.peer, "QUICK", null));
                }
            }
            for (TransactionExchange t : sa.access.transactions.values()) {
                if (!t.done()) {
                    out.add(new ExchangeView(t.exchangeId, ExchangeKind.TRANSACTION.phase(), t.state.display(), sa.peer, "TRANSACTION", t.failure));
                }
            }
        }
        return out;
    }

    /** SHOW ISAKMP SA=n's liveness lines: when the peer was last heard and what watches it. */
    public record LivenessView(long lastHeardSecondsAgo, String dpd, String heartbeat) {
    }

    /** A cleared ISAKMP SA as SHOW ISAKMP SA=n still tells it: when and why it went. */
    public record ClearedView(int id, int peer, long secondsAgo, long lastHeardSecondsAgo, String why) {
    }

    public Optional<LivenessView> liveness(int saId) {
        Instant now = loop.clock().instant();
        for (IkeSa sa : sas.values()) {
            if (sa.saId == saId && sa.up()) {
                return liveness.view(sa).map(v -> new LivenessView(Duration.between(v.lastHeard(), now).getSeconds(), v.dpd(), v.heartbeat()));
            }
        }
        return Optional.empty();
    }

    public Optional<ClearedView> cleared(int saId) {
        Instant now = loop.clock().instant();
        return liveness.clearedSa(saId).map(c -> new ClearedView(c.saId(), c.peer(), Duration.between(c.at(), now).getSeconds(),
                c.lastHeard() == null ? -1 : Duration.between(c.lastHeard(), now).getSeconds(), c.why()));
    }

    public List<SaView> sas() {
        List<SaView> out = new ArrayList<>();
        Instant now = loop.clock().instant();
        for (IkeSa sa : sas.values()) {
            if (sa.up()) {
                out.add(new SaView(sa.saId, sa.peer, sa.cipher.keyword(), sa.prf.keyword(), sa.lifeSeconds, sa.lifeSeconds * 95 / 100,
                        Duration.between(sa.upAt, now).getSeconds(), sa.icookie, sa.rcookie, sa.initiator,
                        sa.nat == NatTraversal.NONE ? "NONE" : sa.nat.name() + (sa.natLocal || sa.natRemote ? " (NAT found)" : ""),
                        sa.peerId == null ? "none" : sa.peerId.text(),
                        sa.policy.authType() == io.argate.isakmp.config.IsakmpPolicy.AuthType.RSASIG
                                ? "RSA signature, certificate " + sa.peerSubject : "pre-shared key (KEY=" + sa.policy.key() + ")"));
            }
        }
        return out;
    }

    /** What XAUTH and Mode Config did on an ISAKMP SA, for SHOW ISAKMP SA=n: the user, the address assigned (0 for none). */
    public record AccessView(String xauth, String user, int address, boolean peerXauthVid) {
    }

    public Optional<AccessView> access(int saId) {
        for (IkeSa sa : sas.values()) {
            if (sa.up() && sa.saId == saId) {
                RemoteAccessState st = sa.access;
                return Optional.of(new AccessView(st.xauth.name(), st.user, st.address, st.peerXauthVid));
            }
        }
        return Optional.empty();
    }

    /** Ends the ISAKMP SAs and exchanges with one peer as {@link #purge} ends all of them (the setup-rate benchmark resets one pair this way). */
    public void deleteSas(int peer, String why) {
        for (IkeSa sa : List.copyOf(sas.values())) {
            if (sa.peer == peer) {
                deleteSa(sa, why);
            }
        }
    }

    /**
     * PURGE ISAKMP and DISABLE ISAKMP: every SA and exchange goes, and the IPsec SAs ISAKMP keyed
     * (with deletes for both when SENDDELETES, see {@link SaTeardown}).
     */
    public void purge() {
        teardown.end(sa -> true, "ISAKMP was purged");
        teardown.endOrphans("ISAKMP was purged");
        negotiating.clear();
        liveness.purge();
    }
}
