package io.argate.ip.forward;

import io.argate.ip.packet.VirtioNetHeader;
import io.argate.ip.route.Route;
import io.netty.buffer.ByteBuf;

/**
 * What the path knows about one packet besides its bytes, carried from stage to stage: where it
 * came in, the route and egress interface once ROUTE has run, and the IPsec policy that
 * decapsulated it (the firewall's ENCAPSULATION=IPSEC rules and the inbound policy check read
 * it). One instance per receive thread, reset for each packet, so the path allocates nothing.
 */
public final class PacketContext {
    private String inInterface;
    private String outInterface;
    private Route route;
    private String decapsulatedBy;
    private boolean originated;
    /** What the receiving TUN port's kernel left to finish (partial checksum, TCP or UDP super-packet); clear for most packets. */
    private final VirtioNetHeader offload = new VirtioNetHeader();
    private ByteBuf[] emitted = new ByteBuf[4];
    /** Per emitted packet: its UDP checksum is left for the egress port's host to fill in. */
    private boolean[] checksumLeft = new boolean[4];
    private int emittedCount;

    /** Starts a packet that arrived on {@code in} (or that the router made, with "lo"). */
    public PacketContext reset(String in, boolean originated) {
        this.inInterface = in;
        this.outInterface = null;
        this.route = null;
        this.decapsulatedBy = null;
        this.originated = originated;
        this.emittedCount = 0;
        this.offload.clear();
        return this;
    }

    /** The interface the packet arrived on ("lo" for packets the router made). */
    public String inInterface() {
        return inInterface;
    }

    /** The egress interface after ROUTE (or after SPD moved a protected packet), else null. */
    public String outInterface() {
        return outInterface;
    }

    /** The route ROUTE chose (or SPD's route to the tunnel peer), else null. */
    public Route route() {
        return route;
    }

    public void route(Route r) {
        this.route = r;
        this.outInterface = r == null ? null : r.iface();
    }

    /** The name of the IPsec policy whose bundle decapsulated this packet, or null for plaintext. */
    public String decapsulatedBy() {
        return decapsulatedBy;
    }

    /** IPsec inbound: the inner packet re-enters INPUT as carried by {@code policy}. */
    public void decapsulated(String policy, String in) {
        this.decapsulatedBy = policy;
        this.offload.clear();
        this.inInterface = in;
        this.outInterface = null;
        this.route = null;
    }

    /**
     * SPD: a protected packet to send on {@code r} (the route to the tunnel's peer); called once
     * per packet, more than once when the inner packet was fragmented before protection.
     */
    public void emit(ByteBuf protectedPacket, Route r) {
        emit(protectedPacket, r, false);
    }

    /**
     * {@link #emit(ByteBuf, Route)} of a UDP datagram whose checksum, when {@code checksumLeft},
     * the path leaves for the egress port's host to fill in (or fills in itself where the port
     * cannot), so that equal datagrams can leave as one UDP super-packet
     * ({@link Forwarder#segmentsUdp}).
     */
    public void emit(ByteBuf protectedPacket, Route r, boolean checksumLeft) {
        if (emittedCount == emitted.length) {
            emitted = java.util.Arrays.copyOf(emitted, emitted.length * 2);
            this.checksumLeft = java.util.Arrays.copyOf(this.checksumLeft, emitted.length);
        }
        this.checksumLeft[emittedCount] = checksumLeft;
        emitted[emittedCount++] = protectedPacket;
        route(r);
    }

    /** Whether the i-th emitted packet is a UDP datagram whose checksum is left to fill in. */
    public boolean emittedChecksumLeft(int i) {
        return checksumLeft[i];
    }

    /** How many packets SPD emitted for this one. */
    public int emittedCount() {
        return emittedCount;
    }

    /** The i-th packet SPD emitted (the path takes it and clears the slot). */
    public ByteBuf takeEmitted(int i) {
        ByteBuf b = emitted[i];
        emitted[i] = null;
        return b;
    }

    /**
     * What is left to finish on this packet, as the receiving TUN port's kernel described it:
     * a partial checksum, a TCP or UDP super-packet to segment ({@link VirtioNetHeader#pending()}), or
     * nothing. Stages that need the packet as sent (IPsec before protection) finish it with
     * {@link io.argate.ip.packet.Offloads#finish} and clear this.
     */
    public VirtioNetHeader offload() {
        return offload;
    }

    /** True for a packet the router itself made (ICMP, IKE, a heartbeat). */
    public boolean originated() {
        return originated;
    }
}
