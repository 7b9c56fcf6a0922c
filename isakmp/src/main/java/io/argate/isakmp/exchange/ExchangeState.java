package io.argate.isakmp.exchange;

/**
 * Exchange states with the names SHOW ISAKMP EXCHANGE prints (fact sheet 2.8). Main and
 * Aggressive Mode share some names, so each constant carries its kind and display name.
 */
public enum ExchangeState {
    MAIN_IDLE(ExchangeKind.MAIN, "IDLE"),
    MAIN_SASENT(ExchangeKind.MAIN, "SASENT"),
    MAIN_SARECV(ExchangeKind.MAIN, "SARECV"),
    MAIN_KESENT(ExchangeKind.MAIN, "KESENT"),
    MAIN_KERECV(ExchangeKind.MAIN, "KERECV"),
    MAIN_AUTHSENT(ExchangeKind.MAIN, "AUTHSENT"),
    MAIN_AUTHRECV(ExchangeKind.MAIN, "AUTHRECV"),
    MAIN_UP(ExchangeKind.MAIN, "UP"),
    AGGR_IDLE(ExchangeKind.AGGRESSIVE, "IDLE"),
    AGGR_SAKESENT(ExchangeKind.AGGRESSIVE, "SAKESENT"),
    AGGR_SAKERECV(ExchangeKind.AGGRESSIVE, "SAKERECV"),
    AGGR_SAKEAUTHSENT(ExchangeKind.AGGRESSIVE, "SAKEAUTHSENT"),
    AGGR_SAKEAUTHRECV(ExchangeKind.AGGRESSIVE, "SAKEAUTHRECV"),
    AGGR_AUTHSENT(ExchangeKind.AGGRESSIVE, "AUTHSENT"),
    AGGR_AUTHRECV(ExchangeKind.AGGRESSIVE, "AUTHRECV"),
    AGGR_UP(ExchangeKind.AGGRESSIVE, "UP"),
    QUICK_STARTING(ExchangeKind.QUICK, "STARTING"),
    QUICK_WAIT_HASH_SA_NONCE(ExchangeKind.QUICK, "WAIT_HASH_SA_NONCE"),
    QUICK_WAIT_HASH(ExchangeKind.QUICK, "WAIT_HASH"),
    QUICK_RECEIVING_MESSAGE(ExchangeKind.QUICK, "RECEIVING_MESSAGE"),
    QUICK_SENDING_HASH_SA_NONCE(ExchangeKind.QUICK, "SENDING_HASH_SA_NONCE"),
    QUICK_SENDING_HASH(ExchangeKind.QUICK, "SENDING_HASH"),
    QUICK_DONE(ExchangeKind.QUICK, "DONE"),
    // Transaction (draft-dukes-ike-mode-cfg-02; fact sheet 2.8): REQUEST/REPLY or SET/ACK, then UP
    TRANS_IDLE(ExchangeKind.TRANSACTION, "IDLE"),
    TRANS_REQSENT(ExchangeKind.TRANSACTION, "REQSENT"),
    TRANS_REQRECV(ExchangeKind.TRANSACTION, "REQRECV"),
    TRANS_REPSENT(ExchangeKind.TRANSACTION, "REPSENT"),
    TRANS_REPRECV(ExchangeKind.TRANSACTION, "REPRECV"),
    TRANS_SETSENT(ExchangeKind.TRANSACTION, "SETSENT"),
    TRANS_SETRECV(ExchangeKind.TRANSACTION, "SETRECV"),
    TRANS_ACKSENT(ExchangeKind.TRANSACTION, "ACKSENT"),
    TRANS_ACKRECV(ExchangeKind.TRANSACTION, "ACKRECV"),
    TRANS_UP(ExchangeKind.TRANSACTION, "UP"),
    INFO_IDLE(ExchangeKind.INFO, "IDLE");

    private final ExchangeKind kind;
    private final String display;

    ExchangeState(ExchangeKind kind, String display) {
        this.kind = kind;
        this.display = display;
    }

    public ExchangeKind kind() {
        return kind;
    }

    public String display() {
        return display;
    }

    public boolean up() {
        return this == MAIN_UP || this == AGGR_UP;
    }
}
