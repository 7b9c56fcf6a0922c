package io.argate.ipsec.spd;

/**
 * Which way a packet crosses the interface. The policy's "local" side is the packet's source
 * when it leaves and its destination when it arrives (seed 003, SPD section).
 */
public enum Direction {
    OUTBOUND, INBOUND
}
