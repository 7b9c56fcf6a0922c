package io.argate.isakmp.exchange;

import io.argate.isakmp.wire.ExchangeType;

/** The exchanges SHOW ISAKMP EXCHANGE lists (fact sheet 2.8: Type MAIN, AGGRESSIVE, TRANSACTION, QUICK, INFO). */
public enum ExchangeKind {
    MAIN(ExchangeType.IDPROT, "1"),
    AGGRESSIVE(ExchangeType.AGGRESSIVE, "1"),
    QUICK(ExchangeType.QUICK, "2"),
    /** XAUTH and Mode Config run between phase 1 and phase 2: the reference's phase 1.5. */
    TRANSACTION(ExchangeType.TRANSACTION, "1.5"),
    INFO(ExchangeType.INFO, "-");

    private final int exchangeType;
    private final String phase;

    ExchangeKind(int exchangeType, String phase) {
        this.exchangeType = exchangeType;
        this.phase = phase;
    }

    public int exchangeType() {
        return exchangeType;
    }

    public String phase() {
        return phase;
    }
}
