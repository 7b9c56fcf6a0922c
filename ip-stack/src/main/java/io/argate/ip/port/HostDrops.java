package io.argate.ip.port;

/**
 * Drops the host's side of a port counted, which argate's own counters cannot see: for a TUN
 * device, packets the kernel dropped because its queue to argate was full (the device's
 * tx_dropped: argate did not read them in time) and packets argate wrote that the kernel threw
 * away (rx_dropped); for a UDP port, datagrams the socket's receive buffer had no room for.
 *
 * @param towardArgate packets dropped on their way to argate
 * @param fromArgate   packets argate sent that the host dropped (-1 when the host does not count them)
 * @param source       where the figures come from, for SHOW PORT
 */
public record HostDrops(long towardArgate, long fromArgate, String source) {
}
