package io.argate.shell.telnet;

import static io.argate.shell.telnet.TelnetDecoder.DO;
import static io.argate.shell.telnet.TelnetDecoder.DONT;
import static io.argate.shell.telnet.TelnetDecoder.OPT_ECHO;
import static io.argate.shell.telnet.TelnetDecoder.OPT_NAWS;
import static io.argate.shell.telnet.TelnetDecoder.OPT_SGA;
import static io.argate.shell.telnet.TelnetDecoder.WILL;
import static io.argate.shell.telnet.TelnetDecoder.WONT;

import java.util.BitSet;

/**
 * The server's side of option negotiation (RFC 855), bounded. The server does ECHO and SGA
 * (RFC 857, 858) and wants the client's NAWS (RFC 1073); any other option is refused, and each
 * refusal is sent once per option and direction: RFC 1143's rule that a party does not answer
 * a request for the state it is already in, so a client repeating {@code IAC DO x} gets one
 * {@code IAC WONT x} in all, not one per request. A client sending more option commands than
 * {@link TelnetLimits#negotiations()} is flooding and must be disconnected.
 */
final class OptionNegotiation {
    /** No reply to send. */
    static final int NONE = -1;

    private final int limit;
    private final BitSet refusedDo = new BitSet(256);
    private final BitSet refusedWill = new BitSet(256);
    private int received;
    private boolean nawsAgreed;

    OptionNegotiation(int limit) {
        this.limit = limit;
    }

    /**
     * The reply verb to send with {@code option} for a received {@code verb}, or {@link #NONE}.
     * WONT and DONT are the client refusing; they need no answer.
     */
    int answer(int verb, int option) {
        received++;
        switch (verb) {
            case DO -> {
                if (option != OPT_ECHO && option != OPT_SGA && !refusedDo.get(option)) {
                    refusedDo.set(option);
                    return WONT;
                }
            }
            case WILL -> {
                if (option == OPT_NAWS) {
                    nawsAgreed = true;
                } else if (option != OPT_SGA && !refusedWill.get(option)) {
                    refusedWill.set(option);
                    return DONT;
                }
            }
            default -> {
                // WONT/DONT: nothing to answer
            }
        }
        return NONE;
    }

    /** True once the client sent more option commands than any real client does. */
    boolean flooded() {
        return received > limit;
    }

    boolean nawsAgreed() {
        return nawsAgreed;
    }
}
