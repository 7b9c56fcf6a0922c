package io.argate.firewall.engine;

import io.argate.firewall.FirewallLimits;
import io.argate.firewall.session.SessionTable;
import io.argate.ip.packet.Ipv4;

/**
 * ESP passthrough under NAPT: which LAN host's outbound SA still waits for the peer's inbound
 * SPI, so that the first inbound packet with an SPI nobody knows can be given to the right host.
 *
 * <p>ESP has no ports, and the two SAs of one tunnel carry different SPIs, each chosen by its
 * receiver (RFC 4303 section 2.1): an outbound packet shows the peer's SPI, the reply the LAN
 * host's. So the NAT cannot know the inbound SPI in advance (the problem RFC 3715 section 2.1
 * describes); it learns it, as NAPT routers with "IPsec passthrough" do, by giving an unknown
 * inbound SPI from a peer to the host that most recently sent to that peer and has no inbound SPI
 * yet. When another waiting host sent to the same peer less than
 * {@link FirewallLimits#ESP_SPI_GUARD_MILLIS} before it, a reply to that host may be the one
 * arriving: the packet is dropped (counted) rather than given to a host that may not own it.
 *
 * <p>The router's own SAs with the same peer share the address pair: the engine asks which SPIs
 * are the router's ({@link FirewallEngine#routerSpis}) before it gives one to a LAN host.
 *
 * <p>Each entry names an outbound mapping session of the {@link SessionTable} (keyed by host,
 * peer and outbound SPI); an entry whose session is gone or reused is dropped when met. The
 * table's own layout is not touched. Entries are few (one per LAN host SA through NAPT, bounded by
 * {@link FirewallLimits#ESP_PASSTHROUGH_MAPPINGS}), changed under this object's lock, and looked
 * at only when an ESP packet misses every session or while some host waits.
 */
final class EspPassthrough {
    /** {@link #claim}: no host talks ESP with that peer through that global address. */
    static final int NONE = -1;
    /** {@link #claim}: hosts talk to that peer, but none waits for an inbound SPI. */
    static final int UNKNOWN = -2;
    /** {@link #claim}: two waiting hosts sent too close together to tell whose reply this is. */
    static final int AMBIGUOUS = -3;

    private final int[] session = new int[FirewallLimits.ESP_PASSTHROUGH_MAPPINGS];
    private final int[] host = new int[FirewallLimits.ESP_PASSTHROUGH_MAPPINGS];
    private final int[] peer = new int[FirewallLimits.ESP_PASSTHROUGH_MAPPINGS];
    private final int[] global = new int[FirewallLimits.ESP_PASSTHROUGH_MAPPINGS];
    private final int[] outSpi = new int[FirewallLimits.ESP_PASSTHROUGH_MAPPINGS];
    private final long[] lastSent = new long[FirewallLimits.ESP_PASSTHROUGH_MAPPINGS];
    private final boolean[] waiting = new boolean[FirewallLimits.ESP_PASSTHROUGH_MAPPINGS];
    private final boolean[] used = new boolean[FirewallLimits.ESP_PASSTHROUGH_MAPPINGS];
    /** Entries still waiting: the data path skips the lock while there are none. */
    private volatile int waitingCount;
    /**
     * Entries in use: ESP to the router's own IPsec that misses every session asks {@link #claim}
     * each time, and must not pay the lock and the scan while no LAN host uses passthrough.
     */
    private volatile int usedCount;

    /**
     * Records the outbound mapping {@code id} (host to peer with the peer's SPI {@code spi},
     * leaving as {@code globalAddress}); false when every entry is taken by a live mapping.
     */
    synchronized boolean add(SessionTable t, int now, int id, int hostAddress, int peerAddress, int globalAddress, int spi,
                             long millis) {
        int free = -1;
        for (int i = 0; i < used.length; i++) {
            if (used[i] && !valid(t, now, i)) {
                release(i);
            }
            if (!used[i] && free < 0) {
                free = i;
            }
        }
        if (free < 0) {
            return false;
        }
        used[free] = true;
        usedCount++;
        session[free] = id;
        host[free] = hostAddress;
        peer[free] = peerAddress;
        global[free] = globalAddress;
        outSpi[free] = spi;
        lastSent[free] = millis;
        waiting[free] = true;
        waitingCount++;
        return true;
    }

    /** Whether every entry is taken by a live mapping (those whose sessions ended are let go first). */
    synchronized boolean full(SessionTable t, int now) {
        for (int i = 0; i < used.length; i++) {
            if (!used[i] || !valid(t, now, i)) {
                if (used[i]) {
                    release(i);
                }
                return false;
            }
        }
        return true;
    }

    /** Whether some LAN host still waits for its peer's SPI (only then do outbound packets note their time). */
    boolean anyWaiting() {
        return waitingCount > 0;
    }

    /** An outbound packet on mapping {@code id}: while it waits, its time is what learning compares. */
    void sent(int id, long millis) {
        synchronized (this) {
            for (int i = 0; i < used.length; i++) {
                if (used[i] && waiting[i] && session[i] == id) {
                    lastSent[i] = millis;
                    return;
                }
            }
        }
    }

    /**
     * An inbound ESP packet from {@code from} to {@code to} whose SPI no session knows: the
     * outbound mapping whose host gets it (now no longer waiting), or {@link #NONE},
     * {@link #UNKNOWN} or {@link #AMBIGUOUS}.
     */
    int claim(SessionTable t, int now, int from, int to) {
        return usedCount == 0 ? NONE : claimLocked(t, now, from, to);
    }

    private synchronized int claimLocked(SessionTable t, int now, int from, int to) {
        int best = -1;
        int second = -1;
        boolean known = false;
        for (int i = 0; i < used.length; i++) {
            if (!used[i] || peer[i] != from || global[i] != to) {
                continue;
            }
            if (!valid(t, now, i)) {
                release(i);
                continue;
            }
            known = true;
            if (!waiting[i]) {
                continue;
            }
            if (best < 0 || lastSent[i] > lastSent[best]) {
                second = best;
                best = i;
            } else if (second < 0 || lastSent[i] > lastSent[second]) {
                second = i;
            }
        }
        if (best < 0) {
            return known ? UNKNOWN : NONE;
        }
        if (second >= 0 && lastSent[best] - lastSent[second] < FirewallLimits.ESP_SPI_GUARD_MILLIS) {
            return AMBIGUOUS;
        }
        waiting[best] = false;
        waitingCount--;
        return session[best];
    }

    /** Forgets the entries whose sessions ended (the engine's sweep tick). */
    void prune(SessionTable t, int now) {
        if (usedCount == 0) {
            return;
        }
        synchronized (this) {
            for (int i = 0; i < used.length; i++) {
                if (used[i] && !valid(t, now, i)) {
                    release(i);
                }
            }
        }
    }

    /** Entries in use (for SHOW FIREWALL); one whose session ended counts until it is met. */
    int size() {
        return usedCount;
    }

    private boolean valid(SessionTable t, int now, int i) {
        int id = session[i];
        return t.live(id) && !t.expired(id, now) && t.proto(id) == Ipv4.PROTO_ESP && t.origSrc(id) == host[i]
                && t.origDst(id) == peer[i] && t.origPorts(id) == outSpi[i] && t.transSrc(id) == global[i];
    }

    private void release(int i) {
        if (waiting[i]) {
            waiting[i] = false;
            waitingCount--;
        }
        used[i] = false;
        usedCount--;
    }
}
