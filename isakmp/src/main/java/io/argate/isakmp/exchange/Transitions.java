package io.argate.isakmp.exchange;

import java.util.List;
import java.util.Optional;

import static io.argate.isakmp.exchange.ExchangeState.*;
import static io.argate.isakmp.exchange.PayloadRule.Encryption.CLEAR;
import static io.argate.isakmp.exchange.PayloadRule.Encryption.EITHER;
import static io.argate.isakmp.exchange.PayloadRule.Encryption.ENCRYPTED;
import static io.argate.isakmp.exchange.PayloadRule.rule;
import static io.argate.isakmp.wire.PayloadType.*;

/**
 * The IKEv1 transitions as an immutable table (RFC 2409 sections 5, 5.4, 5.5 with RFC 3947's
 * NAT-D additions). Each row names the message it accepts by its payload rule; the dispatcher
 * checks the rule before any handler runs, and {@link IkeSa#transition} refuses any move that is
 * not a row here.
 */
public final class Transitions {
    // Main Mode (RFC 2409 section 5, pre-shared keys, section 5.4)
    //   HDR, SA                       -->
    //                                 <--  HDR, SA
    //   HDR, KE, Ni [, NAT-D, NAT-D]  -->
    //                                 <--  HDR, KE, Nr [, NAT-D, NAT-D]
    //   HDR*, IDii, HASH_I            -->
    //                                 <--  HDR*, IDir, HASH_R
    static final PayloadRule MM_I1 = rule("Main Mode message 1", CLEAR).one(SA).any(VID);
    static final PayloadRule MM_R1 = rule("Main Mode message 2", CLEAR).one(SA).any(VID);
    static final PayloadRule MM_I2 = rule("Main Mode message 3", CLEAR).one(KE).one(NONCE).with(NAT_D, 0, 8).any(VID).any(CR);
    static final PayloadRule MM_R2 = rule("Main Mode message 4", CLEAR).one(KE).one(NONCE).with(NAT_D, 0, 8).any(VID).any(CR);
    //   with signatures (section 5.1) HASH is SIG [, CERT], and messages 3 and 4 may ask with CR
    static final PayloadRule MM_I3 = rule("Main Mode message 5", ENCRYPTED).one(ID).optional(HASH).optional(SIG).any(CERT).any(CR)
            .any(NOTIFY).any(VID);
    static final PayloadRule MM_R3 = rule("Main Mode message 6", ENCRYPTED).one(ID).optional(HASH).optional(SIG).any(CERT).any(CR)
            .any(NOTIFY).any(VID);
    // Aggressive Mode (RFC 2409 section 5.4)
    //   HDR, SA, KE, Ni, IDii         -->
    //                                 <--  HDR, SA, KE, Nr, IDir, HASH_R [, NAT-D, NAT-D]
    //   HDR[*], HASH_I [, NAT-D, NAT-D] -->
    static final PayloadRule AM_I1 = rule("Aggressive Mode message 1", CLEAR).one(SA).one(KE).one(NONCE).one(ID).any(CR).any(VID);
    static final PayloadRule AM_R1 = rule("Aggressive Mode message 2", CLEAR).one(SA).one(KE).one(NONCE).one(ID).optional(HASH)
            .optional(SIG).any(CERT).any(CR).with(NAT_D, 0, 8).any(VID);
    static final PayloadRule AM_I2 = rule("Aggressive Mode message 3", EITHER).optional(HASH).optional(SIG).any(CERT)
            .with(NAT_D, 0, 8).any(NOTIFY).any(VID);
    // Quick Mode (RFC 2409 section 5.5)
    //   HDR*, HASH(1), SA, Ni [, KE ] [, IDci, IDcr ]   -->
    //                                 <--  HDR*, HASH(2), SA, Nr [, KE ] [, IDci, IDcr ]
    //   HDR*, HASH(3)                 -->
    static final PayloadRule QM_I1 = rule("Quick Mode message 1", ENCRYPTED).withHashFirst().one(SA).one(NONCE).optional(KE)
            .with(ID, 0, 2).with(NAT_OA, 0, 2).any(NOTIFY);
    static final PayloadRule QM_R1 = rule("Quick Mode message 2", ENCRYPTED).withHashFirst().one(SA).one(NONCE).optional(KE)
            .with(ID, 0, 2).with(NAT_OA, 0, 2).any(NOTIFY);
    static final PayloadRule QM_I2 = rule("Quick Mode message 3", ENCRYPTED).withHashFirst();
    // With the commit bit (RFC 2408 sections 3.1 and 4.6.2), the responder confirms its install:
    //                                 <--  HDR*, HASH(4), N(CONNECTED)
    static final PayloadRule QM_R2 = rule("Quick Mode message 4", ENCRYPTED).withHashFirst().with(NOTIFY, 1, 16);
    // Informational (RFC 2409 section 5.7): HDR*, HASH(1), N/D
    // RFC 2409 section 5.7: HDR*, HASH(1), N/D; with neither there is nothing to act on
    static final PayloadRule INFO_PROTECTED = rule("Informational", ENCRYPTED).withHashFirst().any(NOTIFY).any(DELETE).atLeastOneOf(NOTIFY, DELETE);
    // Transaction (draft-dukes-ike-mode-cfg-02 section 3.4): HDR*, HASH, ATTR in every message
    static final PayloadRule TRANSACTION = rule("Transaction", ENCRYPTED).withHashFirst().one(ATTR).any(VID);
    static final PayloadRule INFO_CLEAR = rule("unprotected Informational", CLEAR).any(NOTIFY).any(DELETE).atLeastOneOf(NOTIFY, DELETE);

    public static final List<Transition> TABLE = List.of(
            new Transition(MAIN_IDLE, true, null, MAIN_SASENT, "mainOutI1", null),
            new Transition(MAIN_SASENT, true, MM_R1, MAIN_KESENT, "mainInR1OutI2", MainMode::mainInR1OutI2),
            new Transition(MAIN_KESENT, true, MM_R2, MAIN_AUTHSENT, "mainInR2OutI3", MainMode::mainInR2OutI3),
            new Transition(MAIN_AUTHSENT, true, MM_R3, MAIN_UP, "mainInR3", MainMode::mainInR3),
            new Transition(MAIN_IDLE, false, MM_I1, MAIN_SARECV, "mainInI1OutR1", MainMode::mainInI1OutR1),
            new Transition(MAIN_SARECV, false, MM_I2, MAIN_KERECV, "mainInI2OutR2", MainMode::mainInI2OutR2),
            new Transition(MAIN_KERECV, false, MM_I3, MAIN_UP, "mainInI3OutR3", MainMode::mainInI3OutR3),
            new Transition(AGGR_IDLE, true, null, AGGR_SAKESENT, "aggrOutI1", null),
            new Transition(AGGR_SAKESENT, true, AM_R1, AGGR_UP, "aggrInR1OutI2", AggressiveMode::aggrInR1OutI2),
            new Transition(AGGR_IDLE, false, AM_I1, AGGR_SAKEAUTHSENT, "aggrInI1OutR1", AggressiveMode::aggrInI1OutR1),
            new Transition(AGGR_SAKEAUTHSENT, false, AM_I2, AGGR_UP, "aggrInI2", AggressiveMode::aggrInI2),
            new Transition(QUICK_STARTING, true, null, QUICK_WAIT_HASH_SA_NONCE, "quickOutI1", null),
            new Transition(QUICK_WAIT_HASH_SA_NONCE, true, QM_R1, QUICK_DONE, "quickInR1OutI2", QuickMode::quickInR1OutI2),
            new Transition(QUICK_WAIT_HASH_SA_NONCE, true, QM_R1, QUICK_WAIT_HASH, "quickInR1OutI2", QuickMode::quickInR1OutI2),
            new Transition(QUICK_WAIT_HASH, true, QM_R2, QUICK_DONE, "quickInR2", QuickMode::quickInR2),
            new Transition(QUICK_STARTING, false, QM_I1, QUICK_WAIT_HASH, "quickInI1OutR1", QuickMode::quickInI1OutR1),
            new Transition(QUICK_WAIT_HASH, false, QM_I2, QUICK_DONE, "quickInI2", QuickMode::quickInI2));

    private Transitions() {
    }

    /** The row that answers a message in this state and role, if any. */
    public static Optional<Transition> expected(ExchangeState from, boolean initiator) {
        for (Transition t : TABLE) {
            if (t.from() == from && t.initiator() == initiator && t.rule() != null) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** True when the table has a row moving this role from {@code from} to {@code to}. */
    public static boolean allowed(ExchangeState from, ExchangeState to, boolean initiator) {
        for (Transition t : TABLE) {
            if (t.from() == from && t.to() == to && t.initiator() == initiator) {
                return true;
            }
        }
        return false;
    }
}
