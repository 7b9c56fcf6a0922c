package io.argate.shell.telnet;

import java.io.ByteArrayOutputStream;

/**
 * Splits a telnet byte stream (RFC 854) into user data and protocol: IAC commands, option
 * negotiation (RFC 855) and subnegotiation, of which NAWS (RFC 1073) is used. CR LF and CR NUL
 * become CR (RFC 854 "NVT"), so the line editor sees one Enter. Unknown commands and garbage are
 * skipped; the decoder never throws.
 */
final class TelnetDecoder {
    static final int IAC = 255;
    static final int DONT = 254;
    static final int DO = 253;
    static final int WONT = 252;
    static final int WILL = 251;
    static final int SB = 250;
    static final int SE = 240;
    static final int OPT_ECHO = 1;
    static final int OPT_SGA = 3;
    static final int OPT_NAWS = 31;
    /** Longest subnegotiation kept; longer ones are cut (a client sending more is broken). */
    private static final int MAX_SB = 64;

    /** What the decoder reports. */
    interface Listener {
        void data(int b);

        void option(int verb, int option);

        void windowSize(int width, int height);
    }

    private enum State { DATA, IAC, VERB, SB, SB_IAC, CR }

    private final Listener listener;
    private State state = State.DATA;
    private int verb;
    private final ByteArrayOutputStream sb = new ByteArrayOutputStream();

    TelnetDecoder(Listener listener) {
        this.listener = listener;
    }

    void feed(int b) {
        b &= 0xff;
        switch (state) {
            case DATA, CR -> {
                if (b == IAC) {
                    state = State.IAC;
                } else if (state == State.CR && (b == '\n' || b == 0)) {
                    state = State.DATA;
                } else if (b == '\r') {
                    listener.data('\r');
                    state = State.CR;
                } else {
                    listener.data(b);
                    state = State.DATA;
                }
            }
            case IAC -> {
                if (b == IAC) {
                    listener.data(IAC);
                    state = State.DATA;
                } else if (b == WILL || b == WONT || b == DO || b == DONT) {
                    verb = b;
                    state = State.VERB;
                } else if (b == SB) {
                    sb.reset();
                    state = State.SB;
                } else {
                    // NOP, GA, AYT, BRK ...: nothing to do for a line-mode shell
                    state = State.DATA;
                }
            }
            case VERB -> {
                listener.option(verb, b);
                state = State.DATA;
            }
            case SB -> {
                if (b == IAC) {
                    state = State.SB_IAC;
                } else if (sb.size() < MAX_SB) {
                    sb.write(b);
                }
            }
            case SB_IAC -> {
                if (b == SE) {
                    subnegotiation(sb.toByteArray());
                    state = State.DATA;
                } else {
                    if (sb.size() < MAX_SB) {
                        sb.write(b);
                    }
                    state = State.SB;
                }
            }
        }
    }

    private void subnegotiation(byte[] s) {
        if (s.length == 5 && (s[0] & 0xff) == OPT_NAWS) {
            int w = (s[1] & 0xff) << 8 | (s[2] & 0xff);
            int h = (s[3] & 0xff) << 8 | (s[4] & 0xff);
            if (w > 0 && h > 0 && w < 1000 && h < 1000) {
                listener.windowSize(w, h);
            }
        }
    }
}
