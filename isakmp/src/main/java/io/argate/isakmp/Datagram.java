package io.argate.isakmp;

/**
 * A UDP datagram that arrived on port 500 or 4500, as the IP stack hands it over: addresses,
 * ports and the UDP payload (on 4500 still with its non-ESP marker).
 */
public record Datagram(int remoteAddress, int remotePort, int localAddress, int localPort, byte[] payload) {
}
