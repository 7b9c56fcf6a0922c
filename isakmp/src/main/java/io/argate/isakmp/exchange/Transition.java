package io.argate.isakmp.exchange;

/**
 * One row of the IKEv1 state table (the libreswan ikev1_states.c shape): in state {@code from},
 * the {@code role} expects the message {@code rule} describes, runs {@code handler} (named
 * {@code mainInI1OutR1}-style: what it receives and what it sends) and moves to {@code to}.
 * A row with a null rule starts an exchange instead of answering one.
 */
public record Transition(ExchangeState from, boolean initiator, PayloadRule rule, ExchangeState to, String handlerName, Handler handler) {

    /** The code a row runs. */
    @FunctionalInterface
    interface Handler {
        void handle(IsakmpDaemon daemon, Inbound in) throws ExchangeFailure;
    }
}
