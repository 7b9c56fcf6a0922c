package io.argate.ip.port;

import io.argate.ip.packet.VirtioNetHeader;
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

    /**
     * True when this port can hand the packet to its host as {@code header} leaves it (partial
     * checksum, super-packet) and the host will finish it; false sends the path to do it in
     * software first. Ports without offloads take nothing half-finished.
     */
    default boolean takes(ByteBuf packet, VirtioNetHeader header) {
        return false;
    }

    /** Sends one packet that {@link #takes} as {@code header} describes it; takes ownership. */
    default boolean transmit(ByteBuf packet, VirtioNetHeader header) {
        packet.release();
        counters().txDrops.increment();
        return false;
    }

    /**
     * Sends what this port holds back for the calling thread to send together; a port that
     * sends each packet at once has nothing to do. Called at the end of a receive batch.
     */
    default void flush() {
    }

    /**
     * True when this port's host takes UDP/IPv4 super-packets (virtio GSO_UDP_L4, "USO4" in
     * {@link #offloads()}): a run of equal-size datagrams to one destination can leave as one.
     */
    default boolean offersUso4() {
        return false;
    }

    /** The offloads this port uses with its host, for SHOW PORT: "TSO4 USO4 CSUM" (TUN), "GSO GRO" (UDP), or "none". */
    default String offloads() {
        return "none";
    }

    /** How the port reads and writes its host device (SHOW PORT), or null when the driver has no such choice. */
    default String packetIo() {
        return null;
    }

    /** Packets the host side queues toward this port (a TUN device's txqueuelen), 0 when argate does not set it. */
    default int hostQueue() {
        return 0;
    }

    /** Receive queues (threads) this port reads. */
    default int queues() {
        return 1;
    }

    /** What the host side of the port dropped, or null when it counts nothing argate can read. */
    default HostDrops hostDrops() {
        return null;
    }

    @Override
    void close();
}
