package io.argate.ipsec.spd;

/** DFBIT of a tunnel-mode policy: the outer header's DF bit is SET, CLEAR or COPYed from the inner one. */
public enum DfBit {
    SET, COPY, CLEAR
}
