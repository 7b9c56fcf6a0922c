package io.argate.isakmp.exchange;

import io.argate.isakmp.IsakmpCounter;

/**
 * Why an exchange cannot go on, in the configuration's terms ("ISAKMP policy i: peer offered
 * 3DES/MD5/group 2, policy allows DES/SHA/group 1"); {@code fatal} ends the exchange (logged once),
 * otherwise the message is only dropped and counted and the exchange waits for a good one.
 *
 * @param notify a notify type to tell the peer (when SENDNOTIFY), or 0
 */
public final class ExchangeFailure extends Exception {
    private final IsakmpCounter counter;
    private final boolean fatal;
    private final int notify;

    private ExchangeFailure(String message, IsakmpCounter counter, boolean fatal, int notify) {
        super(message, null, false, false);
        this.counter = counter;
        this.fatal = fatal;
        this.notify = notify;
    }

    /** The exchange fails. */
    public static ExchangeFailure fail(IsakmpCounter counter, int notify, String message) {
        return new ExchangeFailure(message, counter, true, notify);
    }

    /** The message is dropped; the exchange goes on. */
    public static ExchangeFailure drop(IsakmpCounter counter, String message) {
        return new ExchangeFailure(message, counter, false, 0);
    }

    public IsakmpCounter counter() {
        return counter;
    }

    public boolean fatal() {
        return fatal;
    }

    public int notifyType() {
        return notify;
    }
}
