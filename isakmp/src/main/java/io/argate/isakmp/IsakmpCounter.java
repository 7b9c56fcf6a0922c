package io.argate.isakmp;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of SHOW ISAKMP COUNTERS, by group (fact sheet 2.8: MAIN, AGGRESSIVE, QUICK, INFO,
 * TRANSACTION, XAUTH, GENERAL, NETWORK, SAD, SPD), with the reference's camel-case names. Every drop is counted in
 * its own counter beside the reason the log gives.
 */
public enum IsakmpCounter {
    RX_DATAGRAMS("NETWORK", "rxDatagrams"),
    TX_DATAGRAMS("NETWORK", "txDatagrams"),
    RX_KEEPALIVES("NETWORK", "rxNatKeepalives"),
    RX_NOT_IKE_ON_4500("NETWORK", "rxNonIkeOnNatTPort"),
    DROP_MALFORMED("NETWORK", "dropMalformed"),
    DROP_UNKNOWN_COOKIE("NETWORK", "dropUnknownCookie"),
    DROP_BAD_PAYLOADS("NETWORK", "dropPayloadRules"),
    DROP_UNEXPECTED("NETWORK", "dropUnexpectedMessage"),
    DROP_DECRYPT("NETWORK", "dropDecryptFailed"),
    DROP_DISABLED("NETWORK", "dropModuleDisabled"),
    DROP_HALF_OPEN("NETWORK", "dropHalfOpenLimit"),
    /** Phase 1 refused: this address already has HALF_OPEN_PER_PEER unauthenticated exchanges. */
    DROP_HALF_OPEN_PEER("NETWORK", "dropHalfOpenPerPeer"),
    /** Phase 1 refused: HALF_OPEN_TOTAL unauthenticated exchanges exist (a flood from many addresses). */
    DROP_HALF_OPEN_TOTAL("NETWORK", "dropHalfOpenTotal"),
    /**
     * HALF_OPEN_TOTAL was reached and the oldest exchange whose peer never answered our first
     * reply was given up for a new one (HalfOpenEviction), so a flood cannot lock clients out.
     */
    HALF_OPEN_EVICTED("NETWORK", "halfOpenEvictedUnanswered"),
    /** An authenticated message came from a new port of a peer behind NAT; the SAs follow it (RFC 3947 section 5). */
    NAT_PORT_CHANGES("NETWORK", "natPeerPortChanged"),
    DROP_BAD_EXCHANGE("NETWORK", "dropUnsupportedExchange"),
    DUPLICATES("NETWORK", "duplicatesAnswered"),
    RETRANSMISSIONS("GENERAL", "retransmissions"),
    EXCHANGE_TIMEOUTS("GENERAL", "exchangeTimeouts"),
    BAD_SPI_REQUESTS("GENERAL", "badSpiRequests"),
    RETRY_IKE_PH1("GENERAL", "retryIkeAttemptsPh1"),
    RETRY_IKE_PH2("GENERAL", "retryIkeAttemptsPh2"),
    INITIAL_CONTACT_SENT("GENERAL", "initialContactSent"),
    /** Older SAs of a peer replaced because its new phase 1 said INITIAL-CONTACT (RFC 2407 section 4.6.3.3). */
    INITIAL_CONTACT_REPLACED("GENERAL", "initialContactReplaced"),
    MAIN_INITIATED("MAIN", "mainInitiated"),
    MAIN_RESPONDED("MAIN", "mainResponded"),
    MAIN_COMPLETED("MAIN", "mainCompleted"),
    MAIN_FAILED("MAIN", "mainFailed"),
    MAIN_NO_PROPOSAL("MAIN", "mainNoProposalChosen"),
    MAIN_AUTH_FAILED("MAIN", "mainAuthenticationFailed"),
    AGGR_INITIATED("AGGRESSIVE", "aggrInitiated"),
    AGGR_RESPONDED("AGGRESSIVE", "aggrResponded"),
    AGGR_COMPLETED("AGGRESSIVE", "aggrCompleted"),
    AGGR_FAILED("AGGRESSIVE", "aggrFailed"),
    AGGR_NO_PROPOSAL("AGGRESSIVE", "aggrNoProposalChosen"),
    AGGR_AUTH_FAILED("AGGRESSIVE", "aggrAuthenticationFailed"),
    QUICK_INITIATED("QUICK", "quickInitiated"),
    QUICK_RESPONDED("QUICK", "quickResponded"),
    QUICK_COMPLETED("QUICK", "quickCompleted"),
    QUICK_FAILED("QUICK", "quickFailed"),
    QUICK_NO_PROPOSAL("QUICK", "quickNoProposalChosen"),
    QUICK_BAD_HASH("QUICK", "quickBadHash"),
    INFO_SENT("INFO", "infoSent"),
    INFO_RECEIVED("INFO", "infoReceived"),
    INFO_BAD_HASH("INFO", "infoBadHash"),
    DELETES_SENT("INFO", "deletesSent"),
    DELETES_RECEIVED("INFO", "deletesReceived"),
    NOTIFIES_RECEIVED("INFO", "notifiesReceived"),
    TRANS_SENT("TRANSACTION", "transMessagesSent"),
    TRANS_RECEIVED("TRANSACTION", "transMessagesReceived"),
    TRANS_COMPLETED("TRANSACTION", "transCompleted"),
    TRANS_FAILED("TRANSACTION", "transFailed"),
    TRANS_BAD_HASH("TRANSACTION", "transBadHash"),
    TRANS_UNEXPECTED("TRANSACTION", "transUnexpectedMessage"),
    TRANS_LIMIT("TRANSACTION", "transInFlightLimit"),
    MODECFG_ASSIGNED("TRANSACTION", "modeCfgAddressAssigned"),
    MODECFG_RECEIVED("TRANSACTION", "modeCfgAddressReceived"),
    MODECFG_POOL_EMPTY("TRANSACTION", "modeCfgPoolExhausted"),
    MODECFG_RELEASED("TRANSACTION", "modeCfgAddressReleased"),
    XAUTH_REQUESTS("XAUTH", "xauthRequestsSent"),
    XAUTH_ACCEPTED("XAUTH", "xauthServerAccepted"),
    XAUTH_REFUSED("XAUTH", "xauthServerRefused"),
    XAUTH_DELAYED("XAUTH", "xauthServerThrottled"),
    /** A new ISAKMP SA found XAUTH_PENDING_PER_PEER or XAUTH_PENDING_TOTAL SAs waiting for XAUTH already: deleted at once. */
    XAUTH_PENDING_LIMIT("XAUTH", "xauthServerPendingLimit"),
    XAUTH_NO_ANSWER("XAUTH", "xauthServerNoAnswer"),
    XAUTH_PHASE2_REFUSED("XAUTH", "xauthPhase2Refused"),
    XAUTH_CLIENT_ANSWERED("XAUTH", "xauthClientAnswered"),
    XAUTH_CLIENT_OK("XAUTH", "xauthClientAccepted"),
    XAUTH_CLIENT_FAILED("XAUTH", "xauthClientRefused"),
    XAUTH_UNCONFIGURED("XAUTH", "xauthNotConfigured"),
    SA_INSTALLED("SAD", "addSaGood"),
    SA_INSTALL_FAILED("SAD", "addSaFailed"),
    SA_DELETED("SAD", "deleteSaGood"),
    DPD_SENT("HEARTBEAT", "dpdRuThereSent"),
    DPD_RECEIVED("HEARTBEAT", "dpdRuThereReceived"),
    DPD_ACKS_SENT("HEARTBEAT", "dpdAcksSent"),
    DPD_ACKS_RECEIVED("HEARTBEAT", "dpdAcksReceived"),
    /** An R-U-THERE-ACK whose sequence number answers nothing we asked (RFC 3706 section 7: dropped). */
    DPD_ACKS_UNEXPECTED("HEARTBEAT", "dpdAcksUnexpected"),
    DPD_PEERS_DEAD("HEARTBEAT", "dpdPeersDead"),
    HEARTBEATS_SENT("HEARTBEAT", "heartbeatsSent"),
    HEARTBEATS_RECEIVED("HEARTBEAT", "heartbeatsReceived"),
    HEARTBEATS_MALFORMED("HEARTBEAT", "heartbeatsMalformed"),
    HEARTBEAT_PEERS_DEAD("HEARTBEAT", "heartbeatPeersDead"),
    DEAD_PEER_REINITIATIONS("HEARTBEAT", "deadPeerReinitiations"),
    POLICY_BY_PEER_GOOD("SPD", "getPolicyByPeerGood"),
    POLICY_BY_PEER_FAILED("SPD", "getPolicyByPeerFailed");

    private final String group;
    private final String display;

    IsakmpCounter(String group, String display) {
        this.group = group;
        this.display = display;
    }

    public String group() {
        return group;
    }

    public String display() {
        return display;
    }

    /** One router's counters. */
    public static final class Set {
        private final LongAdder[] values = new LongAdder[IsakmpCounter.values().length];

        public Set() {
            for (int i = 0; i < values.length; i++) {
                values[i] = new LongAdder();
            }
        }

        public void inc(IsakmpCounter c) {
            values[c.ordinal()].increment();
        }

        public long get(IsakmpCounter c) {
            return values[c.ordinal()].sum();
        }

        public void reset() {
            for (LongAdder a : values) {
                a.reset();
            }
        }
    }
}
