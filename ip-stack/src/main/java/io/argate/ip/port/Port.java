package io.argate.ip.port;

import io.netty.buffer.ByteBuf;

/**
 * One of the appliance's physical connectors, bound by the platform file to a host device: a
 * TUN device, a UDP wire, an in-memory link, or nothing. Carries IPv4 packets only (L3 ports).
 */
public interface Port extends AutoCloseable {
    /**
     * Bytes a port leaves free in front of each received packet (and after it, up to the same
     * again), so a tunnel can put its headers around the packet in place instead of copying it:
     * an outer IPv4 header, UDP, ESP with a 16-byte IV, AH, IPComp and ESP's trailer fit.
     */
    int HEADROOM = 128;

    /** Port name: vlan1, eth0 ... */
    String name();

    /** Driver name: tun, udp, mem, none. */
    String driver();

    int mtu();

    boolean linkUp();

    /** Begins delivering received packets to {@code rx} on this port's own receive thread. */
    void start(PacketSink rx);

    /** Sends one packet; takes ownership of the buffer. False when it was dropped (counted). */
    boolean transmit(ByteBuf packet);

    PortCounters counters();

    @Override
    void close();
}
