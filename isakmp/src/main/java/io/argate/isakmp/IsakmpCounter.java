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
    DROP_BAD_EXCHANGE("NETWORK", "dropUnsupportedExchange"),
    DUPLICATES("NETWORK", "duplicatesAnswered"),
    RETRANSMISSIONS("GENERAL", "retransmissions"),
    EXCHANGE_TIMEOUTS("GENERAL", "exchangeTimeouts"),
    BAD_SPI_REQUESTS("GENERAL", "badSpiRequests"),
    RETRY_IKE_PH1("GENERAL", "retryIkeAttemptsPh1"),
    RETRY_IKE_PH2("GENERAL", "retryIkeAttemptsPh2"),
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
    XAUTH_NO_ANSWER("XAUTH", "xauthServerNoAnswer"),
    XAUTH_PHASE2_REFUSED("XAUTH", "xauthPhase2Refused"),
    XAUTH_CLIENT_ANSWERED("XAUTH", "xauthClientAnswered"),
    XAUTH_CLIENT_OK("XAUTH", "xauthClientAccepted"),
    XAUTH_CLIENT_FAILED("XAUTH", "xauthClientRefused"),
    XAUTH_UNCONFIGURED("XAUTH", "xauthNotConfigured"),
    SA_INSTALLED("SAD", "addSaGood"),
    SA_INSTALL_FAILED("SAD", "addSaFailed"),
    SA_DELETED("SAD", "deleteSaGood"),
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
