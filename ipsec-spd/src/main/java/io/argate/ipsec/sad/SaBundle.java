package io.argate.ipsec.sad;

import io.argate.ipsec.spec.SaMode;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The SAs one policy applies together (seed 003: "SA bundle"), both directions, in
 * application order for outbound (IPComp, ESP, AH) and removal order for inbound (AH, ESP,
 * IPComp). Immutable apart from its state and expiry flags.
 *
 * @param <T> the transform type of its SAs
 */
public final class SaBundle<T> {
    private final int id;
    private final String policy;
    private final int bundleSpec;
    private final int peer;
    private final boolean initiator;
    private final List<Sa<T>> outbound;
    private final List<Sa<T>> inbound;
    private final Instant created;
    private final Lifetime lifetime;
    private final SaMode mode;
    /** Volatile because ISAKMP follows a NAT's new port for the peer (RFC 3947 section 5) while the data path sends. */
    private volatile UdpEncap udpEncap;
    private volatile SaState state = SaState.VALID;
    private final AtomicBoolean softFired = new AtomicBoolean();
    private final AtomicBoolean hardFired = new AtomicBoolean();
    /**
     * The address a Mode Config server assigned us for this tunnel (0: none): Quick Mode offered it
     * as our side, so every packet the bundle carries has it as the inner source (AssignedAddressNat).
     * Set once by the key manager before the bundle is installed.
     */
    private volatile int assignedAddress;
    /** What the data path derives from the bundle once (its header sizes) instead of per packet. */
    private volatile Object derived;

    /** A tunnel-mode bundle sending plain IPsec (protocols 50/51/108). */
    public SaBundle(int id, String policy, int bundleSpec, int peer, boolean initiator,
                    List<Sa<T>> outbound, List<Sa<T>> inbound, Instant created, Lifetime lifetime) {
        this(id, policy, bundleSpec, peer, initiator, outbound, inbound, created, lifetime, SaMode.TUNNEL, null);
    }

    /**
     * @param mode     TUNNEL (a new outer header to {@code peer}) or TRANSPORT (the packet's own
     *                 header stays in front); ISAKMP negotiates it per SA, manual keys take it from
     *                 the SA specifications
     * @param udpEncap the ports when ESP is carried in UDP (UDPTUNNEL or NAT-T), else null
     */
    public SaBundle(int id, String policy, int bundleSpec, int peer, boolean initiator,
                    List<Sa<T>> outbound, List<Sa<T>> inbound, Instant created, Lifetime lifetime, SaMode mode, UdpEncap udpEncap) {
        this.id = id;
        this.policy = policy;
        this.bundleSpec = bundleSpec;
        this.peer = peer;
        this.initiator = initiator;
        this.outbound = List.copyOf(outbound);
        this.inbound = List.copyOf(inbound);
        this.created = created;
        this.lifetime = lifetime;
        this.mode = mode;
        this.udpEncap = udpEncap;
        this.outbound.forEach(sa -> sa.attach(this));
        this.inbound.forEach(sa -> sa.attach(this));
    }

    public int assignedAddress() {
        return assignedAddress;
    }

    public void assignedAddress(int address) {
        this.assignedAddress = address;
    }

    public int id() {
        return id;
    }

    public String policy() {
        return policy;
    }

    public int bundleSpec() {
        return bundleSpec;
    }

    /** Peer address (IPv4 as int) the outer headers go to. */
    public int peer() {
        return peer;
    }

    public boolean initiator() {
        return initiator;
    }

    /** Outbound SAs in the order they are applied: IPComp, ESP, AH. */
    public List<Sa<T>> outbound() {
        return outbound;
    }

    /** Inbound SAs in the order the headers are met: AH, ESP, IPComp. */
    public List<Sa<T>> inbound() {
        return inbound;
    }

    public Instant created() {
        return created;
    }

    public Lifetime lifetime() {
        return lifetime;
    }

    public SaMode mode() {
        return mode;
    }

    /** The UDP ports ESP travels in, or null for plain ESP. */
    public UdpEncap udpEncap() {
        return udpEncap;
    }

    /**
     * The peer behind a NAT now sends from {@code remotePort} (its mapping changed; ISAKMP saw an
     * authenticated message from there): ESP-in-UDP goes to the new port. No effect without UDP
     * encapsulation.
     */
    public void followRemotePort(int remotePort) {
        UdpEncap e = udpEncap;
        if (e != null && e.remotePort() != remotePort) {
            udpEncap = new UdpEncap(e.localPort(), remotePort);
        }
    }

    public SaState state() {
        return state;
    }

    void state(SaState s) {
        this.state = s;
    }

    /** True the first time only, so one expiry raises one event. */
    boolean fireSoft() {
        return softFired.compareAndSet(false, true);
    }

    boolean fireHard() {
        return hardFired.compareAndSet(false, true);
    }

    /**
     * A value derived from this immutable bundle, made by {@code make} on first use and then
     * kept: the data path asks for the bundle's header sizes on every packet.
     */
    public <D> D derived(Class<D> type, java.util.function.Function<SaBundle<T>, D> make) {
        Object d = derived;
        if (!type.isInstance(d)) {
            d = make.apply(this);
            derived = d;
        }
        return type.cast(d);
    }

    public boolean softExpired() {
        return softFired.get();
    }
}
